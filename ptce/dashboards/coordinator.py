"""The coordinator dashboard (« Tableau de bord »): the home page of the pole's coordination.

Key figures of a year with their change, the map of the pole, the Sankey diagram of its flows, the funnel
of matches, trends and the latest activity. Figures come from `ptce.stats`; the charts and the map read
the same figures from `/api/v1/stats/`, so the page and what partners get never differ. Every chart has
its numbers in a table, so the page reads without JavaScript.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from members.views.helpers import require_coordinator
from ptce.stats.cache import cached_stats
from ptce.stats.filters import Period, StatsFilters, current_year, parse_filters

from .coordinator_selectors import coordinator_dashboard_data

YEARS_OFFERED = 6

# The API endpoints the page's charts and map read, by the name its JavaScript knows them by.
API_ENDPOINTS = ("summary", "sankey", "funnel", "trends", "projects", "map-sites", "map-matches", "map-pooling")


def coordinator_dashboard(request):
    require_coordinator(request.user)
    filters, errors = _year_filters(request.GET.get("year", ""))
    dashboard = dashboard_figures(user=request.user, filters=filters)
    this_year = current_year()
    context = {
        "dashboard": dashboard,
        "year": filters.period.year,
        "previous_year": filters.period.previous().year,
        "years": list(range(this_year, this_year - YEARS_OFFERED, -1)),
        "filter_errors": errors,
        "api_query": urlencode(api_query(filters)),
        "api_urls": {name.replace("-", "_"): reverse(f"api:stats-{name}") for name in API_ENDPOINTS},
        "kpi_groups": _kpi_groups(dashboard.kpis),
    }
    return render(request, "ptce/dashboard/coordinator.html", context)


def dashboard_figures(*, user, filters: StatsFilters):
    """The page's figures, from the statistics cache (computed on a miss). The warm-up after writes
    (`ptce.stats.warmup`) calls it too, so that it fills the very entry the page reads."""
    return cached_stats(
        "coordinator-dashboard",
        user=user,
        filters=filters,
        compute=lambda: coordinator_dashboard_data(user=user, filters=filters),
    )


def api_query(filters: StatsFilters) -> dict:
    """The query the page's charts and map send to the API (`API_ENDPOINTS`) for the figures of `filters`."""
    return {"year": filters.period.year}


def default_filters() -> StatsFilters:
    """What the page shows when no year is asked for: the current year."""
    return _year_filters("")[0]


def _year_filters(year: str) -> tuple[StatsFilters, list[str]]:
    """The page chooses a year; a wrong one falls back to the current year, with the reason shown."""
    try:
        return parse_filters({"year": year}), []
    except ValidationError as error:
        return StatsFilters(Period.of_year(current_year())), [str(message) for message in error.messages]


KPI_GROUPS = (
    ("members", ("active_members", "permanent_fte", "insertion_fte", "fees_collected", "fees_outstanding")),
    ("flows", ("streams_declared", "tonnes_declared", "local_share")),
    ("matches", ("opportunities_found", "matches_implemented", "tonnes_diverted", "co2e_avoided", "euros_saved")),
    ("projects", ("open_projects", "funding_secured")),
)


def _kpi_groups(kpis: list[dict]) -> list[dict]:
    """The KPI cards in four rows: the registry, the declared flows, the matches and their impact, projects."""
    by_code = {kpi["code"]: kpi for kpi in kpis}
    return [{"name": name, "kpis": [by_code[code] for code in codes]} for name, codes in KPI_GROUPS]
