"""The pole's yearly report: the indicators funders ask for (State PTCE call, Region, ADEME), for one year.

Every figure is aggregated in SQL; the report costs the same 10 queries whatever the size of the pole.
What "during the year" means for each part:

- members: the members on 31 December, as the coordinator dashboard counts them (`ptce.stats.scope.active_on`),
  with those who joined and left during the year;
- jobs: the yearly figures entered for that year by the organisations that were members at some point of
  it (not prospects; those who left during the year did employ people that year), next to the year before;
- projects: those running during the year — started by 31 December (or created by then when no start date
  is set) and not ended before 1 January; shown with their status on 31 December (from their history), their
  budget, and the funding requested, granted and received by then;
- project indicators: the values entered for that year;
- declarations: the active streams as they stood on 31 December (from the streams' history), or today for
  the current year;
- matches: those implemented during the year (the date their status became "implemented"), and all those
  implemented by the end of the year; tonnes are the actual ones when the coordinator entered them, else
  the estimate.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.enums import IaeType, MemberKind, MembershipStatus
from members.models import Member, YearlyFigure
from projects.enums import FundingSource, IndicatorKind, ProjectStatus
from projects.models import BudgetLine, Funding, Indicator, Project
from waste_flows.enums import Dimension, Direction, MatchStatus, Route, StreamStatus
from waste_flows.matches import Match
from waste_flows.models import Stream

from ..stats.scope import active_on, implemented_at
from .types import (
    ZERO,
    FlowsSection,
    FundingLine,
    IndicatorLine,
    JobsColumn,
    Line,
    MatchesSection,
    MatchTotals,
    MembersSection,
    PoleReport,
    ProjectsSection,
    StatusLine,
)

THOUSAND = Decimal(1000)
FIRST_YEAR = 1990
DISPOSAL_ROUTES = (Route.LANDFILL, Route.INCINERATION)  # without any recovery


def report_years(today: datetime.date | None = None) -> list[int]:
    """Years offered by the year selector: the ten last ones, most recent first."""
    current = (today or timezone.localdate()).year
    return list(range(current, max(current - 10, FIRST_YEAR - 1), -1))


def pole_report(*, year: int, today: datetime.date | None = None) -> PoleReport:
    today = today or timezone.localdate()
    return PoleReport(
        year=year,
        generated_on=today,
        members=members_section(year=year),
        jobs=jobs_column(year=year),
        jobs_previous=jobs_column(year=year - 1),
        projects=projects_section(year=year),
        flows=flows_section(year=year, today=today),
        matches=matches_section(year=year),
    )


# --- Periods ----------------------------------------------------------------------------------------------


def _bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _instants(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as a half-open range of aware datetimes in the pole's time zone."""
    zone = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def members_during(year: int, prefix: str = "") -> Q:
    """Organisations that were members at some point of `year`; `prefix` reaches them through a relation."""
    start, end = _bounds(year)

    def q(**lookups):
        return Q(**{prefix + name: value for name, value in lookups.items()})

    current = [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED]
    joined = q(joined_on__isnull=True) | q(joined_on__lte=end)
    stayed = q(left_on__gte=start) | q(left_on__isnull=True, status__in=current)
    return ~q(status=MembershipStatus.PROSPECT) & joined & stayed


# --- Members and jobs -------------------------------------------------------------------------------------


def members_section(*, year: int) -> MembersSection:
    """Members on 31 December (the coordinator dashboard's rule), and who joined or left during the year: one
    aggregate over everyone who was a member at some point of the year, one GROUP BY for the colleges."""
    start, end = _bounds(year)
    on_last_day = active_on(end)
    row = (
        Member.objects.filter(members_during(year))
        .order_by()
        .aggregate(
            total=Count("pk", filter=on_last_day),
            joined=Count("pk", filter=Q(joined_on__range=(start, end))),
            left=Count("pk", filter=Q(left_on__range=(start, end))),
            ess=Count("pk", filter=on_last_day & Q(is_ess=True)),
            esus=Count("pk", filter=on_last_day & Q(esus_approved=True)),
            iae=Count("pk", filter=on_last_day & ~Q(iae_type="")),
            **{f"kind_{kind.value}": Count("pk", filter=on_last_day & Q(kind=kind)) for kind in MemberKind},
            **{f"iae_{iae.value}": Count("pk", filter=on_last_day & Q(iae_type=iae)) for iae in IaeType},
        )
    )
    colleges = (
        Member.objects.filter(on_last_day)
        .order_by()
        .values("college__name", "college__position")
        .annotate(count=Count("pk"))
    )
    return MembersSection(
        total=row["total"],
        joined=row["joined"],
        left=row["left"],
        ess=row["ess"],
        esus=row["esus"],
        iae=row["iae"],
        by_kind=tuple(Line(str(kind.label), row[f"kind_{kind.value}"]) for kind in MemberKind),
        by_college=tuple(
            Line(c["college__name"] or str(_("Sans collège")), c["count"])
            for c in sorted(colleges, key=_college_order)
        ),
        by_iae_type=tuple(Line(str(iae.label), row[f"iae_{iae.value}"]) for iae in IaeType if row[f"iae_{iae.value}"]),
    )


