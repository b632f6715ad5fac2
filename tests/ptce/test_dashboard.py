"""The coordinator dashboard page: who may open it, what it shows without JavaScript, where its charts and
map read their figures, what it costs in queries. The figures themselves are checked in test_stats.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.enums import ActivityKind, ProjectStatus
from projects.models import ProjectActivity
from ptce.stats.cache import bump_data_version
from waste_flows.enums import RunScope, RunTrigger
from waste_flows.matches import MatchRun
from waste_flows.models import Stream

from . import test_stats
from .test_stats import grow

pole = test_stats.pole  # the fixture of the small pole whose figures test_stats.py computes by hand

DASHBOARD_URL = "/tableau-de-bord/"
STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_dashboard_is_reserved_to_the_coordination(client, member, partner):
    for user in (member, partner):
        client.force_login(user)
        assert client.get(DASHBOARD_URL).status_code == 403


def test_the_home_page_of_coordinators_is_the_dashboard(coordinator_client, pole):
    response = coordinator_client.get(reverse("home"))

    assert response.status_code == 200
    assert "ptce/dashboard/coordinator.html" in [template.name for template in response.templates]


def test_kpis_show_the_figures_and_their_change_over_the_chosen_year(coordinator_client, pole):
    content = coordinator_client.get(DASHBOARD_URL, {"year": 2025}).content.decode()

    tonnes = _kpi(content, "tonnes_declared")
    assert '<dd class="kpi-value">115 <span class="kpi-unit">t/an</span>' in tonnes
    assert "+103" in tonnes and "(fin 2024 : 12)" in tonnes
    assert "+1" in _kpi(content, "active_members")
    assert '<dd class="kpi-value">7 <span class="kpi-unit">%</span>' in _kpi(content, "local_share")
    assert '<dd class="kpi-value">1\xa0200 <span class="kpi-unit">€/an</span>' in _kpi(content, "euros_saved")


def test_every_chart_has_its_numbers_in_a_table(coordinator_client, pole):
    content = coordinator_client.get(DASHBOARD_URL, {"year": 2025}).content.decode()

    # Sankey: family × route and route → receiving member; funnel; trends, with the figures of test_stats.
    assert re.search(r"Palettes|Bois", content)
    assert "Réemploi ou recyclage local" in content
    assert "Aciérie de Florange</a>" in content  # receives the pallets of the implemented match
    assert "Trop loin : 1" in content
    for year in ("2021", "2022", "2023", "2024", "2025"):
        assert f'<a href="?year={year}">{year}</a>' in content
    assert content.count("<canvas") == 4
    assert content.count("<table") >= 10


def test_charts_and_map_read_the_stats_api_with_the_chosen_year(coordinator_client, pole):
    content = coordinator_client.get(DASHBOARD_URL, {"year": 2024}).content.decode()

    for name in ("sankey", "funnel", "trends", "projects"):
        assert f'data-url="/api/v1/stats/{name}/?year=2024"' in content
    assert 'data-sites-url="/api/v1/stats/map/sites/"' in content
    assert 'data-query="year=2024"' in content


def test_without_a_tile_server_the_map_keeps_a_plain_background(coordinator_client, pole, settings):
    settings.MAP_TILE_URL = ""

    content = coordinator_client.get(DASHBOARD_URL).content.decode()

    assert 'data-tile-url=""' in content


def test_chart_and_map_libraries_are_served_by_the_platform_with_their_licences(coordinator_client, pole):
    content = coordinator_client.get(DASHBOARD_URL).content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', content)
    assert scripts == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/chartjs/chart.umd.min.js",
        "/static/vendor/chartjs-chart-sankey/chartjs-chart-sankey.min.js",
        "/static/js/dashboard.js",
    ]
    assert "cdn" not in content.lower()
    assert (STATIC / "vendor/chartjs/LICENSE.md").exists()
    assert (STATIC / "vendor/chartjs-chart-sankey/LICENSE").exists()
    assert "Chart.js v4.5.1" in (STATIC / "vendor/chartjs/chart.umd.min.js").read_text()[:200]
    assert (
        "chartjs-chart-sankey v0.19.1"
        in (STATIC / "vendor/chartjs-chart-sankey/chartjs-chart-sankey.min.js").read_text()[:200]
    )


def test_latest_activity_links_declarations_runs_matches_and_projects(coordinator_client, pole, coordinator):
    from waste_flows.match_lifecycle import match_transition

    run = MatchRun.objects.create(scope=RunScope.FULL, trigger=RunTrigger.BUTTON, matches_created=4)
    suggested = pole["matches"]["x4"]
    match_transition(actor=coordinator, match=suggested, status="reviewed")
    project = pole["projects"]["p2"]
    ProjectActivity.objects.create(project=project, kind=ActivityKind.STATUS, from_status=ProjectStatus.IDEA,
                                   to_status=ProjectStatus.FEASIBILITY)  # fmt: skip

    content = coordinator_client.get(DASHBOARD_URL).content.decode()

    assert f'href="/matches/runs/{run.pk}/"' in content
    assert f'href="/matches/{suggested.pk}/"' in content
    assert f'href="/projects/{project.pk}/"' in content
    assert f'href="/streams/{pole["streams"]["s6"].pk}/"' in content


def test_a_wrong_year_falls_back_to_the_current_one_and_says_why(coordinator_client, pole):
    response = coordinator_client.get(DASHBOARD_URL, {"year": "1066"})

    assert response.status_code == 200
    assert "Année invalide" in response.content.decode()


def count_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD_URL, {"year": 2025}).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_whatever_the_size_of_the_pole(coordinator_client, pole):
    small = count_page_queries(coordinator_client)
    grow(pole)

    assert count_page_queries(coordinator_client) == small
    assert small <= 45


def test_an_unchanged_pole_is_shown_again_without_computing_its_figures(coordinator_client, pole):
    first = count_page_queries(coordinator_client)

    # Only the session, the user and its permissions: the figures come from the statistics cache.
    assert count_page_queries(coordinator_client) <= 5 < first


def test_a_write_to_the_pole_changes_what_the_next_dashboard_shows(coordinator_client, pole):
    before = _kpi(coordinator_client.get(DASHBOARD_URL, {"year": 2025}).content.decode(), "streams_declared")
    grow(pole)  # members, sites, streams, yearly figures and matches, saved as the services save them

    after = _kpi(coordinator_client.get(DASHBOARD_URL, {"year": 2025}).content.decode(), "streams_declared")
    assert after != before


def test_a_bulk_write_shows_once_it_bumps_the_data_version(coordinator_client, pole):
    def tonnes():
        return _kpi(coordinator_client.get(DASHBOARD_URL, {"year": 2025}).content.decode(), "tonnes_declared")

    before = tonnes()
    Stream.objects.update(annual_quantity=F("annual_quantity") * 2)  # sends no signal, like raw SQL
    assert tonnes() == before

    bump_data_version()
    assert tonnes() != before


def test_the_latest_activity_follows_a_new_matching_run(coordinator_client, pole):
    coordinator_client.get(DASHBOARD_URL)
    MatchRun.objects.create(scope=RunScope.FULL, trigger=RunTrigger.SCHEDULE)

    assert "Recherche de synergies" in coordinator_client.get(DASHBOARD_URL).content.decode()


def _kpi(content: str, code: str) -> str:
    start = content.index(f'id="kpi-{code}"')
    return content[start : content.index("</div>", start)]
