"""Reads: who sees which project, computed totals and gap, overdue milestones, filters and orderings,
the board and the indicator table."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from projects.enums import FundingSource, IndicatorKind, ProjectKind, ProjectStatus, ProjectVisibility
from projects.selectors import (
    BOARD_COLUMNS,
    indicator_table,
    overdue_milestones,
    project_detail,
    project_list,
    projects_by_status,
)

from ..members.factories import MemberFactory
from .factories import (
    BudgetLineFactory,
    FundingFactory,
    IndicatorFactory,
    MilestoneFactory,
    ParticipantFactory,
    ProjectFactory,
)

TODAY = timezone.localdate()


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


# --- Who sees what --------------------------------------------------------------------------------------


@pytest.fixture
def projects_of_every_visibility(member_org, other_member_org):
    return {
        "public": ProjectFactory(title="Public", visibility=ProjectVisibility.PUBLIC, lead_member=other_member_org),
        "members": ProjectFactory(title="Membres", visibility=ProjectVisibility.MEMBERS, lead_member=other_member_org),
        "secret": ProjectFactory(
            title="Coordination", visibility=ProjectVisibility.COORDINATOR, lead_member=other_member_org
        ),
        "own": ProjectFactory(title="Porté", visibility=ProjectVisibility.COORDINATOR, lead_member=member_org),
        "joined": ParticipantFactory(
            member=member_org,
            project=ProjectFactory(
                title="Participant", visibility=ProjectVisibility.COORDINATOR, lead_member=other_member_org
            ),
        ).project,
    }


def test_coordinator_sees_every_project(coordinator, projects_of_every_visibility):
    assert titles(project_list(user=coordinator)) == {"Public", "Membres", "Coordination", "Porté", "Participant"}


@pytest.mark.parametrize("role", ["member", "member_viewer"])
def test_member_users_see_public_members_and_their_own_projects_never_others_confidential_ones(
    request, role, projects_of_every_visibility
):
    user = request.getfixturevalue(role)

    assert titles(project_list(user=user)) == {"Public", "Membres", "Porté", "Participant"}
    with pytest.raises(Http404):
        project_detail(user=user, pk=projects_of_every_visibility["secret"].pk)


@pytest.mark.parametrize("role", ["partner", "plain_user"])
def test_partners_and_users_without_role_see_public_projects_only(request, role, projects_of_every_visibility):
    assert titles(project_list(user=request.getfixturevalue(role))) == {"Public"}


def test_anonymous_visitors_see_nothing(projects_of_every_visibility):
    from django.contrib.auth.models import AnonymousUser

    assert not project_list(user=AnonymousUser()).exists()


def test_an_unknown_or_malformed_id_is_a_404(coordinator):
    for pk in (999_999, "abc"):
        with pytest.raises(Http404):
            project_detail(user=coordinator, pk=pk)


# --- Totals ------------------------------------------------------------------------------------------


def test_totals_and_gap_are_computed_without_multiplying_rows(coordinator):
    project = ProjectFactory()
    for amount in ("100000", "50000", "25000.50"):
        BudgetLineFactory(project=project, amount=Decimal(amount))
    FundingFactory(project=project, amount_requested=Decimal("80000"), amount_granted=Decimal("60000"),
                   amount_received=Decimal("30000"))  # fmt: skip
    FundingFactory(project=project, amount_requested=Decimal("40000"), amount_granted=Decimal("45000"))
    FundingFactory(project=project, amount_requested=Decimal("20000"))
    MilestoneFactory.create_batch(2, project=project)

    loaded = project_list(user=coordinator).get(pk=project.pk)

    assert loaded.budget_total == Decimal("175000.50")
    assert loaded.funding_requested == Decimal("140000")
    assert loaded.funding_granted == Decimal("105000")
    assert loaded.funding_received == Decimal("30000")
    assert loaded.funding_gap == Decimal("70000.50")


def test_a_project_without_budget_nor_funding_has_zero_totals(coordinator):
    project = ProjectFactory()

    loaded = project_list(user=coordinator).get(pk=project.pk)

    assert (loaded.budget_total, loaded.funding_granted, loaded.funding_gap) == (0, 0, 0)


def test_an_over_funded_project_has_a_negative_gap(coordinator):
    project = ProjectFactory()
    BudgetLineFactory(project=project, amount=Decimal("1000"))
    FundingFactory(project=project, amount_requested=Decimal("1000"), amount_granted=Decimal("1500"))

    assert project_list(user=coordinator).get(pk=project.pk).funding_gap == Decimal("-500")


# --- Milestones -------------------------------------------------------------------------------------


def test_a_project_with_a_late_open_milestone_is_flagged_overdue(coordinator):
    late = ProjectFactory(title="En retard")
    MilestoneFactory(project=late, due_date=TODAY - timedelta(days=1))
    done = ProjectFactory(title="À jour")
    MilestoneFactory(project=done, due_date=TODAY - timedelta(days=10), done_on=TODAY - timedelta(days=12))
    MilestoneFactory(project=done, due_date=TODAY)

    flags = dict(project_list(user=coordinator).values_list("title", "has_overdue_milestone"))

    assert flags == {"En retard": True, "À jour": False}
    assert titles(project_list(user=coordinator, filters={"overdue": "true"})) == {"En retard"}
    assert titles(project_list(user=coordinator, filters={"overdue": "false"})) == {"À jour"}


def test_overdue_milestones_are_listed_oldest_first_for_visible_projects_only(member, coordinator, other_member_org):
    public = ProjectFactory(visibility=ProjectVisibility.PUBLIC)
    older = MilestoneFactory(project=public, due_date=TODAY - timedelta(days=20))
    newer = MilestoneFactory(project=public, due_date=TODAY - timedelta(days=2))
    hidden = MilestoneFactory(
        project=ProjectFactory(visibility=ProjectVisibility.COORDINATOR, lead_member=other_member_org),
        due_date=TODAY - timedelta(days=5),
    )

    assert list(overdue_milestones(user=member)) == [older, newer]
    assert list(overdue_milestones(user=coordinator)) == [older, hidden, newer]


# --- Filters and ordering -----------------------------------------------------------------------------


def test_filters_by_kind_status_member_funder_and_title(coordinator, member_org):
    boiler = ProjectFactory(title="Chaufferie bois", kind=ProjectKind.ENERGY, status=ProjectStatus.OPERATIONAL)
    ParticipantFactory(project=boiler, member=member_org)
    FundingFactory(project=boiler, source=FundingSource.ADEME)
    FundingFactory(project=boiler, source=FundingSource.ADEME)
    workshop = ProjectFactory(title="Atelier partagé", kind=ProjectKind.EQUIPMENT, lead_member=member_org)
    FundingFactory(project=workshop, source=FundingSource.STATE_PTCE)
    ProjectFactory(title="Achats groupés", kind=ProjectKind.PURCHASING)

    def found(**filters):
        return sorted(project_list(user=coordinator, filters=filters).values_list("title", flat=True))

    assert found(kind=["energy", "equipment"]) == ["Atelier partagé", "Chaufferie bois"]
    assert found(status="operational") == ["Chaufferie bois"]
    assert found(member=member_org.pk) == ["Atelier partagé", "Chaufferie bois"]
    assert found(funder="ademe") == ["Chaufferie bois"]
    assert found(q="  CHAUFF ") == ["Chaufferie bois"]
    assert found(funder="unknown-source") == ["Achats groupés", "Atelier partagé", "Chaufferie bois"]


def test_ordering_by_status_follows_the_pipeline_and_by_money_the_computed_totals(coordinator):
    statuses = [ProjectStatus.ABANDONED, ProjectStatus.OPERATIONAL, ProjectStatus.IDEA, ProjectStatus.FUNDING]
    for index, status in enumerate(statuses):
        project = ProjectFactory(title=status, status=status, abandon_reason="x" if index == 0 else "")
        BudgetLineFactory(project=project, amount=Decimal(1000 * (index + 1)))
        FundingFactory(project=project, amount_granted=Decimal(500 * (index + 1) ** 2), amount_requested=Decimal(0))

    def ordered(key):
        return list(project_list(user=coordinator, filters={"ordering": key}).values_list("title", flat=True))

    assert ordered("status") == ["idea", "funding", "operational", "abandoned"]
    assert ordered("-status") == ["abandoned", "operational", "funding", "idea"]
    assert ordered("-budget_total") == ["funding", "idea", "operational", "abandoned"]
    # gaps: 1000-500, 2000-2000, 3000-4500, 4000-8000
    assert ordered("funding_gap") == ["funding", "idea", "operational", "abandoned"]


# --- Board and indicators -------------------------------------------------------------------------


def test_the_board_has_every_column_in_pipeline_order(coordinator):
    ProjectFactory(title="B", status=ProjectStatus.FUNDING)
    ProjectFactory(title="A", status=ProjectStatus.FUNDING)
    ProjectFactory(title="C", status=ProjectStatus.ABANDONED)

    board = projects_by_status(user=coordinator)

    assert list(board) == BOARD_COLUMNS
    assert [p.title for p in board[ProjectStatus.FUNDING]] == ["A", "B"]
    assert [p.title for p in board[ProjectStatus.ABANDONED]] == ["C"]
    assert board[ProjectStatus.IDEA] == []


def test_the_board_is_one_query(coordinator, django_assert_num_queries):
    for status in ProjectStatus.values:
        ProjectFactory(status=status)
    assert coordinator.is_coordinator  # loads the user's permissions now: they are not the board's queries

    with django_assert_num_queries(1):
        projects_by_status(user=coordinator)


def test_indicator_table_has_a_row_per_indicator_and_a_column_per_year(coordinator):
    project = ProjectFactory()
    IndicatorFactory(project=project, kind=IndicatorKind.CO2E, unit="t CO2e", year=2025, target=80, actual=None)
    IndicatorFactory(project=project, kind=IndicatorKind.TONNES, year=2024, target=800, actual=620)
    IndicatorFactory(project=project, kind=IndicatorKind.TONNES, year=2026, target=1500, actual=None)
    IndicatorFactory(
        project=project, kind=IndicatorKind.CUSTOM, label="Foyers chauffés", unit="", year=2025, target=40
    )

    table = indicator_table(project_detail(user=coordinator, pk=project.pk))

    assert table.years == [2024, 2025, 2026]
    assert [(row.label, row.unit) for row in table.rows] == [
        ("Tonnes valorisées", "t"),
        ("CO2e évité (t)", "t CO2e"),
        ("Foyers chauffés", ""),
    ]
    tonnes = table.rows[0]
    assert [cell and (cell.target, cell.actual) for cell in tonnes.cells] == [(800, 620), None, (1500, None)]
    assert tonnes.cells[0].achievement == 78
    assert (tonnes.target_total, tonnes.actual_total) == (2300, 620)


def test_the_detail_loads_everything_its_page_shows_in_a_bounded_number_of_queries(
    coordinator, django_assert_max_num_queries
):
    project = ProjectFactory()
    for _ in range(3):
        ParticipantFactory(project=project, member=MemberFactory())
        BudgetLineFactory(project=project)
        FundingFactory(project=project)
        MilestoneFactory(project=project)
        IndicatorFactory(project=project, year=2020 + _)
    assert coordinator.is_coordinator

    with django_assert_max_num_queries(9):
        loaded = project_detail(user=coordinator, pk=project.pk)
        parts = [loaded.participants.all(), loaded.budget_lines.all(), loaded.fundings.all(), loaded.indicators.all()]
        owners = [milestone.owner for milestone in loaded.milestones.all()]
        names = [participant.member.name for participant in loaded.participants.all()]

    assert [len(part) for part in parts] == [4, 3, 3, 3]
    assert len(owners) == 3 and len(names) == 4
    assert names[0] == loaded.lead_member.name
