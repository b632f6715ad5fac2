"""Reads of the member dashboard: one organisation's streams, opportunities, projects and figures.

Everything is scoped to one `member_id` and aggregated in SQL; the page costs the same fixed number of
queries whether the organisation declared three streams or three hundred.

Declaration completeness: a stream is complete when every *recommended* field that applies to it is filled.
The form already requires material, site, quantity and unit, so those are always there and not counted.
The recommended fields are the ones the matching and the impact estimate use:

- EWC code: offers of waste (the code tells hazardous waste apart);
- current route and its yearly cost: every offer (what a match would change, and the euros it saves);
- availability window (months, or dates): streams that are seasonal or one-off, not continuous ones;
- physical form: every stream (packaging and handling decide whether a partner can take it);
- maximum distance: needs (the matching uses it as the need's radius).

Completeness is the share of these (stream, field) pairs that are filled, over the organisation's current
streams (active and drafts; archived ones no longer count).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import YearlyFigure
from projects.enums import OPEN_STATUSES, ParticipantRole, ProjectStatus
from projects.models import Milestone, Project, ProjectParticipant
from waste_flows.enums import (
    Dimension,
    Direction,
    MatchStatus,
    ParticipantAnswer,
    Regularity,
    Route,
    StreamKind,
    StreamStatus,
)
from waste_flows.match_lifecycle import REVEALED_STATUSES
from waste_flows.match_selectors import awaiting_answer_count
from waste_flows.matches import Match, MatchParticipant
from waste_flows.models import Stream

THOUSAND = Decimal(1000)
INCOMPLETE_LIMIT = 10
AWAITING_LIMIT = 5
PROJECT_LIMIT = 10
MILESTONE_LIMIT = 10
UPCOMING_DAYS = 60


@dataclass(frozen=True)
class CompletenessRule:
    code: str
    label: str
    applies: Q  # which streams the field is recommended for
    filled: Q


COMPLETENESS_RULES = (
    CompletenessRule(
        "ewc_code", _("code déchet"), Q(direction=Direction.OFFER, kind=StreamKind.WASTE), Q(ewc_code__isnull=False)
    ),
    CompletenessRule(
        "current_route",
        _("devenir actuel"),
        Q(direction=Direction.OFFER),
        ~Q(current_route="") & ~Q(current_route=Route.UNKNOWN),
    ),
    CompletenessRule(
        "current_route_cost",
        _("coût du devenir actuel"),
        Q(direction=Direction.OFFER),
        Q(current_route_cost__isnull=False),
    ),
    CompletenessRule(
        "availability",
        _("période de disponibilité"),
        ~Q(regularity=Regularity.CONTINUOUS),
        Q(available_from__isnull=False) | Q(available_until__isnull=False) | ~Q(months=[]),
    ),
    CompletenessRule("physical_form", _("forme physique"), Q(), ~Q(physical_form="")),
    CompletenessRule(
        "max_distance_km",
        _("distance maximale acceptée"),
        Q(direction=Direction.NEED),
        Q(max_distance_km__isnull=False),
    ),
)


# --- Streams ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncompleteStream:
    stream: Stream
    missing: tuple[str, ...]  # labels of the recommended fields still empty


@dataclass(frozen=True)
class StreamSummary:
    offers: int  # active
    needs: int  # active
    drafts: int
    offer_tonnes: Decimal  # active offers measured in mass, t/yr
    need_tonnes: Decimal
    local_tonnes: Decimal  # of the offered tonnes, already reused or recycled locally
    fields_expected: int
    fields_filled: int
    incomplete_count: int
    incomplete: tuple[IncompleteStream, ...]  # the most recently updated first, at most INCOMPLETE_LIMIT

    @property
    def total(self) -> int:
        return self.offers + self.needs + self.drafts

    @property
    def completeness_percent(self) -> int | None:
        """None when nothing is expected yet (no current stream): 100 % would be misleading."""
        if not self.fields_expected:
            return None
        return int(self.fields_filled * 100 / self.fields_expected)


def _current_streams(member_id: int):
    return Stream.objects.of_member(member_id).exclude(status=StreamStatus.ARCHIVED)


def _missing(rule: CompletenessRule) -> Q:
    return rule.applies & ~rule.filled


def stream_summary(*, member_id: int) -> StreamSummary:
    """Counts, tonnes and completeness in one aggregate query, plus one for the incomplete streams."""
    active, mass = Q(status=StreamStatus.ACTIVE), Q(material__dimension=Dimension.MASS)
    offer_mass = active & mass & Q(direction=Direction.OFFER)
    totals = {
        "offers": Count("pk", filter=active & Q(direction=Direction.OFFER)),
        "needs": Count("pk", filter=active & Q(direction=Direction.NEED)),
        "drafts": Count("pk", filter=Q(status=StreamStatus.DRAFT)),
        "offer_kg": Sum("annual_quantity", filter=offer_mass),
        "need_kg": Sum("annual_quantity", filter=active & mass & Q(direction=Direction.NEED)),
        "local_kg": Sum("annual_quantity", filter=offer_mass & Q(current_route=Route.LOCAL_VALORISATION)),
        "incomplete": Count("pk", filter=_any_missing()),
    }
    for rule in COMPLETENESS_RULES:
        totals[f"expected_{rule.code}"] = Count("pk", filter=rule.applies)
        totals[f"filled_{rule.code}"] = Count("pk", filter=rule.applies & rule.filled)
    row = _current_streams(member_id).order_by().aggregate(**totals)
    return StreamSummary(
        offers=row["offers"],
        needs=row["needs"],
        drafts=row["drafts"],
        offer_tonnes=(row["offer_kg"] or Decimal(0)) / THOUSAND,
        need_tonnes=(row["need_kg"] or Decimal(0)) / THOUSAND,
        local_tonnes=(row["local_kg"] or Decimal(0)) / THOUSAND,
        fields_expected=sum(row[f"expected_{rule.code}"] for rule in COMPLETENESS_RULES),
        fields_filled=sum(row[f"filled_{rule.code}"] for rule in COMPLETENESS_RULES),
        incomplete_count=row["incomplete"],
        incomplete=incomplete_streams(member_id=member_id),
    )


def _any_missing() -> Q:
    condition = Q(pk__in=[])
    for rule in COMPLETENESS_RULES:
        condition |= _missing(rule)
    return condition


def incomplete_streams(*, member_id: int, limit: int = INCOMPLETE_LIMIT) -> tuple[IncompleteStream, ...]:
    """The organisation's current streams with at least one recommended field empty, and which ones."""
    flags = {
        f"missing_{rule.code}": ExpressionWrapper(_missing(rule), output_field=BooleanField())
        for rule in COMPLETENESS_RULES
    }
    streams = (
        _current_streams(member_id)
        .filter(_any_missing())
        .select_related("material", "site")
        .annotate(**flags)
        .order_by("-updated_at", "pk")[:limit]
    )
    return tuple(
        IncompleteStream(
            stream=stream,
            missing=tuple(str(rule.label) for rule in COMPLETENESS_RULES if getattr(stream, f"missing_{rule.code}")),
        )
        for stream in streams
    )


