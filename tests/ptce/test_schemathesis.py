"""The API against its own OpenAPI schema, with schemathesis, and every documented status code reached.

Schemathesis reads the live schema (`/api/v1/schema/`, served by the app itself) and, for every operation,
sends requests generated from it, valid and invalid ones, straight to the WSGI application in this process
(no server, no network). Every answer must pass the checks in `CHECKS`: no 5xx, a documented status code and
content type, a body that conforms to the documented schema, and the documented headers.

The demo pole (`seed_demo`) is loaded once for the module in a transaction rolled back at the end; each
operation's test runs in a savepoint of its own, so that the writes of one do not change what the next sees.
Callers: a partner's key with every read scope (GET operations), and a member admin's key with every scope,
`streams:write` included (every operation: its writes elsewhere are refused with a documented 403).

`test_every_documented_status_code_is_reachable` then makes sure the schema documents no status that cannot
happen: each (operation, status) is produced by a cell of the permission matrix or by a request made here.
The examples of the guide (docs/api.md) run here too, with the partner's key, so that the guide never lies.
"""

import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from members.api_key_services import api_key_issue
from members.enums import ApiScope
from members.models import User
from ptce.wsgi import application

from .test_permission_matrix import MATRIX, endpoint, rolled_back_for_the_module

SCHEMA_URL = "/api/v1/schema/?format=json"
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Fixed seed: CI finds the same cases on every run, and a failure can be replayed.
CONFIG = schemathesis.Config.from_dict(
    {"seed": 20260115, "generation": {"mode": "all", "with-security-parameters": False}}
)
# Budget: the module takes about 2.5 minutes on two shared cores (SQLite), seeding included.
FUZZING = settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
UNLIMITED = {"api_key": None, "api_user": None}

schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application, config=CONFIG)
reads = schema.include(method="GET")
RAW_SCHEMA = json.loads(schema.raw_schema) if isinstance(schema.raw_schema, str) else schema.raw_schema


