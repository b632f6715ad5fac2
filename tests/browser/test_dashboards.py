"""The two home pages in a real browser, on the demo pole: the coordinator's dashboard (KPIs, charts, map)
shows the same figures as the stats API partners read, and a member's dashboard lists its next actions."""

import pytest
from django.core.management import call_command

from members.models import User

from ..members.factories import DEFAULT_PASSWORD
from .conftest import expect

pytestmark = pytest.mark.browser

CHARTS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll("canvas[data-chart]")];
  return canvases.length > 0 && canvases.every((canvas) => window.Chart && Chart.getChart(canvas));
}"""


@pytest.fixture
def demo_pole():
    call_command("seed_demo", verbosity=0)


def _demo_user(email: str) -> User:
    user = User.objects.get(email=email)
    user.set_password(DEFAULT_PASSWORD)
    user.save()
    return user


def test_the_coordinator_dashboard_shows_the_apis_kpis_its_charts_and_its_map(logged_in_page, demo_pole):
    visit = logged_in_page(_demo_user("coordination@demo-ptce.fr"))
    page = visit.page

    summary = page.request.get(visit.base_url + "/api/v1/stats/summary/").json()
    figures = {kpi["code"]: kpi["value"] for kpi in summary["kpis"]}
    for code in ("active_members", "streams_declared", "open_projects"):
        assert figures[code], code  # the demo pole has members, streams and projects
        expect(page.locator(f"#kpi-{code} .kpi-value")).to_contain_text(f"{figures[code]:.0f}")
    page.wait_for_function(CHARTS_DRAWN, timeout=15_000)
    # One marker per located site of the demo pole (77 sites); some may lie outside the first view.
    markers = "[data-dashboard-map] .leaflet-overlay-pane path.leaflet-interactive"
    page.wait_for_function(f"() => document.querySelectorAll({markers!r}).length >= 50", timeout=15_000)
    expect(page.locator("[data-dashboard-map]")).to_be_visible()
    visit.screenshot("coordinator-dashboard")
    visit.assert_no_problems()


def test_a_member_dashboard_lists_its_next_actions_and_its_own_streams(logged_in_page, demo_pole):
    member = _demo_user("recyclerie@demo-ptce.fr")
    visit = logged_in_page(member)
    page = visit.page

    expect(page.locator(".next-actions")).to_be_visible()
    expect(page.locator("#declarations")).to_be_visible()
    expect(page.locator("main")).to_contain_text(member.member.name)
    visit.screenshot("member-dashboard")
    visit.assert_no_problems()