def _college_order(row: dict) -> tuple:
    """Colleges in their display order, members without a college last."""
    return row["college__name"] is None, row["college__position"] or 0, row["college__name"] or ""


def jobs_column(*, year: int) -> JobsColumn:
    """Jobs of the members of `year`, from the figures they entered for it: one query."""
    figures = YearlyFigure.objects.filter(members_during(year, "member__"), year=year).order_by()
    row = figures.aggregate(
        members=Count("member", distinct=True),
        permanent_headcount_sum=Sum("permanent_headcount"),
        permanent_fte_sum=Sum("permanent_fte"),
        insertion_headcount_sum=Sum("insertion_headcount"),
        insertion_fte_sum=Sum("insertion_fte"),
        insertion_fte_in_iae=Sum("insertion_fte", filter=~Q(member__iae_type="")),
    )
    return JobsColumn(
        year=year,
        members_reporting=row["members"],
        permanent_headcount=row["permanent_headcount_sum"] or 0,
        permanent_fte=row["permanent_fte_sum"] or ZERO,
        insertion_headcount=row["insertion_headcount_sum"] or 0,
        insertion_fte=row["insertion_fte_sum"] or ZERO,
        insertion_fte_in_iae=row["insertion_fte_in_iae"] or ZERO,
    )


# --- Projects ---------------------------------------------------------------------------------------------


def projects_during(year: int) -> Q:
    start, end = _bounds(year)
    _first, next_year = _instants(year)
    started = Q(start_date__lte=end) | Q(start_date__isnull=True, created_at__lt=next_year)
    return started & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def status_at(instant, *, project_ref: str = "pk", current: str = "status"):
    """A project's status at `instant`: that of its last history record before then, else its current one
    (the coordinator dashboard's rule). From another model, name the project's id and status paths."""
    records = Project.history.model.objects.filter(id=OuterRef(project_ref), history_date__lt=instant)
    return Coalesce(Subquery(records.order_by("-history_date", "-history_id").values("status")[:1]), F(current))


def projects_section(*, year: int) -> ProjectsSection:
    """Three GROUP BY queries, plus the indicators'; budget and funding are summed on their own tables,
    never through a join of both, which would multiply rows."""
    _start, end = _bounds(year)
    _first, next_year = _instants(year)
    projects = Project.objects.filter(projects_during(year)).order_by()
    counts = dict(projects.annotate(then=status_at(next_year)).values_list("then").annotate(count=Count("pk")))
    budgets = dict(
        BudgetLine.objects.filter(project__in=projects.values("pk"))
        .annotate(then=status_at(next_year, project_ref="project_id", current="project__status"))
        .order_by()
        .values_list("then")
        .annotate(total=Sum("amount"))
    )
    return ProjectsSection(
        by_status=tuple(
            StatusLine(status.value, str(status.label), counts.get(status.value, 0), budgets.get(status.value) or ZERO)
            for status in ProjectStatus
        ),
        funding=funding_lines(projects=projects, end=end),
        indicators=indicator_lines(year=year),
    )


