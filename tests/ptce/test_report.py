"""The yearly pole report: figures checked against values computed by hand on a small pole, coordinator-only
access, a valid PDF with the same content, and a number of queries that does not grow with the pole."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members.enums import IaeType, MemberKind, MembershipStatus
from projects.enums import FundingSource, IndicatorKind, ProjectKind, ProjectStatus
from projects.models import BudgetLine, Funding, Indicator, Project
from ptce.reports.layout import number
from ptce.reports.selectors import pole_report
from waste_flows.enums import Direction, MatchStatus, Route, StreamStatus
from waste_flows.models import Stream

from ..members.factories import CollegeFactory, MemberFactory, SiteFactory, YearlyFigureFactory
from ..waste_flows.factories import StreamFactory
from ..waste_flows.match_factories import MatchFactory

YEAR = 2024


def on(year, month, day):
    return datetime.datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


def dated(instance, when):
    """Move every history record of `instance` to `when`, as if it had been written then."""
    instance.history.update(history_date=when)
    return instance


def member(name, **kwargs):
    organisation = MemberFactory(name=name, **kwargs)
    SiteFactory(member=organisation)
    return organisation


@pytest.fixture
def pole(db):
    """A small pole whose 2024 figures are computed by hand in the tests."""
    ess, firms = (
        CollegeFactory(name="Entreprises de l'ESS", position=1),
        CollegeFactory(name="Entreprises", position=2),
    )
    org = {
        "ressourcerie": member(
            "Ressourcerie",
            kind=MemberKind.ESS_ENTERPRISE,
            is_ess=True,
            esus_approved=True,
            iae_type=IaeType.EI,
            college=ess,
            joined_on=datetime.date(2019, 1, 1),
        ),
        "scierie": member("Scierie", college=firms, joined_on=datetime.date(2024, 3, 1)),
        "commune": member("Commune", kind=MemberKind.LOCAL_AUTHORITY, joined_on=datetime.date(2018, 1, 1)),
        "sortie": member(
            "Sortie en 2024",
            college=firms,
            status=MembershipStatus.FORMER,
            joined_on=datetime.date(2017, 1, 1),
            left_on=datetime.date(2024, 6, 30),
        ),
        "gone": member(
            "Partie en 2023",
            status=MembershipStatus.FORMER,
            joined_on=datetime.date(2015, 1, 1),
            left_on=datetime.date(2023, 5, 1),
        ),
        "prospect": member("Prospect", status=MembershipStatus.PROSPECT, joined_on=None),
        "newcomer": member("Arrivée en 2025", joined_on=datetime.date(2025, 2, 1)),
    }
    _figures(org)
    _projects(org)
    _streams_and_matches(org)
    return org


def _figures(org):
    YearlyFigureFactory(
        member=org["ressourcerie"],
        year=YEAR,
        permanent_headcount=10,
        permanent_fte=Decimal("8.5"),
        insertion_headcount=6,
        insertion_fte=Decimal("4.25"),
    )
    YearlyFigureFactory(
        member=org["scierie"],
        year=YEAR,
        permanent_headcount=20,
        permanent_fte=Decimal("18"),
        insertion_headcount=0,
        insertion_fte=Decimal("0"),
    )
    YearlyFigureFactory(
        member=org["sortie"],
        year=YEAR,
        permanent_headcount=2,
        permanent_fte=Decimal("2"),
        insertion_headcount=0,
        insertion_fte=Decimal("0"),
    )  # left during the year, but employed people in it: counted
    YearlyFigureFactory(member=org["gone"], year=YEAR)  # no longer a member in 2024: not counted
    YearlyFigureFactory(
        member=org["ressourcerie"],
        year=YEAR - 1,
        permanent_headcount=9,
        permanent_fte=Decimal("8"),
        insertion_headcount=5,
        insertion_fte=Decimal("4"),
    )


def _projects(org):
    def project(lead, status, **dates):
        return Project.objects.create(
            title=f"Projet {status}", kind=ProjectKind.ENERGY, status=status, lead_member=org[lead], **dates
        )

    boiler = project("ressourcerie", ProjectStatus.IMPLEMENTATION, start_date=datetime.date(2023, 9, 1))
    BudgetLine.objects.create(project=boiler, category="investment", label="Chaudière", amount=Decimal("10000"))
    BudgetLine.objects.create(project=boiler, category="operation", label="Animation", amount=Decimal("5000"))
    Funding.objects.create(
        project=boiler,
        source=FundingSource.REGION,
        amount_requested=Decimal("8000"),
        amount_granted=Decimal("6000"),
        amount_received=Decimal("3000"),
    )
    Funding.objects.create(
        project=boiler,
        source=FundingSource.ADEME,
        amount_requested=Decimal("2000"),
        amount_granted=Decimal("1500"),
        granted_on=datetime.date(2025, 2, 1),
    )  # granted after the year: requested only in 2024
    dated(boiler, on(2023, 9, 1))
    boiler.status = ProjectStatus.OPERATIONAL
    boiler.save()
    boiler.history.filter(status=ProjectStatus.OPERATIONAL).update(history_date=on(2025, 3, 1))
    idea = project("scierie", ProjectStatus.IDEA, created_at=on(2024, 5, 1))
    BudgetLine.objects.create(project=idea, category="operation", label="Étude", amount=Decimal("1000"))
    ended = project(
        "commune", ProjectStatus.CLOSED, start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2022, 12, 31)
    )
    BudgetLine.objects.create(project=ended, category="investment", label="Ancien", amount=Decimal("99999"))
    Funding.objects.create(project=ended, source=FundingSource.REGION, amount_requested=Decimal("50000"))
    project("scierie", ProjectStatus.FEASIBILITY, start_date=datetime.date(2025, 1, 10))
    Indicator.objects.create(project=boiler, kind=IndicatorKind.JOBS, year=YEAR, target=2, actual=Decimal("1.5"))
    Indicator.objects.create(project=idea, kind=IndicatorKind.JOBS, year=YEAR, target=1)
    Indicator.objects.create(project=boiler, kind=IndicatorKind.TONNES, year=YEAR - 1, target=100, actual=80)
    Indicator.objects.create(project=boiler, kind=IndicatorKind.CUSTOM, label="Visites", year=YEAR, actual=40)


def _streams_and_matches(org):
    site = org["ressourcerie"].sites.get()
    landfill = dated(StreamFactory(site=site, quantity=Decimal("12")), on(2024, 3, 1))
    dated(StreamFactory(site=site, quantity=Decimal("3"), current_route=Route.LOCAL_VALORISATION), on(2024, 3, 1))
    need = dated(StreamFactory(site=site, direction=Direction.NEED, quantity=Decimal("5")), on(2024, 3, 1))
    archived_later = dated(StreamFactory(site=site, quantity=Decimal("7")), on(2024, 2, 1))
    archived_later.status = StreamStatus.ARCHIVED
    archived_later.save()
    archived_later.history.filter(status=StreamStatus.ARCHIVED).update(history_date=on(2025, 1, 15))
    StreamFactory(site=site, quantity=Decimal("100"))  # declared now: not in 2024
    dated(StreamFactory(site=org["gone"].sites.get(), quantity=Decimal("50")), on(2024, 3, 1))  # not a member

    def implemented(when, **figures):
        match = MatchFactory(offer=landfill, need=need, status=MatchStatus.IMPLEMENTED, **figures)
        return dated(match, when)

    implemented(on(2024, 6, 1), actual_tonnes_per_year=10, tonnes_per_year=12, co2e_avoided_t=2, euros_saved=500)
    implemented(on(2023, 5, 1), tonnes_per_year=4, co2e_avoided_t=1, euros_saved=100)
    implemented(on(2025, 2, 1), tonnes_per_year=30, co2e_avoided_t=9, euros_saved=900)
    MatchFactory(offer=landfill, need=need, status=MatchStatus.IN_DISCUSSION, tonnes_per_year=50)


# --- Figures ---------------------------------------------------------------------------------------------


def test_members_are_those_of_the_last_day_with_the_arrivals_and_departures_of_the_year(pole):
    members = pole_report(year=YEAR).members

    assert (members.total, members.joined, members.left) == (3, 1, 1)
    assert (members.ess, members.esus, members.iae) == (1, 1, 1)
    assert {line.label: line.count for line in members.by_kind if line.count} == {
        "Entreprise de l'ESS": 1,
        "Entreprise classique": 1,
        "Collectivité territoriale": 1,
    }
    assert [(line.label, line.count) for line in members.by_college] == [
        ("Entreprises de l'ESS", 1),
        ("Entreprises", 1),
        ("Sans collège", 1),
    ]
    assert [(line.label, line.count) for line in members.by_iae_type] == [("EI — entreprise d'insertion", 1)]


def test_jobs_add_up_the_figures_of_the_year_next_to_the_year_before(pole):
    report = pole_report(year=YEAR)

    jobs, previous = report.jobs, report.jobs_previous
    assert (jobs.members_reporting, jobs.permanent_headcount, jobs.insertion_headcount) == (3, 32, 6)
    assert (jobs.permanent_fte, jobs.insertion_fte, jobs.insertion_fte_in_iae) == (
        Decimal("28.5"),
        Decimal("4.25"),
        Decimal("4.25"),
    )
    assert (previous.year, previous.members_reporting, previous.permanent_fte) == (2023, 1, Decimal("8"))


def test_projects_of_the_year_with_their_status_budget_and_funding_at_its_end_and_indicators(pole):
    projects = pole_report(year=YEAR).projects

    assert {line.status: (line.count, line.budget) for line in projects.by_status if line.count} == {
        ProjectStatus.IMPLEMENTATION: (1, Decimal("15000")),
        ProjectStatus.IDEA: (1, Decimal("1000")),
    }
    assert (projects.count, projects.budget) == (2, Decimal("16000"))
    assert [(f.source, f.requested, f.granted, f.received) for f in projects.funding] == [
        (FundingSource.REGION, Decimal("8000"), Decimal("6000"), Decimal("3000")),
        (FundingSource.ADEME, Decimal("2000"), Decimal("0"), Decimal("0")),
    ]
    total = projects.funding_total
    assert (total.requested, total.granted, total.received) == (Decimal("10000"), Decimal("6000"), Decimal("3000"))
    [jobs] = projects.indicators
    assert (jobs.kind, jobs.projects, jobs.target, jobs.actual) == (IndicatorKind.JOBS, 2, Decimal(3), Decimal("1.5"))


def test_declarations_are_taken_as_they_stood_at_the_end_of_the_year(pole):
    flows = pole_report(year=YEAR, today=datetime.date(2026, 5, 1)).flows

    assert flows.as_of == datetime.date(2024, 12, 31)
    assert (flows.offers, flows.needs, flows.members_declaring) == (3, 1, 1)
    assert (flows.offer_tonnes, flows.local_tonnes, flows.disposed_tonnes) == (Decimal(22), Decimal(3), Decimal(19))
    assert round(flows.local_percent, 1) == Decimal("13.6")


def test_matches_implemented_in_the_year_and_to_date_count_tonnes_co2e_and_euros(pole):
    matches = pole_report(year=YEAR).matches

    year, to_date = matches.during_year, matches.to_date
    assert (year.count, year.tonnes, year.co2e_t, year.euros) == (1, 10, 2, 500)  # actual tonnes win
    assert (to_date.count, to_date.tonnes, to_date.co2e_t, to_date.euros) == (2, 14, 3, 600)


def test_numbers_are_written_the_french_way_and_rounded_half_up():
    assert number(Decimal("12345.678"), 1) == "12\xa0345,7"
    assert number(Decimal("4.25"), 1) == "4,3"
    assert number(2.5) == "3"
    assert number(None) == "—"


# --- Page and permissions --------------------------------------------------------------------------------


def report_url(year=YEAR):
    return reverse("yearly_report", args=[year])


def pdf_url(year=YEAR):
    return reverse("yearly_report_pdf", args=[year])


def test_coordinator_reads_the_printable_report_with_a_year_selector(client, coordinator, pole):
    client.force_login(coordinator)

    response = client.get(report_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rapport annuel 2024 du pôle" in page
    assert '<option value="2024" selected>' in page
    assert "28,5" in page  # permanent FTE, written the French way
    assert "15\xa0000" in page or "15 000" in page
    assert 'href="/static/css/report.css"' in page
    assert pdf_url() in page


def test_the_year_selector_works_without_javascript(client, coordinator):
    client.force_login(coordinator)
    choose = reverse("yearly_report_choose")

    assert client.get(choose, {"year": "2023"}).url == report_url(2023)
    assert client.get(choose).url == report_url(timezone.localdate().year - 1)
    assert client.get(choose, {"year": "n'importe quoi"}).url == report_url(timezone.localdate().year - 1)


def test_future_and_implausible_years_are_not_found(client, coordinator):
    client.force_login(coordinator)
    for year in (timezone.localdate().year + 1, 1900):
        assert client.get(report_url(year)).status_code == 404
        assert client.get(pdf_url(year)).status_code == 404


def test_only_the_coordination_reads_the_report(client, member, partner, plain_user):
    for user in (member, partner, plain_user):
        client.force_login(user)
        for url in (report_url(), pdf_url(), reverse("yearly_report_choose")):
            assert client.get(url).status_code == 403, (user, url)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(pdf_url()).status_code == 302


def test_navigation_offers_the_report_to_the_coordination_only(client, coordinator, member):
    client.force_login(coordinator)
    assert reverse("yearly_report_choose") in client.get(reverse("home")).content.decode()
    client.force_login(member)
    assert reverse("yearly_report_choose") not in client.get(reverse("home")).content.decode()


# --- PDF -------------------------------------------------------------------------------------------------


def test_pdf_export_produces_a_valid_document_with_the_report(client, coordinator, pole):
    client.force_login(coordinator)

    response = client.get(pdf_url())

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-annuel-2024.pdf"'
    content = response.content
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    assert reader.metadata.title == "Rapport annuel 2024 du pôle"
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for expected in (
        "Rapport annuel 2024 du pôle",
        "Membres par type de structure",
        "Emplois et insertion",
        "Financements des projets par source",
        "Région",
        "28,5",
        "4,3",
        "16 000",
        "CO2e",
    ):
        assert expected in text.replace("\xa0", " "), expected


# --- Queries ---------------------------------------------------------------------------------------------


def grow(pole, size: int) -> None:
    for index in range(size):
        organisation = member(f"Membre {index}", joined_on=datetime.date(2020, 1, 1))
        YearlyFigureFactory(member=organisation, year=YEAR)
        project = Project.objects.create(title=f"Projet {index}", kind=ProjectKind.OTHER, lead_member=organisation)
        BudgetLine.objects.create(project=project, category="operation", label="Poste", amount=Decimal("100"))
        Funding.objects.create(project=project, source=FundingSource.EU, amount_requested=Decimal("100"))
        stream = StreamFactory(site=organisation.sites.get())
        MatchFactory(offer=stream, status=MatchStatus.IMPLEMENTED)


@pytest.mark.parametrize("url_name", ["yearly_report", "yearly_report_pdf"])
def test_query_count_does_not_grow_with_the_pole(client, coordinator, pole, url_name, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse(url_name, args=[timezone.localdate().year])
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(pole, 8)
    assert Stream.objects.count() > 15
    with CaptureQueriesContext(connection) as bigger:
        client.get(url)
    assert len(bigger) == len(small)
    # session, user, the user's two permission lookups; members: counts, colleges; jobs: two years; projects:
    # statuses, budgets, funding, indicators; declarations; matches.
    with django_assert_num_queries(14):
        client.get(url)