# --- Opportunities --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunitySummary:
    by_status: tuple[tuple[str, str, int], ...]  # (status, label, count) for each status a member sees
    awaiting_count: int
    awaiting: tuple[Match, ...]  # introduced, the organisation's answer pending; newest first
    implemented_tonnes: float
    implemented_co2e_t: float
    implemented_euros: float

    @property
    def total(self) -> int:
        return sum(count for _status, _label, count in self.by_status)


def opportunity_summary(*, member_id: int) -> OpportunitySummary:
    """The matches revealed to the organisation (members never see the others), in three queries."""
    takes_part = MatchParticipant.objects.filter(match=OuterRef("pk"), member_id=member_id)
    implemented = Q(status=MatchStatus.IMPLEMENTED)
    row = (
        Match.objects.filter(Exists(takes_part), status__in=REVEALED_STATUSES)
        .order_by()
        .aggregate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in REVEALED_STATUSES},
            tonnes=Sum(Coalesce("actual_tonnes_per_year", "tonnes_per_year"), filter=implemented),
            co2e=Sum("co2e_avoided_t", filter=implemented),
            euros=Sum("euros_saved", filter=implemented),
        )
    )
    pending = MatchParticipant.objects.filter(
        match=OuterRef("pk"), member_id=member_id, answer=ParticipantAnswer.PENDING
    )
    awaiting = (
        Match.objects.filter(Exists(pending), status=MatchStatus.INTRODUCED)
        .select_related("material")
        .order_by("-updated_at", "pk")[:AWAITING_LIMIT]
    )
    return OpportunitySummary(
        by_status=tuple((status.value, status.label, row[status.value]) for status in REVEALED_STATUSES),
        awaiting_count=awaiting_answer_count(member_id=member_id),
        awaiting=tuple(awaiting),
        implemented_tonnes=row["tonnes"] or 0.0,
        implemented_co2e_t=row["co2e"] or 0.0,
        implemented_euros=row["euros"] or 0.0,
    )


