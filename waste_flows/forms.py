"""The declaration form of a stream (offer or need), and the filters of the members' exchange page.

The form only reads and shapes what was typed; the rules of a declaration (kind consistent with the
direction, unit able to measure the material, waste code precise enough, season with months…) belong
to `services.stream_validate`, whose messages the view puts next to the fields."""

import re

import django_filters
from django import forms
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Site

from .enums import (
    NEED_KINDS,
    OFFER_KINDS,
    Confidentiality,
    Direction,
    Period,
    PhysicalForm,
    Regularity,
    Route,
    StreamStatus,
)
from .filters import StreamFilter
from .models import EwcCode, Material, Stream, Unit
from .services import STREAM_FIELDS

EWC_TYPED = re.compile(r"^[\d\s*]+")


class DecimalField(forms.DecimalField):
    """A number as people type it in French or English: « 1 500,5 », « 1500.5 », « 1 500 »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        return super().to_python(value)


def _label(name: str) -> str:
    return capfirst(Stream._meta.get_field(name).verbose_name)


def _choices_with_blank(choices, blank_label):
    return [("", blank_label), *choices]


CONFIDENTIALITY_HELP = {
    Confidentiality.PUBLIC: _(
        "tous les utilisateurs de la plateforme le voient, y compris les partenaires (État, Région, ADEME, financeurs)."
    ),
    Confidentiality.MEMBERS: _("les membres du pôle le voient dans la bourse des flux ; les partenaires, non."),
    Confidentiality.COORDINATOR: _(
        "seules votre structure et la coordination du pôle le voient ; la coordination peut s'en servir pour "
        "vous proposer une mise en relation, sans dévoiler vos données."
    ),
}
STATUS_HELP = {
    StreamStatus.DRAFT: _(
        "la déclaration n'est visible que de votre structure et de la coordination, et n'entre dans aucune "
        "mise en relation."
    ),
    StreamStatus.ACTIVE: _(
        "la déclaration est diffusée selon la confidentialité choisie et prise en compte dans les mises en relation."
    ),
    StreamStatus.ARCHIVED: _("la déclaration est conservée pour l'historique, hors bourse et hors mises en relation."),
}


def _described(choices, descriptions):
    return [(value, format_html("<strong>{}</strong> : {}", label, descriptions[value])) for value, label in choices]


class StreamForm(forms.Form):
    """Declaration of an offer or a need. Member users choose among their organisation's sites;
    coordinators first choose the member (optional: it narrows the list of sites)."""

    required_css_class = "required"

    member = forms.TypedChoiceField(label=_("Membre"), coerce=int, empty_value=None, required=False)
    site = forms.TypedChoiceField(
        label=_label("site"),
        coerce=int,
        error_messages={"invalid_choice": _("Choisissez un des sites proposés.")},
    )
    direction = forms.ChoiceField(label=_label("direction"), choices=Direction.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_label("kind"),
        choices=[
            ("", "—"),
            (_("Offres"), [(kind.value, kind.label) for kind in OFFER_KINDS]),
            (_("Besoins"), [(kind.value, kind.label) for kind in NEED_KINDS]),
        ],
    )
    material = forms.ChoiceField(
        label=_label("material"),
        help_text=_("Tapez un mot (« palettes », « sciure », « ferraille ») et choisissez dans la liste."),
        error_messages={
            "required": _("Choisissez une matière dans la liste proposée."),
            "invalid_choice": _("Choisissez une matière dans la liste proposée."),
        },
        # Without JavaScript, a list grouped by family; stream-form.js swaps it for a searchable box.
        widget=forms.Select(attrs={"data-combobox-fallback": ""}),
    )
    ewc_code = forms.CharField(
        label=_label("ewc_code"),
        required=False,
        max_length=200,
        help_text=_(
            "Pour un déchet : le code à 6 chiffres de la nomenclature européenne, par exemple « 15 01 03 » "
            "(emballages en bois). Un astérisque signale un déchet dangereux."
        ),
        widget=forms.TextInput(attrs={"placeholder": "15 01 03", "autocomplete": "off", "data-combobox-fallback": ""}),
    )
    description = forms.CharField(
        label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quantity = DecimalField(label=_label("quantity"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(
        label=_label("unit"), error_messages={"invalid_choice": _("Choisissez une unité dans la liste.")}
    )
    period = forms.ChoiceField(label=_label("period"), choices=Period.choices, initial=Period.YEAR)
    regularity = forms.ChoiceField(
        label=_label("regularity"),
        choices=Regularity.choices,
        initial=Regularity.CONTINUOUS,
        widget=forms.RadioSelect,
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Mois de disponibilité"),
        choices=[(str(number), MONTHS[number]) for number in range(1, 13)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour un flux saisonnier : les mois où il existe."),
    )
    available_from = forms.DateField(label=_label("available_from"), required=False, widget=DateInput())
    available_until = forms.DateField(label=_label("available_until"), required=False, widget=DateInput())
    physical_form = forms.ChoiceField(
        label=_label("physical_form"),
        choices=_choices_with_blank(PhysicalForm.choices, _("Non précisée")),
        required=False,
    )
    quality_notes = forms.CharField(
        label=_label("quality_notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tri, propreté, humidité, conditionnement, contraintes d'enlèvement ou de livraison."),
    )
    current_route = forms.ChoiceField(
        label=_label("current_route"),
        choices=_choices_with_blank(Route.choices, _("Non renseigné")),
        required=False,
        help_text=_("Pour les offres : ce que devient ce flux aujourd'hui."),
    )
    current_route_cost = DecimalField(
        label=_label("current_route_cost"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Pour les offres : ce que coûte ce devenir par an (collecte, traitement), en euros hors taxes."),
    )
    max_distance_km = forms.IntegerField(
        label=_label("max_distance_km"),
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("Au-delà, une mise en relation n'est pas proposée."),
    )
    accepts_hazardous = forms.BooleanField(
        label=_label("accepts_hazardous"),
        required=False,
        help_text=_("Pour les besoins : le site est autorisé à recevoir des déchets dangereux."),
    )
    confidentiality = forms.ChoiceField(
        label=_label("confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_("Qui peut voir ce flux. Votre structure et la coordination du pôle le voient toujours."),
    )
    status = forms.ChoiceField(
        label=_label("status"),
        choices=[(StreamStatus.DRAFT, StreamStatus.DRAFT.label), (StreamStatus.ACTIVE, StreamStatus.ACTIVE.label)],
        initial=StreamStatus.ACTIVE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, stream: Stream | None = None, **kwargs):
        if stream is not None:
            kwargs.setdefault("initial", stream_initial(stream))
        # Django's Form.__init__ resets label_suffix to " :" in French unless it is passed here.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.stream = stream
        self._sites = self._site_choices(user)
        self._materials = {material.code: material for material in Material.objects.order_by("code")}
        self._units = {unit.code: unit for unit in Unit.objects.all()}
        self.fields["material"].choices = [("", "—"), *material_groups(self._materials.values())]
        self.fields["unit"].choices = unit_groups(self._units.values())
        statuses = [StreamStatus.DRAFT, StreamStatus.ACTIVE]
        if stream is not None and stream.status == StreamStatus.ARCHIVED:
            statuses.append(StreamStatus.ARCHIVED)
        # Descriptions are built here, not at import time: they are translated for the current request.
        self.fields["status"].choices = _described([(status, status.label) for status in statuses], STATUS_HELP)
        self.fields["confidentiality"].choices = _described(Confidentiality.choices, CONFIDENTIALITY_HELP)
        if not user.is_coordinator:
            del self.fields["member"]
            if len(self._sites) == 1 and not self.initial.get("site"):
                self.initial["site"] = next(iter(self._sites))
        self._narrow_unit_options()

    # --- Choices ------------------------------------------------------------------------------------

    def _site_choices(self, user) -> dict[int, Site]:
        sites = Site.objects.select_related("member").order_by("member__name", "-is_main", "name")
        if not user.is_coordinator:
            sites = sites.filter(member_id=user.member_id)
        sites = {site.pk: site for site in sites}
        if user.is_coordinator:
            members = {site.member_id: site.member for site in sites.values()}
            self.fields["member"].choices = [("", "—"), *((pk, member.name) for pk, member in members.items())]
            self.fields["site"].choices = [("", "—"), *site_groups(sites.values())]
        else:
            self.fields["site"].choices = [("", "—"), *((pk, str(site)) for pk, site in sites.items())]
        return sites

    def _narrow_unit_options(self) -> None:
        """Offer only the units able to measure the material (all of them stay valid: the service explains
        a wrong one better than "not a valid choice")."""
        material = self._materials.get(self["material"].value() or "")
        if material is None:
            return
        selected = self["unit"].value()
        compatible = [unit for unit in self._units.values() if unit_fits(unit, material) or unit.code == selected]
        self.fields["unit"].widget.choices = unit_groups(compatible)

    def material_label(self) -> str:
        material = self._materials.get(self["material"].value() or "")
        return material.name if material else ""

    def ewc_label(self) -> str:
        code = self["ewc_code"].value() or ""
        ewc = self._ewc_code_or_none(code)
        return str(ewc) if ewc else code

    # --- Cleaning -----------------------------------------------------------------------------------

    def clean_site(self):
        return self._sites[self.cleaned_data["site"]]

    def clean_material(self):
        return self._materials[self.cleaned_data["material"]]

    def clean_unit(self):
        return self._units[self.cleaned_data["unit"]]

    def clean_ewc_code(self):
        typed = self.cleaned_data["ewc_code"].strip()
        if not typed:
            return None
        ewc = self._ewc_code_or_none(typed)
        if ewc is None:
            code = normalise_ewc_code(typed)
            if code is None:
                raise forms.ValidationError(
                    _("Saisissez un code de 6 chiffres, par exemple « 15 01 03 », ou choisissez-le dans la liste."),
                    code="invalid",
                )
            raise forms.ValidationError(
                _("Le code « %(code)s » n'existe pas dans la nomenclature européenne des déchets."),
                code="unknown",
                params={"code": code},
            )
        if ewc.level != "entry":
            # The service says the same, followed by the model's technical "not a valid choice": say it alone.
            raise forms.ValidationError(
                _("Choisissez un code déchet complet à 6 chiffres, pas un chapitre."), code="not_an_entry"
            )
        return ewc

    def _ewc_code_or_none(self, typed: str) -> EwcCode | None:
        code = normalise_ewc_code(typed)
        if code is None:
            return None
        if not hasattr(self, "_ewc_cache"):
            self._ewc_cache = {}
        if code not in self._ewc_cache:
            self._ewc_cache[code] = EwcCode.objects.filter(code=code).first()
        return self._ewc_cache[code]

    def clean(self):
        cleaned = super().clean()
        member_id, site = cleaned.get("member"), cleaned.get("site")
        if member_id and site and site.member_id != member_id:
            self.add_error("site", _("Ce site n'appartient pas au membre choisi."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values, named as the services expect them."""
        return {name: value for name, value in self.cleaned_data.items() if name in STREAM_FIELDS}


