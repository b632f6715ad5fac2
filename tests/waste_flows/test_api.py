from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.enums import MemberRole, MembershipStatus
from waste_flows.enums import Confidentiality, Direction, Route, StreamStatus
from waste_flows.models import Stream

from ..members.factories import MemberFactory, SiteFactory, UserFactory
from .factories import StreamFactory, material, unit

STREAMS = "/api/v1/streams/"
MATERIALS = "/api/v1/materials/"
EWC_CODES = "/api/v1/ewc-codes/"
UNITS = "/api/v1/units/"
INVENTORY = "/api/v1/inventory/"


def stream_url(stream):
    return f"{STREAMS}{stream.pk}/"


def logged_in(client, user):
    client.force_login(user)
    return client


def ids(response):
    return {stream["id"] for stream in response.json()["results"]}


def codes(response):
    return [entry["code"] for entry in response.json()["results"]]


def error_fields(response):
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture
def streams(member_org, other_member_org):
    """Streams of every confidentiality and status for member_org (the `member` fixture's organisation) and
    other_member_org, and a public stream of a former member."""
    recyclerie, acierie = member_org.sites.get(), other_member_org.sites.get()
    former_site = SiteFactory(member=MemberFactory(name="Ancienne conserverie", status=MembershipStatus.FORMER))

    def stream(site, confidentiality=Confidentiality.MEMBERS, status=StreamStatus.ACTIVE):
        return StreamFactory(site=site, confidentiality=confidentiality, status=status)

    return {
        "public": stream(recyclerie, Confidentiality.PUBLIC),
        "members": stream(recyclerie),
        "coordinator": stream(recyclerie, Confidentiality.COORDINATOR),
        "draft": stream(recyclerie, status=StreamStatus.DRAFT),
        "archived": stream(recyclerie, Confidentiality.PUBLIC, status=StreamStatus.ARCHIVED),
        "other_public": stream(acierie, Confidentiality.PUBLIC),
        "other_members": stream(acierie),
        "other_coordinator": stream(acierie, Confidentiality.COORDINATOR),
        "other_draft": stream(acierie, status=StreamStatus.DRAFT),
        "former_public": stream(former_site, Confidentiality.PUBLIC),
    }


def pks(streams, *names):
    return {streams[name].pk for name in names}


@pytest.fixture
def declaration(member_org):
    """A valid declaration of an offer for the `member` fixture's main site."""
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


# --- Reading streams: confidentiality for every role -----------------------------------------------


def test_anonymous_clients_get_a_json_403_on_streams(client, streams):
    response = client.get(STREAMS)

    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


def test_coordinator_sees_every_stream(client, coordinator, streams):
    response = logged_in(client, coordinator).get(STREAMS)

    assert ids(response) == pks(streams, *streams)


def test_partner_sees_only_active_public_streams_of_current_members(client, partner, streams):
    response = logged_in(client, partner).get(STREAMS)

    assert ids(response) == pks(streams, "public", "other_public")
    for hidden in ("members", "coordinator", "draft", "archived", "other_members", "other_coordinator"):
        assert client.get(stream_url(streams[hidden])).status_code == 404
    assert client.get(stream_url(streams["former_public"])).status_code == 404


def test_other_member_never_sees_member_orgs_coordinator_only_stream_nor_its_drafts(client, other_member, streams):
    response = logged_in(client, other_member).get(STREAMS)

    assert ids(response) == pks(
        streams, "public", "members", "other_public", "other_members", "other_coordinator", "other_draft"
    )
    for hidden in ("coordinator", "draft", "archived"):
        assert client.get(stream_url(streams[hidden])).status_code == 404


def test_member_sees_all_of_its_own_streams_drafts_and_archives_included(client, member_viewer, streams):
    response = logged_in(client, member_viewer).get(STREAMS)

    assert ids(response) == pks(
        streams, "public", "members", "coordinator", "draft", "archived", "other_public", "other_members"
    )


