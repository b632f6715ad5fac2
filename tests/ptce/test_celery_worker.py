"""A task goes through the real Redis broker to a real worker process and its result comes back."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from ..conftest import redis_url

PROJECT_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.redis


@pytest.fixture
def broker_url():
    url = redis_url()
    assert url, "CELERY_BROKER_URL must point at Redis for this test"
    return url


@pytest.fixture
def result_backend_url(broker_url):
    # A separate Redis database for results, so the test never reads another test's queue.
    return os.environ.get("CELERY_RESULT_BACKEND") or broker_url.rsplit("/", 1)[0] + "/1"


@pytest.fixture
def worker(broker_url, result_backend_url, tmp_path):
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    environment = {
        **os.environ,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": result_backend_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "EMAIL_URL": "consolemail://",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ptce", "worker", "--pool=solo", "--queues", queue, "--loglevel=info"],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_task_makes_the_round_trip_through_redis_and_a_real_worker(worker, broker_url, result_backend_url):
    client = Celery("test-client", broker=broker_url, backend=result_backend_url, set_as_current=False)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])

    result = client.send_task(
        "members.send_email",
        kwargs={"subject": "Bienvenue", "body": "Bonjour", "to": ["membre@pole.test"]},
        queue=worker,
    )

    assert result.get(timeout=60) == 1
    assert result.successful()
