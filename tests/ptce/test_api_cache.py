"""The cache of whole API answers (members.api.answer_cache): same bytes for fewer queries, never stale after a
write, never shared between people who see different things, and never in front of the key checks."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.api_key_services import api_key_issue, api_key_revoke
from members.enums import ApiScope, RoleGroup
from waste_flows.enums import Confidentiality, StreamStatus
from waste_flows.models import Stream

from ..members.factories import UserFactory
from ..waste_flows.factories import StreamFactory

ALL_READ = [scope for scope in ApiScope.values if scope != ApiScope.STREAMS_WRITE]
STREAMS = "/api/v1/streams/"
MEMBERS = "/api/v1/members/"
SUMMARY = "/api/v1/stats/summary/"


def issue(issued_by, user, scopes=ALL_READ) -> str:
    return api_key_issue(issued_by=issued_by, user=user, name="Outil de suivi", scopes=list(scopes))[1]


def bearer(plaintext: str) -> dict:
    return {"Authorization": f"Bearer {plaintext}"}


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def get_counting_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    return response, queries


def touches_streams(queries) -> bool:
    return any('"waste_flows_stream"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def partner_key(coordinator, partner):
    return issue(coordinator, partner)


@pytest.fixture
def streams(member_org, other_member_org):
    site, other_site = member_org.sites.get(), other_member_org.sites.get()
    return {
        "public": StreamFactory(site=site, confidentiality=Confidentiality.PUBLIC),
        "members": StreamFactory(site=site, confidentiality=Confidentiality.MEMBERS),
        "draft": StreamFactory(site=site, confidentiality=Confidentiality.MEMBERS, status=StreamStatus.DRAFT),
        "coordinator": StreamFactory(site=site, confidentiality=Confidentiality.COORDINATOR),
        "other_public": StreamFactory(site=other_site, confidentiality=Confidentiality.PUBLIC),
        "other_draft": StreamFactory(
            site=other_site, confidentiality=Confidentiality.MEMBERS, status=StreamStatus.DRAFT
        ),
    }


def test_a_repeated_request_gets_the_same_bytes_and_headers_without_reading_the_data(client, partner_key, streams):
    first, first_queries = get_counting_queries(client, STREAMS, headers=bearer(partner_key))
    again, again_queries = get_counting_queries(client, STREAMS, headers=bearer(partner_key))

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    for header in ("Content-Type", "ETag", "Vary", "Allow", "Content-Language"):
        assert again[header] == first[header], header
    assert touches_streams(first_queries) and not touches_streams(again_queries)
    assert len(again_queries) < len(first_queries)


def test_a_cached_answer_still_answers_304_to_its_etag(client, partner_key, streams):
    etag = client.get(STREAMS, headers=bearer(partner_key))["ETag"]

    response = client.get(STREAMS, headers={**bearer(partner_key), "If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_parameters_in_another_order_share_the_answer_and_its_pagination_links(client, partner_key, streams):
    first = client.get(f"{STREAMS}?page_size=1&direction=offer", headers=bearer(partner_key))
    again, queries = get_counting_queries(
        client, f"{STREAMS}?direction=offer&page_size=1", headers=bearer(partner_key)
    )

    assert again.content == first.content
    assert not touches_streams(queries)
    assert again.json()["next"].endswith("?direction=offer&page=2&page_size=1")


def test_a_write_changes_the_next_answer(client, partner_key, streams):
    before = client.get(STREAMS, headers=bearer(partner_key))
    added = StreamFactory(site=streams["public"].site, confidentiality=Confidentiality.PUBLIC)

    after = client.get(STREAMS, headers=bearer(partner_key))

    assert added.pk not in ids(before)
    assert added.pk in ids(after)


def test_a_bulk_write_changes_the_next_answer_once_it_bumps_the_version(client, partner_key, streams):
    from members.stats_version import stats_version_bump

    client.get(STREAMS, headers=bearer(partner_key))
    Stream.objects.filter(pk=streams["public"].pk).update(description="Palettes triées")
    stats_version_bump()

    rows = client.get(STREAMS, headers=bearer(partner_key)).json()["results"]

    assert [row["description"] for row in rows if row["id"] == streams["public"].pk] == ["Palettes triées"]


def test_a_member_never_gets_another_members_cached_answer(client, member, other_member, streams):
    own = client.get(STREAMS, headers=bearer(issue(member, member)))
    other = client.get(STREAMS, headers=bearer(issue(other_member, other_member)))

    assert streams["draft"].pk in ids(own)
    assert streams["draft"].pk not in ids(other)
    assert streams["other_draft"].pk in ids(other)


def test_a_member_never_gets_another_members_full_shape(client, member, other_member, member_org):
    own = client.get(f"{MEMBERS}{member_org.pk}/", headers=bearer(issue(member, member)))
    other = client.get(f"{MEMBERS}{member_org.pk}/", headers=bearer(issue(other_member, other_member)))

    assert "outstanding_fees" in own.json()
    assert "outstanding_fees" not in other.json()


def test_partner_and_coordinator_answers_are_kept_apart(client, coordinator, partner_key, streams):
    coordination = Client()
    coordination.force_login(coordinator)  # coordinators have no keys: their browser session reads the API

    coordinators = coordination.get(STREAMS)
    partners = client.get(STREAMS, headers=bearer(partner_key))

    assert streams["coordinator"].pk in ids(coordinators)
    assert ids(partners) == {streams["public"].pk, streams["other_public"].pk}


def test_two_partners_share_their_answers(client, coordinator, partner_key, streams):
    other_partner_key = issue(coordinator, UserFactory(partner=True, email="region@partenaire.test"))
    first = client.get(STREAMS, headers=bearer(partner_key))

    again, queries = get_counting_queries(client, STREAMS, headers=bearer(other_partner_key))

    assert again.content == first.content
    assert not touches_streams(queries)


def test_each_language_has_its_own_entry(client, partner_key, streams):
    french = client.get(STREAMS, headers={**bearer(partner_key), "Accept-Language": "fr"})
    english, queries = get_counting_queries(client, STREAMS, headers={**bearer(partner_key), "Accept-Language": "en"})

    assert touches_streams(queries)  # labels are written in the language asked for: not the French answer
    assert (french["Content-Language"], english["Content-Language"]) == ("fr", "en")


def test_a_csv_export_after_a_cached_json_page_is_still_csv(client, partner_key, streams):
    client.get(STREAMS, headers=bearer(partner_key))

    response = client.get(f"{STREAMS}?format=csv", headers=bearer(partner_key))

    assert response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content).decode().count("\r\n") == 1 + 2  # the columns and two streams


def test_a_revoked_key_is_refused_even_when_its_answer_is_cached(client, coordinator, partner, streams):
    plaintext = issue(coordinator, partner)
    assert client.get(STREAMS, headers=bearer(plaintext)).status_code == 200
    api_key_revoke(key=partner.api_keys.get(), by=coordinator)

    response = client.get(STREAMS, headers=bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["code"] == "revoked_key"


def test_a_key_without_the_scope_is_refused_even_when_the_answer_is_cached(client, coordinator, partner, streams):
    client.get(STREAMS, headers=bearer(issue(coordinator, partner)))
    directory_only = issue(coordinator, partner, scopes=[ApiScope.DIRECTORY_READ])

    response = client.get(STREAMS, headers=bearer(directory_only))

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_throttling_still_applies_to_cached_answers(client, partner_key, streams, settings):
    rates = {"api_key": "3/minute", "api_user": "100/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [client.get(STREAMS, headers=bearer(partner_key)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_renamed_user_shows_in_the_next_answer_but_a_login_keeps_the_cache(client, member, member_org):
    url, key = f"{MEMBERS}{member_org.pk}/", bearer(issue(member, member))
    client.get(url, headers=key)
    client.force_login(member)  # saves last_login only
    _, queries = get_counting_queries(client, url, headers=key)
    assert not any('"members_contact"' in query["sql"] for query in queries.captured_queries)

    member.first_name = "Camille"
    member.save()
    users = client.get(url, headers=key).json()["users"]

    assert [user["first_name"] for user in users] == ["Camille"]


def test_the_cache_can_be_turned_off(client, partner_key, streams, settings):
    settings.API_CACHE_TIMEOUT = 0
    client.get(STREAMS, headers=bearer(partner_key))

    _, queries = get_counting_queries(client, STREAMS, headers=bearer(partner_key))

    assert touches_streams(queries)
    assert not any("ptce:api:" in key for key in cache._cache)  # the local-memory cache of the tests


def test_a_partner_taken_out_of_the_partners_group_is_refused_at_the_next_request(client, partner, partner_key):
    assert client.get(SUMMARY, headers=bearer(partner_key)).status_code == 200
    partner.groups.clear()

    assert client.get(SUMMARY, headers=bearer(partner_key)).status_code == 403


def test_a_permission_taken_from_the_partners_group_applies_at_the_next_request(client, partner_key):
    assert client.get(SUMMARY, headers=bearer(partner_key)).status_code == 200
    Group.objects.get(name=RoleGroup.PARTNERS).permissions.remove(Permission.objects.get(codename="read_as_partner"))

    assert client.get(SUMMARY, headers=bearer(partner_key)).status_code == 403


def test_a_cached_answer_costs_no_query(client, partner_key, streams):
    client.get(STREAMS, headers=bearer(partner_key))

    response, queries = get_counting_queries(client, STREAMS, headers=bearer(partner_key))

    assert response.status_code == 200
    assert queries.captured_queries == []  # the key, its user and permissions come from the cache too
