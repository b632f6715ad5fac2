"""The projects API: reads scoped to each role, computed totals, nested parts on retrieve, filters,
ordering and pagination; coordinators write through the services; projects are never deleted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects import services
from projects.api.views import ProjectViewSet
from projects.enums import ActivityKind, IndicatorKind, ParticipantRole, ProjectKind, ProjectStatus, ProjectVisibility
from projects.models import Project

from ..members.factories import MemberFactory
from ..waste_flows.match_factories import MatchFactory
from .factories import (
    BudgetLineFactory,
    FundingFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    ProjectFactory,
)

URL = "/api/v1/projects/"
TODAY = timezone.localdate()


def ids(client, **query) -> list[int]:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture
def visibilities(member_org, other_member_org):
    return {
        "public": ProjectFactory(visibility=ProjectVisibility.PUBLIC, lead_member=other_member_org),
        "members": ProjectFactory(visibility=ProjectVisibility.MEMBERS, lead_member=other_member_org),
        "secret": ProjectFactory(visibility=ProjectVisibility.COORDINATOR, lead_member=other_member_org),
        "own": ProjectFactory(visibility=ProjectVisibility.COORDINATOR, lead_member=member_org),
    }


# --- Reading, per role ----------------------------------------------------------------------------------


def test_anonymous_clients_are_refused(client, visibilities):
    assert client.get(URL).status_code in (401, 403)
    assert client.get(f"{URL}{visibilities['public'].pk}/").status_code in (401, 403)


def test_each_role_lists_what_it_may_read(client, coordinator, member, member_viewer, partner, visibilities):
    every = {name: project.pk for name, project in visibilities.items()}
    expected = {
        coordinator: set(every.values()),
        member: {every["public"], every["members"], every["own"]},
        member_viewer: {every["public"], every["members"], every["own"]},
        partner: {every["public"]},
    }
    for user, visible in expected.items():
        client.force_login(user)
        assert set(ids(client)) == visible, user


@pytest.mark.parametrize("role", ["member", "partner"])
def test_a_project_out_of_reach_is_a_404(client, request, role, visibilities):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"{URL}{visibilities['secret'].pk}/").status_code == 404


def test_the_list_shows_computed_totals_and_the_overdue_flag(client, partner):
    project = ProjectFactory(visibility=ProjectVisibility.PUBLIC)
    BudgetLineFactory(project=project, amount=Decimal("120000"))
    BudgetLineFactory(project=project, amount=Decimal("30000"))
    FundingFactory(project=project, amount_requested=Decimal("90000"), amount_granted=Decimal("80000"))
    FundingFactory(project=project, amount_requested=Decimal("50000"), amount_granted=Decimal("40000"),
                   amount_received=Decimal("10000"))  # fmt: skip
    MilestoneFactory(project=project, due_date=TODAY - timedelta(days=1))
    client.force_login(partner)

    (row,) = client.get(URL).json()["results"]

    assert (row["budget_total"], row["funding_requested"], row["funding_granted"]) == (
        "150000.00",
        "140000.00",
        "120000.00",
    )
    assert (row["funding_received"], row["funding_gap"]) == ("10000.00", "30000.00")
    assert row["has_overdue_milestone"] is True
    assert row["lead_member"] == {"id": project.lead_member_id, "name": project.lead_member.name}
    assert row["status_label"] == "Idée"


def test_retrieve_nests_participants_budget_fundings_milestones_indicators_and_matches(client, coordinator):
    project = ProjectFactory(title="Chaufferie bois collective")
    supplier = ParticipantFactory(
        project=project, member=MemberFactory(name="Aaa Palettes"), role=ParticipantRole.SUPPLIER
    )
    BudgetLineFactory(project=project, label="Chaudière biomasse", amount=Decimal("900000"))
    FundingFactory(project=project, funder_name="ADEME Fonds Chaleur", amount_granted=Decimal("300000"))
    MilestoneFactory(
        project=project, title="Mise en service", due_date=TODAY - timedelta(days=2), owner=supplier.member
    )
    IndicatorFactory(
        project=project, kind=IndicatorKind.CUSTOM, label="Foyers chauffés", unit="", year=2026, target=40
    )
    match = MatchFactory()
    project.matches.add(match)
    client.force_login(coordinator)

    body = client.get(f"{URL}{project.pk}/").json()

    assert [p["role"] for p in body["participants"]] == [ParticipantRole.LEAD, ParticipantRole.SUPPLIER]
    assert body["participants"][1]["member"]["name"] == "Aaa Palettes"
    assert body["budget_lines"][0]["label"] == "Chaudière biomasse"
    assert body["fundings"][0]["amount_granted"] == "300000.00"
    assert body["milestones"][0]["is_overdue"] is True
    assert body["milestones"][0]["owner"]["name"] == "Aaa Palettes"
    assert body["indicators"][0]["label"] == "Foyers chauffés"
    assert body["matches"] == [match.pk]
    assert body["funding_gap"] == "600000.00"


def test_documents_are_listed_for_participants_but_not_for_other_readers(
    client, coordinator, member, partner, member_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(visibility=ProjectVisibility.PUBLIC, lead_member=member_org)
    services.document_upload(project=project, by=coordinator, uploaded_file=SimpleUploadedFile("etude.pdf", b"%PDF-1.4\n"),
                             title="Étude de faisabilité", kind="study")  # fmt: skip

    client.force_login(member)
    (document,) = client.get(f"{URL}{project.pk}/").json()["documents"]
    assert (document["title"], document["size"], document["content_type"]) == (
        "Étude de faisabilité",
        9,
        "application/pdf",
    )
    assert document["download_url"].endswith(f"/projects/{project.pk}/documents/{document['id']}/")
    client.force_login(partner)
    assert client.get(f"{URL}{project.pk}/").json()["documents"] == []


# --- Filters, ordering, pagination ------------------------------------------------------------------------


def test_filters_ordering_and_pagination(client, coordinator, member_org):
    boiler = ProjectFactory(title="Chaufferie", kind=ProjectKind.ENERGY, status=ProjectStatus.OPERATIONAL)
    BudgetLineFactory(project=boiler, amount=Decimal("500000"))
    FundingFactory(project=boiler, source="ademe", amount_granted=Decimal("100000"))
    workshop = ProjectFactory(title="Atelier", kind=ProjectKind.EQUIPMENT, lead_member=member_org)
    BudgetLineFactory(project=workshop, amount=Decimal("80000"))
    late = ProjectFactory(title="Méthaniseur", status=ProjectStatus.FEASIBILITY)
    MilestoneFactory(project=late, due_date=TODAY - timedelta(days=30))
    client.force_login(coordinator)

    assert ids(client, kind="equipment") == [workshop.pk]
    assert ids(client, status=["operational", "feasibility"], ordering="title") == [boiler.pk, late.pk]
    assert ids(client, member=member_org.pk) == [workshop.pk]
    assert ids(client, funder="ademe") == [boiler.pk]
    assert ids(client, overdue="true") == [late.pk]
    assert ids(client, q="atel") == [workshop.pk]
    assert ids(client, ordering="-budget_total") == [boiler.pk, workshop.pk, late.pk]
    assert ids(client, ordering="-funding_gap") == [boiler.pk, workshop.pk, late.pk]
    assert ids(client, ordering="status") == [workshop.pk, late.pk, boiler.pk]
    page = client.get(URL, {"page_size": 2, "ordering": "title"}).json()
    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)


# --- Query counts --------------------------------------------------------------------------------------


def build_full_project(**fields):
    project = ProjectFactory(**fields)
    ParticipantFactory(project=project)
    BudgetLineFactory.create_batch(2, project=project)
    FundingFactory.create_batch(2, project=project)
    MilestoneFactory(project=project, owner=project.lead_member)
    IndicatorFactory(project=project)
    project.matches.add(MatchFactory())
    return project


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.usefixtures("computed_answers")
@pytest.mark.parametrize("role", ["coordinator", "member", "partner"])
def test_the_list_costs_the_same_queries_for_3_and_10_projects(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for _ in range(3):
        build_full_project(visibility=ProjectVisibility.PUBLIC)
    client.get(URL)
    few = queries(client, URL)
    for _ in range(7):
        build_full_project(visibility=ProjectVisibility.PUBLIC)

    assert queries(client, URL) == few
    assert len(client.get(URL).json()["results"]) == 10


@pytest.mark.usefixtures("computed_answers")
def test_retrieve_costs_a_bounded_number_of_queries(client, coordinator, django_assert_max_num_queries):
    small = build_full_project()
    large = build_full_project()
    for _ in range(8):
        ParticipantFactory(project=large)
        MilestoneFactory(project=large, owner=large.lead_member)
        large.matches.add(MatchFactory())
    client.force_login(coordinator)
    client.get(f"{URL}{small.pk}/")

    assert queries(client, f"{URL}{large.pk}/") == queries(client, f"{URL}{small.pk}/")
    with django_assert_max_num_queries(14):
        client.get(f"{URL}{large.pk}/")


# --- Writing --------------------------------------------------------------------------------------------


def test_coordinator_creates_a_project_which_starts_as_an_idea(client, coordinator, member_org):
    client.force_login(coordinator)
    payload = {"title": "Station de lavage partagée", "kind": "equipment", "lead_member": member_org.pk,
               "commune": "Uckange", "visibility": "members"}  # fmt: skip

    response = client.post(URL, payload, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["budget_total"]) == ("idea", "0.00")
    assert body["participants"][0]["member"]["id"] == member_org.pk
    project = Project.objects.get(pk=body["id"])
    assert project.activities.get().kind == ActivityKind.CREATED
    assert project.history.get().history_user == coordinator


def test_service_refusals_come_back_field_by_field(client, coordinator, member_org):
    client.force_login(coordinator)
    payload = {"title": "Atelier", "kind": "equipment", "lead_member": member_org.pk,
               "start_date": "2026-05-01", "end_date": "2026-01-01"}  # fmt: skip

    response = client.post(URL, payload, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "end_date", "code": "invalid", "message": "La date de fin précède la date de début."}
    ]


def test_coordinator_edits_a_project_but_not_its_status_through_patch(client, coordinator):
    project = ProjectFactory(title="Atelier", status=ProjectStatus.IDEA)
    client.force_login(coordinator)

    response = client.patch(f"{URL}{project.pk}/", {"title": "Atelier partagé", "status": "closed"},
                            content_type="application/json")  # fmt: skip

    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.title, project.status) == ("Atelier partagé", ProjectStatus.IDEA)


def test_coordinator_moves_a_project_and_refused_moves_say_why(client, coordinator):
    project = ProjectFactory(status=ProjectStatus.IDEA)
    client.force_login(coordinator)
    url = f"{URL}{project.pk}/status/"

    moved = client.post(url, {"status": "feasibility"}, content_type="application/json")
    skipped = client.post(url, {"status": "operational"}, content_type="application/json")
    unexplained = client.post(url, {"status": "abandoned"}, content_type="application/json")

    assert (moved.status_code, moved.json()["status"]) == (200, "feasibility")
    assert skipped.status_code == 400 and error_fields(skipped) == {"status"}
    assert unexplained.status_code == 400 and error_fields(unexplained) == {"reason"}
    abandoned = client.post(url, {"status": "abandoned", "reason": "Pas de site disponible."},
                            content_type="application/json")  # fmt: skip
    assert abandoned.json()["abandon_reason"] == "Pas de site disponible."


@pytest.mark.parametrize("role", ["member", "member_viewer", "partner"])
def test_other_roles_cannot_write(client, request, role, member_org):
    project = ProjectFactory(visibility=ProjectVisibility.PUBLIC, lead_member=member_org)
    client.force_login(request.getfixturevalue(role))
    payload = {"title": "X", "kind": "other", "lead_member": member_org.pk}

    assert client.post(URL, payload, content_type="application/json").status_code == 403
    assert client.patch(f"{URL}{project.pk}/", {"title": "X"}, content_type="application/json").status_code == 403
    assert client.post(f"{URL}{project.pk}/status/", {"status": "feasibility"},
                       content_type="application/json").status_code == 403  # fmt: skip
    project.refresh_from_db()
    assert (project.title, project.status) != ("X", ProjectStatus.FEASIBILITY)


def test_projects_are_never_deleted_through_the_api(client, coordinator):
    project = ProjectFactory()
    client.force_login(coordinator)

    response = client.delete(f"{URL}{project.pk}/")

    assert response.status_code == 405
    assert "Abandonné" in response.json()["detail"]
    assert Project.objects.filter(pk=project.pk).exists()


def test_api_keys_read_projects_with_the_projects_scope_and_never_write():
    assert ProjectViewSet.required_scopes == {"read": "projects:read", "write": None}


def test_the_schema_documents_the_projects_endpoints(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert {"/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/projects/{id}/status/"} <= set(schema["paths"])
    assert "ProjectDetail" in schema["components"]["schemas"]
