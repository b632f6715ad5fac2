"""Models of the matching: channels, runs, matches and their people-side life (participants, notes).

Kept apart from models.py (streams and reference data) because they form their own lifecycle; both are
imported by waste_flows.models so that Django sees one app.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, Site

from .enums import (
    MatchKind,
    MatchStatus,
    ParticipantAnswer,
    RejectionReason,
    RunScope,
    RunStatus,
    RunTrigger,
)


class Channel(models.Model):
    """A valorisation outlet with a viability threshold, defined by the coordinator: a collective wood
    boiler needs at least 800 t/yr of wood fuel within 25 km, a methaniser 5,000 t/yr of biowaste."""

    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    materials = models.ManyToManyField(
        "waste_flows.Material", verbose_name=_("matières acceptées"), related_name="channels"
    )
    min_annual_quantity = models.DecimalField(
        _("seuil de viabilité par an (unité de base)"),
        max_digits=16,
        decimal_places=3,
        validators=[MinValueValidator(0)],
        help_text=_("En kg pour une matière mesurée en masse, en kWh pour une énergie."),
    )
    max_annual_quantity = models.DecimalField(
        _("capacité maximale par an (unité de base)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site du débouché"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
        help_text=_("Vide : n'importe où dans le pôle."),
    )
    radius_km = models.PositiveIntegerField(_("rayon de collecte (km)"), default=30)
    is_active = models.BooleanField(_("actif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("débouché")
        verbose_name_plural = _("débouchés")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MatchRun(models.Model):
    """One execution of the matching: who or what started it, how far it went, what it found."""

    scope = models.CharField(_("portée"), max_length=12, choices=RunScope.choices)
    trigger = models.CharField(_("origine"), max_length=16, choices=RunTrigger.choices)
    stream = models.ForeignKey(
        "waste_flows.Stream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flux"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    streams_loaded = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveIntegerField(default=0)
    matches_created = models.PositiveIntegerField(default=0)
    matches_updated = models.PositiveIntegerField(default=0)
    matches_obsoleted = models.PositiveIntegerField(default=0)
    load_seconds = models.FloatField(null=True, blank=True)
    engine_seconds = models.FloatField(null=True, blank=True)
    save_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finie le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("recherche de synergies")
        verbose_name_plural = _("recherches de synergies")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_scope_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


class Match(models.Model):
    """An opportunity found by the engine, and what people decided about it.

    A run upserts matches by `key` (built from their parties): scores and figures are refreshed, while
    status, notes, answers and history stay as people left them."""

    # Unique through a constraint, not `unique=True`: on PostgreSQL the field option adds a second index on the
    # key (varchar_pattern_ops, for LIKE lookups that nothing makes), one more to fill for each of the
    # hundreds of thousands of matches a first run of a large pole creates.
    key = models.CharField(max_length=120, editable=False)
    kind = models.CharField(_("type"), max_length=14, choices=MatchKind.choices)
    status = models.CharField(_("statut"), max_length=14, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED)
    score = models.FloatField(_("score"), default=0)
    explanation = models.JSONField(_("explication"), default=list, blank=True)
    material = models.ForeignKey("waste_flows.Material", on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        "waste_flows.Stream", on_delete=models.PROTECT, null=True, blank=True, related_name="matches_as_offer"
    )
    need = models.ForeignKey(
        "waste_flows.Stream", on_delete=models.PROTECT, null=True, blank=True, related_name="matches_as_need"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="matches")
    streams = models.ManyToManyField("waste_flows.Stream", related_name="matches", verbose_name=_("flux concernés"))
    hub_site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    coverage = models.FloatField(_("couverture du besoin"), null=True, blank=True)
    total_quantity = models.FloatField(_("quantité réunie par an (unité de base)"), null=True, blank=True)
    threshold = models.FloatField(_("seuil (unité de base)"), null=True, blank=True)
    near_miss = models.BooleanField(_("presque atteint"), default=False)
    tonnes_per_year = models.FloatField(_("tonnes détournées par an"), default=0)
    co2e_avoided_t = models.FloatField(_("CO2e évité (t/an)"), default=0)
    euros_saved = models.FloatField(_("économies (€/an)"), default=0)
    actual_tonnes_per_year = models.FloatField(_("tonnes réellement échangées par an"), null=True, blank=True)
    rejection_reason = models.CharField(_("motif"), max_length=16, choices=RejectionReason.choices, blank=True)
    rejection_note = models.TextField(_("précisions"), blank=True)
    # Which runs found a match: bookkeeping written for every match of every run. Not indexed (no page or query
    # looks matches up by run, and runs are kept: deleting one in the admin scans the matches once) and without
    # a database constraint (Django sets these to NULL itself when a run is deleted): on a first run of a large
    # pole, the index and the constraint's check were two of the costliest writes per match.
    first_run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False, db_constraint=False
    )
    last_run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False, db_constraint=False
    )
    created_at = models.DateTimeField(_("trouvée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["explanation", "last_run", "updated_at"])

    class Meta:
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [models.UniqueConstraint(fields=["key"], name="match_key_unique")]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[0]} · {self.material}"

    def get_absolute_url(self):
        return reverse("waste_flows:match_detail", kwargs={"pk": self.pk})


class MatchParticipant(models.Model):
    """A member concerned by a match, and its answer once introduced."""

    # The unique (match, member) constraint starts with the match: it serves every lookup by match, and a
    # separate index would be one more to fill for each participant a run writes.
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="participants", db_index=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="match_participations")
    answer = models.CharField(
        _("réponse"), max_length=10, choices=ParticipantAnswer.choices, default=ParticipantAnswer.PENDING
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre concerné")
        verbose_name_plural = _("membres concernés")
        constraints = [models.UniqueConstraint(fields=["match", "member"], name="match_participant_unique")]

    def __str__(self):
        return f"{self.member} ({self.get_answer_display()})"


class MatchNote(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class EmissionFactor(models.Model):
    """kg CO2e avoided per tonne diverted from a route to local valorisation, per material family.

    Defaults are loaded with their source (ADEME Base Empreinte orders of magnitude); the coordinator
    edits them in the administration."""

    family = models.CharField(_("famille de matières"), max_length=40)
    route = models.CharField(_("devenir actuel évité"), max_length=20)
    kg_co2e_per_tonne = models.FloatField(_("kg CO2e évités par tonne"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facteur d'émission")
        verbose_name_plural = _("facteurs d'émission")
        constraints = [models.UniqueConstraint(fields=["family", "route"], name="emission_factor_unique")]

    def __str__(self):
        return f"{self.family} / {self.route}: {self.kg_co2e_per_tonne} kg CO2e/t"