@pytest.fixture(scope="module")
def demo_keys(django_db_setup, django_db_blocker):
    """The demo pole, a partner's key with every read scope and a member admin's key with every scope."""
    with rolled_back_for_the_module(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        coordinator = User.objects.get(email="coordination@demo-ptce.fr")
        partner = User.objects.get(email="ademe@demo-ptce.fr")
        member = User.objects.get(email="recyclerie@demo-ptce.fr")
        reading = [scope for scope in ApiScope.values if scope != ApiScope.STREAMS_WRITE]
        yield {
            "partner": api_key_issue(issued_by=coordinator, user=partner, name="Observatoire", scopes=reading)[1],
            "member": api_key_issue(issued_by=member, user=member, name="ERP", scopes=list(ApiScope.values))[1],
        }


@pytest.fixture
def in_process(demo_keys, db, settings):
    """Requests reach the app in this thread, on the test's connection: Django must not close it between
    requests (its test client disconnects the same signal), the host must be accepted, and the rate limits
    are lifted so that the hundreds of generated requests are all answered for real."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNLIMITED}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield demo_keys
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@reads.parametrize()
@FUZZING
def test_a_partner_key_gets_documented_answers_only(case, in_process):
    case.call_and_validate(headers=bearer(in_process["partner"]), checks=CHECKS)


@schema.parametrize()
@FUZZING
def test_a_member_key_gets_documented_answers_only(case, in_process):
    case.call_and_validate(headers=bearer(in_process["member"]), checks=CHECKS)


# --- Every documented status code is reachable ------------------------------------------------------------


def documented() -> set[tuple[str, str, str]]:
    """(method, path, status) of every response the schema documents."""
    return {
        (method, path, status)
        for path, operations in RAW_SCHEMA["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
        for status in operation["responses"]
    }


def url_name_of(path: str) -> str:
    """The URL name of a schema path (`/api/v1/members/{id}/` → `member-detail`), through the URL resolver."""
    return resolve(re.sub(r"{[^}]+}", "1", path)).url_name


def proven_by_the_matrix() -> set[tuple[str, str, str]]:
    """(method, URL name, status) that a cell of the permission matrix asserts."""
    return {
        (endpoint(basename, action)[0], endpoint(basename, action)[1], str(status))
        for (basename, action), statuses in MATRIX.items()
        for status in statuses
    }


class Probe:
    """Requests that produce the statuses the matrix does not: a bad key (401), a missing object or page (404),
    an invalid body or filter (400), a body that is not JSON (415), a rate limit of one request (429) and
    a repeated GET with its ETag (304). They run as the coordinator, who may reach every operation."""

    def __init__(self, coordinator, settings):
        self.client = Client()
        self.client.force_login(coordinator)
        self.settings = settings

    def status(self, method: str, path: str, status: str) -> bool:
        attempt = getattr(self, f"attempt_{status}", None)
        return attempt is not None and int(status) in list(attempt(method, path))

    def send(self, method, url, body=None, client=None, **extra):
        send = getattr(client or self.client, method)
        if body is None:
            return send(url, **extra).status_code
        return send(url, body, content_type=extra.pop("content_type", "application/json"), **extra).status_code

    def attempt_401(self, method, path):
        yield self.send(method, self.existing(path), client=Client(HTTP_AUTHORIZATION="Bearer ptce_unknown"))

    def attempt_404(self, method, path):
        if "{" in path:
            yield self.send(method, re.sub(r"{[^}]+}", "999999", path), body={} if method != "get" else None)
        yield self.send(method, f"{path}?page=9999")
        yield self.send(method, f"{path}?format=nope")

    def attempt_400(self, method, path):
        if method != "get":
            yield self.send(method, self.existing(path), body=[])
            return
        for name, wrong in self.wrong_query_values(method, path):
            yield self.send(method, path, data={name: wrong})

    def attempt_415(self, method, path):
        yield self.send(method, self.existing(path), body="name=x", content_type="text/plain")

    def attempt_429(self, method, path):
        self.settings.REST_FRAMEWORK = {
            **self.settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api_key": "1/hour", "api_user": "1/hour"},
        }
        url, body = self.existing(path), [] if method != "get" else None
        try:
            statuses = [self.send(method, url, body=body) for _ in range(2)]
        finally:
            self.settings.REST_FRAMEWORK = {**self.settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNLIMITED}
            cache.clear()
        yield from statuses

    def attempt_304(self, method, path):
        url = self.existing(path)
        etag = self.client.get(url).get("ETag")
        yield self.send(method, url, HTTP_IF_NONE_MATCH=etag or "none")

    def existing(self, path: str) -> str:
        """The path with its parameter set to an object of the demo pole (the first of the list)."""
        match = re.search(r"{([^}]+)}", path)
        if not match:
            return path
        listing = self.client.get(path[: match.start()]).json()
        rows = listing["results"] if isinstance(listing, dict) else listing
        return path.replace(match.group(0), str(rows[0][match.group(1)]).replace(" ", "%20"))

    def wrong_query_values(self, method, path):
        for parameter in RAW_SCHEMA["paths"][path][method].get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in ("page", "page_size", "format"):
                yield parameter["name"], "not-a-valid-value-9"


def test_every_documented_status_code_is_reachable(in_process, settings):
    matrix = proven_by_the_matrix()
    probe = Probe(User.objects.get(email="coordination@demo-ptce.fr"), settings)
    unreachable = sorted(
        (method, path, status)
        for method, path, status in documented()
        if (method, url_name_of(path), status) not in matrix and not probe.status(method, path, status)
    )

    assert not unreachable, f"documented but never produced: {unreachable}"


# --- The guide's examples ---------------------------------------------------------------------------------


class GuideSession:
    """What the guide's Python examples use of `requests.Session`, answered in-process by Django's test client."""

    def __init__(self):
        self.headers = {}
        self.client = Client()

    def get(self, url, params=None, timeout=None):
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = self.client.get(path, params or {}, HTTP_AUTHORIZATION=self.headers["Authorization"])
        assert response.status_code == 200, (url, params, response.content[:300])
        response.raise_for_status = lambda: None
        return response


def guide_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)


def test_every_curl_example_of_the_guide_answers(in_process):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {in_process['partner']}")
    paths = [path for block in guide_blocks("sh") for path in re.findall(r'"\$PTCE_URL(/api/v1/[^"]*)"', block)]

    answers = {path: client.get(path).status_code for path in paths}

    assert len(paths) >= 6
    assert answers == dict.fromkeys(paths, 200)


def test_the_python_examples_of_the_guide_run(in_process, monkeypatch, capsys):
    monkeypatch.setenv("PTCE_URL", "http://testserver")
    monkeypatch.setenv("PTCE_KEY", in_process["partner"])
    monkeypatch.setattr(requests, "Session", GuideSession)
    namespace = {}

    for block in guide_blocks("python"):
        exec(block, namespace)  # noqa: S102 (our own documentation)

    printed = capsys.readouterr().out
    assert "Palettes" in printed and "matches," in printed  # a wood offer of the demo pole, and the impact
