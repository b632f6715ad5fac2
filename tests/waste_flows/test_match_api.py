"""The matching API: runs for coordinators, matches scoped by role (members never get a match, nor its
counterpart, before the introduction), channels read by all and written by coordinators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waste_flows.enums import Direction, MatchKind, MatchStatus, RunStatus
from waste_flows.matches import Channel, MatchRun

from .factories import StreamFactory, material
from .match_factories import MatchFactory, engine_stub_fixture  # noqa: F401 - the engine_stub fixture


@pytest.fixture
def between_members(member_org, other_member_org):
    def build(**kwargs):
        offer = StreamFactory(site=member_org.sites.get())
        need = StreamFactory(site=other_member_org.sites.get(), direction=Direction.NEED)
        return MatchFactory(offer=offer, need=need, **kwargs)

    return build


def test_coordinator_starts_a_run_and_polls_it(client, coordinator, engine_stub, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/match-runs/", content_type="application/json")
    assert response.status_code == 202
    assert response.json()["status"] == RunStatus.PENDING
    polled = client.get(f"/api/v1/match-runs/{response.json()['id']}/").json()
    assert polled["status"] == RunStatus.SUCCEEDED and polled["is_finished"] is True
    assert client.get("/api/v1/match-runs/").json()["count"] == 1


def test_only_coordinators_use_runs(client, member, partner):
    for user in (member, partner):
        client.force_login(user)
        assert client.post("/api/v1/match-runs/").status_code == 403
        assert client.get("/api/v1/match-runs/").status_code == 403
    assert not MatchRun.objects.exists()


def test_coordinator_lists_filters_and_orders_all_matches(client, coordinator, between_members, member_org):
    low = between_members(co2e_avoided_t=1)
    high = between_members(co2e_avoided_t=5, kind=MatchKind.POOLING)
    other = MatchFactory(material=material("metals.ferrous"), status=MatchStatus.REJECTED, rejection_reason="cost")
    client.force_login(coordinator)

    def ids(**query):
        return [row["id"] for row in client.get("/api/v1/matches/", query).json()["results"]]

    assert set(ids()) == {low.pk, high.pk, other.pk}
    assert ids(ordering="-co2e_avoided_t", member=member_org.pk) == [high.pk, low.pk]
    assert ids(kind="pooling") == [high.pk]
    assert ids(status="rejected") == [other.pk]
    assert ids(material="metals") == [other.pk]
    row = client.get(f"/api/v1/matches/{low.pk}/").json()
    assert row["explanation"][0]["name"] == "material"
    assert {p["member_name"] for p in row["participants"]} == {"Recyclerie du Val de Fensch", "Aciérie de Florange"}


@pytest.mark.usefixtures("computed_answers")
def test_coordinator_list_query_count_is_constant(client, coordinator, between_members, django_assert_num_queries):
    client.force_login(coordinator)
    between_members()
    client.get("/api/v1/matches/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/matches/")
    for _ in range(4):
        between_members()
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/matches/")
    assert len(many) == len(few)
    with django_assert_num_queries(8):
        client.get("/api/v1/matches/")


@pytest.mark.parametrize("status", [MatchStatus.SUGGESTED, MatchStatus.REVIEWED, MatchStatus.REJECTED])
def test_members_never_get_a_match_before_its_introduction(client, member, between_members, status):
    match = between_members(status=status)
    client.force_login(member)
    response = client.get("/api/v1/matches/")
    assert response.json()["count"] == 0
    assert "Florange" not in response.content.decode()
    assert client.get(f"/api/v1/matches/{match.pk}/").status_code == 404


def test_members_get_the_counterpart_once_introduced(client, member, between_members):
    match = between_members(status=MatchStatus.INTRODUCED)
    MatchFactory(status=MatchStatus.INTRODUCED)  # between two other organisations
    client.force_login(member)
    rows = client.get("/api/v1/matches/").json()["results"]
    assert [row["id"] for row in rows] == [match.pk]
    row = rows[0]
    assert row["revealed"] is True and row["can_answer"] is True
    assert [c["name"] for c in row["counterparts"]] == ["Aciérie de Florange"]
    assert row["counterparts"][0]["communes"] == ["Florange"]
    assert "offer" not in row and "participants" not in row


def test_partners_get_no_matches_for_now(client, partner, between_members):
    between_members(status=MatchStatus.IMPLEMENTED)
    client.force_login(partner)
    assert client.get("/api/v1/matches/").status_code == 403


def test_coordinator_manages_channels_and_everyone_reads_them(client, coordinator, member):
    client.force_login(coordinator)
    payload = {"name": "Méthaniseur", "materials": ["biowaste"], "min_annual_quantity": "5000000", "radius_km": 25}
    created = client.post("/api/v1/channels/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    channel_id = created.json()["id"]
    patched = client.patch(f"/api/v1/channels/{channel_id}/", {"radius_km": 40}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["radius_km"] == 40
    assert Channel.history.filter(id=channel_id).first().history_user == coordinator
    client.force_login(member)
    assert client.get("/api/v1/channels/").json()["count"] == 1
    assert (
        client.patch(f"/api/v1/channels/{channel_id}/", {"radius_km": 1}, content_type="application/json").status_code
        == 403
    )
    assert client.delete(f"/api/v1/channels/{channel_id}/").status_code == 403
    client.force_login(coordinator)
    assert client.delete(f"/api/v1/channels/{channel_id}/").status_code == 204
    assert not Channel.objects.exists()


def test_channel_errors_come_back_as_json(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/channels/",
        {"name": "", "materials": ["nope"], "min_annual_quantity": "-1"},
        content_type="application/json",
    )
    assert response.status_code == 400
