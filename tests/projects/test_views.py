"""Project lists, the board by status, creation and edition, and projects created from an opportunity."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from projects.enums import (
    ActivityKind,
    FundingSource,
    IndicatorKind,
    ParticipantRole,
    ProjectKind,
    ProjectStatus,
    ProjectVisibility,
)
from projects.models import Project, ProjectActivity
from waste_flows.enums import MatchStatus

from ..members.factories import MemberFactory
from ..waste_flows.factories import StreamFactory
from ..waste_flows.match_factories import MatchFactory
from .factories import BudgetLineFactory, FundingFactory, MilestoneFactory, ParticipantFactory, ProjectFactory

LIST_URL = reverse_lazy("projects:project_list")
BOARD_URL = reverse_lazy("projects:project_board")


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"]]


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_url(project) -> str:
    return reverse("projects:project_status", args=[project.pk])


@pytest.fixture
def projects_of_the_pole(member_org, other_member_org):
    """One project per visibility, all led by the other organisation, and one coordinator-only project of
    `member_org`."""
    return {
        "public": ProjectFactory(title="Chaufferie publique", lead_member=other_member_org,
                                 visibility=ProjectVisibility.PUBLIC),
        "members": ProjectFactory(title="Atelier partagé", lead_member=other_member_org,
                                  visibility=ProjectVisibility.MEMBERS),
        "secret": ProjectFactory(title="Rachat confidentiel", lead_member=other_member_org,
                                 visibility=ProjectVisibility.COORDINATOR),
        "ours": ProjectFactory(title="Notre recyclerie", lead_member=member_org,
                               visibility=ProjectVisibility.COORDINATOR),
    }  # fmt: skip


# --- Lists ------------------------------------------------------------------------------------------


def test_coordinator_lists_every_project_with_budget_gap_counts_and_late_milestones(client, coordinator):
    project = ProjectFactory(title="Chaufferie bois", status=ProjectStatus.FUNDING)
    BudgetLineFactory(project=project, amount=Decimal("12000"))
    FundingFactory(project=project, amount_requested=Decimal("8000"), amount_granted=Decimal("5000"))
    MilestoneFactory(project=project, due_date=timezone.localdate() - timedelta(days=2))
    ProjectFactory(title="Secret", visibility=ProjectVisibility.COORDINATOR)
    client.force_login(coordinator)

    response = client.get(LIST_URL)
    content = response.content.decode()

    assert titles(response) == ["Secret", "Chaufferie bois"]
    assert "2 projets" in content
    assert "12\xa0000 €" in content and "7\xa0000 €" in content  # budget, and what is still to fund
    assert "jalon en retard" in content
    assert [(item["status"], item["count"]) for item in response.context["status_counts"]] == [
        ("idea", 1),
        ("funding", 1),
    ]
    assert reverse("projects:project_export", kwargs={"file_format": "csv"}) in content


def test_project_list_filters_by_type_status_member_funder_and_late_milestones(client, coordinator, member_org):
    energy = ProjectFactory(title="Énergie", kind=ProjectKind.ENERGY, status=ProjectStatus.FUNDING)
    FundingFactory(project=energy, source=FundingSource.ADEME)
    MilestoneFactory(project=energy, due_date=timezone.localdate() - timedelta(days=1))
    shared = ProjectFactory(title="Locaux", kind=ProjectKind.PREMISES)
    ParticipantFactory(project=shared, member=member_org)
    ProjectFactory(title="Autre", kind=ProjectKind.PREMISES)
    client.force_login(coordinator)

    def listed(**query):
        return sorted(titles(client.get(LIST_URL, query)))

    assert listed(kind=ProjectKind.ENERGY) == ["Énergie"]
    assert listed(status=ProjectStatus.FUNDING) == ["Énergie"]
    assert listed(member=member_org.pk) == ["Locaux"]
    assert listed(funder=FundingSource.ADEME) == ["Énergie"]
    assert listed(overdue="true") == ["Énergie"]
    assert listed(q="loc") == ["Locaux"]


def test_project_list_sorts_statuses_in_pipeline_order_and_by_budget(client, coordinator):
    operational = ProjectFactory(title="B en fonctionnement", status=ProjectStatus.OPERATIONAL)
    BudgetLineFactory(project=operational, amount=Decimal("500"))
    idea = ProjectFactory(title="A idée", status=ProjectStatus.IDEA)
    BudgetLineFactory(project=idea, amount=Decimal("9000"))
    ProjectFactory(title="C faisabilité", status=ProjectStatus.FEASIBILITY)
    client.force_login(coordinator)

    assert titles(client.get(LIST_URL, {"ordering": "status"})) == ["A idée", "C faisabilité", "B en fonctionnement"]
    assert titles(client.get(LIST_URL, {"ordering": "-budget_total"})) == [
        "A idée",
        "B en fonctionnement",
        "C faisabilité",
    ]


def test_member_user_lists_shared_projects_and_its_own_but_not_others_restricted_ones(
    client, member, projects_of_the_pole
):
    client.force_login(member)

    response = client.get(LIST_URL)

    assert sorted(titles(response)) == ["Atelier partagé", "Chaufferie publique", "Notre recyclerie"]
    assert "Projets du pôle" in response.content.decode()
    assert "Exporter en CSV" not in response.content.decode()


def test_my_projects_lists_what_the_organisation_leads_or_takes_part_in(
    client, member, member_org, projects_of_the_pole
):
    ParticipantFactory(project=projects_of_the_pole["secret"], member=member_org)
    client.force_login(member)

    response = client.get(reverse("projects:my_projects"))

    assert sorted(titles(response)) == ["Notre recyclerie", "Rachat confidentiel"]


def test_partner_lists_public_projects_only(client, partner, projects_of_the_pole):
    client.force_login(partner)

    assert titles(client.get(LIST_URL)) == ["Chaufferie publique"]


def test_coordinator_without_organisation_is_sent_from_my_projects_to_the_list(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("projects:my_projects")).url == LIST_URL


def test_navigation_offers_the_project_pages_each_role_may_open(client, coordinator, member, partner):
    def entries(user):
        client.force_login(user)
        return {entry["label"]: entry["url"] for entry in client.get(LIST_URL).context["navigation"]}

    assert entries(coordinator)["Projets"] == LIST_URL
    assert entries(member)["Mes projets"] == reverse("projects:my_projects")
    assert entries(member)["Projets du pôle"] == LIST_URL
    assert entries(partner)["Projets du pôle"] == LIST_URL


def _pole_with_projects(count: int):
    for _ in range(count):
        project = ProjectFactory()
        ParticipantFactory(project=project)
        BudgetLineFactory(project=project)
        FundingFactory(project=project, amount_granted=Decimal("1000"))
        MilestoneFactory(project=project, due_date=timezone.localdate() - timedelta(days=1))


@pytest.mark.parametrize("url", [LIST_URL, BOARD_URL])
def test_list_and_board_query_counts_do_not_grow_with_projects(client, coordinator, url, django_assert_num_queries):
    _pole_with_projects(2)
    client.force_login(coordinator)
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    assert len(few.captured_queries) <= 8
    _pole_with_projects(15)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Board by status --------------------------------------------------------------------------------


def test_board_has_a_column_per_status_with_cards_and_their_allowed_moves(client, coordinator):
    ProjectFactory(title="Idée neuve", status=ProjectStatus.IDEA)
    ProjectFactory(title="Clos", status=ProjectStatus.CLOSED)
    client.force_login(coordinator)

    response = client.get(BOARD_URL)
    columns = {column["status"]: column for column in response.context["columns"]}

    assert list(columns) == [*ProjectStatus.values[:6], ProjectStatus.ABANDONED]
    card = columns[ProjectStatus.IDEA]["cards"][0]
    assert card["project"].title == "Idée neuve"
    assert [status for status, _label in card["allowed"]] == [ProjectStatus.FEASIBILITY, ProjectStatus.ABANDONED]
    assert columns[ProjectStatus.CLOSED]["cards"][0]["allowed"] == []  # a closed project is final: no form
    assert response.content.decode().count('name="to_status"') == 1


def test_moving_a_card_to_an_allowed_status_changes_it_and_logs_the_change(client, coordinator):
    project = ProjectFactory(title="Atelier vélo", status=ProjectStatus.IDEA)
    client.force_login(coordinator)

    response = client.post(status_url(project), {"to_status": ProjectStatus.FEASIBILITY, "return_to": "board"})

    assert response.url == BOARD_URL
    project.refresh_from_db()
    assert project.status == ProjectStatus.FEASIBILITY
    activity = ProjectActivity.objects.get(project=project, kind=ActivityKind.STATUS)
    assert (activity.from_status, activity.to_status, activity.actor) == ("idea", "feasibility", coordinator)
    assert message_texts(response) == ["« Atelier vélo » passe de « Idée » à « Étude de faisabilité »."]


def test_a_card_dropped_with_htmx_gets_the_refreshed_board_with_the_message(client, coordinator):
    project = ProjectFactory(title="Atelier vélo", status=ProjectStatus.IDEA)
    client.force_login(coordinator)

    response = client.post(
        status_url(project), {"to_status": ProjectStatus.FEASIBILITY, "return_to": "board"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="project-board"' in content
    assert "passe de « Idée » à « Étude de faisabilité »" in content
    feasibility = next(c for c in response.context["columns"] if c["status"] == ProjectStatus.FEASIBILITY)
    assert [card["project"].pk for card in feasibility["cards"]] == [project.pk]


def test_a_refused_move_leaves_the_status_unchanged_and_says_why(client, coordinator):
    project = ProjectFactory(title="Atelier vélo", status=ProjectStatus.IDEA)
    client.force_login(coordinator)

    response = client.post(status_url(project), {"to_status": ProjectStatus.OPERATIONAL, "return_to": "board"})

    project.refresh_from_db()
    assert project.status == ProjectStatus.IDEA
    assert not ProjectActivity.objects.filter(project=project, kind=ActivityKind.STATUS).exists()
    [message] = message_texts(response)
    assert message.startswith(
        "« Atelier vélo » reste « Idée » : Un projet « Idée » ne peut pas passer à « En fonctionnement »"
    )


def test_abandoning_needs_a_reason_which_is_kept(client, coordinator):
    project = ProjectFactory(status=ProjectStatus.FEASIBILITY)
    client.force_login(coordinator)

    refused = client.post(status_url(project), {"to_status": ProjectStatus.ABANDONED, "return_to": "board"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.FEASIBILITY
    assert "Indiquez pourquoi le projet est abandonné." in message_texts(refused)[0]

    client.post(status_url(project), {"to_status": ProjectStatus.ABANDONED, "reason": "Plus de local disponible"})
    project.refresh_from_db()
    assert (project.status, project.abandon_reason) == (ProjectStatus.ABANDONED, "Plus de local disponible")


def test_status_change_from_the_project_page_goes_back_to_it(client, coordinator):
    project = ProjectFactory(status=ProjectStatus.IDEA)
    client.force_login(coordinator)

    response = client.post(status_url(project), {"to_status": ProjectStatus.FEASIBILITY})

    assert response.url == project.get_absolute_url()


def test_members_may_neither_open_the_board_nor_move_a_project(client, member, member_org):
    project = ProjectFactory(lead_member=member_org)
    client.force_login(member)

    assert client.get(BOARD_URL).status_code == 403
    assert client.post(status_url(project), {"to_status": ProjectStatus.FEASIBILITY}).status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.IDEA


# --- Creation and edition ---------------------------------------------------------------------------


def test_coordinator_creates_a_project_whose_lead_becomes_its_first_participant(client, coordinator, member_org):
    client.force_login(coordinator)

    response = client.post(
        reverse("projects:project_create"),
        {"title": "Mutualiser un broyeur", "kind": ProjectKind.EQUIPMENT, "lead_member": member_org.pk,
         "visibility": ProjectVisibility.MEMBERS, "commune": "Hayange"},
    )  # fmt: skip

    project = Project.objects.get(title="Mutualiser un broyeur")
    assert response.url == project.get_absolute_url()
    assert [(p.member, p.role) for p in project.participants.all()] == [(member_org, ParticipantRole.LEAD)]
    assert project.activities.get().kind == ActivityKind.CREATED


def test_project_form_shows_the_service_refusal_next_to_the_field(client, coordinator, member_org):
    client.force_login(coordinator)

    response = client.post(
        reverse("projects:project_create"),
        {"title": "À l'envers", "kind": ProjectKind.OTHER, "lead_member": member_org.pk,
         "visibility": ProjectVisibility.MEMBERS, "start_date": "2026-05-01", "end_date": "2026-01-01"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.context["form"].errors["end_date"]
    assert not Project.objects.exists()


def test_coordinator_edits_a_project_and_the_change_is_logged(client, coordinator):
    project = ProjectFactory(title="Ancien titre")
    client.force_login(coordinator)
    data = {"title": "Nouveau titre", "kind": project.kind, "lead_member": project.lead_member_id,
            "visibility": project.visibility, "commune": project.commune, "summary": project.summary}  # fmt: skip

    response = client.post(reverse("projects:project_edit", args=[project.pk]), data)

    assert response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert project.title == "Nouveau titre"
    assert project.activities.get().kind == ActivityKind.UPDATE


def test_members_may_not_create_or_edit_projects(client, member, member_org):
    project = ProjectFactory(lead_member=member_org)
    client.force_login(member)

    assert client.get(reverse("projects:project_create")).status_code == 403
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 403


# --- From an opportunity ----------------------------------------------------------------------------


@pytest.fixture
def match(member_org, other_member_org):
    offer = StreamFactory(site=other_member_org.sites.get())
    need = StreamFactory(site=member_org.sites.get(), direction="need")
    return MatchFactory(offer=offer, need=need, status=MatchStatus.INTRODUCED)


def test_match_page_offers_to_create_a_project_from_the_opportunity(client, coordinator, match):
    client.force_login(coordinator)

    content = client.get(match.get_absolute_url()).content.decode()

    assert "Créer un projet à partir de cette opportunité" in content
    assert reverse("projects:project_from_match", args=[match.pk]) in content


def test_a_project_created_from_a_match_has_its_participants_and_quantities_and_opens_for_edition(
    client, coordinator, match, member_org, other_member_org
):
    client.force_login(coordinator)

    response = client.post(reverse("projects:project_from_match", args=[match.pk]))

    project = Project.objects.get()
    assert response.url == reverse("projects:project_edit", args=[project.pk])
    assert project.lead_member == member_org  # the receiving member of a substitution
    assert {p.member for p in project.participants.all()} == {member_org, other_member_org}
    assert list(project.matches.all()) == [match]
    tonnes = project.indicators.get(kind=IndicatorKind.TONNES)
    assert tonnes.target == Decimal("12")
    assert "créé à partir de la mise en relation" in message_texts(response)[0]
    assert project.title in client.get(match.get_absolute_url()).content.decode()  # listed on the match page


def test_a_rejected_match_does_not_become_a_project(client, coordinator, match):
    match.status = MatchStatus.REJECTED
    match.save()
    client.force_login(coordinator)

    response = client.post(reverse("projects:project_from_match", args=[match.pk]))

    assert response.url == match.get_absolute_url()
    assert not Project.objects.exists()
    assert "écartée ou obsolète" in message_texts(response)[0]


def test_members_may_not_create_a_project_from_a_match(client, member, match):
    client.force_login(member)

    assert client.post(reverse("projects:project_from_match", args=[match.pk])).status_code == 403
    assert not Project.objects.exists()


def test_an_empty_pole_lists_no_project(client, coordinator):
    MemberFactory()
    client.force_login(coordinator)

    response = client.get(LIST_URL)

    assert response.context["total"] == 0
    assert "Aucun projet ne correspond à ces filtres." in response.content.decode()
