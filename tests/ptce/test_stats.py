"""Statistics of the pole (ptce.stats and /api/v1/stats/), checked against figures computed by hand on a small
pole, for the coordination (everything) and for members and partners (masked under 3 members)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.enums import MemberKind, MembershipStatus
from projects.enums import FundingSource, ProjectKind, ProjectStatus, ProjectVisibility
from projects.models import Funding, Project
from ptce import stats
from ptce.stats import Period, StatsFilters, Territory, parse_filters
from waste_flows.enums import Confidentiality, Direction, MatchKind, MatchStatus, RejectionReason, Route
from waste_flows.matches import Match

from ..members.factories import CollegeFactory, FeeFactory, MemberFactory, SiteFactory, YearlyFigureFactory
from ..waste_flows.factories import StreamFactory, material, unit
from ..waste_flows.match_factories import MatchFactory

YEAR_2025 = StatsFilters(Period.of_year(2025))


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day))


def stream(site, code, tonnes, *, created, direction=Direction.OFFER, route=Route.LANDFILL, **fields):
    made = StreamFactory(
        site=site,
        direction=direction,
        material=material(code),
        quantity=Decimal(tonnes),
        unit=unit("t"),
        current_route=route if direction == Direction.OFFER else "",
        **fields,
    )
    type(made).objects.filter(pk=made.pk).update(created_at=at(created))
    return made


def member_of(name, kind, *, joined, commune, postcode, status=MembershipStatus.ACTIVE, left=None, college=None):
    organisation = MemberFactory(name=name, kind=kind, status=status, joined_on=joined, left_on=left, college=college)
    SiteFactory(member=organisation, commune=commune, postcode=postcode)
    return organisation


def match(offer, need, *, status, created="2025-03-15", implemented=None, **fields):
    made = MatchFactory(offer=offer, need=need, status=status, **fields)
    Match.objects.filter(pk=made.pk).update(created_at=at(created))
    if implemented:
        made.history.update(history_date=at(implemented))
    return made


@pytest.fixture
def pole(member_org, other_member_org):
    """Seven organisations in 2024–2025; the docstrings of the tests give the hand-computed figures.

    Members active on 31 Dec 2025: recyclerie (ESS), aciérie (classic), forge (classic), ville (authority),
    coop (ESS) = 5; on 31 Dec 2024: recyclerie, aciérie, forge, ancienne (classic, left mid-2025) = 4."""
    ess, business = CollegeFactory(name="ESS"), CollegeFactory(name="Entreprises")
    member_org.__class__.objects.filter(pk=member_org.pk).update(
        joined_on=datetime.date(2019, 3, 1), kind=MemberKind.ESS_ENTERPRISE, college=ess
    )
    other_member_org.__class__.objects.filter(pk=other_member_org.pk).update(
        joined_on=datetime.date(2019, 5, 1), kind=MemberKind.CLASSIC_ENTERPRISE, college=business
    )
    recyclerie, acierie = member_org.sites.get(), other_member_org.sites.get()
    acierie.__class__.objects.filter(pk=acierie.pk).update(postcode="57190")
    forge = member_of("Forge", MemberKind.CLASSIC_ENTERPRISE, joined=datetime.date(2024, 6, 1), commune="Thionville",
                      postcode="57100", college=business)  # fmt: skip
    ville = member_of("Ville", MemberKind.LOCAL_AUTHORITY, joined=datetime.date(2025, 2, 1), commune="Metz",
                      postcode="57000")  # fmt: skip
    ancienne = member_of("Ancienne", MemberKind.CLASSIC_ENTERPRISE, joined=datetime.date(2018, 1, 1), commune="Yutz",
                         postcode="57970", status=MembershipStatus.FORMER, left=datetime.date(2025, 6, 30))  # fmt: skip
    member_of("Prospect", MemberKind.CLASSIC_ENTERPRISE, joined=None, commune="Metz", postcode="57000",
              status=MembershipStatus.PROSPECT)  # fmt: skip
    coop = member_of("Coop", MemberKind.ESS_ENTERPRISE, joined=datetime.date(2025, 9, 1), commune="Longwy",
                     postcode="54400", college=ess)  # fmt: skip
    forge_site, ville_site, coop_site = forge.sites.get(), ville.sites.get(), coop.sites.get()
    streams = {
        "s1": stream(recyclerie, "wood.pallets", "12", created="2024-05-01"),
        "s2": stream(acierie, "wood.pallets", "30", created="2025-03-01"),
        "s3": stream(
            forge_site,
            "wood.pallets",
            "8",
            created="2025-03-01",
            route=Route.LOCAL_VALORISATION,
            confidentiality=Confidentiality.PUBLIC,
        ),  # fmt: skip
        "s4": stream(
            ville_site, "wood.pallets", "50", created="2025-03-01", confidentiality=Confidentiality.COORDINATOR
        ),
        "s5": stream(acierie, "wood.fuel", "20", created="2025-03-01", direction=Direction.NEED),
        "s6": stream(
            coop_site,
            "paper.cardboard",
            "5",
            created="2025-10-01",
            route=Route.RECYCLING_OUTSIDE,
            confidentiality=Confidentiality.PUBLIC,
        ),  # fmt: skip
        "s8": stream(forge_site, "wood.pallets", "10", created="2025-03-01"),
        "s9": stream(ville_site, "wood.fuel", "40", created="2025-03-01", direction=Direction.NEED),
    }
    matches = {
        "x1": match(
            streams["s1"],
            streams["s5"],
            status=MatchStatus.IMPLEMENTED,
            implemented="2025-04-01",
            tonnes_per_year=12,
            actual_tonnes_per_year=10,
            co2e_avoided_t=3.5,
            euros_saved=1200,
        ),  # fmt: skip
        "x2": match(streams["s8"], streams["s5"], status=MatchStatus.INTRODUCED),
        "x3": match(
            streams["s2"], streams["s9"], status=MatchStatus.REJECTED, rejection_reason=RejectionReason.DISTANCE
        ),
        "x4": match(streams["s3"], streams["s9"], status=MatchStatus.SUGGESTED),
    }
    for organisation, year, permanent, insertion in (
        (member_org, 2025, "10.5", "3.2"), (other_member_org, 2025, "20", "0"), (forge, 2025, "5", "2"),
        (ville, 2025, "2", "0"), (member_org, 2024, "9", "3"), (other_member_org, 2024, "18", "0"),
    ):  # fmt: skip
        YearlyFigureFactory(
            member=organisation, year=year, permanent_fte=Decimal(permanent), insertion_fte=Decimal(insertion)
        )
    FeeFactory(member=member_org, year=2025, amount_due=Decimal("250"), amount_paid=Decimal("250"))
    FeeFactory(member=other_member_org, year=2025, amount_due=Decimal("250"), amount_paid=Decimal("100"))
    FeeFactory(member=forge, year=2025, amount_due=Decimal("500"), amount_paid=Decimal("0"))
    FeeFactory(member=member_org, year=2024, amount_due=Decimal("250"), amount_paid=Decimal("250"))
    projects = {
        "p1": project(member_org, ProjectStatus.IMPLEMENTATION, ProjectVisibility.PUBLIC, created="2025-01-10"),
        "p2": project(other_member_org, ProjectStatus.IDEA, ProjectVisibility.MEMBERS, created="2024-06-01"),
        "p3": project(forge, ProjectStatus.ABANDONED, ProjectVisibility.COORDINATOR, created="2025-02-01"),
    }
    Funding.objects.create(project=projects["p1"], source=FundingSource.ADEME, amount_requested=Decimal("50000"),
                           amount_granted=Decimal("40000"), granted_on=datetime.date(2025, 5, 1))  # fmt: skip
    return {"streams": streams, "matches": matches, "projects": projects, "ancienne": ancienne, "coop": coop}


def project(lead, status, visibility, *, created):
    made = Project.objects.create(
        title=f"Projet de {lead}", kind=ProjectKind.CHANNEL, status=status, lead_member=lead, visibility=visibility
    )
    # History written at creation is dated today: moved back with the project, as if it had been created then.
    Project.objects.filter(pk=made.pk).update(created_at=at(created))
    made.history.update(history_date=at(created))
    return made


def kpis(user, filters=YEAR_2025) -> dict:
    return {kpi["code"]: kpi for kpi in stats.kpi_summary(user=user, filters=filters)["kpis"]}


# --- KPIs against hand-computed figures --------------------------------------------------------------------


def test_kpis_of_the_coordination_match_the_figures_computed_by_hand(pole, coordinator):
    """Members 5 (4 a year before); FTE 37.5 permanent (27) and 5.2 insertion (3); fees 350 € collected,
    650 € owed (250 / 0 in 2024); 8 streams (1); offers 12+30+50+10 t of pallets to landfill, 8 t recycled
    locally, 5 t of cardboard = 115 t (12 t), 8/115 = 7.0 % local; 4 matches found; one implemented in April
    2025 with 10 t actually exchanged, 3.5 t CO2e, 1,200 €; open projects: p1 and p2 (p2 only in 2024);
    40,000 € granted in May 2025."""
    figures = kpis(coordinator)

    expected = {
        "active_members": (5, 4, 1),
        "permanent_fte": (37.5, 27.0, 10.5),
        "insertion_fte": (5.2, 3.0, 2.2),
        "fees_collected": (350.0, 250.0, 100.0),
        "fees_outstanding": (650.0, 0.0, 650.0),
        "streams_declared": (8, 1, 7),
        "tonnes_declared": (115.0, 12.0, 103.0),
        "local_share": (7.0, 0.0, 7.0),
        "opportunities_found": (4, 0, 4),
        "matches_implemented": (1, 0, 1),
        "tonnes_diverted": (10.0, 0.0, 10.0),
        "co2e_avoided": (3.5, 0.0, 3.5),
        "euros_saved": (1200, 0, 1200),
        "open_projects": (2, 1, 1),
        "funding_secured": (40000.0, 0.0, 40000.0),
    }
    assert {code: (kpi["value"], kpi["previous"], kpi["change"]) for code, kpi in figures.items()} == expected
    assert not any(kpi["masked"] for kpi in figures.values())


def test_a_year_before_the_figures_are_those_of_its_last_day(pole, coordinator):
    figures = kpis(coordinator, StatsFilters(Period.of_year(2024)))

    assert figures["active_members"]["value"] == 4
    assert figures["tonnes_declared"]["value"] == 12.0
    assert figures["matches_implemented"]["value"] == 0
    assert figures["open_projects"]["value"] == 1


def test_a_range_of_dates_compares_with_the_range_of_same_length_just_before(pole, coordinator):
    """1 Jan – 30 Jun 2025 (181 days) against 4 Jul – 31 Dec 2024: the implemented match of April counts in the first."""
    filters = parse_filters({"date_from": "2025-01-01", "date_to": "2025-06-30"})
    figures = kpis(coordinator, filters)

    assert filters.period.previous() == Period(datetime.date(2024, 7, 4), datetime.date(2024, 12, 31))
    assert figures["matches_implemented"]["value"] == 1
    assert figures["matches_implemented"]["previous"] == 0
    # On 30 June 2025: recyclerie, aciérie, forge, ville (the ancienne left that day, the coop came later).
    assert figures["active_members"]["value"] == 4


def test_partners_get_kpis_masked_where_fewer_than_3_members_are_behind_them(pole, partner):
    """Members per kind on 31 Dec 2025: ESS 2, classic 2, authority 1 → all masked; in 2024 the 3 classic
    members are shown. Jobs: every kind has fewer than 3 members with figures. Fees: coordination only."""
    figures = kpis(partner)

    assert figures["active_members"]["value"] is None
    assert figures["active_members"]["masked"] is True
    assert figures["active_members"]["previous"] == 3
    assert figures["permanent_fte"]["value"] is None
    assert figures["fees_collected"]["value"] is None
    assert figures["fees_collected"]["masked_reason"] == "Chiffre réservé à la coordination du pôle."
    assert figures["tonnes_diverted"]["value"] is None  # one implemented match between 2 members


def test_member_totals_leave_out_masked_buckets_and_coordinator_only_streams(pole, member):
    """Shared pallets to landfill: 12 + 30 + 10 t from 3 members = 52 t (the town's 50 t are coordinator-only);
    the local pallets (1 member) and the cardboard (1 member) are masked and left out of the total."""
    tonnes = kpis(member)["tonnes_declared"]

    assert tonnes["value"] == 52.0
    assert tonnes["masked"] is True
    assert "2 groupes" in tonnes["masked_reason"]


# --- Details -------------------------------------------------------------------------------------------------


def test_flows_give_tonnes_per_family_and_route_and_the_local_share(pole, coordinator):
    figures = stats.flows(user=coordinator, filters=YEAR_2025)

    cells = {(row["family"], row["route"]): (row["quantity"], row["offers"]) for row in figures["rows"]}
    assert cells == {
        ("wood", Route.LANDFILL): (102.0, 4),
        ("wood", Route.LOCAL_VALORISATION): (8.0, 1),
        ("paper", Route.RECYCLING_OUTSIDE): (5.0, 1),
    }
    # Members are counted to mask small buckets: not for the coordination, to whom nothing is masked.
    assert {row["members"] for row in figures["rows"]} == {None}
    assert (figures["total_tonnes"], figures["local_tonnes"], figures["local_percent"]) == (115.0, 8.0, 7.0)


def test_a_member_never_gets_another_members_coordinator_only_tonnage(pole, member):
    figures = stats.flows(user=member, filters=YEAR_2025)

    landfill = next(row for row in figures["rows"] if row["route"] == Route.LANDFILL)
    assert (landfill["quantity"], landfill["members"]) == (52.0, 3)
    local = next(row for row in figures["rows"] if row["route"] == Route.LOCAL_VALORISATION)
    assert local == {**local, "quantity": None, "offers": None, "members": None, "masked": True}
    assert local["masked_reason"] == "Chiffre masqué : il porte sur moins de 3 membres."
    assert figures["total_tonnes"] == 52.0


def test_the_map_weighs_sites_with_the_streams_the_user_may_read_one_by_one(pole, coordinator, member, partner):
    def forge_and_town(user):
        sites = stats.map_sites(user=user, filters=YEAR_2025)["features"]
        tonnes = {feature["properties"]["member_name"]: feature["properties"]["tonnes"] for feature in sites}
        return tonnes["Forge"], tonnes["Ville"]

    # The town offers 50 t (coordinator-only) and needs 40 t (members-only).
    assert forge_and_town(coordinator) == (18.0, 90.0)
    assert forge_and_town(member) == (18.0, 40.0)
    assert forge_and_town(partner) == (8.0, 0.0)  # public streams only


def test_map_filters_sites_by_family_and_direction(pole, coordinator):
    filters = parse_filters({"year": "2025", "family": "paper", "direction": "offer"})

    sites = stats.map_sites(user=coordinator, filters=filters)["features"]

    assert [(f["properties"]["member_name"], f["properties"]["tonnes"]) for f in sites] == [("Coop", 5.0)]
    assert sites[0]["geometry"] == {"type": "Point", "coordinates": [6.062, 49.3298]}


def test_map_lines_are_the_coordinations_and_the_members_own_introduced_matches(pole, coordinator, member, partner):
    def lines(user):
        return sorted(f["properties"]["status"] for f in stats.map_matches(user=user, filters=YEAR_2025)["features"])

    assert lines(coordinator) == [MatchStatus.IMPLEMENTED, MatchStatus.INTRODUCED]
    assert lines(member) == [MatchStatus.IMPLEMENTED]  # the recyclerie takes part in x1 only
    assert lines(partner) == []


def test_pooling_opportunities_are_drawn_around_their_hub(pole, coordinator):
    streams = pole["streams"]
    pooling = MatchFactory(kind=MatchKind.POOLING, offer=None, need=None, hub_site=streams["s8"].site,
                           total_quantity=52000, threshold=80000)  # fmt: skip
    pooling.streams.set([streams["s1"], streams["s2"], streams["s8"]])

    features = stats.map_pooling(user=coordinator, filters=StatsFilters(Period.of_year(timezone.localdate().year)))[
        "features"
    ]

    assert len(features) == 1
    assert features[0]["properties"]["threshold_share"] == 0.65
    assert len(features[0]["properties"]["contributors"]) == 3


def test_impact_and_funnel_per_kind_of_opportunity(pole, coordinator):
    impact = stats.impact(user=coordinator, filters=YEAR_2025)
    funnel = stats.funnel(user=coordinator, filters=YEAR_2025)

    assert impact["total"] == {
        "implemented": 1, "tonnes_per_year": 10.0, "co2e_avoided_t": 3.5, "euros_saved": 1200,
        "masked": False, "masked_buckets": 0,
    }  # fmt: skip
    substitution = next(kind for kind in funnel["kinds"] if kind["kind"] == MatchKind.SUBSTITUTION)
    stages = {stage["status"]: (stage["current"], stage["reached"]) for stage in substitution["stages"]}
    assert stages == {"suggested": (1, 3), "reviewed": (0, 2), "introduced": (1, 2), "in_discussion": (0, 1),
                      "implemented": (1, 1)}  # fmt: skip
    assert substitution["rejected"]["count"] == 1
    assert substitution["rejected"]["reasons"] == [{"reason": "distance", "label": "Trop loin", "count": 1}]


def test_funnel_stages_are_masked_for_partners_under_3_members(pole, partner):
    funnel = stats.funnel(user=partner, filters=YEAR_2025)

    substitution = next(kind for kind in funnel["kinds"] if kind["kind"] == MatchKind.SUBSTITUTION)
    implemented = substitution["stages"][-1]
    assert (implemented["current"], implemented["masked"]) == (None, True)
    # Suggested or later: x1 (recyclerie, aciérie), x2 (forge, aciérie), x4 (forge, ville) → 3 members at least.
    assert substitution["stages"][0]["reached"] == 3


def test_members_per_kind_and_college(pole, coordinator):
    figures = stats.members(user=coordinator, filters=YEAR_2025)

    assert {row["kind"]: row["count"] for row in figures["by_kind"]} == {
        MemberKind.ESS_ENTERPRISE: 2, MemberKind.CLASSIC_ENTERPRISE: 2, MemberKind.LOCAL_AUTHORITY: 1,
    }  # fmt: skip
    assert {row["label"]: row["count"] for row in figures["by_college"]} == {"ESS": 2, "Entreprises": 2, "": 1}
    assert figures["total"]["count"] == 5


def test_jobs_of_the_year_per_member_kind(pole, coordinator):
    figures = stats.jobs(user=coordinator, filters=YEAR_2025)

    assert {row["kind"]: (row["permanent_fte"], row["insertion_fte"]) for row in figures["by_kind"]} == {
        MemberKind.ESS_ENTERPRISE: (10.5, 3.2), MemberKind.CLASSIC_ENTERPRISE: (25.0, 2.0),
        MemberKind.LOCAL_AUTHORITY: (2.0, 0.0),
    }  # fmt: skip
    assert (figures["total"]["permanent_fte"], figures["total"]["insertion_fte"]) == (37.5, 5.2)


def test_projects_per_status_and_funding_per_source(pole, coordinator, partner):
    figures = stats.projects(user=coordinator, filters=YEAR_2025)

    counts = {row["status"]: row["count"] for row in figures["by_status"] if row["count"]}
    assert counts == {ProjectStatus.IDEA: 1, ProjectStatus.IMPLEMENTATION: 1, ProjectStatus.ABANDONED: 1}
    assert figures["by_source"][0] | {"members": 1} == {
        "source": "ademe", "label": "ADEME", "requested": 50000.0, "granted": 40000.0, "received": None,
        "members": 1, "masked": False, "masked_reason": "",
    }  # fmt: skip
    # Partners count public and members-only projects (p1, p2), one lead member each: masked.
    shared = {row["status"]: row for row in stats.projects(user=partner, filters=YEAR_2025)["by_status"]}
    assert shared[ProjectStatus.IDEA]["masked"] and shared[ProjectStatus.IMPLEMENTATION]["masked"]
    assert (shared[ProjectStatus.ABANDONED]["count"], shared[ProjectStatus.ABANDONED]["masked"]) == (0, False)


def test_trends_give_one_point_per_year(pole, coordinator):
    years = stats.trends(user=coordinator, filters=YEAR_2025, years=3)["years"]

    assert [(p["year"], p["members"], p["tonnes_diverted"], p["permanent_fte"]) for p in years] == [
        (2023, 3, 0.0, 0.0), (2024, 4, 0.0, 27.0), (2025, 5, 10.0, 37.5),
    ]  # fmt: skip


def test_sankey_links_families_to_routes_and_routes_to_receiving_members(pole, coordinator, partner):
    figures = stats.sankey(user=coordinator, filters=YEAR_2025)

    links = {(link["source"], link["target"]): link["tonnes"] for link in figures["links"]}
    receiver = f"member:{pole['streams']['s5'].site.member_id}"
    assert links == {
        ("family:wood", "route:landfill"): 102.0, ("family:wood", "route:local_valorisation"): 8.0,
        ("family:paper", "route:recycling_outside"): 5.0, ("route:landfill", receiver): 10.0,
    }  # fmt: skip
    shared = stats.sankey(user=partner, filters=YEAR_2025)
    assert [(link["source"], link["target"]) for link in shared["links"]] == [("family:wood", "route:landfill")]
    assert shared["masked_links"] == 2


# --- Filters -------------------------------------------------------------------------------------------------


def test_a_department_keeps_the_sites_whose_postcode_starts_with_it(pole, coordinator):
    moselle = StatsFilters(Period.of_year(2025), Territory(department="57"))
    meurthe = StatsFilters(Period.of_year(2025), Territory(department="54"))

    assert kpis(coordinator, moselle)["tonnes_declared"]["value"] == 110.0
    assert kpis(coordinator, moselle)["active_members"]["value"] == 4
    assert kpis(coordinator, meurthe)["tonnes_declared"]["value"] == 5.0


def test_communes_and_a_box_narrow_the_territory(pole, coordinator):
    metz = parse_filters({"year": "2025", "commune": ["metz"]})
    nowhere = parse_filters({"year": "2025", "bbox": "-5,43,-4,44"})

    assert kpis(coordinator, metz)["tonnes_declared"]["value"] == 50.0
    assert kpis(coordinator, nowhere)["active_members"]["value"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "nineteen"}, "year"),
        ({"date_from": "2025-02-01"}, "date_to"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to"),
        ({"department": "Moselle"}, "department"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_wrong_filters_are_refused_with_the_parameter_named(params, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        parse_filters(params)

    assert field in refused.value.message_dict


# --- API -----------------------------------------------------------------------------------------------------


ENDPOINTS = ["summary", "flows", "impact", "members", "jobs", "projects", "funnel", "sankey", "trends",
             "map-sites", "map-matches", "map-pooling"]  # fmt: skip


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_stats_endpoint_answers_coordinators_members_and_partners(
    client, pole, coordinator, member, partner, name
):
    for user in (coordinator, member, partner):
        client.force_login(user)
        response = client.get(reverse(f"api:stats-{name}"), {"year": 2025})
        assert response.status_code == 200, (user, response.content)


def test_stats_are_refused_to_users_without_a_role(client, plain_user):
    client.force_login(plain_user)

    assert client.get(reverse("api:stats-summary")).status_code == 403


def test_api_flows_are_masked_for_partners_and_say_so(client, pole, partner):
    client.force_login(partner)

    body = client.get(reverse("api:stats-flows"), {"year": 2025}).json()

    assert body["masking"] == {"applies": True, "min_members": 3}
    masked = [row for row in body["rows"] if row["masked"]]
    assert len(masked) == 2
    assert all(row["quantity"] is None and row["masked_reason"] for row in masked)


def test_api_filters_are_validated(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("api:stats-summary"), {"year": "soon"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"


def test_map_layers_are_geojson_feature_collections(client, pole, coordinator):
    client.force_login(coordinator)

    body = client.get(reverse("api:stats-map-matches"), {"year": 2025}).json()

    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"]["type"] == "LineString"


def test_api_answers_are_cached_apart_for_each_visibility(client, pole, coordinator, member, partner):
    answers = {}
    for user in (coordinator, member, partner):
        client.force_login(user)
        answers[user] = client.get(reverse("api:stats-summary"), {"year": 2025}).json()

    def fees(answer):
        return next(kpi for kpi in answer["kpis"] if kpi["code"] == "fees_collected")

    assert fees(answers[coordinator])["value"] == 350.0
    assert fees(answers[member])["value"] is None and fees(answers[partner])["value"] is None
    assert answers[member]["masking"] == answers[partner]["masking"] != answers[coordinator]["masking"]


def test_api_answers_follow_a_write_to_the_pole(client, pole, coordinator):
    client.force_login(coordinator)
    before = client.get(reverse("api:stats-impact"), {"year": 2025}).json()["total"]["implemented"]
    grow(pole)  # ten more implemented matches, among others

    assert client.get(reverse("api:stats-impact"), {"year": 2025}).json()["total"]["implemented"] == before + 10


def test_stats_views_declare_the_scope_api_keys_need():
    from ptce.api.stats import StatsViewSet

    assert StatsViewSet.required_scopes == {"read": "stats:read", "write": None}


def test_stats_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = [path for path in schema["paths"] if path.startswith("/api/v1/stats/")]
    assert "/api/v1/stats/summary/" in paths
    assert "/api/v1/stats/map/sites/" in paths
    parameters = {p["name"] for p in schema["paths"]["/api/v1/stats/flows/"]["get"]["parameters"]}
    assert {"year", "date_from", "date_to", "commune", "department", "bbox"} <= parameters


# --- Query counts --------------------------------------------------------------------------------------------


def grow(pole):
    """Ten more members, each with a site, offers and needs, yearly figures, and a match between two of them."""
    for n in range(10):
        organisation = member_of(f"Ajout {n}", MemberKind.CLASSIC_ENTERPRISE, joined=datetime.date(2020, 1, 1),
                                 commune="Hayange", postcode="57700")  # fmt: skip
        site = organisation.sites.get()
        offer = stream(site, "wood.pallets", "3", created="2025-02-01")
        stream(site, "paper.cardboard", "2", created="2025-02-01", route=Route.LOCAL_VALORISATION)
        need = stream(site, "wood.fuel", "4", created="2025-02-01", direction=Direction.NEED)
        YearlyFigureFactory(member=organisation, year=2025)
        match(
            offer, need if n % 2 else pole["streams"]["s9"], status=MatchStatus.IMPLEMENTED, implemented="2025-05-01"
        )


def count_queries(function, *, user, **kwargs) -> int:
    assert user.is_coordinator in (True, False)  # permissions are loaded once per user, before counting
    with CaptureQueriesContext(connection) as queries:
        function(user=user, **kwargs)
    return len(queries)


STATS_FUNCTIONS = [
    stats.kpi_summary, stats.flows, stats.sankey, stats.impact, stats.funnel, stats.members, stats.jobs,
    stats.projects, stats.trends, stats.map_sites, stats.map_matches, stats.map_pooling,
]  # fmt: skip


@pytest.mark.parametrize("function", STATS_FUNCTIONS, ids=lambda function: function.__name__)
def test_statistics_cost_the_same_queries_whatever_the_size_of_the_pole(pole, coordinator, member, function):
    small = {user: count_queries(function, user=user, filters=YEAR_2025) for user in (coordinator, member)}
    grow(pole)

    for user, queries in small.items():
        assert count_queries(function, user=user, filters=YEAR_2025) == queries
        assert queries <= 10


def test_the_summary_costs_eight_queries(pole, coordinator, django_assert_num_queries):
    assert coordinator.is_coordinator
    with django_assert_num_queries(8):
        stats.kpi_summary(user=coordinator, filters=YEAR_2025)


def test_jobs_count_each_members_latest_figures_up_to_the_year(pole, coordinator):
    """The coop entered its 2024 figures only (4 FTE): they still count at the end of 2025."""
    YearlyFigureFactory(member=pole["coop"], year=2024, permanent_fte=Decimal("4"), insertion_fte=Decimal("0"))

    assert kpis(coordinator)["permanent_fte"]["value"] == 41.5
    assert kpis(coordinator)["permanent_fte"]["previous"] == 31.0
