"""The dashboard's longest query on a second connection (ptce.stats.background): beside the request on
PostgreSQL outside a transaction, in place everywhere else, with the same data and language either way."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import translation

from members.models import User
from ptce.stats.background import in_background

from ..members.factories import UserFactory


def where_and_what() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather" if connection.vendor == "postgresql" else "SELECT 1")
        setting = cursor.fetchone()[0]
    return {
        "thread": threading.current_thread(),
        "connection": connections["default"],  # this thread's own
        "users": User.objects.count(),
        "language": translation.get_language(),
        "parallel_workers": setting,
    }


def test_inside_a_transaction_it_runs_in_place(db):
    UserFactory()  # not committed: only this connection sees it

    seen = in_background(where_and_what).result()

    assert seen["thread"] is threading.current_thread()
    assert seen["connection"] is connections["default"]
    assert seen["users"] == 1


# `transactional_db` (rather than the marker) puts these tests with the other transactional ones, last
# (tests/conftest.py): the flush that ends them wipes the data migrations' rows.
@pytest.mark.postgres
def test_outside_a_transaction_it_runs_on_its_own_connection_with_the_same_data_and_language(transactional_db):
    UserFactory.create_batch(2)

    with translation.override("en"):
        seen = in_background(where_and_what).result()

    assert seen["thread"] is not threading.current_thread()
    assert seen["connection"] is not connections["default"]
    assert seen["users"] == 2  # committed rows, as the request sees them
    assert seen["language"] == "en"
    assert seen["parallel_workers"] == "0"  # the scan leaves the other core to the page
    with transaction.atomic():
        assert in_background(where_and_what).result()["thread"] is threading.current_thread()


@pytest.mark.postgres
def test_an_error_in_the_background_reaches_the_request(transactional_db):
    def failing():
        raise ValueError("the scan failed")

    with pytest.raises(ValueError, match="the scan failed"):
        in_background(failing).result()
