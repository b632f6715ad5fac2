"""Open formats of the API lists (CSV, GeoJSON) and conditional requests (ETag, If-None-Match, Vary)."""

import csv
import io
import json
import math
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.api import formats
from members.api.serializers import MemberSerializer
from members.enums import MemberKind
from waste_flows.enums import Confidentiality, StreamStatus

from ..members.factories import (
    ContactFactory,
    FeeFactory,
    MemberFactory,
    SiteFactory,
    UserFactory,
    YearlyFigureFactory,
)
from ..waste_flows.factories import StreamFactory

MEMBERS = "/api/v1/members/"
SITES = "/api/v1/sites/"
STREAMS = "/api/v1/streams/"


def logged_in(client, user):
    client.force_login(user)
    return client


def body_of(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    body = body_of(response)
    assert body.startswith(formats.BOM)  # so that Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(body.removeprefix(formats.BOM))))


def json_rows(client, url) -> list[dict]:
    """Every row of a JSON list, page after page."""
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def geojson_of(response) -> dict:
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(body_of(response))


@pytest.fixture
def ess_members(db):
    members = [MemberFactory(name=f"Entreprise solidaire {n}", kind=MemberKind.ESS_ENTERPRISE) for n in range(5)]
    for member in members:
        SiteFactory(member=member, commune="Fameck")
    SiteFactory(member=members[0], commune="Uckange")
    return members


# --- CSV ----------------------------------------------------------------------------------------------


def test_members_csv_holds_every_row_of_the_filtered_json_list_in_the_same_order(client, coordinator, ess_members):
    client = logged_in(client, coordinator)
    query = "?kind=ess_enterprise&ordering=-name"

    expected = json_rows(client, f"{MEMBERS}{query}&page_size=2")
    response = client.get(f"{MEMBERS}{query}&format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    rows = csv_rows(response)
    assert [row["id"] for row in rows] == [str(member["id"]) for member in expected]
    assert [row["name"] for row in rows] == [member["name"] for member in expected]
    assert [row["kind_label"] for row in rows] == [member["kind_label"] for member in expected]
    assert len(rows) == 5


def test_csv_flattens_nested_objects_into_dotted_columns_and_joins_lists(client, coordinator, ess_members):
    rows = csv_rows(logged_in(client, coordinator).get(f"{MEMBERS}?format=csv&kind=ess_enterprise"))

    first = next(row for row in rows if row["id"] == str(ess_members[0].pk))
    assert set(first["sites.commune"].split(" | ")) == {"Fameck", "Uckange"}
    assert first["sites.latitude"] == "49.3298 | 49.3298"
    assert first["is_ess"] in ("true", "false")
    assert "college.name" in first


def test_csv_neutralises_formulas_but_keeps_negative_numbers(client, coordinator):
    member = MemberFactory(name='=HYPERLINK("http://pirate.test","Cliquez")', short_name="@SUM(A1)")
    SiteFactory(member=member, commune="Brest", longitude=Decimal("-4.486100"))

    rows = csv_rows(logged_in(client, coordinator).get(f"{MEMBERS}?format=csv&commune=Brest"))

    assert rows[0]["name"] == '\'=HYPERLINK("http://pirate.test","Cliquez")'
    assert rows[0]["short_name"] == "'@SUM(A1)"
    assert rows[0]["sites.longitude"] == "-4.4861"


def test_members_csv_streams_chunk_by_chunk(client, coordinator, ess_members, monkeypatch):
    monkeypatch.setattr(formats, "CHUNK_SIZE", 2)

    response = logged_in(client, coordinator).get(f"{MEMBERS}?format=csv&kind=ess_enterprise")

    assert isinstance(response, StreamingHttpResponse)
    pieces = list(response.streaming_content)
    assert len(pieces) == 1 + math.ceil(5 / 2)  # the header, then one piece per chunk of 2 members
    assert pieces[0].decode("utf-8").removeprefix(formats.BOM).startswith("id,name,short_name,")


def test_csv_export_of_members_costs_the_same_queries_whatever_the_number_of_members(client, coordinator):
    client = logged_in(client, coordinator)

    def queries_for_export():
        with CaptureQueriesContext(connection) as queries:
            csv_rows(client.get(f"{MEMBERS}?format=csv"))
        return len(queries)

    def add_members(count):
        for _ in range(count):
            member = MemberFactory()
            SiteFactory(member=member)
            ContactFactory(member=member)
            FeeFactory(member=member)
            YearlyFigureFactory(member=member)
            UserFactory(member=member, member_role="viewer")

    add_members(3)
    with_three = queries_for_export()
    add_members(9)

    assert queries_for_export() == with_three
    # The session, the user and their permissions, the members, and one query per prefetched relation.
    assert with_three <= 10


def test_csv_is_written_in_the_language_of_the_request_even_if_the_thread_changes_language(client, partner):
    MemberFactory(kind=MemberKind.ESS_ENTERPRISE)
    client = logged_in(client, partner)
    english = client.get(f"{MEMBERS}?kind=ess_enterprise", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    response = client.get(f"{MEMBERS}?kind=ess_enterprise&format=csv", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("fr"):  # the server thread may speak another language when the body streams
        rows = csv_rows(response)

    assert rows[0]["kind_label"] == english["kind_label"] != "Entreprise de l'ESS"


def test_accept_header_asks_for_csv(client, partner, member_org):
    response = logged_in(client, partner).get(MEMBERS, HTTP_ACCEPT="text/csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row["name"] for row in csv_rows(response)] == ["Recyclerie du Val de Fensch"]


def test_every_list_of_the_api_answers_in_csv(client, coordinator, member_org):
    client = logged_in(client, coordinator)
    lists = [
        *("members", "sites", "ewc-codes", "materials", "units", "streams", "matches", "match-runs", "channels"),
        "projects",
    ]

    for name in lists:
        response = client.get(f"/api/v1/{name}/?format=csv")

        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith(f'attachment; filename="{name}-'), name


# --- Confidentiality ----------------------------------------------------------------------------------


def test_member_csv_of_members_holds_private_data_of_its_own_organisation_only(
    client, member, member_org, other_member_org, other_member
):
    FeeFactory(member=member_org, amount_due=Decimal("300.00"), amount_paid=Decimal("100.00"))
    FeeFactory(member=other_member_org, amount_due=Decimal("7771.23"))
    YearlyFigureFactory(member=other_member_org, turnover=Decimal("987654.31"))
    ContactFactory(member=other_member_org, email="discret@acierie.test", consents_to_contact=False)
    ContactFactory(member=other_member_org, email="public@acierie.test", consents_to_contact=True)

    response = logged_in(client, member).get(f"{MEMBERS}?format=csv")
    body = body_of(response)
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(body.removeprefix(formats.BOM)))}

    assert rows["Recyclerie du Val de Fensch"]["outstanding_fees"] == "200.00"
    assert rows["Aciérie de Florange"]["outstanding_fees"] == ""
    assert rows["Aciérie de Florange"]["contacts.email"] == "public@acierie.test"
    for secret in ("7771.23", "987654.31", "discret@acierie.test", other_member.email):
        assert secret not in body


def test_member_csv_of_sites_gives_the_street_address_of_its_own_sites_only(
    client, member, member_org, other_member_org
):
    other_member_org.sites.update(address="12 rue Secrète")

    rows = {row["commune"]: row for row in csv_rows(logged_in(client, member).get(f"{SITES}?format=csv"))}

    assert rows["Hayange"]["address"] == "1 rue de l'Usine"
    assert rows["Florange"]["address"] == ""
    assert rows["Florange"]["siret"] == other_member_org.sites.get().siret


@pytest.fixture
def streams(member_org, other_member_org):
    own, other = member_org.sites.get(), other_member_org.sites.get()
    return {
        "own_coordinator": StreamFactory(site=own, confidentiality=Confidentiality.COORDINATOR),
        "own_draft": StreamFactory(site=own, status=StreamStatus.DRAFT),
        "other_public": StreamFactory(site=other, confidentiality=Confidentiality.PUBLIC),
        "other_members": StreamFactory(site=other),
        "other_coordinator": StreamFactory(site=other, confidentiality=Confidentiality.COORDINATOR),
        "other_draft": StreamFactory(site=other, status=StreamStatus.DRAFT),
    }


def test_member_csv_and_geojson_of_streams_hold_the_streams_of_the_json_list_only(client, member, streams):
    client = logged_in(client, member)
    visible = {row["id"] for row in json_rows(client, f"{STREAMS}?page_size=2")}

    in_csv = {int(row["id"]) for row in csv_rows(client.get(f"{STREAMS}?format=csv"))}
    in_geojson = {feature["id"] for feature in geojson_of(client.get(f"{STREAMS}?format=geojson"))["features"]}

    assert in_csv == in_geojson == visible
    assert streams["other_coordinator"].pk not in visible
    assert streams["other_draft"].pk not in visible
    assert {streams["own_coordinator"].pk, streams["own_draft"].pk, streams["other_members"].pk} <= visible


def test_partner_csv_of_streams_holds_active_public_streams_only(client, partner, streams):
    rows = csv_rows(logged_in(client, partner).get(f"{STREAMS}?format=csv"))

    assert [int(row["id"]) for row in rows] == [streams["other_public"].pk]


# --- GeoJSON ------------------------------------------------------------------------------------------


def test_geojson_of_sites_is_a_feature_collection_of_points_longitude_first(client, partner, member_org):
    member_org.sites.update(latitude=Decimal("49.3604"), longitude=Decimal("6.1430"))
    SiteFactory(member=member_org, commune="Uckange")
    client = logged_in(client, partner)

    collection = geojson_of(client.get(f"{SITES}?format=geojson&commune=Hayange"))

    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    site = member_org.sites.get(commune="Hayange")
    assert feature["type"] == "Feature"
    assert feature["id"] == site.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.143, 49.3604]}
    assert feature["properties"] == client.get(f"{SITES}?commune=Hayange").json()["results"][0]
    assert "address" not in feature["properties"]


def test_geojson_places_each_stream_at_its_site(client, coordinator, member_org):
    member_org.sites.update(latitude=Decimal("49.3604"), longitude=Decimal("6.1430"))
    stream = StreamFactory(site=member_org.sites.get())

    collection = geojson_of(logged_in(client, coordinator).get(STREAMS, HTTP_ACCEPT="application/geo+json"))

    (feature,) = collection["features"]
    assert feature["id"] == stream.pk
    assert feature["geometry"]["coordinates"] == [6.143, 49.3604]
    assert feature["properties"]["material"]["code"] == "wood.pallets"


def test_geojson_is_for_lists_of_places_only(client, coordinator, member_org):
    response = logged_in(client, coordinator).get(f"{MEMBERS}?format=geojson")

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_format"


# --- Errors -------------------------------------------------------------------------------------------


def test_unknown_format_is_a_json_404_with_a_code(client, coordinator, member_org):
    client = logged_in(client, coordinator)

    for url in (f"{MEMBERS}?format=xml", f"{MEMBERS}{member_org.pk}/?format=csv"):
        response = client.get(url)

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "unknown_format"


def test_errors_of_a_csv_request_are_written_in_json(client, partner):
    client = logged_in(client, partner)

    refused = client.get("/api/v1/matches/?format=csv")
    invalid = client.get(f"{MEMBERS}?format=csv&kind=nope")

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["field"] == "kind"


# --- Conditional requests -----------------------------------------------------------------------------


def test_json_list_has_a_strong_etag_and_a_vary_that_keeps_users_apart(client, partner, member_org):
    response = logged_in(client, partner).get(MEMBERS)

    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    vary = {header.strip() for header in response["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Cookie", "Authorization"} <= vary


def test_if_none_match_answers_304_with_an_empty_body(client, partner, member_org):
    client = logged_in(client, partner)
    etag = client.get(MEMBERS)["ETag"]

    for method in (client.get, client.head):
        response = method(MEMBERS, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag


def test_etag_changes_when_the_data_changes(client, partner, member_org):
    client = logged_in(client, partner)
    etag = client.get(MEMBERS)["ETag"]

    MemberFactory(name="Nouvelle ressourcerie")
    response = client.get(MEMBERS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_etag_differs_between_users_who_see_different_data(client, partner, member, member_org):
    FeeFactory(member=member_org)
    partner_etag = logged_in(client, partner).get(MEMBERS)["ETag"]

    response = logged_in(client, member).get(MEMBERS, HTTP_IF_NONE_MATCH=partner_etag)

    assert response.status_code == 200
    assert response["ETag"] != partner_etag


def test_one_object_answers_like_the_inventory_are_conditional_too(client, coordinator):
    client = logged_in(client, coordinator)
    etag = client.get("/api/v1/inventory/")["ETag"]

    assert client.get("/api/v1/inventory/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_pages_outside_the_api_get_no_etag_from_it(client, db):
    response = client.get(reverse("healthz"))

    assert not response.has_header("ETag")
    assert "Authorization" not in response.get("Vary", "")


def test_streamed_csv_has_no_etag(client, partner, member_org):
    response = logged_in(client, partner).get(f"{MEMBERS}?format=csv")

    assert not response.has_header("ETag")
    assert "Authorization" in response["Vary"]


# --- Schema and helpers -------------------------------------------------------------------------------


def test_schema_documents_the_formats_of_the_lists(client, db):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    members = schema["paths"]["/api/v1/members/"]["get"]
    sites = schema["paths"]["/api/v1/sites/"]["get"]
    (members_format,) = [parameter for parameter in members["parameters"] if parameter["name"] == "format"]
    assert set(members_format["schema"]["enum"]) == {"json", "csv"}
    assert set(members["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert members["responses"]["200"]["content"]["text/csv"]["examples"]["Csv"]["value"].startswith("id,name,")
    geojson = sites["responses"]["200"]["content"]["application/geo+json"]
    feature = geojson["examples"]["GeoJson"]["value"]["features"][0]
    assert feature["geometry"]["coordinates"] == [6.062, 49.3298]
    assert "format" not in {p["name"] for p in schema["paths"]["/api/v1/members/{id}/"]["get"]["parameters"]}


def test_flatten_writes_dotted_paths_joined_lists_and_json_values():
    row = {
        "id": 3,
        "ok": True,
        "none": None,
        "place": {"commune": "Fameck", "latitude": 49.3},
        "sites": [{"commune": "Fameck", "tags": ["a", "b"]}, {"commune": "Uckange", "tags": []}],
        "detail": {"km": 12},
        "cost": "-12.50",
        "note": "-rm",
    }
    columns = ["id", "ok", "none", "place.commune", "place.latitude", "sites.commune", "sites.tags", "detail", "cost"]

    assert formats.flatten(row, [*columns, "note"]) == [
        "3", "true", "", "Fameck", "49.3", "Fameck | Uckange", "a, b | ", '{"km": 12}', "-12.50", "'-rm",
    ]  # fmt: skip


def test_columns_of_a_public_or_full_serializer_cover_both_shapes():
    columns = formats.serializer_columns(MemberSerializer(context={}))

    assert columns[:2] == ["id", "name"]
    assert {"contacts.name", "contacts.first_name", "outstanding_fees", "sites.address", "college.name"} <= set(
        columns
    )
    assert len(columns) == len(set(columns))


def test_csv_renderer_writes_data_handed_over_whole():
    content = formats.CSVRenderer().render([{"id": 1, "member": {"name": "=1+1"}}, {"id": 2, "extra": "x"}])

    assert content.decode("utf-8") == f"{formats.BOM}id,member.name,extra\r\n1,'=1+1,\r\n2,,x\r\n"
