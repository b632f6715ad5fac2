"""Reads of projects that are more than one queryset call: lists with totals, the detail page, the board
and the indicator table. Every read is scoped with `Project.objects.visible_to(user)`."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone

from waste_flows.matches import Match

from .enums import PIPELINE, IndicatorKind, ParticipantRole, ProjectStatus
from .filters import ProjectFilter
from .models import Indicator, Milestone, Project, ProjectActivity, ProjectDocument, ProjectParticipant

BOARD_COLUMNS = [*PIPELINE, ProjectStatus.ABANDONED]


def _visible(user) -> QuerySet[Project]:
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.visible_to(user)


def project_list(*, user, filters=None) -> QuerySet[Project]:
    """Projects the user may read, with budget, funding and gap figures and the overdue flag, in one query
    per page whatever their number. `filters` (a dict or a QueryDict) goes through ProjectFilter."""
    queryset = _visible(user).with_totals().with_overdue_milestones().select_related("lead_member", "site")
    if filters is None:
        return queryset
    return ProjectFilter(_as_query(filters), queryset, user=user).qs


def _as_query(filters) -> QueryDict:
    """A plain dict reads like a query string: `{"status": "idea"}` as well as `{"status": ["idea", "funding"]}`."""
    if isinstance(filters, QueryDict):
        return filters
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query.setlist(name, [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)])
    return query


def participants_lead_first():
    lead_first = Case(When(role=ParticipantRole.LEAD, then=Value(0)), default=Value(1), output_field=IntegerField())
    return ProjectParticipant.objects.select_related("member").order_by(lead_first, "member__name")


def detail_prefetches() -> list:
    return [
        Prefetch("participants", queryset=participants_lead_first()),
        "budget_lines",
        "fundings",
        Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
        "indicators",
        Prefetch("documents", queryset=ProjectDocument.objects.select_related("uploaded_by")),
        Prefetch("matches", queryset=Match.objects.select_related("material").order_by("pk")),
        Prefetch("activities", queryset=ProjectActivity.objects.select_related("actor")),
    ]


def project_detail(*, user, pk) -> Project:
    """One project the user may read, with everything its page shows; Http404 otherwise."""
    queryset = project_list(user=user).select_related("created_by").prefetch_related(*detail_prefetches())
    try:
        return queryset.get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def projects_by_status(*, user, queryset: QuerySet[Project] | None = None) -> dict[str, list[Project]]:
    """The board: every status in pipeline order (abandoned last), each with its projects by title, empty
    columns included. One query."""
    projects = (queryset if queryset is not None else project_list(user=user)).order_by("title", "pk")
    columns: dict[str, list[Project]] = {status: [] for status in BOARD_COLUMNS}
    for project in projects:
        columns[project.status].append(project)
    return columns


def overdue_milestones(*, user) -> QuerySet[Milestone]:
    """Late milestones of the projects the user may read, the oldest first (dashboards)."""
    return (
        Milestone.objects.overdue()
        .filter(project__in=_visible(user).values("pk"))
        .select_related("project", "owner")
        .order_by("due_date", "pk")
    )


# --- Indicators: target and actual per year --------------------------------------------------------


@dataclass(frozen=True)
class IndicatorCell:
    year: int
    target: Decimal | None
    actual: Decimal | None
    indicator: Indicator

    @property
    def achievement(self) -> int | None:
        """Actual as a percentage of the target, when both are known."""
        if self.target in (None, 0) or self.actual is None:
            return None
        return round(self.actual / self.target * 100)


@dataclass(frozen=True)
class IndicatorRow:
    kind: str
    label: str
    unit: str
    cells: list[IndicatorCell | None]  # one per year of the table, None where nothing was set

    @property
    def target_total(self) -> Decimal | None:
        values = [cell.target for cell in self.cells if cell and cell.target is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def actual_total(self) -> Decimal | None:
        values = [cell.actual for cell in self.cells if cell and cell.actual is not None]
        return sum(values, Decimal(0)) if values else None


@dataclass(frozen=True)
class IndicatorTable:
    years: list[int]
    rows: list[IndicatorRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows)


KIND_ORDER = {kind: index for index, kind in enumerate(IndicatorKind.values)}


def indicator_table(project: Project) -> IndicatorTable:
    """Indicators as a table: one row per kind (per label for free indicators), one column per year, in the
    order funders read them. Uses the prefetched indicators when there are some."""
    indicators = list(project.indicators.all())
    years = sorted({indicator.year for indicator in indicators})
    grouped: dict[tuple[str, str], dict[int, Indicator]] = defaultdict(dict)
    for indicator in indicators:
        grouped[(indicator.kind, indicator.label)][indicator.year] = indicator
    rows = []
    for (kind, _label), by_year in sorted(grouped.items(), key=lambda item: (KIND_ORDER[item[0][0]], item[0][1])):
        first = next(iter(by_year.values()))
        cells = [_cell(by_year.get(year)) for year in years]
        rows.append(IndicatorRow(kind=kind, label=first.display_label, unit=first.unit, cells=cells))
    return IndicatorTable(years=years, rows=rows)


def _cell(indicator: Indicator | None) -> IndicatorCell | None:
    if indicator is None:
        return None
    return IndicatorCell(year=indicator.year, target=indicator.target, actual=indicator.actual, indicator=indicator)


def current_year() -> int:
    return timezone.localdate().year
