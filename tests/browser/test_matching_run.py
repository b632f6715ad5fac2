"""A matching run in a real browser: the coordinator starts it from the match board, the page polls its progress
(htmx, every second) while a worker runs it, the bar completes, the polling stops, the match is on the board."""

import pytest
from django.urls import reverse

from waste_flows.enums import Direction, RunStatus
from waste_flows.matches import MatchRun
from waste_flows.tasks import execute_match_run

from ..waste_flows.factories import StreamFactory
from .conftest import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def held_runs(monkeypatch):
    """The worker of these tests: a started run waits in this list until the test runs it, so that the page is
    seen waiting first (Celery is eager in tests and would finish the run within the button's request)."""
    held = []
    monkeypatch.setattr(execute_match_run, "delay_on_commit", lambda **kwargs: held.append(kwargs))
    return held


@pytest.fixture
def matching_streams(member_org, other_member_org):
    StreamFactory(site=other_member_org.sites.get())  # pallets on offer in Florange
    StreamFactory(site=member_org.sites.get(), direction=Direction.NEED)  # pallets needed in Hayange


def test_coordinator_starts_a_run_and_watches_its_progress_bar_complete(
    logged_in_page, coordinator, matching_streams, held_runs
):
    visit = logged_in_page(coordinator)
    page = visit.open(reverse("waste_flows:match_board"))
    polls = []
    page.on("request", lambda request: "/progress/" in request.url and polls.append(request.url))

    with page.expect_navigation():
        page.get_by_role("button", name="Lancer une recherche").click()
    expect(page.locator(".messages")).to_contain_text("La recherche de synergies est lancée.")
    progress = page.locator("#run-progress progress")
    expect(progress).to_have_attribute("value", "0")
    with page.expect_response(lambda response: "/progress/" in response.url):
        pass  # the page asks for news while the run waits
    visit.screenshot("run-waiting")

    [task] = held_runs
    execute_match_run.delay(**task)

    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("#run-progress")).to_contain_text("Terminée")
    expect(page.locator("#run-progress[hx-get]")).to_have_count(0)
    visit.screenshot("run-finished")
    run = MatchRun.objects.get(pk=task["run_id"])
    assert (run.status, run.matches_created) == (RunStatus.SUCCEEDED, 1)
    polls_when_finished = len(polls)
    assert polls_when_finished >= 2  # one while waiting, one that brought the finished bar
    page.wait_for_timeout(2500)
    assert len(polls) == polls_when_finished, "the page kept polling a finished run"

    with page.expect_navigation():
        page.get_by_role("link", name="Voir les mises en relation").click()
    expect(page.locator("#results-title")).to_have_text("1 mise en relation")
    expect(page.locator("tbody")).to_contain_text("Palettes")
    visit.screenshot("match-board")
    visit.assert_no_problems()
