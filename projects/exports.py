"""Export of the project list (coordinator): the filtered list as CSV or XLSX, one row per project with
its budget and funding figures, and a last row of totals.

The cells go through members.exports (`csv_bytes`, `xlsx_bytes`), which neutralise formulas: a project
titled `=HYPERLINK(...)` stays text in Excel and LibreOffice."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from members.exports import CENT, Sheet, csv_bytes, xlsx_bytes

FIGURES = ("budget_total", "funding_requested", "funding_granted", "funding_received", "funding_gap")


def project_export_headers() -> list[str]:
    return [
        _("Intitulé"), _("Type de projet"), _("Statut"), _("Structure porteuse"), _("Visibilité"), _("Lieu"),
        _("Date de début"), _("Date de fin"), _("Budget (€)"), _("Financement demandé (€)"),
        _("Financement accordé (€)"), _("Financement perçu (€)"), _("Reste à financer (€)"), _("Jalon en retard"),
    ]  # fmt: skip


def project_export_rows(projects) -> Iterable[list]:
    """One row per project, then the totals of the money columns. `projects` comes from
    `selectors.project_list` (totals and the overdue flag annotated, lead member and site joined)."""
    totals = dict.fromkeys(FIGURES, Decimal("0"))
    for project in projects:
        figures = [Decimal(getattr(project, name) or 0).quantize(CENT) for name in FIGURES]
        for name, value in zip(FIGURES, figures, strict=True):
            totals[name] += value
        yield [
            project.title, project.get_kind_display(), project.get_status_display(), project.lead_member.name,
            project.get_visibility_display(), project.location_label, project.start_date, project.end_date,
            *figures, project.has_overdue_milestone,
        ]  # fmt: skip
    yield [_("Total"), "", "", "", "", "", None, None, *(totals[name] for name in FIGURES), None]


def project_export_csv(*, queryset) -> bytes:
    return csv_bytes(headers=project_export_headers(), rows=project_export_rows(queryset))


def project_export_xlsx(*, queryset) -> bytes:
    widths = (40, 28, 22, 32, 24, 28, 12, 12, 14, 14, 14, 14, 14, 10)
    sheet = Sheet(_("Projets"), project_export_headers(), project_export_rows(queryset), widths)
    return xlsx_bytes(sheets=[sheet])
