"""The member dashboard (« Mon espace »): only the organisation's own data, what to do next, how complete its
declarations are, its projects and figures, and a number of queries that does not grow with its size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.enums import ParticipantRole, ProjectKind, ProjectStatus
from projects.models import Milestone, Project, ProjectParticipant
from ptce.dashboards.member_selectors import stream_summary
from waste_flows.enums import (
    Direction,
    MatchStatus,
    ParticipantAnswer,
    PhysicalForm,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from waste_flows.matches import MatchParticipant

from ..members.factories import MemberFactory, SiteFactory, YearlyFigureFactory
from ..waste_flows.factories import StreamFactory, ewc, material
from ..waste_flows.match_factories import MatchFactory

URL = reverse("member_dashboard")


@pytest.fixture
def third_org(db):
    organisation = MemberFactory(name="Menuiserie de Thionville")
    SiteFactory(member=organisation, commune="Thionville")
    return organisation


def match_between(first, second, **kwargs):
    offer = StreamFactory(site=first.sites.get())
    need = StreamFactory(site=second.sites.get(), direction=Direction.NEED)
    return MatchFactory(offer=offer, need=need, **kwargs)


def project(lead, *, status=ProjectStatus.IMPLEMENTATION, title="Chaufferie bois collective"):
    return Project.objects.create(title=title, kind=ProjectKind.ENERGY, status=status, lead_member=lead)


def complete_offer(site, **kwargs):
    return StreamFactory(
        site=site,
        ewc_code=ewc("15 01 03"),
        current_route=Route.LANDFILL,
        current_route_cost=Decimal("800"),
        physical_form=PhysicalForm.PACKAGED,
        **kwargs,
    )


# --- Who sees it --------------------------------------------------------------------------------------


def test_member_users_land_on_their_dashboard(client, member):
    client.force_login(member)
    for url in (reverse("home"), URL):
        response = client.get(url)
        assert response.status_code == 200
        assert "ptce/dashboard/member.html" in [template.name for template in response.templates]
        assert "Recyclerie du Val de Fensch" in response.content.decode()


def test_coordinators_keep_their_home_and_are_sent_back_to_it(client, coordinator):
    client.force_login(coordinator)
    assert "ptce/dashboard/member.html" not in [t.name for t in client.get(reverse("home")).templates]
    assert client.get(URL).url == reverse("home")


def test_partners_and_users_without_organisation_are_refused(client, partner, plain_user):
    for user in (partner, plain_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403


# --- Only its own data ---------------------------------------------------------------------------------


def test_member_sees_only_its_own_streams_and_opportunities(client, member, member_org, other_member_org, third_org):
    StreamFactory(site=member_org.sites.get(), material=material("wood.pallets"))
    StreamFactory(site=other_member_org.sites.get(), material=material("metals.ferrous"), quantity=Decimal("40"))
    StreamFactory(site=third_org.sites.get(), direction=Direction.NEED, quantity=Decimal("7"))
    theirs = match_between(other_member_org, third_org, status=MatchStatus.INTRODUCED)
    not_yet_introduced = match_between(member_org, other_member_org, status=MatchStatus.REVIEWED)
    client.force_login(member)

    response = client.get(URL)

    dashboard = response.context["dashboard"]
    assert (dashboard.streams.offers, dashboard.streams.needs) == (2, 0)  # one declared, one offered in a match
    assert dashboard.streams.offer_tonnes == Decimal(24)
    assert dashboard.opportunities.total == 0
    assert dashboard.opportunities.awaiting_count == 0
    page = response.content.decode()
    for outsider in ("Aciérie de Florange", "Menuiserie de Thionville", "Ferrailles"):
        assert outsider not in page
    for hidden in (theirs, not_yet_introduced):
        assert reverse("waste_flows:match_detail", args=[hidden.pk]) not in page


def test_next_actions_count_the_opportunities_awaiting_the_answer(client, member, member_org, other_member_org):
    awaiting = [match_between(member_org, other_member_org, status=MatchStatus.INTRODUCED) for _ in range(3)]
    answered = match_between(member_org, other_member_org, status=MatchStatus.INTRODUCED)
    MatchParticipant.objects.filter(match=answered, member=member_org).update(answer=ParticipantAnswer.ACCEPTED)
    match_between(member_org, other_member_org, status=MatchStatus.IN_DISCUSSION)
    match_between(member_org, other_member_org, status=MatchStatus.IMPLEMENTED, actual_tonnes_per_year=9)
    client.force_login(member)

    response = client.get(URL)

    page = response.content.decode()
    assert "3 opportunités attendent votre réponse." in page
    assert reverse("waste_flows:my_opportunities") in page
    for match in awaiting:
        assert reverse("waste_flows:match_detail", args=[match.pk]) in page
    opportunities = response.context["dashboard"].opportunities
    assert [(status, count) for status, _label, count in opportunities.by_status] == [
        (MatchStatus.INTRODUCED, 4),
        (MatchStatus.IN_DISCUSSION, 1),
        (MatchStatus.IMPLEMENTED, 1),
    ]
    assert opportunities.implemented_tonnes == 9  # the actual figure wins over the estimate (12)


# --- Declaration completeness --------------------------------------------------------------------------


def test_completeness_counts_the_recommended_fields_that_apply_to_each_stream(member_org):
    site = member_org.sites.get()
    complete_offer(site)  # ewc, route, cost, form: 4 of 4
    by_product = StreamFactory(
        site=site,
        kind=StreamKind.BY_PRODUCT,
        current_route=Route.UNKNOWN,
        regularity=Regularity.SEASONAL,
    )  # no EWC expected; route, cost, availability, form missing: 0 of 4
    StreamFactory(
        site=site, direction=Direction.NEED, max_distance_km=30, physical_form=PhysicalForm.SOLID
    )  # distance, form: 2 of 2
    complete_offer(site, regularity=Regularity.SEASONAL, months=[6, 7])  # availability given by months: 5 of 5
    complete_offer(site, regularity=Regularity.ONE_OFF, available_from=datetime.date(2026, 3, 1))  # 5 of 5
    StreamFactory(site=site, status=StreamStatus.ARCHIVED)  # archived: not counted

    summary = stream_summary(member_id=member_org.pk)

    assert (summary.fields_filled, summary.fields_expected) == (16, 20)
    assert summary.completeness_percent == 80
    assert summary.incomplete_count == 1
    [incomplete] = summary.incomplete
    assert incomplete.stream == by_product
    assert incomplete.missing == (
        "devenir actuel",
        "coût du devenir actuel",
        "période de disponibilité",
        "forme physique",
    )


def test_completeness_is_unknown_without_current_streams(member_org):
    StreamFactory(site=member_org.sites.get(), status=StreamStatus.ARCHIVED)
    assert stream_summary(member_id=member_org.pk).completeness_percent is None


def test_incomplete_streams_are_listed_with_what_is_missing_and_a_link_to_complete_them(client, member, member_org):
    stream = StreamFactory(site=member_org.sites.get(), current_route_cost=None)
    StreamFactory(site=member_org.sites.get(), status=StreamStatus.DRAFT)
    client.force_login(member)

    page = client.get(URL).content.decode()

    assert "2 flux déclarés sont incomplets." in page
    assert "1 brouillon n&#x27;est pas encore publié." in page
    assert "Manque : code déchet, coût du devenir actuel, forme physique" in page
    assert reverse("waste_flows:stream_edit", args=[stream.pk]) in page


def test_viewers_get_links_to_read_but_not_to_edit(client, member_viewer, member_org, other_member_org):
    stream = StreamFactory(site=member_org.sites.get())
    match_between(member_org, other_member_org, status=MatchStatus.INTRODUCED)
    client.force_login(member_viewer)

    page = client.get(URL).content.decode()

    assert reverse("waste_flows:stream_edit", args=[stream.pk]) not in page
    assert reverse("members:figure_create", kwargs={"member_pk": member_org.pk}) not in page
    assert "Voir les opportunités" in page


# --- Projects, milestones, figures ----------------------------------------------------------------------


def test_projects_and_milestones_of_the_organisation_with_the_overdue_ones_first(
    client, member, member_org, other_member_org, third_org
):
    today = timezone.localdate()
    led = project(member_org, title="Plateforme bois-énergie")
    joined = project(other_member_org, status=ProjectStatus.FUNDING, title="Achats groupés d'emballages")
    ProjectParticipant.objects.create(project=joined, member=member_org, role=ParticipantRole.BENEFICIARY)
    project(member_org, status=ProjectStatus.CLOSED, title="Étude de gisement")
    foreign = project(third_org, title="Ressourcerie de Thionville")
    late = Milestone.objects.create(
        project=led, title="Dépôt du permis", due_date=today - datetime.timedelta(days=3), owner=member_org
    )
    soon = Milestone.objects.create(
        project=joined,
        title="Signature de la convention",
        due_date=today + datetime.timedelta(days=10),
        owner=member_org,
    )
    Milestone.objects.create(
        project=led,
        title="Étude préalable",
        due_date=today - datetime.timedelta(days=40),
        done_on=today - datetime.timedelta(days=41),
        owner=member_org,
    )
    Milestone.objects.create(
        project=foreign, title="Jalon d'un autre membre", due_date=today - datetime.timedelta(days=1), owner=third_org
    )
    client.force_login(member)

    response = client.get(URL)

    projects = response.context["dashboard"].projects
    assert (projects.open_count, projects.closed_count) == (2, 1)
    roles = {p.title: p.member_role_label for p in projects.projects}
    assert roles == {"Plateforme bois-énergie": "Porteur", "Achats groupés d'emballages": "Bénéficiaire"}
    assert list(projects.milestones) == [late, soon]
    page = response.content.decode()
    assert "1 jalon dont vous êtes responsable est en retard." in page
    assert reverse("projects:project_detail", args=[led.pk]) in page
    assert "Ressourcerie de Thionville" not in page
    assert "Jalon d&#x27;un autre membre" not in page


def test_yearly_figures_compare_the_latest_year_with_the_one_before(client, member, member_org):
    YearlyFigureFactory(member=member_org, year=2024, permanent_fte=Decimal("10.00"), insertion_fte=Decimal("3.00"))
    YearlyFigureFactory(member=member_org, year=2025, permanent_fte=Decimal("11.50"), insertion_fte=Decimal("2.00"))
    client.force_login(member)

    figures = client.get(URL).context["dashboard"].figures

    assert (figures.latest.year, figures.previous.year) == (2025, 2024)
    deltas = {row.label: row.delta for row in figures.rows}
    assert deltas["ETP permanents"] == Decimal("1.50")
    assert deltas["ETP en insertion"] == Decimal("-1.00")


def test_missing_figures_of_last_year_are_a_next_action_for_editors(client, member, member_org):
    YearlyFigureFactory(member=member_org, year=timezone.localdate().year - 3)
    client.force_login(member)

    page = client.get(URL).content.decode()

    assert f"Les chiffres de {timezone.localdate().year - 1}" in page
    assert reverse("members:figure_create", kwargs={"member_pk": member_org.pk}) in page


# --- Queries --------------------------------------------------------------------------------------------


def populate(member_org, other_member_org, *, size: int, first: int = 0) -> None:
    site = member_org.sites.get()
    for index in range(first, first + size):
        StreamFactory(site=site, current_route_cost=None)
        StreamFactory(site=site, direction=Direction.NEED)
        match_between(member_org, other_member_org, status=MatchStatus.INTRODUCED)
        led = project(member_org, title=f"Projet {index}")
        Milestone.objects.create(project=led, title=f"Jalon {index}", due_date=timezone.localdate(), owner=member_org)
        YearlyFigureFactory(member=member_org, year=2000 + index)


def test_query_count_is_the_same_for_a_small_and_a_bigger_organisation(
    client, member, member_org, other_member_org, django_assert_num_queries
):
    client.force_login(member)
    populate(member_org, other_member_org, size=1)
    client.get(URL)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    populate(member_org, other_member_org, size=12, first=1)
    with CaptureQueriesContext(connection) as bigger:
        client.get(URL)
    assert len(bigger) == len(small)
    # session, user, organisation, the user's two permission lookups (navigation); streams: totals, incomplete;
    # matches: totals, awaiting count and list; projects: counts and list; milestones: counts and list; figures.
    with django_assert_num_queries(15):
        client.get(URL)