def test_a_stream_is_read_with_its_member_site_material_waste_code_and_annual_quantity(client, member, member_org):
    stream = StreamFactory(
        site=member_org.sites.get(),
        quantity=Decimal("500"),
        unit=unit("kg"),
        ewc_code_id="15 01 03",
        current_route_cost=Decimal("1800"),
    )

    data = logged_in(client, member).get(stream_url(stream)).json()

    assert data["member"] == {"id": member_org.pk, "name": "Recyclerie du Val de Fensch"}
    site = member_org.sites.get()
    assert data["site"] == {
        "id": site.pk,
        "name": site.name,
        "commune": "Hayange",
        "latitude": 49.3298,
        "longitude": 6.062,
    }
    assert data["material"] == {"code": "wood.pallets", "name": "Palettes", "dimension": "mass"}
    assert data["ewc"]["code"] == "15 01 03"
    assert data["ewc"]["hazardous"] is False
    assert (data["quantity"], data["unit"], data["period"]) == ("500.000", "kg", "year")
    assert (data["annual_quantity"], data["base_unit"]) == ("500.000", "kg")
    assert data["current_route_label"] == "Enfouissement"


def test_streams_are_filtered_with_the_stream_list_filters(client, coordinator, member_org):
    site = member_org.sites.get()
    cardboard = StreamFactory(site=site, material=material("paper.cardboard"))
    StreamFactory(site=site, material=material("wood.pallets"))
    need = StreamFactory(site=site, direction=Direction.NEED, material=material("paper.mill_feedstock"))
    client = logged_in(client, coordinator)

    assert ids(client.get(STREAMS, {"family": "paper", "direction": "offer"})) == {cardboard.pk}
    assert ids(client.get(STREAMS, {"family": "paper"})) == {cardboard.pk, need.pk}


def test_an_invalid_filter_is_a_json_400(client, coordinator, streams):
    response = logged_in(client, coordinator).get(STREAMS, {"family": "nothing"})

    assert response.status_code == 400
    assert error_fields(response) == {"family"}


def test_streams_are_ordered_on_request(client, coordinator, member_org):
    site = member_org.sites.get()
    small, big = (StreamFactory(site=site, quantity=Decimal(tonnes)) for tonnes in ("2", "20"))
    client = logged_in(client, coordinator)

    assert [row["id"] for row in client.get(STREAMS, {"ordering": "-annual_quantity"}).json()["results"]] == [
        big.pk,
        small.pk,
    ]
    assert [row["id"] for row in client.get(STREAMS, {"ordering": "annual_quantity"}).json()["results"]] == [
        small.pk,
        big.pk,
    ]


@pytest.mark.usefixtures("computed_answers")
def test_the_stream_list_takes_the_same_number_of_queries_for_a_page_of_5_or_50(client, member, member_org):
    client = logged_in(client, member)
    sites = [member_org.sites.get(), *SiteFactory.create_batch(2, member=member_org)]
    codes_ = ["15 01 03", None, "15 01 01"]
    for index in range(5):
        StreamFactory(site=sites[index % 3], ewc_code_id=codes_[index % 3])
    client.get(STREAMS)  # session and permissions loaded, as on any request

    with CaptureQueriesContext(connection) as five:
        assert len(client.get(STREAMS).json()["results"]) == 5
    for index in range(45):
        other_site = SiteFactory(member=MemberFactory())
        StreamFactory(site=other_site if index % 2 else sites[index % 3], ewc_code_id=codes_[index % 3])
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(STREAMS).json()["results"]) == 50

    assert len(fifty) == len(five)


# --- Writing streams ---------------------------------------------------------------------------------


def test_member_declares_a_stream_for_its_own_site(client, member, declaration):
    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["material"]["code"] == "wood.pallets"
    assert data["ewc"]["code"] == "15 01 03"
    assert (data["annual_quantity"], data["base_unit"]) == ("18000.000", "kg")  # 1.5 t a month
    stream = Stream.objects.get(pk=data["id"])
    assert stream.declared_by == member
    assert stream.history.get().history_user == member


def test_coordinator_declares_a_stream_for_any_members_site(client, coordinator, other_member_org, declaration):
    declaration["site"] = other_member_org.sites.get().pk

    response = logged_in(client, coordinator).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 201


