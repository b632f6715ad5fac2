"""Cooperation projects of the pole: who carries them, what they cost, who funds them, where they stand.

Totals (budget, funding, gap) are never stored: `Project.objects.with_totals()` computes them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import (
    ActivityKind,
    BudgetCategory,
    DocumentKind,
    FundingSource,
    IndicatorKind,
    ParticipantRole,
    ProjectKind,
    ProjectStatus,
    ProjectVisibility,
)
from .querysets import MilestoneQuerySet, ProjectQuerySet

# Office documents, PDFs and pictures: what a funder's file is made of. Anything executable is refused.
DOCUMENT_EXTENSIONS = [
    "pdf",
    "odt",
    "ods",
    "odp",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "csv",
    "txt",
    "png",
    "jpg",
    "jpeg",
]
MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Project(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    kind = models.CharField(_("type de projet"), max_length=24, choices=ProjectKind.choices)
    status = models.CharField(_("statut"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    abandon_reason = models.TextField(_("raison de l'abandon"), blank=True)
    lead_member = models.ForeignKey(
        "members.Member", verbose_name=_("structure porteuse"), on_delete=models.PROTECT, related_name="led_projects"
    )
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    site = models.ForeignKey(
        "members.Site", verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=16, choices=ProjectVisibility.choices, default=ProjectVisibility.MEMBERS
    )
    matches = models.ManyToManyField(
        "waste_flows.Match", verbose_name=_("opportunités liées"), related_name="projects", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def location_label(self) -> str:
        if self.site_id:
            return f"{self.site.name} — {self.site.commune}"
        return self.commune


class ProjectParticipant(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("membre"), on_delete=models.PROTECT, related_name="project_participations"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=ParticipantRole.choices)
    commitment = models.TextField(_("engagement"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "member__name"]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="one_participation_per_member")]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()})"


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("nature"), max_length=16, choices=BudgetCategory.choices)
    label = models.CharField(_("poste"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), validators=NON_NEGATIVE, **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["category", "pk"]

    def __str__(self):
        return self.label


class Funding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=24, choices=FundingSource.choices)
    funder_name = models.CharField(_("financeur"), max_length=200, blank=True)
    amount_requested = models.DecimalField(_("montant demandé (€)"), validators=NON_NEGATIVE, **MONEY)
    amount_granted = models.DecimalField(
        _("montant accordé (€)"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    amount_received = models.DecimalField(
        _("montant perçu (€)"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    granted_on = models.DateField(_("accordé le"), null=True, blank=True)
    received_on = models.DateField(_("perçu le"), null=True, blank=True)
    notes = models.TextField(_("remarques"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["source", "pk"]

    def __str__(self):
        return self.funder_name or self.get_source_display()


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("jalon"), max_length=200)
    due_date = models.DateField(_("échéance"))
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    owner = models.ForeignKey(
        "members.Member",
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_milestones",
    )

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_date < timezone.localdate()


class Indicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("indicateur"), max_length=24, choices=IndicatorKind.choices)
    label = models.CharField(_("libellé"), max_length=120, blank=True, help_text=_("Pour un indicateur libre."))
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("réalisé"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["kind", "label", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "label", "year"], name="one_indicator_value_per_year")
        ]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label if self.kind == IndicatorKind.CUSTOM else self.get_kind_display()


def document_path(document, filename):
    return f"projects/{document.project_id}/{filename}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type de document"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(
        _("fichier"), upload_to=document_path, validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)]
    )
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    content_type = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title


class ProjectActivity(models.Model):
    """The project's dated log, written by the services: what people see as its story (full field-level
    history is kept separately by simple-history)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("type"), max_length=16, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    from_status = models.CharField(max_length=24, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ProjectStatus.choices, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d}"
