"""A coordinator turns an opportunity into a project: title, type, lead, participants with their roles,
place, quantities and this year's targets come from the match."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.enums import ActivityKind, IndicatorKind, ParticipantRole, ProjectKind, ProjectStatus, ProjectVisibility
from waste_flows.enums import Direction, MatchKind, MatchStatus, StreamKind
from waste_flows.matches import MatchParticipant

from ..members.factories import MemberFactory, SiteFactory
from ..waste_flows.factories import StreamFactory, material
from ..waste_flows.match_factories import MatchFactory

YEAR = timezone.localdate().year


@pytest.fixture
def substitution(member_org, other_member_org):
    """The steelworks' pallets (12 t/yr) feed the recyclerie's need, 12 km away."""
    offer = StreamFactory(site=other_member_org.sites.get())
    need = StreamFactory(site=member_org.sites.get(), direction=Direction.NEED)
    return MatchFactory(offer=offer, need=need, tonnes_per_year=12, co2e_avoided_t=3.5, euros_saved=1200)


def pooled(*, contributors, hub_site, need=None, **fields):
    match = MatchFactory(kind=MatchKind.POOLING, offer=None, need=need, hub_site=hub_site, **fields)
    streams = [StreamFactory(site=site, quantity=Decimal(tonnes)) for site, tonnes in contributors]
    match.streams.set([*streams, *([need] if need else [])])
    for stream in match.streams.all():
        MatchParticipant.objects.get_or_create(match=match, member_id=stream.site.member_id)
    return match


def test_a_substitution_becomes_a_channel_project_led_by_the_receiver(coordinator, substitution, member_org):
    project = services.project_create_from_match(match=substitution, by=coordinator)

    assert project.title == "Substitution — Palettes"
    assert (project.kind, project.status) == (ProjectKind.CHANNEL, ProjectStatus.IDEA)
    assert project.lead_member == member_org
    assert (project.site, project.commune) == (substitution.need.site, "Hayange")
    assert project.visibility == ProjectVisibility.COORDINATOR
    roles = dict(project.participants.values_list("member__name", "role"))
    assert roles == {
        "Recyclerie du Val de Fensch": ParticipantRole.LEAD,
        "Aciérie de Florange": ParticipantRole.SUPPLIER,
    }
    assert list(project.matches.all()) == [substitution]


def test_the_summary_states_each_partys_quantities_and_the_impact(coordinator, substitution):
    summary = services.project_create_from_match(match=substitution, by=coordinator).summary.replace("\xa0", " ")

    assert f"opportunité n° {substitution.pk} (substitution, Palettes)" in summary
    assert "Apports : Aciérie de Florange (12 t par an)." in summary
    assert "Besoins : Recyclerie du Val de Fensch (12 t par an)." in summary
    assert "Distance : 12,4 km." in summary
    assert "Impact estimé : 12 t détournées, 4 t CO2e évitées et 1 200 € économisés par an." in summary


def test_this_years_targets_come_from_the_match(coordinator, substitution):
    project = services.project_create_from_match(match=substitution, by=coordinator)

    targets = {(i.kind, i.year, i.unit): i.target for i in project.indicators.all()}
    assert targets == {
        (IndicatorKind.TONNES, YEAR, "t"): Decimal("12"),
        (IndicatorKind.CO2E, YEAR, "t CO2e"): Decimal("3.5"),
        (IndicatorKind.EUROS, YEAR, "€"): Decimal("1200"),
        (IndicatorKind.MEMBERS, YEAR, ""): Decimal("2"),
    }
    assert all(indicator.actual is None for indicator in project.indicators.all())


def test_creation_from_a_match_is_one_line_of_the_log(coordinator, substitution):
    project = services.project_create_from_match(match=substitution, by=coordinator)

    (row,) = project.activities.all()
    assert row.kind == ActivityKind.CREATED
    assert row.message == (
        f"Projet créé depuis l'opportunité n° {substitution.pk} : 2 participants et 4 indicateurs repris."
    )


def test_a_pool_towards_a_channel_is_led_by_the_hubs_owner_and_every_contributor_supplies(coordinator):
    hub = SiteFactory(member=MemberFactory(name="Scierie du Haut-Fensch"), commune="Neufchef")
    other = SiteFactory(member=MemberFactory(name="Fonderie de la Fensch"), commune="Hayange")
    match = pooled(contributors=[(hub, "900"), (other, "300")], hub_site=hub, tonnes_per_year=1200)
    match.total_quantity, match.threshold = 1_200_000, 800_000
    match.save()

    project = services.project_create_from_match(match=match, by=coordinator)

    assert project.title.startswith("Massification — Palettes")
    assert (project.lead_member.name, project.commune) == ("Scierie du Haut-Fensch", "Neufchef")
    assert dict(project.participants.values_list("member__name", "role")) == {
        "Scierie du Haut-Fensch": ParticipantRole.LEAD,
        "Fonderie de la Fensch": ParticipantRole.SUPPLIER,
    }
    summary = project.summary.replace("\xa0", " ")
    assert "Apports : Scierie du Haut-Fensch (900 t par an), Fonderie de la Fensch (300 t par an)." in summary
    assert "Quantité réunie : 1 200 t par an, pour un seuil de 800 t (150 %)." in summary


def test_a_pool_towards_a_need_is_led_by_the_receiver(coordinator, member_org, other_member_org):
    need = StreamFactory(site=member_org.sites.get(), direction=Direction.NEED, quantity=Decimal("400"))
    match = pooled(
        contributors=[(other_member_org.sites.get(), "30")], hub_site=other_member_org.sites.get(), need=need
    )

    project = services.project_create_from_match(match=match, by=coordinator)

    assert project.lead_member == member_org
    assert project.participants.get(member=other_member_org).role == ParticipantRole.SUPPLIER


def test_a_shared_need_takes_its_type_from_the_service_and_the_largest_need_leads(coordinator):
    purchasing = material("services.purchasing")
    small = SiteFactory(member=MemberFactory(name="Garage Central"))
    large = SiteFactory(member=MemberFactory(name="Transports Fensch"))
    streams = [
        StreamFactory(site=site, direction=Direction.NEED, kind=StreamKind.SERVICE, material=purchasing,
                      annual_quantity=Decimal(amount))
        for site, amount in ((small, "5"), (large, "17"))
    ]  # fmt: skip
    match = MatchFactory(kind=MatchKind.SHARED_NEED, material=purchasing, offer=None, need=None,
                         tonnes_per_year=0, co2e_avoided_t=0, euros_saved=0, distance_km=None)  # fmt: skip
    match.streams.set(streams)
    for stream in streams:
        MatchParticipant.objects.create(match=match, member=stream.site.member)

    project = services.project_create_from_match(match=match, by=coordinator)

    assert project.kind == ProjectKind.PURCHASING
    assert project.lead_member.name == "Transports Fensch"
    assert project.participants.get(member__name="Garage Central").role == ParticipantRole.BENEFICIARY
    assert [i.kind for i in project.indicators.all()] == [IndicatorKind.MEMBERS]


@pytest.mark.parametrize("status", [MatchStatus.REJECTED, MatchStatus.OBSOLETE])
def test_a_rejected_or_obsolete_match_does_not_become_a_project(coordinator, substitution, status):
    substitution.status = status
    substitution.save()

    with pytest.raises(ValidationError):
        services.project_create_from_match(match=substitution, by=coordinator)


def test_only_the_coordination_creates_a_project_from_a_match(member, substitution):
    with pytest.raises(PermissionDenied):
        services.project_create_from_match(match=substitution, by=member)


def test_linking_and_unlinking_a_match_is_logged_once(coordinator, substitution):
    project = services.project_create(
        by=coordinator, data={"title": "Filière palettes", "kind": ProjectKind.CHANNEL, "lead_member": MemberFactory()}
    )

    services.project_link_match(project=project, match=substitution, by=coordinator)
    services.project_link_match(project=project, match=substitution, by=coordinator)
    services.project_unlink_match(project=project, match=substitution, by=coordinator)

    assert not project.matches.exists()
    messages = list(
        project.activities.filter(kind=ActivityKind.MATCH).order_by("pk").values_list("message", flat=True)
    )
    assert messages == [
        f"Opportunité n° {substitution.pk} liée : Substitution · Palettes.",
        f"Opportunité n° {substitution.pk} détachée : Substitution · Palettes.",
    ]
