from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from members.demo import DEMO_COORDINATOR_EMAIL, MEMBERS
from waste_flows.demo import demo_streams
from waste_flows.enums import Confidentiality, Direction, Period, Route, StreamKind, StreamStatus
from waste_flows.models import EwcCode, Material, Stream, Unit
from waste_flows.quantities import units_compatible
from waste_flows.services import stream_validate

# What the pole's story needs among the active offers: one material code each, at least.
OFFERED = (
    "wood.pallets", "wood.packaging", "wood.sawdust", "paper.cardboard", "plastics.pe_film", "biowaste.food",
    "biowaste.agrifood", "biowaste.green", "fats.cooking_oil", "metals.ferrous", "metals.non_ferrous.mixed",
    "metals.non_ferrous.copper", "minerals.slag", "minerals.ash.fly", "minerals.ash.bottom", "minerals.foundry_sand",
    "minerals.gypsum", "chemicals.solvents", "chemicals.mineral_oils", "energy.steam", "energy.heat.process",
    "energy.heat.warm_water", "water.cooling", "premises.storage", "equipment.machinery", "skills.insertion",
    "skills.training", "services.waste_collection",
)  # fmt: skip
SHARED_SERVICES = ("services.waste_collection", "services.transport", "skills.training", "services.maintenance", "premises.storage")  # fmt: skip
HAZARDOUS_FAMILIES = ("chemicals", "batteries.lead", "residual.contaminated_packaging")


def seed_demo() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The seed takes a few seconds: it runs once for this module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


@pytest.fixture
def seed_output(seeded_once, db):
    return seeded_once


# --- The data alone, without a database -------------------------------------------------------------


def test_demo_streams_belong_to_demo_members_and_sites_and_are_keyed_once():
    sites = {(member.key, index) for member in MEMBERS for index in range(len(member.sites))}
    streams = demo_streams()

    assert {(demo.member, demo.site) for demo in streams} <= sites
    keys = Counter((demo.member, demo.site, demo.direction, demo.material, demo.description) for demo in streams)
    assert [key for key, count in keys.items() if count > 1] == []


def test_demo_streams_are_the_same_on_every_call():
    assert demo_streams() == demo_streams()


# --- The seeded streams -----------------------------------------------------------------------------


def test_seed_creates_about_two_hundred_streams_of_most_members(seed_output):
    assert 200 <= Stream.objects.count() <= 300
    assert "streams: " in seed_output
    members_with_streams = Stream.objects.values("site__member").distinct().count()
    assert members_with_streams >= len(MEMBERS) - 5


def test_every_family_of_offers_of_the_pole_is_present(seed_output):
    offered = set(Stream.objects.active().offers().values_list("material__code", flat=True))

    assert set(OFFERED) - offered == set()


def test_every_stream_uses_existing_reference_data_and_passes_the_services_validation(seed_output):
    for stream in Stream.objects.select_related("material", "unit", "ewc_code"):
        stream_validate(stream)
        stream.full_clean()
        assert units_compatible(
            unit_dimension=stream.unit.dimension,
            material_dimension=stream.material.dimension,
            density_kg_per_m3=stream.material.density_kg_per_m3,
        )
        assert stream.ewc_code is None or stream.ewc_code.level == "entry"


def test_wood_pallets_are_offered_by_many_firms_mostly_to_landfill_or_unknown_with_a_yearly_cost(seed_output):
    pallets = Stream.objects.offers().filter(material__code="wood.pallets")

    assert pallets.values("site__member").distinct().count() >= 20
    for stream in pallets:
        assert Decimal(5000) <= stream.annual_quantity <= Decimal(60000)
        assert stream.current_route_cost and stream.current_route_cost > 0
    routes = Counter(pallets.values_list("current_route", flat=True))
    assert routes[Route.LANDFILL] + routes[Route.UNKNOWN] > len(pallets) * 0.7


def test_the_wood_boilers_and_the_methaniser_needs_exist(seed_output):
    wood_fuel = (
        Stream.objects.active().needs().get(material__code="wood.fuel", site__member__short_name="SCIC Bois Énergie")
    )
    methaniser = Stream.objects.active().needs().get(material__code="biowaste.methanisation_feedstock")

    assert wood_fuel.annual_quantity == Decimal(1_200_000)
    assert methaniser.annual_quantity == Decimal(8_000_000)
    fed_by = set(Material.objects.get(code="wood.fuel").fed_by.values_list("material__code", flat=True))
    assert Stream.objects.active().offers().filter(material__code__in=fed_by).count() >= 20


def test_hazardous_streams_carry_hazardous_waste_codes(seed_output):
    offers = Stream.objects.offers().filter(material__code__regex=rf"^({'|'.join(HAZARDOUS_FAMILIES)})")

    assert offers.count() >= 15
    assert all(stream.is_hazardous for stream in offers.select_related("ewc_code"))
    hazardous_needs = Stream.objects.needs().filter(ewc_code__hazardous=True)
    assert hazardous_needs.exists()
    assert all(need.accepts_hazardous for need in hazardous_needs)


def test_steel_plants_offer_steam_per_hour_and_heat(seed_output):
    steam = Stream.objects.get(material__code="energy.steam")

    assert (steam.unit_id, steam.period, steam.kind) == ("t_steam", Period.HOUR, StreamKind.SURPLUS)
    assert steam.annual_quantity == 6 * 750 * 8760  # kWh
    assert Stream.objects.filter(material__code="energy.heat.warm_water", direction=Direction.OFFER).count() >= 2


def test_shared_needs_and_capacities_are_declared_by_several_members(seed_output):
    for code in SHARED_SERVICES:
        assert Stream.objects.needs().filter(material__code=code).values("site__member").distinct().count() >= 3, code
    assert Stream.objects.filter(kind=StreamKind.CAPACITY).count() >= 15


def test_confidentiality_and_status_are_mixed(seed_output):
    levels = Counter(Stream.objects.values_list("confidentiality", flat=True))
    statuses = Counter(Stream.objects.values_list("status", flat=True))

    assert levels[Confidentiality.MEMBERS] > levels[Confidentiality.PUBLIC] > levels[Confidentiality.COORDINATOR] > 0
    assert statuses[StreamStatus.DRAFT] >= 3 and statuses[StreamStatus.ARCHIVED] >= 2
    assert not Stream.objects.active().filter(site__member__status="prospect").exists()


def test_history_names_the_coordinator_as_author_of_every_stream(seed_output):
    authors = set(Stream.history.values_list("history_user__email", flat=True))

    assert authors == {DEMO_COORDINATOR_EMAIL}
    assert set(Stream.objects.values_list("declared_by__email", flat=True)) == {DEMO_COORDINATOR_EMAIL}


def test_running_the_seed_again_creates_no_stream(seed_output):
    before = (Stream.objects.count(), Stream.history.count())

    output = seed_demo()

    assert (Stream.objects.count(), Stream.history.count()) == before
    assert f"streams: {before[0]} (0 created)" in output


def test_reference_data_used_by_the_demo_exists(db):
    streams = demo_streams()

    assert {demo.material for demo in streams} <= set(Material.objects.values_list("code", flat=True))
    assert {demo.unit for demo in streams} <= set(Unit.objects.values_list("code", flat=True))
    codes = {demo.ewc for demo in streams if demo.ewc}
    assert EwcCode.objects.filter(code__in=codes, level="entry").count() == len(codes)
