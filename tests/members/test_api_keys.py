"""API keys: who issues them, how they authenticate, what their scopes open, and the rate limits."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from members.api_key_services import api_key_issue, api_key_revoke
from members.api_keys import ApiKey
from members.enums import ApiScope
from waste_flows.enums import Confidentiality, Direction, Route
from waste_flows.models import Stream

from ..waste_flows.factories import StreamFactory

ALL_READ = [scope for scope in ApiScope.values if scope != ApiScope.STREAMS_WRITE]
STREAMS = "/api/v1/streams/"


def issue(issued_by, user, scopes=ALL_READ, **kwargs):
    return api_key_issue(issued_by=issued_by, user=user, name="Outil de suivi", scopes=list(scopes), **kwargs)


def bearer(plaintext: str) -> dict:
    return {"Authorization": f"Bearer {plaintext}"}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def partner_key(coordinator, partner):
    return issue(coordinator, partner)


@pytest.fixture
def streams(member_org, other_member_org):
    site, other_site = member_org.sites.get(), other_member_org.sites.get()
    return {
        "public": StreamFactory(site=site, confidentiality=Confidentiality.PUBLIC),
        "members": StreamFactory(site=site, confidentiality=Confidentiality.MEMBERS),
        "coordinator": StreamFactory(site=site, confidentiality=Confidentiality.COORDINATOR),
        "other_public": StreamFactory(site=other_site, confidentiality=Confidentiality.PUBLIC),
        "other_members": StreamFactory(site=other_site, confidentiality=Confidentiality.MEMBERS),
        "other_coordinator": StreamFactory(site=other_site, confidentiality=Confidentiality.COORDINATOR),
    }


@pytest.fixture
def declaration(member_org):
    return {
        "site": member_org.sites.get().pk,
        "direction": Direction.OFFER,
        "kind": "waste",
        "material": "wood.pallets",
        "ewc_code": "15 01 03",
        "description": "Palettes cassées",
        "quantity": "1.5",
        "unit": "t",
        "period": "month",
        "current_route": Route.LANDFILL,
        "current_route_cost": "1800.00",
        "confidentiality": Confidentiality.MEMBERS,
    }


# --- Issuing and revoking --------------------------------------------------------------------------------


def test_issuing_a_key_stores_only_its_hash_and_returns_the_plaintext_once(coordinator, partner):
    key, plaintext = issue(coordinator, partner)

    key.refresh_from_db()
    assert plaintext.startswith("ptce_") and len(plaintext) > 40
    assert key.secret_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert key.prefix == plaintext[5:13]
    stored = [str(value) for value in ApiKey.objects.filter(pk=key.pk).values().get().values()]
    assert plaintext not in stored


def test_two_keys_never_share_a_secret(coordinator, partner):
    (_, first), (_, second) = issue(coordinator, partner), issue(coordinator, partner)

    assert first != second


def test_coordinator_issues_read_only_keys_to_partners(coordinator, partner):
    key, _ = issue(coordinator, partner, [ApiScope.DIRECTORY_READ, ApiScope.STATS_READ])

    assert key.user == partner and key.member is None and key.created_by == coordinator
    assert key.scopes == ["directory:read", "stats:read"]


def test_issuing_and_revoking_are_recorded_in_the_history_with_who_did_it(coordinator, partner):
    key, _ = issue(coordinator, partner)
    api_key_revoke(key=key, by=coordinator)

    assert [record.history_user for record in key.history.order_by("history_id")] == [coordinator, coordinator]


def test_a_partner_key_can_never_write(coordinator, partner):
    with pytest.raises(ValidationError) as refusal:
        issue(coordinator, partner, [ApiScope.STREAMS_READ, ApiScope.STREAMS_WRITE])

    assert "scopes" in refusal.value.message_dict


def test_coordinator_does_not_issue_keys_to_member_users(coordinator, member):
    with pytest.raises(ValidationError) as refusal:
        issue(coordinator, member)

    assert "user" in refusal.value.message_dict


def test_member_admin_issues_a_key_owned_by_its_organisation(member, member_org):
    key, _ = issue(member, member, [ApiScope.STREAMS_READ, ApiScope.STREAMS_WRITE])

    assert key.member == member_org and key.user == member


def test_member_admin_cannot_issue_a_key_for_another_organisation(member, other_member):
    with pytest.raises(PermissionDenied):
        issue(member, other_member)


def test_member_viewer_cannot_issue_keys(member_viewer):
    with pytest.raises(PermissionDenied):
        issue(member_viewer, member_viewer)


def test_partner_cannot_issue_keys(partner):
    with pytest.raises(PermissionDenied):
        issue(partner, partner)


def test_a_key_acting_as_a_viewer_cannot_get_the_write_scope(member, member_viewer):
    with pytest.raises(ValidationError) as refusal:
        issue(member, member_viewer, [ApiScope.STREAMS_WRITE])

    assert "scopes" in refusal.value.message_dict


@pytest.mark.parametrize("scopes", [[], ["streams:delete"]], ids=["none", "unknown"])
def test_a_key_needs_known_scopes(coordinator, partner, scopes):
    with pytest.raises(ValidationError) as refusal:
        issue(coordinator, partner, scopes)

    assert "scopes" in refusal.value.message_dict


def test_a_key_cannot_be_issued_already_expired(coordinator, partner):
    with pytest.raises(ValidationError) as refusal:
        issue(coordinator, partner, expires_at=timezone.now() - timedelta(minutes=1))

    assert "expires_at" in refusal.value.message_dict


def test_member_admin_cannot_revoke_another_organisations_key(member, other_member):
    key, _ = issue(other_member, other_member)

    with pytest.raises(PermissionDenied):
        api_key_revoke(key=key, by=member)


def test_a_key_is_revoked_only_once(coordinator, partner_key):
    key, _ = partner_key
    api_key_revoke(key=key, by=coordinator)

    with pytest.raises(ValidationError):
        api_key_revoke(key=key, by=coordinator)


# --- Authenticating with a key ---------------------------------------------------------------------------


def test_a_partner_key_reads_what_its_partner_sees_and_nothing_more(client, partner_key, streams):
    _, plaintext = partner_key

    response = client.get(STREAMS, headers=bearer(plaintext))

    assert response.status_code == 200
    assert ids(response) == {streams["public"].pk, streams["other_public"].pk}


def test_a_member_key_reads_with_its_users_rights(client, member, streams):
    _, plaintext = issue(member, member, [ApiScope.STREAMS_READ])

    response = client.get(STREAMS, headers=bearer(plaintext))

    assert ids(response) == {stream.pk for name, stream in streams.items() if name != "other_coordinator"}


def test_an_unknown_key_is_refused_with_401_and_a_bearer_challenge(client, db):
    response = client.get(STREAMS, headers=bearer("ptce_not-a-key"))

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_key"
    assert response.json()["detail"] == "Clé d'API inconnue ou mal formée."
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words", "bearer"])
def test_a_malformed_bearer_header_is_refused(client, db, header):
    response = client.get(STREAMS, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_key"


def test_an_expired_key_is_refused(client, partner_key):
    key, plaintext = partner_key
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.get(STREAMS, headers=bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["code"] == "expired_key"


def test_a_revoked_key_is_refused(client, coordinator, partner_key):
    key, plaintext = partner_key
    api_key_revoke(key=key, by=coordinator)

    response = client.get(STREAMS, headers=bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["code"] == "revoked_key"


def test_the_key_of_a_deactivated_account_is_refused(client, partner, partner_key):
    _, plaintext = partner_key
    partner.is_active = False
    partner.save()

    assert client.get(STREAMS, headers=bearer(plaintext)).json()["code"] == "invalid_key"


def test_a_member_key_stops_working_when_its_user_leaves_the_organisation(client, member, other_member_org):
    _, plaintext = issue(member, member)
    member.member = other_member_org
    member.save()

    assert client.get(STREAMS, headers=bearer(plaintext)).json()["code"] == "invalid_key"


def test_the_last_use_is_written_at_most_once_a_minute(client, partner_key, streams, monkeypatch):
    key, plaintext = partner_key
    client.get(STREAMS, headers=bearer(plaintext))
    first_use = ApiKey.objects.get(pk=key.pk).last_used_at
    assert first_use is not None

    client.get(STREAMS, headers=bearer(plaintext))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first_use

    two_minutes_later = first_use + timedelta(minutes=2)
    monkeypatch.setattr("members.api_key_services.timezone.now", lambda: two_minutes_later)
    client.get(STREAMS, headers=bearer(plaintext))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == two_minutes_later

    # The key kept in the cache (members.api.key_cache) was stamped too: the next request writes nothing.
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first_use)
    client.get(STREAMS, headers=bearer(plaintext))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first_use


def test_requests_without_a_key_still_get_the_json_403(client, db):
    response = client.get(STREAMS)

    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"
    assert not response.has_header("WWW-Authenticate")


# --- Scopes ------------------------------------------------------------------------------------------------

SCOPED_ENDPOINTS = [
    ("/api/v1/members/", ApiScope.DIRECTORY_READ),
    ("/api/v1/sites/", ApiScope.DIRECTORY_READ),
    ("/api/v1/streams/", ApiScope.STREAMS_READ),
    ("/api/v1/matches/", ApiScope.MATCHES_READ),
    ("/api/v1/channels/", ApiScope.MATCHES_READ),
]


@pytest.mark.parametrize(("url", "scope"), SCOPED_ENDPOINTS)
def test_a_key_reads_an_endpoint_only_with_its_scope(client, member, url, scope):
    _, with_scope = issue(member, member, [scope])
    _, without = issue(member, member, [s for s in ALL_READ if s != scope])

    refused = client.get(url, headers=bearer(without))

    assert client.get(url, headers=bearer(with_scope)).status_code == 200
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    assert scope in refused.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/ewc-codes/", "/api/v1/materials/", "/api/v1/units/"])
def test_reference_data_is_open_to_any_valid_key(client, coordinator, partner, url):
    _, plaintext = issue(coordinator, partner, [ApiScope.PROJECTS_READ])

    assert client.get(url, headers=bearer(plaintext)).status_code == 200


def test_the_scope_never_widens_the_users_rights(client, coordinator, partner):
    _, plaintext = issue(coordinator, partner, [ApiScope.STATS_READ])

    response = client.get("/api/v1/inventory/", headers=bearer(plaintext))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_endpoint_that_declares_no_scope_refuses_keys(partner_key):
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Undeclared(APIView):  # a new endpoint that forgot `required_scopes`
        def get(self, request):
            return Response({"secret": True})

    _, plaintext = partner_key
    request = APIRequestFactory().get("/api/v1/undeclared/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    response = Undeclared.as_view()(request)

    assert response.status_code == 403
    assert response.data["code"] == "insufficient_scope"


def test_the_api_root_lists_the_endpoints_to_any_valid_key(client, partner_key):
    _, plaintext = partner_key

    response = client.get("/api/v1/", headers=bearer(plaintext))

    assert response.status_code == 200
    assert "streams" in response.json()


def test_a_partner_key_cannot_write(client, partner_key, declaration):
    _, plaintext = partner_key

    response = client.post(STREAMS, declaration, content_type="application/json", headers=bearer(plaintext))

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_a_member_key_with_streams_write_declares_its_own_stream_without_a_csrf_token(member, declaration):
    _, plaintext = issue(member, member, [ApiScope.STREAMS_WRITE])
    strict_client = Client(enforce_csrf_checks=True)

    response = strict_client.post(STREAMS, declaration, content_type="application/json", headers=bearer(plaintext))

    assert response.status_code == 201
    assert Stream.objects.get(pk=response.json()["id"]).declared_by == member


def test_a_member_key_cannot_declare_for_another_organisations_site(client, member, other_member_org, declaration):
    _, plaintext = issue(member, member, [ApiScope.STREAMS_WRITE])
    declaration["site"] = other_member_org.sites.get().pk

    response = client.post(STREAMS, declaration, content_type="application/json", headers=bearer(plaintext))

    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"site"}


def test_a_member_key_without_streams_write_cannot_declare(client, member, declaration):
    _, plaintext = issue(member, member, [ApiScope.STREAMS_READ])

    response = client.post(STREAMS, declaration, content_type="application/json", headers=bearer(plaintext))

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_no_key_ever_edits_the_directory_or_the_channels(client, member):
    _, plaintext = issue(member, member, ApiScope.values)

    for url in ("/api/v1/sites/", "/api/v1/channels/", "/api/v1/match-runs/"):
        response = client.post(url, {}, content_type="application/json", headers=bearer(plaintext))
        assert response.json()["code"] == "insufficient_scope", url


# --- Rate limits -------------------------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    """Small rates and an empty counter store; returns a function that sets the rates."""

    def set_rates(*, key: str, user: str):
        rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": key, "api_user": user}}
        settings.REST_FRAMEWORK = rest

    cache.clear()
    yield set_rates
    cache.clear()


def test_a_key_over_its_rate_gets_429_with_retry_after(client, partner_key, rates):
    rates(key="2/minute", user="100/minute")
    _, plaintext = partner_key
    units = "/api/v1/units/"

    statuses = [client.get(units, headers=bearer(plaintext)).status_code for _ in range(3)]
    response = client.get(units, headers=bearer(plaintext), HTTP_ACCEPT_LANGUAGE="en")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Request was throttled.")
    assert 0 < int(response["Retry-After"]) <= 60


def test_keys_of_one_user_share_the_users_budget(client, coordinator, partner, rates):
    rates(key="100/minute", user="3/minute")
    (_, first), (_, second) = issue(coordinator, partner), issue(coordinator, partner)

    statuses = [client.get("/api/v1/units/", headers=bearer(plaintext)).status_code for plaintext in [first] * 2]
    statuses += [client.get("/api/v1/units/", headers=bearer(second)).status_code for _ in range(2)]

    assert statuses == [200, 200, 200, 429]


def test_each_key_has_its_own_budget(client, coordinator, partner, rates):
    rates(key="1/minute", user="100/minute")
    (_, first), (_, second) = issue(coordinator, partner), issue(coordinator, partner)

    client.get("/api/v1/units/", headers=bearer(first))

    assert client.get("/api/v1/units/", headers=bearer(first)).status_code == 429
    assert client.get("/api/v1/units/", headers=bearer(second)).status_code == 200


def test_browser_sessions_are_limited_per_user_too(client, partner, rates):
    rates(key="1/minute", user="1/minute")
    client.force_login(partner)

    assert [client.get("/api/v1/units/").status_code for _ in range(2)] == [200, 429]


# --- Languages ---------------------------------------------------------------------------------------------


def test_api_errors_follow_the_accept_language_header(client, coordinator, partner):
    _, plaintext = issue(coordinator, partner, [ApiScope.STATS_READ])

    english = client.get("/api/v1/inventory/", headers=bearer(plaintext), HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/v1/inventory/", headers=bearer(plaintext))

    assert english.json()["detail"] == "Only the pole coordination can do this."
    assert french.json()["detail"] == "Seule la coordination du pôle peut faire cette action."
    assert english.json()["code"] == french.json()["code"] == "permission_denied"


def test_key_errors_are_in_english_when_asked(client, db):
    response = client.get(STREAMS, headers=bearer("ptce_not-a-key"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"code": "invalid_key", "detail": "Unknown or malformed API key.", "errors": []}


def test_member_admin_may_issue_a_read_key_acting_as_one_of_its_viewers(client, member, member_viewer, streams):
    key, plaintext = issue(member, member_viewer, [ApiScope.STREAMS_READ])

    assert key.user == member_viewer
    assert client.get(STREAMS, headers=bearer(plaintext)).status_code == 200


def test_usable_keys_exclude_revoked_and_expired_ones(coordinator, partner):
    usable, _ = issue(coordinator, partner)
    revoked, _ = issue(coordinator, partner)
    api_key_revoke(key=revoked, by=coordinator)
    expired, _ = issue(coordinator, partner, expires_at=timezone.now() + timedelta(hours=1))
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    assert list(ApiKey.objects.usable()) == [usable]


def test_the_openapi_schema_offers_keys_only_where_they_are_accepted(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    def schemes(path, method):
        return {name for requirement in schema["paths"][path][method]["security"] for name in requirement}

    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    assert "apiKey" in schemes("/api/v1/streams/", "post")
    assert "apiKey" in schemes("/api/v1/channels/", "get")
    assert "apiKey" not in schemes("/api/v1/channels/", "post")
