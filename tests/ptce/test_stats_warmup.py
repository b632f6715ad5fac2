"""The warm-up after writes: once a write is committed, a worker computes the coordinator dashboard for the
new data, so that the coordination's next view reads it from the cache (ptce/stats/warmup.py)."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from members.stats_version import stats_version, stats_version_bump
from ptce.stats import warmup
from ptce.tasks import warm_statistics

from . import test_stats
from .test_dashboard import DASHBOARD_URL

pole = test_stats.pole


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def count_default_page_queries(client) -> int:
    """Queries of the page as the coordination opens it: no year asked for, the current one shown."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD_URL).status_code == 200
    return len(queries)


@pytest.fixture
def worker_available(settings):
    """As in production: a shared cache, a broker and a worker (the task itself is not sent). The autouse
    `eager_celery` fixture restores eager execution afterwards."""
    settings.STATS_WARMUP = True
    warmup.current_app.conf.task_always_eager = False
    with mock.patch.object(warm_statistics, "apply_async") as sent:
        yield sent


def test_after_the_warm_up_the_dashboard_reads_its_figures_from_the_cache(coordinator_client, pole):
    stats_version_bump()  # the data just changed: nothing cached for this version yet

    assert warm_statistics() == 2  # French and English
    # Only the session, the user and its permissions: the figures were computed by the warm-up.
    assert count_default_page_queries(coordinator_client) <= 5


@pytest.mark.parametrize("language", ["fr", "en"])
def test_after_the_warm_up_the_charts_and_the_map_read_their_figures_from_the_cache(
    coordinator_client, pole, computed_answers, language
):
    stats_version_bump()
    warm_statistics()
    page = coordinator_client.get(DASHBOARD_URL)
    query = page.context["api_query"]

    for name, url in page.context["api_urls"].items():
        with CaptureQueriesContext(connection) as queries:
            answer = coordinator_client.get(f"{url}?{query}", headers={"Accept-Language": language})
        assert answer.status_code == 200, name
        read_data = [sql for sql in (q["sql"] for q in queries) if "waste_flows_" in sql or "projects_" in sql]
        assert read_data == [], name  # the figures were in the cache: only the session and the user were read


def test_the_warm_up_fills_the_english_page_too(coordinator_client, pole):
    stats_version_bump()
    warm_statistics()
    coordinator_client.cookies["django_language"] = "en"

    assert count_default_page_queries(coordinator_client) <= 5
    warmed = coordinator_client.get(DASHBOARD_URL).context["dashboard"]
    stats_version_bump()
    assert coordinator_client.get(DASHBOARD_URL).context["dashboard"] == warmed  # computed in English


def test_the_warmed_page_shows_the_same_figures_as_a_computed_one(coordinator_client, pole):
    stats_version_bump()
    computed = coordinator_client.get(DASHBOARD_URL).context["dashboard"]

    stats_version_bump()
    warm_statistics()
    assert coordinator_client.get(DASHBOARD_URL).context["dashboard"] == computed


def test_without_a_coordinator_there_is_nothing_to_warm(db):
    assert warm_statistics() == 0


def test_a_committed_write_schedules_one_warm_up_for_a_burst_of_writes(
    worker_available, django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()
        stats_version_bump()
    # A new write while the first warm-up is pending adds none.
    with django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()

    worker_available.assert_called_once_with(countdown=warmup.DELAY)


def test_a_write_after_the_warm_up_started_schedules_the_next_one(
    worker_available, django_capture_on_commit_callbacks, coordinator
):
    with django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()
    warm_statistics()  # the worker runs the pending warm-up
    with django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()

    assert worker_available.call_count == 2


def test_a_rolled_back_write_schedules_nothing(worker_available, django_capture_on_commit_callbacks, db):
    version = stats_version()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        stats_version_bump()
        raise RuntimeError("the write fails")

    worker_available.assert_not_called()
    assert stats_version() != version  # the version still moved: a cache entry may hold the failed data


def test_nothing_is_scheduled_without_a_worker(settings, django_capture_on_commit_callbacks, db):
    # Embedded default and tests: eager Celery, a task would only make the writer wait.
    settings.STATS_WARMUP = True
    with mock.patch.object(warm_statistics, "apply_async") as sent, django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()
    sent.assert_not_called()


def test_nothing_is_scheduled_when_the_cache_is_not_shared(
    worker_available, settings, django_capture_on_commit_callbacks, db
):
    settings.STATS_WARMUP = False
    with django_capture_on_commit_callbacks(execute=True):
        stats_version_bump()
    worker_available.assert_not_called()