def test_member_cannot_declare_a_stream_on_another_members_site(client, member, other_member_org, declaration):
    declaration["site"] = other_member_org.sites.get().pk

    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 400
    assert error_fields(response) == {"site"}
    assert not Stream.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_viewers_and_partners_cannot_write_streams(client, member_org, partner, declaration, role):
    user = partner if role == "partner" else UserFactory(member=member_org, member_role=MemberRole.VIEWER)
    stream = StreamFactory(site=member_org.sites.get(), confidentiality=Confidentiality.PUBLIC)
    client = logged_in(client, user)

    assert client.post(STREAMS, declaration, content_type="application/json").status_code == 403
    assert client.patch(stream_url(stream), {"quantity": "3"}, content_type="application/json").status_code == 403
    assert client.delete(stream_url(stream)).status_code == 403
    assert client.get(stream_url(stream)).status_code == 200


def test_a_unit_of_another_dimension_is_refused_on_the_unit_field(client, member, declaration):
    declaration["unit"] = "MWh"

    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert error_fields(response) == {"unit"}
    assert "Palettes" in response.json()["errors"][0]["message"]


def test_a_zero_quantity_is_refused_on_the_quantity_field(client, member, declaration):
    declaration["quantity"] = "0"

    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 400
    # The model's check constraint repeats the message without a field (reported to the services' owner).
    assert error_fields(response) - {None} == {"quantity"}


def test_an_unknown_waste_code_is_refused_on_the_ewc_code_field(client, member, declaration):
    declaration["ewc_code"] = "99 99 99"

    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 400
    assert error_fields(response) == {"ewc_code"}


def test_a_waste_chapter_is_refused_on_the_ewc_code_field(client, member, declaration):
    declaration["ewc_code"] = "15"

    response = logged_in(client, member).post(STREAMS, declaration, content_type="application/json")

    assert response.status_code == 400
    assert error_fields(response) == {"ewc_code"}


