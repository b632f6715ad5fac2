"""The territory inventory, checked against figures computed by hand on a small territory."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.enums import MembershipStatus
from waste_flows.enums import Confidentiality, Direction, Route, StreamKind, StreamStatus
from waste_flows.inventory import (
    biggest_unvalorised_offers,
    inventory_streams,
    needs_without_local_supply,
    offers_without_local_use,
    territory_inventory,
)

from ..members.factories import MemberFactory, SiteFactory
from .factories import StreamFactory, material, unit

INVENTORY_URL = "/inventory/"
# Units, families, totals, biggest offers, material codes, uses, needs and offers listed (a list with no
# candidate material costs no query).
INVENTORY_QUERIES = 8


def offer(site, code, quantity, unit_code="t", route=Route.LANDFILL, **fields):
    return StreamFactory(
        site=site,
        material=material(code),
        quantity=Decimal(quantity),
        unit=unit(unit_code),
        current_route=route,
        **fields,
    )


def need(site, code, quantity, unit_code="t", **fields):
    return StreamFactory(
        site=site,
        direction=Direction.NEED,
        material=material(code),
        quantity=Decimal(quantity),
        unit=unit(unit_code),
        **fields,
    )


@pytest.fixture
def territory(member_org, other_member_org):
    """Two members. Hand-computed: 25.5 t/yr of active mass offers (wood 20.5, minerals 3, paper 2),
    300 MWh/yr of steam, 200 m² of storage; two needs, one of them supplied through pallets → wood fuel."""
    recyclerie = member_org.sites.get()
    acierie = other_member_org.sites.get()
    streams = {
        "pallets_landfill": offer(recyclerie, "wood.pallets", "12", current_route_cost=Decimal("1800")),
        "pallets_local": offer(acierie, "wood.pallets", "8", route=Route.LOCAL_VALORISATION),
        "pallets_incinerated": offer(acierie, "wood.pallets", "500", "kg", route=Route.INCINERATION),
        "cardboard": offer(recyclerie, "paper.cardboard", "2", route=Route.RECYCLING_OUTSIDE),
        "fly_ash": offer(acierie, "minerals.ash.fly", "3", current_route_cost=Decimal("450.50")),
        "steam": offer(acierie, "energy.steam", "300", "MWh", route=Route.UNKNOWN, kind=StreamKind.SURPLUS),
        "storage": offer(recyclerie, "premises.storage", "200", "m2", route="", kind=StreamKind.CAPACITY),
        "wood_fuel": need(recyclerie, "wood.fuel", "30"),
        "training": need(acierie, "skills.training", "35", "h", kind=StreamKind.SERVICE),
    }
    # Not counted: archived, draft, and a former member's stream.
    offer(recyclerie, "wood.pallets", "100", status=StreamStatus.ARCHIVED)
    offer(recyclerie, "paper.cardboard", "50", route=Route.LANDFILL, status=StreamStatus.DRAFT)
    need(acierie, "paper.mill_feedstock", "40", status=StreamStatus.DRAFT)
    former = SiteFactory(member=MemberFactory(status=MembershipStatus.FORMER), commune="Uckange")
    offer(former, "wood.pallets", "70")
    return streams


def figures_by_route(row):
    return {quantity.route: quantity.quantity for quantity in row.by_route}


def test_offers_are_summed_per_family_and_route_in_tonnes(coordinator, territory):
    families = territory_inventory(user=coordinator).families

    assert [(row.code, row.total, row.offer_count) for row in families.mass] == [
        ("wood", Decimal("20.5"), 3),
        ("minerals", Decimal("3"), 1),
        ("paper", Decimal("2"), 1),
    ]
    assert figures_by_route(families.mass[0]) == {
        Route.LANDFILL: Decimal("12"),
        Route.INCINERATION: Decimal("0.5"),
        Route.ENERGY_RECOVERY: 0,
        Route.RECYCLING_OUTSIDE: 0,
        Route.LOCAL_VALORISATION: Decimal("8"),
        Route.UNKNOWN: 0,
    }
    assert families.mass[0].name == "Bois"
    assert families.mass[0].unit_symbol == "t"
    assert {quantity.route: quantity.quantity for quantity in families.mass_by_route} == {
        Route.LANDFILL: Decimal("15"),
        Route.INCINERATION: Decimal("0.5"),
        Route.ENERGY_RECOVERY: 0,
        Route.RECYCLING_OUTSIDE: Decimal("2"),
        Route.LOCAL_VALORISATION: Decimal("8"),
        Route.UNKNOWN: 0,
    }
    assert families.mass_total == Decimal("25.5")


def test_energy_is_counted_in_megawatt_hours_apart_from_the_tonnes(coordinator, territory):
    families = territory_inventory(user=coordinator).families

    (energy,) = families.energy
    assert (energy.code, energy.total, energy.unit, energy.unit_symbol) == ("energy", Decimal("300"), "MWh", "MWh")
    assert figures_by_route(energy)[Route.UNKNOWN] == Decimal("300")


def test_other_dimensions_are_listed_in_their_base_unit_and_a_missing_route_counts_as_unknown(coordinator, territory):
    (storage,) = territory_inventory(user=coordinator).families.other

    assert (storage.code, storage.dimension, storage.total, storage.unit_symbol) == (
        "premises",
        "area",
        Decimal("200"),
        "m²",
    )
    assert figures_by_route(storage)[Route.UNKNOWN] == Decimal("200")


def test_shares_are_percentages_of_the_declared_tonnes(coordinator, territory):
    shares = territory_inventory(user=coordinator).shares

    assert shares.total_tonnes == Decimal("25.5")
    assert {share.route: share.percent for share in shares.routes} == {
        Route.LANDFILL: Decimal("58.8"),  # 15 / 25.5
        Route.INCINERATION: Decimal("2.0"),  # 0.5 / 25.5
        Route.ENERGY_RECOVERY: Decimal("0"),
        Route.RECYCLING_OUTSIDE: Decimal("7.8"),  # 2 / 25.5
        Route.LOCAL_VALORISATION: Decimal("31.4"),  # 8 / 25.5
        Route.UNKNOWN: Decimal("0"),
    }
    assert (shares.local_tonnes, shares.local_percent) == (Decimal("8"), Decimal("31.4"))
    assert (shares.disposed_tonnes, shares.disposed_percent) == (Decimal("15.5"), Decimal("60.8"))
    assert (shares.exported_tonnes, shares.exported_percent) == (Decimal("2"), Decimal("7.8"))


def test_shares_of_an_empty_territory_are_zero(coordinator):
    shares = territory_inventory(user=coordinator).shares

    assert shares.total_tonnes == 0
    assert shares.local_percent == 0
    assert all(share.percent == 0 for share in shares.routes)


def test_biggest_unvalorised_offers_are_landfilled_incinerated_or_unknown_mass_offers(coordinator, territory):
    rows = territory_inventory(user=coordinator).biggest_unvalorised_offers

    assert [(row.stream_id, row.annual_quantity) for row in rows] == [
        (territory["pallets_landfill"].pk, Decimal("12")),
        (territory["fly_ash"].pk, Decimal("3")),
        (territory["pallets_incinerated"].pk, Decimal("0.5")),
    ]
    first = rows[0]
    assert (first.member_name, first.commune, first.material_name, first.current_route_cost) == (
        "Recyclerie du Val de Fensch",
        "Hayange",
        "Palettes",
        Decimal("1800"),
    )
    assert first.current_route_label == "Enfouissement"


def test_biggest_unvalorised_offers_are_the_top_ten(coordinator, member_org):
    site = member_org.sites.get()
    for tonnes in range(1, 13):
        offer(site, "plastics.mixed", str(tonnes), route=Route.UNKNOWN)

    rows = biggest_unvalorised_offers(streams=inventory_streams(user=coordinator))

    assert [row.annual_quantity for row in rows] == [Decimal(tonnes) for tonnes in range(12, 2, -1)]


def test_a_need_supplied_through_a_material_use_is_not_listed_but_a_need_without_supply_is(coordinator, territory):
    rows = territory_inventory(user=coordinator).needs_without_local_supply

    assert [(row.stream_id, row.material_code, row.annual_quantity, row.unit) for row in rows] == [
        (territory["training"].pk, "skills.training", Decimal("35"), "h")
    ]


def test_offers_without_local_use_leave_out_the_pallets_that_can_feed_the_wood_fuel_need(coordinator, territory):
    rows = territory_inventory(user=coordinator).offers_without_local_use

    assert {row.stream_id for row in rows} == {
        territory[name].pk for name in ("cardboard", "fly_ash", "steam", "storage")
    }


def test_a_need_is_supplied_by_an_offer_of_a_descendant_but_not_of_an_ancestor(coordinator, member_org):
    site = member_org.sites.get()
    offer(site, "metals.ferrous", "5")
    offer(site, "plastics", "5")
    metals_need = need(site, "metals", "5")
    pet_need = need(site, "plastics.pet", "5")

    rows = needs_without_local_supply(streams=inventory_streams(user=coordinator))

    assert metals_need.pk not in {row.stream_id for row in rows}
    assert [row.stream_id for row in rows] == [pet_need.pk]


def test_a_material_use_towards_an_ancestor_of_the_need_supplies_it(coordinator, member_org):
    """Steam can feed "heat" (energy.steam → energy.heat), so it supplies a need for hot water below it."""
    site = member_org.sites.get()
    steam = offer(site, "energy.steam", "100", "MWh", route=Route.UNKNOWN, kind=StreamKind.SURPLUS)
    need(site, "energy.heat.hot_water", "50", "MWh")
    streams = inventory_streams(user=coordinator)

    assert needs_without_local_supply(streams=streams) == ()
    assert steam.pk not in {row.stream_id for row in offers_without_local_use(streams=streams)}


def test_an_offer_is_used_by_a_need_for_its_ancestor_or_a_descendant(coordinator, member_org):
    site = member_org.sites.get()
    pet = offer(site, "plastics.pet", "5")
    film = offer(site, "plastics.pe_film", "5")
    glass = offer(site, "glass", "5")
    need(site, "plastics.pet", "5")
    need(site, "glass.cullet", "5")

    rows = offers_without_local_use(streams=inventory_streams(user=coordinator))

    assert pet.pk not in {row.stream_id for row in rows}
    assert glass.pk not in {row.stream_id for row in rows}
    assert film.pk in {row.stream_id for row in rows}


def test_the_inventory_takes_a_fixed_number_of_queries_whatever_the_number_of_streams(
    coordinator, territory, member_org, django_assert_max_num_queries
):
    assert coordinator.is_coordinator  # the role's permissions are loaded once per request, not counted here
    with django_assert_max_num_queries(INVENTORY_QUERIES):
        territory_inventory(user=coordinator)

    site = member_org.sites.get()
    for code in ("wood.pallets", "paper.cardboard", "skills.training", "water.cooling", "biowaste.food"):
        for tonnes in range(1, 6):
            offer(site, code, str(tonnes), unit_code="h" if code.startswith("skills") else "t")
            need(site, code, str(tonnes), unit_code="h" if code.startswith("skills") else "t")

    with django_assert_max_num_queries(INVENTORY_QUERIES):
        territory_inventory(user=coordinator)


# --- The page ---


def test_the_inventory_page_is_for_the_coordination_only(client, member, partner, other_member):
    for user in (member, partner, other_member):
        client.force_login(user)
        assert client.get(INVENTORY_URL).status_code == 403


def test_the_inventory_page_shows_the_figures_in_french(client, coordinator, territory):
    client.force_login(coordinator)

    response = client.get(reverse("waste_flows:inventory"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Inventaire du territoire" in page
    assert "20,5" in page  # tonnes of wood
    assert "31,4 %" in page  # share valorised locally
    assert "width: 58.8%" in page  # the landfill bar: a CSS length, not a French number
    assert "family=wood&amp;current_route=landfill" in page
    assert "Formation" in page  # the need without supply


def test_the_inventory_page_takes_the_same_number_of_queries_for_more_streams(
    client, coordinator, territory, member_org
):
    client.force_login(coordinator)
    client.get(INVENTORY_URL)  # sessions and permissions warmed up like on any page

    with CaptureQueriesContext(connection) as few:
        client.get(INVENTORY_URL)
    site = member_org.sites.get()
    for tonnes in range(1, 30):
        offer(site, "plastics.mixed", str(tonnes), confidentiality=Confidentiality.COORDINATOR)
    with CaptureQueriesContext(connection) as many:
        client.get(INVENTORY_URL)

    assert len(many.captured_queries) == len(few.captured_queries)