def funding_lines(*, projects, end: datetime.date) -> tuple[FundingLine, ...]:
    """Per source, what the projects asked for, were granted and received by the end of the year (an amount
    without a date counts as soon as it is entered): one query."""

    def by_end(amount: str, day: str) -> Q:
        return Q(**{f"{amount}__isnull": False}) & (Q(**{f"{day}__isnull": True}) | Q(**{f"{day}__lte": end}))

    rows = {
        row["source"]: row
        for row in Funding.objects.filter(project__in=projects.values("pk"))
        .order_by()
        .values("source")
        .annotate(
            requested=Sum("amount_requested", filter=Q(requested_on__isnull=True) | Q(requested_on__lte=end)),
            granted=Sum("amount_granted", filter=by_end("amount_granted", "granted_on")),
            received=Sum("amount_received", filter=by_end("amount_received", "received_on")),
        )
    }
    return tuple(
        FundingLine(
            source.value, str(source.label), row["requested"] or ZERO, row["granted"] or ZERO, row["received"] or ZERO
        )
        for source in FundingSource
        if (row := rows.get(source.value))
    )


def indicator_lines(*, year: int) -> tuple[IndicatorLine, ...]:
    """Targets and actual values the projects entered for `year`, per standard indicator (free-form ones
    have units of their own and cannot be added up)."""
    rows = {
        row["kind"]: row
        for row in Indicator.objects.filter(year=year)
        .exclude(kind=IndicatorKind.CUSTOM)
        .order_by()
        .values("kind")
        .annotate(projects=Count("project", distinct=True), target_sum=Sum("target"), actual_sum=Sum("actual"))
    }
    return tuple(
        IndicatorLine(kind.value, str(kind.label), row["projects"], row["target_sum"], row["actual_sum"])
        for kind in IndicatorKind
        if (row := rows.get(kind.value))
    )


# --- Declarations and matches ---------------------------------------------------------------------------


def flows_section(*, year: int, today: datetime.date) -> FlowsSection:
    """The active streams as they stood at the end of `year`: the last history record of each stream
    before that instant, in one query."""
    _first, next_year = _instants(year)
    history = Stream.history.model
    last_before = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=next_year)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = (
        history.objects.filter(history_date__lt=next_year, history_id=Subquery(last_before))
        .exclude(history_type="-")
        .filter(status=StreamStatus.ACTIVE)
        .filter(members_during(year, "site__member__"))
        .order_by()
    )
    offer_mass = Q(direction=Direction.OFFER, material__dimension=Dimension.MASS)
    row = records.aggregate(
        offers=Count("history_id", filter=Q(direction=Direction.OFFER)),
        needs=Count("history_id", filter=Q(direction=Direction.NEED)),
        members=Count("site__member", distinct=True),
        offer_kg=Sum("annual_quantity", filter=offer_mass),
        local_kg=Sum("annual_quantity", filter=offer_mass & Q(current_route=Route.LOCAL_VALORISATION)),
        disposed_kg=Sum("annual_quantity", filter=offer_mass & Q(current_route__in=DISPOSAL_ROUTES)),
    )
    return FlowsSection(
        as_of=min(_bounds(year)[1], today),
        offers=row["offers"],
        needs=row["needs"],
        members_declaring=row["members"],
        offer_tonnes=(row["offer_kg"] or ZERO) / THOUSAND,
        local_tonnes=(row["local_kg"] or ZERO) / THOUSAND,
        disposed_tonnes=(row["disposed_kg"] or ZERO) / THOUSAND,
    )


def matches_section(*, year: int) -> MatchesSection:
    """Implemented matches, dated by the first history record where they were implemented (the coordinator
    dashboard's rule): one query."""
    first, next_year = _instants(year)
    matches = Match.objects.filter(status=MatchStatus.IMPLEMENTED).annotate(
        implemented_at=implemented_at(), tonnes=Coalesce("actual_tonnes_per_year", "tonnes_per_year")
    )
    scopes = {
        "year": Q(implemented_at__gte=first, implemented_at__lt=next_year),
        "all": Q(implemented_at__lt=next_year),
    }
    measures = {"count": "pk", "tonnes": "tonnes", "co2e": "co2e_avoided_t", "euros": "euros_saved"}
    row = matches.order_by().aggregate(
        **{
            f"{scope}_{measure}": (Count if measure == "count" else Sum)(column, filter=condition)
            for scope, condition in scopes.items()
            for measure, column in measures.items()
        }
    )
    return MatchesSection(during_year=_match_totals(row, "year"), to_date=_match_totals(row, "all"))


def _match_totals(row: dict, name: str) -> MatchTotals:
    return MatchTotals(
        count=row[f"{name}_count"],
        tonnes=row[f"{name}_tonnes"] or 0.0,
        co2e_t=row[f"{name}_co2e"] or 0.0,
        euros=row[f"{name}_euros"] or 0.0,
    )
