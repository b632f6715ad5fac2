from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_reports_the_database_and_the_eager_broker(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "eager"}


def test_healthz_reports_a_broker_that_cannot_be_reached(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    with mock.patch("ptce.health.celery_app.connection_for_write", side_effect=ConnectionRefusedError):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == "down"


def test_healthz_is_not_cached(client, db):
    assert "no-cache" in client.get(reverse("healthz"))["Cache-Control"]