# --- Projects and milestones ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectSummary:
    open_count: int
    closed_count: int  # closed or abandoned
    projects: tuple[Project, ...]  # open ones, with `member_role_label`; most recently updated first
    overdue_count: int
    upcoming_count: int
    milestones: tuple[Milestone, ...]  # open milestones the organisation owns: overdue, then due soon


def project_summary(*, member_id: int, today=None) -> ProjectSummary:
    """Projects the organisation leads or takes part in, and the milestones it owns: four queries."""
    today = today or timezone.localdate()
    participation = ProjectParticipant.objects.filter(project=OuterRef("pk"), member_id=member_id)
    involved = Project.objects.filter(Q(lead_member_id=member_id) | Q(Exists(participation)))
    counts = involved.order_by().aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        closed=Count("pk", filter=Q(status__in=[ProjectStatus.CLOSED, ProjectStatus.ABANDONED])),
    )
    projects = list(
        involved.filter(status__in=OPEN_STATUSES)
        .annotate(participant_role=Subquery(participation.values("role")[:1]))
        .order_by("-updated_at", "pk")[:PROJECT_LIMIT]
    )
    for project in projects:
        role = ParticipantRole.LEAD if project.lead_member_id == member_id else project.participant_role
        project.member_role_label = ParticipantRole(role).label if role else ""
    soon = today + timedelta(days=UPCOMING_DAYS)
    owned = Milestone.objects.open().filter(owner_id=member_id)
    milestone_counts = owned.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        upcoming=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
    )
    milestones = owned.filter(due_date__lte=soon).select_related("project").order_by("due_date", "pk")
    return ProjectSummary(
        open_count=counts["open"],
        closed_count=counts["closed"],
        projects=tuple(projects),
        overdue_count=milestone_counts["overdue"],
        upcoming_count=milestone_counts["upcoming"],
        milestones=tuple(milestones[:MILESTONE_LIMIT]),
    )


# --- Yearly figures ---------------------------------------------------------------------------------------


FIGURE_FIELDS = ("permanent_headcount", "permanent_fte", "insertion_headcount", "insertion_fte", "turnover")


@dataclass(frozen=True)
class FigureRow:
    label: str
    latest: Decimal | int | None
    previous: Decimal | int | None
    delta: Decimal | int | None


@dataclass(frozen=True)
class FigureComparison:
    latest: YearlyFigure | None
    previous: YearlyFigure | None  # the year just before `latest`'s, when it was entered

    @property
    def rows(self) -> tuple[FigureRow, ...]:
        return tuple(self._row(name) for name in FIGURE_FIELDS)

    def _row(self, name: str) -> FigureRow:
        latest = getattr(self.latest, name) if self.latest else None
        previous = getattr(self.previous, name) if self.previous else None
        delta = latest - previous if latest is not None and previous is not None else None
        return FigureRow(str(YearlyFigure._meta.get_field(name).verbose_name), latest, previous, delta)


def figure_comparison(*, member_id: int) -> FigureComparison:
    """The latest year entered, compared with the year before when it exists: one query."""
    figures = list(YearlyFigure.objects.filter(member_id=member_id).order_by("-year")[:2])
    if not figures:
        return FigureComparison(latest=None, previous=None)
    latest = figures[0]
    previous = figures[1] if len(figures) == 2 and figures[1].year == latest.year - 1 else None
    return FigureComparison(latest=latest, previous=previous)


# --- The whole page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberDashboard:
    streams: StreamSummary
    opportunities: OpportunitySummary
    projects: ProjectSummary
    figures: FigureComparison


def member_dashboard_data(*, member_id: int, today=None) -> MemberDashboard:
    """Everything the member dashboard shows, for one organisation only, in 10 queries whatever its size."""
    return MemberDashboard(
        streams=stream_summary(member_id=member_id),
        opportunities=opportunity_summary(member_id=member_id),
        projects=project_summary(member_id=member_id, today=today),
        figures=figure_comparison(member_id=member_id),
    )
