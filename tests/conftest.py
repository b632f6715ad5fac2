"""Fixtures shared by every test: the roles, and the rules for tests that need real services.

Tests marked `redis` or `postgres` need those servers. On a bare laptop they are skipped; when the
CI variable is set they always run, so a missing service fails the build instead of hiding it.
"""

import os
import socket
from importlib import import_module
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from members.api import speculation
from members.enums import MemberRole
from ptce.celery import app as celery_app
from ptce.stats.background import close_background_connection
from waste_flows.matches import EmissionFactor
from waste_flows.models import EwcCode
from waste_flows.reference_sync import sync_reference_data

from .members.factories import MemberFactory, SiteFactory, UserFactory

RUNNING_IN_CI = bool(os.environ.get("CI"))


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def redis_url() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Transactional tests (a real worker reading committed data) end with a flush that wipes what the data
    # migrations loaded (groups, waste codes…). They run last, after every other test, including tests
    # that reach the database through request.getfixturevalue, which pytest-django cannot see.
    items.sort(key=lambda item: "transactional_db" in getattr(item, "fixturenames", ()))
    if RUNNING_IN_CI:
        return
    using_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    have_redis = redis_url() is not None and _reachable(redis_url(), 6379)
    for item in items:
        if "redis" in item.keywords and not have_redis:
            item.add_marker(pytest.mark.skip(reason="needs CELERY_BROKER_URL=redis://… reachable (always run in CI)"))
        if "postgres" in item.keywords and not using_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://… (always run in CI)"))


def restore_reference_data() -> None:
    """The data migrations' rows (role groups, EWC codes, materials, units, emission factors), loaded again if
    a transactional test's flush removed them: transactional tests need them too, and serialized rollback
    restores nothing when the test database was created without being serialised (a full run in CI)."""
    if not Group.objects.exists():
        import_module("members.migrations.0002_role_groups").create_role_groups(apps, None)
    if not EwcCode.objects.exists():
        sync_reference_data(apps)
    if not EmissionFactor.objects.exists():
        import_module("waste_flows.migrations.0005_emission_factors").load_factors(apps, None)


@pytest.fixture(scope="session", autouse=True)
def background_connection_closed(django_db_setup, django_db_blocker):
    """The dashboards' background connection (ptce.stats.background), opened by transactional tests and the
    browser tests' live server, is closed before the test database is dropped."""
    yield
    close_background_connection()


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process in tests, even when CI points the settings at Redis; the tests that need
    a real worker start one and talk to it through their own client."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_cache():
    """API rate limits count in the cache, and SQLite reuses user ids from one test to the next: without a
    clear cache, a later test could inherit an earlier test's requests and be throttled."""
    cache.clear()
    speculation.forget_all()  # what each key read last, in this process: guesses are per test too
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def caches_on(settings):
    """The statistics' and the API answers' caches as in production (a cache every process shares): the tests
    run in one process, where the local-memory cache is shared by every request."""
    settings.STATS_CACHE_TIMEOUT = 300
    settings.API_CACHE_TIMEOUT = 300


@pytest.fixture
def computed_answers(settings):
    """The API's cache of answers off (members.api.answer_cache): query counts are those of an answer computed
    from the database, not of a repeated request served from the cache."""
    settings.API_CACHE_TIMEOUT = 0


@pytest.fixture(autouse=True)
def french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True, email="coordination@pole.test")


@pytest.fixture
def partner(db):
    return UserFactory(partner=True, email="ademe@partenaire.test")


@pytest.fixture
def plain_user(db):
    return UserFactory(email="personne@pole.test")


@pytest.fixture
def member_org(db):
    """The organisation of the `member` fixture, with its main site."""
    organisation = MemberFactory(name="Recyclerie du Val de Fensch", siren="732829320")
    SiteFactory(member=organisation, commune="Hayange")
    return organisation


@pytest.fixture
def member(member_org):
    """An administrator of a member organisation."""
    return UserFactory(email="admin@recyclerie.test", member=member_org, member_role=MemberRole.ADMIN)


@pytest.fixture
def member_viewer(member_org):
    return UserFactory(email="lecteur@recyclerie.test", member=member_org, member_role=MemberRole.VIEWER)


@pytest.fixture
def other_member_org(db):
    organisation = MemberFactory(name="Aciérie de Florange")
    SiteFactory(member=organisation, commune="Florange")
    return organisation


@pytest.fixture
def other_member(other_member_org):
    return UserFactory(email="admin@acierie.test", member=other_member_org, member_role=MemberRole.ADMIN)