def stream_initial(stream: Stream) -> dict:
    initial = {name: getattr(stream, name) for name in STREAM_FIELDS - {"site", "material", "unit", "ewc_code"}}
    initial.update(
        member=stream.site.member_id,
        site=stream.site_id,
        material=stream.material.code,
        unit=stream.unit_id,
        ewc_code=stream.ewc_code_id or "",
        months=[str(month) for month in stream.months or []],
        quantity=_without_trailing_zeros(stream.quantity),
        current_route_cost=_without_trailing_zeros(stream.current_route_cost),
    )
    return initial


def _without_trailing_zeros(value):
    """12.000 → 12 and 12.500 → 12.5, so that the form shows « 12 » and « 12,5 », not « 12,000 »."""
    if value is None:
        return None
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def normalise_ewc_code(typed: str) -> str | None:
    """« 150103 », « 15 01 03* » or « 15 01 03 — emballages en bois » → "15 01 03"; None if no code is typed.

    Chapters (2 digits) and sub-chapters (4 digits) are returned too, to explain they are not enough."""
    match = EWC_TYPED.match(typed.strip())
    digits = re.sub(r"\D", "", match.group(0)) if match else ""
    if len(digits) not in (2, 4, 6):
        return None
    return " ".join(digits[index : index + 2] for index in range(0, len(digits), 2))


