"""The yearly report: a printable page and its PDF, for the pole's coordination only.

Partners get aggregates through the API, where the masking rules apply; this report names no member but its
breakdowns can count fewer than three organisations, so it stays with the coordination, who sends it on.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from members.views.helpers import require_coordinator

from .layout import report_sections, report_subtitle, report_title
from .pdf import render_report_pdf
from .selectors import FIRST_YEAR, pole_report, report_years


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def yearly_report_choose(request):
    """The year selector's target (a plain GET form, no script): the report of the chosen year, by default
    the last complete one."""
    require_coordinator(request.user)
    default = timezone.localdate().year - 1
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        year = default
    return redirect("yearly_report", year=_checked_year(year))


def yearly_report(request, year: int):
    require_coordinator(request.user)
    report = pole_report(year=_checked_year(year))
    context = {
        "report": report,
        "title": report_title(report),
        "subtitle": report_subtitle(report),
        "sections": report_sections(report),
        "years": report_years(),
    }
    return render(request, "ptce/reports/yearly.html", context)


def yearly_report_pdf(request, year: int):
    require_coordinator(request.user)
    report = pole_report(year=_checked_year(year))
    response = HttpResponse(render_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-annuel-{report.year}.pdf"'
    return response
