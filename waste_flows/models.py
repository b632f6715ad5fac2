from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Site

from .enums import (
    Confidentiality,
    Dimension,
    Direction,
    MaterialKind,
    Period,
    PhysicalForm,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from .querysets import MaterialQuerySet, StreamQuerySet


def _in_language(french: str, english: str) -> str:
    return english if (get_language() or "fr").startswith("en") and english else french


class EwcCode(models.Model):
    """An entry, sub-chapter or chapter of the European List of Waste (loaded by a data migration)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    level = models.CharField(_("niveau"), max_length=10)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    hazardous = models.BooleanField(_("dangereux"), null=True)
    description_fr = models.TextField(_("libellé (français)"))
    description_en = models.TextField(_("libellé (anglais)"))
    entry_type_en = models.CharField(max_length=40, blank=True)
    material = models.ForeignKey(
        "Material",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ewc_codes",
        verbose_name=_("matière"),
    )

    class Meta:
        verbose_name = _("code déchet (nomenclature européenne)")
        verbose_name_plural = _("codes déchet (nomenclature européenne)")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code_display} — {self.description}"

    @property
    def code_display(self) -> str:
        return f"{self.code}*" if self.hazardous else self.code

    @property
    def description(self) -> str:
        return _in_language(self.description_fr, self.description_en)

    @property
    def chapter(self) -> str:
        return self.code[:2]


class Material(models.Model):
    """A category of resource. The dotted code is the path in the tree: `wood.pallets` is under `wood`,
    so descendants are found with a prefix, without a recursive query."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    name_fr = models.CharField(_("nom (français)"), max_length=150)
    name_en = models.CharField(_("nom (anglais)"), max_length=150)
    synonyms_fr = models.TextField(_("synonymes (français)"), blank=True, help_text=_("Séparés par des « | »."))
    synonyms_en = models.TextField(_("synonymes (anglais)"), blank=True)
    kind = models.CharField(_("nature"), max_length=10, choices=MaterialKind.choices)
    dimension = models.CharField(_("grandeur"), max_length=10, choices=Dimension.choices)
    density_kg_per_m3 = models.DecimalField(
        _("masse volumique (kg/m³)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    can_be_hazardous = models.BooleanField(_("peut être dangereux"), default=False)
    # Names, synonyms and code without accents, lower-cased: what the search compares typed words with.
    search_text = models.TextField(editable=False, default="")

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("matière ou ressource")
        verbose_name_plural = _("matières et ressources")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_fr, self.name_en)

    @property
    def family_code(self) -> str:
        return self.code.split(".", 1)[0]

    def is_descendant_of(self, other: "Material") -> bool:
        return self.code == other.code or self.code.startswith(other.code + ".")


class MaterialUse(models.Model):
    """Knowledge that an offered material can feed a need for another one (pallets → boiler wood fuel)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="uses", verbose_name=_("matière"))
    use_material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="fed_by", verbose_name=_("besoin qu'elle peut couvrir")
    )
    note_fr = models.TextField(_("note (français)"), blank=True)
    note_en = models.TextField(_("note (anglais)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("usage possible")
        verbose_name_plural = _("usages possibles")
        constraints = [models.UniqueConstraint(fields=["material", "use_material"], name="material_use_unique")]

    def __str__(self):
        return f"{self.material} → {self.use_material}"

    @property
    def note(self) -> str:
        return _in_language(self.note_fr, self.note_en)


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name_fr = models.CharField(_("nom (français)"), max_length=60)
    name_en = models.CharField(_("nom (anglais)"), max_length=60)
    symbol = models.CharField(_("symbole"), max_length=12)
    dimension = models.CharField(_("grandeur"), max_length=10, choices=Dimension.choices)
    factor_to_base = models.DecimalField(_("facteur vers l'unité de base"), max_digits=24, decimal_places=12)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        ordering = ["dimension", "factor_to_base"]

    def __str__(self):
        return self.symbol

    @property
    def name(self) -> str:
        return _in_language(self.name_fr, self.name_en)


class Stream(models.Model):
    """An offer or a need of a member's site: what it throws away or makes available, or what it buys."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="streams", verbose_name=_("site"))
    direction = models.CharField(_("sens"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("nature du flux"), max_length=12, choices=StreamKind.choices)
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="streams", verbose_name=_("matière"))
    ewc_code = models.ForeignKey(
        EwcCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streams",
        verbose_name=_("code déchet"),
    )
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=14, decimal_places=3)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("unité"))
    period = models.CharField(_("période"), max_length=8, choices=Period.choices, default=Period.YEAR)
    # quantity × unit factor × periods per year, in the base unit of the dimension (kg, kWh, m³…).
    # Stored, not computed on read, because the inventory and the matching aggregate it in SQL.
    annual_quantity = models.DecimalField(_("quantité annuelle (unité de base)"), max_digits=20, decimal_places=3)
    regularity = models.CharField(
        _("régularité"), max_length=12, choices=Regularity.choices, default=Regularity.CONTINUOUS
    )
    months = models.JSONField(_("mois de disponibilité"), default=list, blank=True, help_text=_("1 = janvier."))
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    physical_form = models.CharField(_("forme physique"), max_length=12, choices=PhysicalForm.choices, blank=True)
    quality_notes = models.TextField(_("qualité, conditionnement, contraintes"), blank=True)
    current_route = models.CharField(
        _("devenir actuel"), max_length=20, choices=Route.choices, blank=True, help_text=_("Pour les offres.")
    )
    current_route_cost = models.DecimalField(
        _("coût annuel du devenir actuel (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    max_distance_km = models.PositiveIntegerField(
        _("distance maximale acceptée (km)"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    accepts_hazardous = models.BooleanField(
        _("peut recevoir des déchets dangereux"), default=False, help_text=_("Pour les besoins : site autorisé.")
    )
    confidentiality = models.CharField(
        _("confidentialité"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.MEMBERS
    )
    status = models.CharField(_("statut"), max_length=10, choices=StreamStatus.choices, default=StreamStatus.ACTIVE)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déclaré par"),
    )
    created_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords()
    objects = StreamQuerySet.as_manager()

    class Meta:
        verbose_name = _("flux")
        verbose_name_plural = _("flux")
        ordering = ["-updated_at", "pk"]
        indexes = [
            models.Index(fields=["direction", "status", "material"]),
            # The lists' default order, and what other members may read: measured on 100,000 streams, a
            # member's page of 50 went from 274 to 96 ms (docs/benchmarks.md, API load).
            models.Index(fields=["-updated_at", "id"], name="stream_recent_first"),
            models.Index(fields=["status", "confidentiality", "site"], name="stream_shared_by_site"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="stream_quantity_positive",
                violation_error_message=_("La quantité doit être supérieure à zéro."),
            ),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_from__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="stream_available_until_after_from",
                violation_error_message=_("La fin de disponibilité ne peut pas précéder son début."),
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display().split(' (')[0]} · {self.material} · {self.site.member}"

    def get_absolute_url(self):
        return reverse("waste_flows:stream_detail", kwargs={"pk": self.pk})

    @property
    def is_hazardous(self) -> bool:
        return bool(self.ewc_code_id and self.ewc_code.hazardous)


# The matching's models live in their own module; importing them here registers them with the app.
from .matches import Channel, EmissionFactor, Match, MatchNote, MatchParticipant, MatchRun  # noqa: E402, F401
