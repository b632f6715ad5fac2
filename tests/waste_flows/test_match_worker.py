"""A matching run goes through the real Redis broker to a real worker that writes to the same PostgreSQL."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from celery import Celery
from django.db import connection

from waste_flows.enums import Direction, RunScope, RunStatus, RunTrigger
from waste_flows.match_services import match_run_create
from waste_flows.matches import Match, MatchRun

from ..conftest import redis_url, restore_reference_data
from ..members.factories import MemberFactory, SiteFactory
from .factories import StreamFactory, material

PROJECT_DIR = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def worker_queue(transactional_db, tmp_path):
    """A worker on a queue of its own, reading the test database (data must be committed: transactional_db).

    The flush that ends a transactional test wipes the data migrations' reference data: tests/conftest.py
    runs transactional tests last, and an earlier one's flush is made up for here."""
    restore_reference_data()
    database = urlparse(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    queue = f"matching-test-{os.getpid()}-{time.time_ns()}"
    environment = {
        **os.environ,
        "DATABASE_URL": urlunparse(database),
        "CELERY_RESULT_BACKEND": os.environ.get("CELERY_RESULT_BACKEND") or redis_url().rsplit("/", 1)[0] + "/1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ptce",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--loglevel=warning",
        ],
        cwd=PROJECT_DIR,
        env=environment,
    )
    yield queue, environment["CELERY_RESULT_BACKEND"]
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_full_run_is_executed_by_a_real_worker_and_its_matches_saved(worker_queue):
    queue, backend = worker_queue
    offer = StreamFactory(site=SiteFactory(member=MemberFactory()))
    StreamFactory(
        site=SiteFactory(member=MemberFactory(), commune="Florange"),
        direction=Direction.NEED,
        material=material("wood.pallets"),
    )
    run = match_run_create(scope=RunScope.FULL, trigger=RunTrigger.BUTTON)
    client = Celery("test-client", broker=redis_url(), backend=backend, set_as_current=False)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])

    result = client.send_task("waste_flows.execute_match_run", kwargs={"run_id": run.pk}, queue=queue)

    assert result.get(timeout=90) == run.pk
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100
    assert Match.objects.filter(offer=offer).exists()
    assert MatchRun.objects.count() == 1