def test_member_updates_its_own_stream_and_the_annual_quantity_follows(client, member, member_org):
    stream = StreamFactory(site=member_org.sites.get())

    response = logged_in(client, member).patch(
        stream_url(stream), {"quantity": "2", "period": "month"}, content_type="application/json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["annual_quantity"] == "24000.000"
    stream.refresh_from_db()
    assert stream.annual_quantity == Decimal("24000")


def test_member_cannot_update_another_members_stream(client, member, streams):
    client = logged_in(client, member)

    shared = client.patch(stream_url(streams["other_public"]), {"quantity": "3"}, content_type="application/json")
    hidden = client.patch(stream_url(streams["other_coordinator"]), {"quantity": "3"}, content_type="application/json")

    assert shared.status_code == 403
    assert hidden.status_code == 404


def test_member_cannot_move_its_stream_to_another_members_site(client, member, member_org, other_member_org):
    stream = StreamFactory(site=member_org.sites.get())

    response = logged_in(client, member).patch(
        stream_url(stream), {"site": other_member_org.sites.get().pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"site"}


def test_deleting_a_stream_archives_it(client, member, member_org):
    stream = StreamFactory(site=member_org.sites.get())

    response = logged_in(client, member).delete(stream_url(stream))

    assert response.status_code == 204
    stream.refresh_from_db()
    assert stream.status == StreamStatus.ARCHIVED
    assert client.get(stream_url(stream)).json()["status"] == StreamStatus.ARCHIVED


# --- Reference data ---------------------------------------------------------------------------------


def test_any_logged_in_user_reads_the_reference_data(client, partner):
    client = logged_in(client, partner)

    assert client.get(EWC_CODES).json()["count"] == 973
    assert client.get(MATERIALS).status_code == 200
    assert {row["code"] for row in client.get(UNITS).json()} >= {"kg", "t", "MWh", "m3"}


def test_reference_data_is_read_only(client, coordinator):
    client = logged_in(client, coordinator)

    assert client.post(MATERIALS, {"code": "x"}, content_type="application/json").status_code == 405
    assert client.delete(f"{UNITS}t/").status_code == 405


def test_waste_codes_are_in_code_order_and_filtered_by_level_chapter_and_hazard(client, partner):
    client = logged_in(client, partner)

    assert codes(client.get(EWC_CODES))[:3] == ["01", "01 01", "01 01 01"]
    assert client.get(EWC_CODES, {"level": "chapter"}).json()["count"] == 20
    hazardous = client.get(EWC_CODES, {"chapter": "15", "hazardous": "true", "level": "entry"})
    assert codes(hazardous) == ["15 01 10", "15 01 11", "15 02 02"]


def test_a_waste_code_is_retrieved_by_its_code_with_spaces(client, partner):
    response = logged_in(client, partner).get(f"{EWC_CODES}15%2001%2003/")

    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["parent"], data["chapter"], data["hazardous"]) == ("15 01 03", "15 01", "15", False)
    assert data["description"] == "emballages en bois"
    assert data["material"] == "wood.packaging"


def test_waste_code_search_ranks_the_exact_code_and_the_name_first(client, partner):
    client = logged_in(client, partner)

    assert codes(client.get(EWC_CODES, {"search": "150103"}))[0] == "15 01 03"
    by_name = codes(client.get(EWC_CODES, {"search": "emballages en bois"}))
    assert by_name[0] == "15 01 03"
    assert codes(client.get(EWC_CODES, {"search": "introuvable zzz"})) == []


def test_material_search_ranks_names_before_synonyms_and_words_found_anywhere(client, partner):
    client = logged_in(client, partner)

    palettes = codes(client.get(MATERIALS, {"search": "palettes"}))
    assert palettes[0] == "wood.pallets"
    assert codes(client.get(MATERIALS, {"search": "wood.pallets"}))[0] == "wood.pallets"
    # « sciure » is a synonym of sawdust: found, although the name is « Sciures et copeaux ».
    assert codes(client.get(MATERIALS, {"search": "copeaux"}))[0] == "wood.sawdust"
    assert codes(client.get(MATERIALS, {"search": "mâchefers"}))[0] == "minerals.ash.bottom"


def test_materials_are_filtered_by_family_and_show_their_tree_and_uses(client, partner):
    client = logged_in(client, partner)

    wood = codes(client.get(MATERIALS, {"family": "wood"}))
    assert wood[0] == "wood"
    assert all(code == "wood" or code.startswith("wood.") for code in wood)
    pallets = client.get(f"{MATERIALS}wood.pallets/").json()
    assert (pallets["parent"], pallets["family"], pallets["dimension"]) == ("wood", "wood", "mass")
    assert "EPAL" in pallets["synonyms_fr"]
    assert "wood.fuel" in {use["use_material"] for use in pallets["uses"]}
    assert all(use["source"] for use in pallets["uses"])


def test_the_material_list_takes_a_fixed_number_of_queries(client, partner):
    client = logged_in(client, partner)
    client.get(MATERIALS)

    with CaptureQueriesContext(connection) as small:
        client.get(MATERIALS, {"page_size": 5})
    with CaptureQueriesContext(connection) as large:
        client.get(MATERIALS, {"page_size": 100})

    assert len(large) == len(small)


# --- Inventory ---------------------------------------------------------------------------------------


def test_the_inventory_is_for_coordinators_only(client, member, partner, member_viewer):
    for user in (member, partner, member_viewer):
        assert logged_in(client, user).get(INVENTORY).status_code == 403


def test_the_inventory_gives_the_figures_of_the_page(client, coordinator, member_org, other_member_org):
    recyclerie, acierie = member_org.sites.get(), other_member_org.sites.get()
    StreamFactory(site=recyclerie, quantity=Decimal("12"), current_route_cost=Decimal("1800"))
    StreamFactory(site=acierie, quantity=Decimal("8"), current_route=Route.LOCAL_VALORISATION)
    StreamFactory(site=acierie, quantity=Decimal("100"), status=StreamStatus.ARCHIVED)
    StreamFactory(site=acierie, direction=Direction.NEED, material=material("skills.training"), unit=unit("h"))

    data = logged_in(client, coordinator).get(INVENTORY).json()

    (wood,) = data["families"]["mass"]
    assert (wood["code"], wood["total"], wood["offer_count"]) == ("wood", 20.0, 2)
    assert data["shares"]["total_tonnes"] == 20.0
    assert data["shares"]["local_percent"] == 40.0
    assert data["shares"]["disposed_percent"] == 60.0
    (biggest,) = data["biggest_unvalorised_offers"]
    assert (biggest["member_name"], biggest["commune"], biggest["annual_quantity"]) == (
        "Recyclerie du Val de Fensch",
        "Hayange",
        12.0,
    )
    assert biggest["current_route_cost"] == 1800.0
    assert [row["material_code"] for row in data["needs_without_local_supply"]] == ["skills.training"]
    assert len(data["offers_without_local_use"]) == 2
