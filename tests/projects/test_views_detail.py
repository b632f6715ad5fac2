"""One project's page, what each role sees and does on it, its parts, documents, printable sheet and history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.enums import MemberRole
from projects import services
from projects.enums import ActivityKind, BudgetCategory, ProjectStatus, ProjectVisibility
from projects.models import BudgetLine, Funding, ProjectActivity

from ..members.factories import UserFactory
from ..waste_flows.match_factories import MatchFactory
from .factories import (
    BudgetLineFactory,
    FundingFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    ProjectFactory,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROJECT_DOCUMENT_MAX_BYTES = 2048


def url(name: str, *args) -> str:
    return reverse(f"projects:{name}", args=args)


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def pdf_file(name="devis.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def editor(member_org):
    return UserFactory(email="editrice@recyclerie.test", member=member_org, member_role=MemberRole.EDITOR)


@pytest.fixture
def project(coordinator, member_org, other_member_org):
    """Led by the other organisation, `member_org` takes part; members of the pole may read it."""
    project = ProjectFactory(title="Chaufferie partagée", lead_member=other_member_org, status=ProjectStatus.FUNDING)
    ParticipantFactory(project=project, member=member_org, commitment="Fournit 40 t de plaquettes par an.")
    BudgetLineFactory(project=project, category=BudgetCategory.INVESTMENT, label="Chaudière", amount=Decimal("30000"))
    BudgetLineFactory(project=project, category=BudgetCategory.OPERATION, label="Maintenance", amount=Decimal("2000"))
    FundingFactory(project=project, funder_name="Région Grand Est", amount_requested=Decimal("20000"),
                   amount_granted=Decimal("15000"), amount_received=Decimal("5000"))  # fmt: skip
    MilestoneFactory(project=project, title="Étude de sol", due_date=timezone.localdate() - timedelta(days=5),
                     owner=member_org)  # fmt: skip
    MilestoneFactory(project=project, title="Permis déposé", done_on=timezone.localdate() - timedelta(days=9),
                     due_date=timezone.localdate() - timedelta(days=10))  # fmt: skip
    IndicatorFactory(project=project, year=2025, target=Decimal("100"), actual=Decimal("80"))
    IndicatorFactory(project=project, year=2026, target=Decimal("150"), actual=None)
    services.comment_add(project=project, by=coordinator, message="Réunion de lancement le 12.")
    return project


# --- The page ---------------------------------------------------------------------------------------


def test_detail_shows_participants_budget_with_gap_milestones_indicators_and_activity(client, coordinator, project):
    client.force_login(coordinator)

    response = client.get(project.get_absolute_url())
    content = response.content.decode()

    assert "Fournit 40 t de plaquettes par an." in content
    totals = response.context["totals"]
    assert (totals["investment"], totals["operation"], totals["budget"]) == (30000, 2000, 32000)
    assert (totals["requested"], totals["granted"], totals["received"], totals["gap"]) == (20000, 15000, 5000, 17000)
    assert "17\xa0000,00 €" in content
    assert "Étude de sol" in content and "en retard" in content
    assert "réalisé le" in content
    assert "80 / 100" in content and "80 % de la cible" in content
    assert "Réunion de lancement le 12." in content
    assert url("project_edit", project.pk) in content and url("project_history", project.pk) in content


def test_only_the_late_milestone_is_flagged_overdue(client, coordinator, project):
    client.force_login(coordinator)

    milestones = client.get(project.get_absolute_url()).context["milestones"]

    assert [(item["milestone"].title, item["milestone"].is_overdue) for item in milestones] == [
        ("Permis déposé", False),
        ("Étude de sol", True),
    ]


def test_detail_query_count_does_not_grow_with_the_project_parts(
    client, coordinator, project, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(project.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(project.get_absolute_url())
    for index in range(6):
        ParticipantFactory(project=project)
        BudgetLineFactory(project=project)
        FundingFactory(project=project)
        MilestoneFactory(project=project, owner=project.lead_member)
        IndicatorFactory(project=project, year=2010 + index)
        services.comment_add(project=project, by=coordinator, message=f"Note {index}")
    project.matches.add(MatchFactory(), MatchFactory())
    services.document_upload(project=project, by=coordinator, uploaded_file=pdf_file(), title="Devis", kind="other")

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(project.get_absolute_url())


# --- Who sees what ----------------------------------------------------------------------------------


def test_a_member_taking_part_sees_documents_and_may_edit_its_commitment_but_not_the_project(
    client, member, member_org, project
):
    client.force_login(member)

    response = client.get(project.get_absolute_url())

    context = response.context
    assert context["can_see_documents"] and context["can_upload"] and context["can_comment"]
    assert context["own_participant"].member == member_org and context["can_edit_commitment"]
    assert not context["can_manage"] and context["status_form"] is None
    assert url("project_edit", project.pk) not in response.content.decode()


def test_a_member_not_taking_part_reads_a_members_project_without_its_documents(client, other_member_org):
    project = ProjectFactory(visibility=ProjectVisibility.MEMBERS)
    outsider = UserFactory(member=other_member_org, member_role=MemberRole.ADMIN)
    client.force_login(outsider)

    response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    context = response.context
    assert not (context["can_see_documents"] or context["can_upload"] or context["can_comment"])
    assert "Les documents sont réservés" in response.content.decode()
    assert client.get(url("project_print", project.pk)).status_code == 403


def test_a_coordinator_only_project_does_not_exist_for_members_who_do_not_take_part(client, member):
    project = ProjectFactory(visibility=ProjectVisibility.COORDINATOR)
    client.force_login(member)

    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(url("project_print", project.pk)).status_code == 404
    assert client.post(url("comment_add", project.pk), {"message": "Bonjour"}).status_code == 404


def test_a_coordinator_only_project_is_open_to_the_organisations_taking_part(client, member, member_org):
    project = ProjectFactory(visibility=ProjectVisibility.COORDINATOR, lead_member=member_org)
    client.force_login(member)

    assert client.get(project.get_absolute_url()).status_code == 200


def test_partners_read_public_projects_only_and_never_their_documents(client, partner):
    public = ProjectFactory(visibility=ProjectVisibility.PUBLIC)
    members_only = ProjectFactory(visibility=ProjectVisibility.MEMBERS)
    client.force_login(partner)

    response = client.get(public.get_absolute_url())

    assert response.status_code == 200
    assert not response.context["can_see_documents"]
    assert client.get(members_only.get_absolute_url()).status_code == 404


# --- Member actions ---------------------------------------------------------------------------------


def test_a_member_edits_its_own_commitment(client, member, member_org, project):
    participant = project.participants.get(member=member_org)
    client.force_login(member)

    response = client.post(url("commitment_edit", project.pk, participant.pk), {"commitment": "60 t par an."})

    assert response.url == project.get_absolute_url() + "#participants"
    participant.refresh_from_db()
    assert participant.commitment == "60 t par an."
    assert project.activities.filter(kind=ActivityKind.PARTICIPANT, actor=member).exists()


def test_a_viewer_or_another_organisation_may_not_edit_a_commitment(client, member_viewer, member, project):
    lead = project.participants.get(member=project.lead_member)
    own = project.participants.get(member=member.member)
    client.force_login(member_viewer)
    assert client.get(url("commitment_edit", project.pk, own.pk)).status_code == 403
    client.force_login(member)
    assert client.get(url("commitment_edit", project.pk, lead.pk)).status_code == 403


def test_every_user_of_a_participant_comments_viewers_included(client, member_viewer, project):
    client.force_login(member_viewer)

    response = client.post(url("comment_add", project.pk), {"message": "Nous serons là."})

    assert response.url == project.get_absolute_url() + "#activity"
    assert project.activities.filter(
        kind=ActivityKind.COMMENT, actor=member_viewer, message="Nous serons là."
    ).exists()


def test_an_empty_comment_is_shown_back_with_its_error(client, member, project):
    client.force_login(member)

    response = client.post(url("comment_add", project.pk), {"message": "   "})

    assert response.status_code == 400
    assert response.context["comment_form"].errors["message"]


def test_the_owner_organisation_marks_its_milestone_done(client, editor, project):
    milestone = project.milestones.get(title="Étude de sol")
    client.force_login(editor)

    response = client.post(url("milestone_complete", project.pk, milestone.pk))

    assert response.url == project.get_absolute_url() + "#milestones"
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()


# --- Parts edited by the coordinator ------------------------------------------------------------------


def test_coordinator_adds_a_budget_line_and_the_totals_follow(client, coordinator, project):
    client.force_login(coordinator)

    response = client.post(url("budget_line_create", project.pk), {"category": BudgetCategory.INVESTMENT,
                                                                   "label": "Silo", "amount": "8000"})  # fmt: skip

    assert response.url == project.get_absolute_url() + "#budget"
    assert BudgetLine.objects.filter(project=project, label="Silo").exists()
    assert client.get(project.get_absolute_url()).context["totals"]["budget"] == Decimal("40000")


def test_a_funding_received_above_what_was_granted_is_refused_on_its_field(client, coordinator, project):
    funding = project.fundings.get()
    client.force_login(coordinator)
    data = {"source": funding.source, "funder_name": funding.funder_name, "amount_requested": "20000",
            "amount_granted": "15000", "amount_received": "18000"}  # fmt: skip

    response = client.post(url("funding_edit", project.pk, funding.pk), data)

    assert response.status_code == 400
    assert response.context["form"].errors["amount_received"]
    assert Funding.objects.get().amount_received == Decimal("5000")


def test_the_lead_cannot_be_removed_from_the_participants(client, coordinator, project):
    lead = project.participants.get(member=project.lead_member)
    client.force_login(coordinator)

    response = client.post(url("participant_delete", project.pk, lead.pk))

    assert project.participants.filter(pk=lead.pk).exists()
    assert "La structure porteuse ne peut pas être retirée" in message_texts(response)[0]


def test_coordinator_links_and_unlinks_an_opportunity(client, coordinator, project):
    match = MatchFactory()
    client.force_login(coordinator)

    client.post(url("match_link", project.pk), {"match": match.pk})
    assert list(project.matches.all()) == [match]
    missing = client.post(url("match_link", project.pk), {"match": match.pk + 1000})
    assert message_texts(missing)[-1] == "Aucune mise en relation ne porte ce numéro."

    client.post(url("match_unlink", project.pk, match.pk))
    assert not project.matches.exists()
    assert project.activities.filter(kind=ActivityKind.MATCH).count() == 2


def test_members_may_not_edit_the_parts_of_a_project(client, member, project):
    client.force_login(member)

    assert client.get(url("budget_line_create", project.pk)).status_code == 403
    assert client.get(url("participant_create", project.pk)).status_code == 403
    assert client.post(url("match_link", project.pk), {"match": 1}).status_code == 403


# --- Printable sheet and history ----------------------------------------------------------------------


def test_the_printable_sheet_has_the_funders_sections_without_edit_links(client, coordinator, project):
    client.force_login(coordinator)

    response = client.get(url("project_print", project.pk))
    content = response.content.decode()

    assert response.status_code == 200
    assert "Fiche projet" in content and "data-print" in content
    assert "Chaudière" in content and "Région Grand Est" in content and "Étude de sol" in content
    assert url("budget_line_create", project.pk) not in content
    assert "Modifier" not in content


def test_history_shows_field_changes_of_the_project_and_its_parts(client, coordinator, project):
    services.project_update(project=project, by=coordinator, data={"title": "Chaufferie bois partagée"})
    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.FEASIBILITY)
    client.force_login(coordinator)

    response = client.get(url("project_history", project.pk))
    entries = response.context["entries"]

    changes = [change for entry in entries for change in entry.changes]
    assert ("intitulé", "Chaufferie partagée", "Chaufferie bois partagée") in changes
    assert ("statut", "Recherche de financement", "Étude de faisabilité") in changes
    assert {entry.object_type for entry in entries} >= {"projet", "participant"}


def test_history_is_for_the_coordinator_only(client, member, project):
    client.force_login(member)

    assert client.get(url("project_history", project.pk)).status_code == 403


def test_activity_log_lists_status_changes_with_their_author(client, coordinator, member, project):
    services.project_change_status(project=project, by=coordinator, to_status=ProjectStatus.FEASIBILITY)
    client.force_login(member)

    activities = client.get(project.get_absolute_url()).context["activities"]

    assert activities[0].kind == ActivityKind.STATUS and activities[0].actor == coordinator
    assert ProjectActivity.objects.filter(project=project).count() == len(activities)


def test_a_milestone_owner_is_chosen_among_the_lead_and_participants(client, coordinator, project, member_org):
    client.force_login(coordinator)

    owners = client.get(url("milestone_create", project.pk)).context["form"].fields["owner"].queryset

    assert set(owners) == {project.lead_member, member_org}
