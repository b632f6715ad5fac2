"""The demo pole's projects: one at every stage, funded by the State's PTCE call, the Region, ADEME, the
Banque des Territoires and the members, with milestones, indicators and a dated story; written once."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from members.demo import DEMO_COORDINATOR_EMAIL, MEMBERS
from members.models import User
from projects.demo import seed_projects
from projects.demo_data import BOILER_CHANNEL, DEMO_PROJECTS
from projects.enums import ActivityKind, FundingSource, IndicatorKind, ProjectStatus, ProjectVisibility
from projects.models import Funding, Indicator, Milestone, Project, ProjectActivity
from projects.selectors import project_list
from waste_flows.enums import MatchKind

MEMBER_KEYS = {member.key for member in MEMBERS}

# --- The data alone, without a database -------------------------------------------------------------


def test_there_are_eight_to_twelve_demo_projects_with_distinct_titles():
    titles = [project.title for project in DEMO_PROJECTS]

    assert 8 <= len(titles) <= 12
    assert len(set(titles)) == len(titles)


def test_every_status_appears_and_the_abandoned_project_says_why():
    final = {project.steps[-1][0] for project in DEMO_PROJECTS}

    assert final == set(ProjectStatus.values)
    assert all(p.abandon_reason for p in DEMO_PROJECTS if p.steps[-1][0] == ProjectStatus.ABANDONED)


def test_demo_projects_name_existing_members_and_each_once():
    for project in DEMO_PROJECTS:
        keys = [project.lead, *(key for key, _role, _commitment in project.participants)]
        assert set(keys) <= MEMBER_KEYS, project.title
        assert len(keys) == len(set(keys)), project.title
        owners = {milestone.owner for milestone in project.milestones if milestone.owner}
        assert owners <= set(keys), project.title


def test_story_dates_follow_each_other():
    for project in DEMO_PROJECTS:
        days = [day for _status, day in project.steps]
        assert days == sorted(days), project.title


# --- The seeded projects ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The whole demo (members, streams, the matching run, projects) once for this module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seed_output(seeded_once, db):
    return seeded_once


@pytest.fixture
def coordinator_of_demo(seed_output):
    return User.objects.get(email=DEMO_COORDINATOR_EMAIL)


def test_the_seed_creates_the_projects_and_says_so(seed_output):
    assert Project.objects.count() == len(DEMO_PROJECTS)
    assert f"projects: {len(DEMO_PROJECTS)} ({len(DEMO_PROJECTS)} created)" in seed_output


def test_running_the_seed_again_creates_nothing_twice(seed_output, coordinator_of_demo):
    counts = (Project.objects.count(), Funding.objects.count(), ProjectActivity.objects.count())

    summary = seed_projects(actor=coordinator_of_demo)

    assert summary.created["projects"] == 0 and summary.total["projects"] == len(DEMO_PROJECTS)
    assert (Project.objects.count(), Funding.objects.count(), ProjectActivity.objects.count()) == counts


def test_projects_stand_at_every_stage(seed_output):
    statuses = Counter(Project.objects.values_list("status", flat=True))

    assert set(statuses) == set(ProjectStatus.values)
    abandoned = Project.objects.get(status=ProjectStatus.ABANDONED)
    assert "centrales d'achat" in abandoned.abandon_reason


def test_fundings_come_from_the_state_call_the_region_ademe_the_banque_des_territoires_and_members(seed_output):
    sources = set(Funding.objects.values_list("source", flat=True))

    assert {FundingSource.STATE_PTCE, FundingSource.REGION, FundingSource.ADEME, FundingSource.BANQUE_TERRITOIRES,
            FundingSource.OWN_FUNDS} <= sources  # fmt: skip
    assert "23 pôles pour 3 M€" in Funding.objects.filter(source=FundingSource.STATE_PTCE).first().notes


def test_totals_and_gaps_are_computed_for_the_boiler(coordinator_of_demo):
    boiler = project_list(user=coordinator_of_demo).get(title__startswith="Chaufferie bois collective")

    assert boiler.budget_total == 1_785_000
    assert boiler.funding_granted == 1_705_000
    assert boiler.funding_gap == 80_000


def test_the_wood_boiler_links_the_pallets_pooled_for_the_boiler_channel(seed_output):
    boiler = Project.objects.get(title__startswith="Chaufferie bois collective")

    pools = boiler.matches.filter(kind=MatchKind.POOLING)
    assert pools.filter(channel__name=BOILER_CHANNEL).exists()
    assert pools.filter(material__code="wood.pallets").exists()


def test_some_milestones_are_done_some_late_some_ahead(seed_output):
    today = date.today()

    assert Milestone.objects.filter(done_on__isnull=False).count() >= 10
    assert 2 <= Milestone.objects.overdue().count() <= 6
    assert Milestone.objects.filter(done_on__isnull=True, due_date__gte=today).exists()


def test_indicators_report_targets_and_actuals_for_2024_to_2026(seed_output):
    years = set(Indicator.objects.values_list("year", flat=True))
    kinds = set(Indicator.objects.values_list("kind", flat=True))

    assert years == {2024, 2025, 2026}
    assert {IndicatorKind.TONNES, IndicatorKind.CO2E, IndicatorKind.INSERTION_JOBS, IndicatorKind.JOBS,
            IndicatorKind.EUROS, IndicatorKind.MEMBERS, IndicatorKind.CUSTOM} <= kinds  # fmt: skip
    assert Indicator.objects.filter(actual__isnull=False).count() >= 20


def test_the_log_tells_each_story_at_its_dates(seed_output):
    for demo in DEMO_PROJECTS:
        project = Project.objects.get(title=demo.title)
        moves = project.activities.filter(kind=ActivityKind.STATUS).order_by("created_at")
        assert [(row.to_status, row.created_at.date()) for row in moves] == list(demo.steps[1:]), demo.title
        assert project.created_at.date() == demo.steps[0][1]
        assert project.activities.filter(kind=ActivityKind.CREATED).count() == 1
    assert ProjectActivity.objects.filter(kind=ActivityKind.COMMENT, actor__email="acierie@demo-ptce.fr").exists()


def test_the_history_names_the_coordinator(seed_output, coordinator_of_demo):
    project = Project.objects.get(title__startswith="Programme de formation")

    assert project.history.count() >= 6
    assert set(project.history.values_list("history_user", flat=True)) == {coordinator_of_demo.pk}


def test_the_partner_of_the_demo_reads_the_public_projects_only(seed_output):
    partner = User.objects.get(email="ademe@demo-ptce.fr")

    visible = set(project_list(user=partner).values_list("visibility", flat=True))
    assert visible == {ProjectVisibility.PUBLIC}
    assert project_list(user=partner).count() >= 4