def unit_fits(unit: Unit, material: Material) -> bool:
    from .quantities import units_compatible

    return units_compatible(
        unit_dimension=unit.dimension,
        material_dimension=material.dimension,
        density_kg_per_m3=material.density_kg_per_m3,
    )


def unit_groups(units) -> list:
    """Units grouped by what they measure: [("masse", [("kg", "kg — Kilogramme"), …]), …]."""
    groups: dict[str, list] = {}
    for unit in units:
        groups.setdefault(unit.get_dimension_display(), []).append((unit.code, f"{unit.symbol} — {unit.name}"))
    return [(str(label).capitalize(), options) for label, options in groups.items()]


def material_groups(materials) -> list:
    """Materials grouped by family, sub-categories indented: the list without JavaScript."""
    materials = list(materials)
    families = {material.code: material for material in materials if material.parent_id is None}
    groups: dict[str, list] = {code: [] for code in sorted(families, key=lambda code: families[code].name)}
    for material in materials:
        depth = material.code.count(".")
        label = material.name if depth == 0 else "\u2003" * (depth - 1) + f"– {material.name}"
        groups.setdefault(material.family_code, []).append((material.code, label))
    return [(families[code].name if code in families else code, options) for code, options in groups.items()]


def site_groups(sites) -> list:
    groups: dict[str, list] = {}
    for site in sites:
        groups.setdefault(site.member.name, []).append((site.pk, str(site)))
    return list(groups.items())


class ExchangeStreamFilter(StreamFilter):
    """The coordinator's filters minus what members need not see of others: confidentiality, status, cost."""

    confidentiality = None
    status = None
    ordering = django_filters.OrderingFilter(
        fields=[
            ("updated_at", "updated_at"),
            ("annual_quantity", "annual_quantity"),
            ("material__code", "material"),
            ("site__member__name", "member"),
        ],
        label=_("Tri"),
    )
