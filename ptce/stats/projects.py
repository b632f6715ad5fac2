"""Shared projects: how many at each stage of the pipeline at the end of a period, and the funding they
secured. A project's stage on a day is the one of its last history record before that day (its current
status when it has no history, as after a bulk import). A bucket's members are the projects' lead members.
"""

from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce

from projects.enums import OPEN_STATUSES, FundingSource, ProjectStatus
from projects.models import Funding, Project

from .buckets import computed_periods
from .filters import Period, StatsFilters
from .masking import mask_row, masking_info, shown_total
from .scope import stats_projects

FUNDING_FIELDS = ("requested", "granted", "received")


def project_buckets(
    *, user, filters: StatsFilters, periods: Sequence[Period], needed: Collection[int] | None = None
) -> list[dict]:
    """Per status: `count_<i>` projects in that status at the end of period i, `members_<i>` their lead
    members (None for the periods not `needed`, see `buckets.computed_periods`).

    One GROUP BY query for every period: the projects grouped by lead member and by their status at the end
    of each period (`status_<i>`: a subquery per period, evaluated once per project; null before the
    project's creation). Python then counts the projects and the distinct lead members of each status, over
    at most one row per project (a pole has a few hundred): a query per period cost more to compile than to
    run, and conditional counts would evaluate each subquery once per status."""
    computed = computed_periods(periods, needed)
    statuses = {
        f"status_{index}": Case(When(created_at__lt=period.end_instant(), then=_status_before(period.end_instant())))
        for index, period in computed
    }
    grouped = (
        stats_projects(user=user, filters=filters)
        .annotate(**statuses)
        .values("lead_member", *statuses)
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(status, index): 0 for status in ProjectStatus.values for index, _period in computed}
    lead_members = {key: set() for key in counts}
    for group in grouped:
        for index, _period in computed:
            status = group[f"status_{index}"]
            if status is not None:
                counts[status, index] += group["count"]
                lead_members[status, index].add(group["lead_member"])
    rows = []
    for status in ProjectStatus.values:
        row = {"status": status}
        for index in range(len(periods)):
            computed_here = (status, index) in counts
            row[f"count_{index}"] = counts[status, index] if computed_here else None
            row[f"members_{index}"] = len(lead_members[status, index]) if computed_here else None
        rows.append(row)
    return rows


def _status_before(end):
    history = Project.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=end)
    return Coalesce(Subquery(history.order_by("-history_date", "-history_id").values("status")[:1]), F("status"))


def funding_buckets(
    *, user, filters: StatsFilters, periods: Sequence[Period], needed: Collection[int] | None = None
) -> list[dict]:
    """Per funding source: amounts requested, granted and received by the end of each period (a grant or
    a payment without a date counts from the project's creation), and the lead members behind them; None
    for the periods not `needed` (see `buckets.computed_periods`)."""
    fundings = Funding.objects.filter(project__in=stats_projects(user=user, filters=filters).values("pk"))
    names = (*FUNDING_FIELDS, "members", "granted_members")
    not_computed = {f"{name}_{index}": None for name in names for index in range(len(periods))}
    aggregates = {}
    for index, period in computed_periods(periods, needed):
        started = Q(project__created_at__lt=period.end_instant())
        granted = (
            started & Q(amount_granted__isnull=False) & (Q(granted_on__isnull=True) | Q(granted_on__lte=period.end))
        )
        received = (
            started & Q(amount_received__isnull=False) & (Q(received_on__isnull=True) | Q(received_on__lte=period.end))
        )
        aggregates[f"requested_{index}"] = Sum("amount_requested", filter=started)
        aggregates[f"granted_{index}"] = Sum("amount_granted", filter=granted)
        aggregates[f"received_{index}"] = Sum("amount_received", filter=received)
        aggregates[f"members_{index}"] = Count("project__lead_member", distinct=True, filter=started)
        aggregates[f"granted_members_{index}"] = Count("project__lead_member", distinct=True, filter=granted)
    return [{**not_computed, **row} for row in fundings.values("source").annotate(**aggregates).order_by()]


def projects(*, user, filters: StatsFilters, statuses=None, sources=None, index: int = 0) -> dict:
    """Projects per status at the end of the period, and their funding per source (2 queries; none when
    the caller gives `project_buckets`, `funding_buckets` and the index of the period)."""
    periods = [filters.period]
    if statuses is None:
        statuses = project_buckets(user=user, filters=filters, periods=periods)
    labels = dict(ProjectStatus.choices)
    by_status = [
        mask_row(
            {"status": row["status"], "label": str(labels[row["status"]]), "count": row[f"count_{index}"]},
            members=row[f"members_{index}"],
            fields=("count",),
            user=user,
        )
        for row in statuses
    ]
    if sources is None:
        sources = funding_buckets(user=user, filters=filters, periods=periods)
    source_labels = dict(FundingSource.choices)
    by_source = [
        mask_row(
            {
                "source": row["source"],
                "label": str(source_labels.get(row["source"], row["source"])),
                **{name: _money(row[f"{name}_{index}"]) for name in FUNDING_FIELDS},
            },
            members=_funding_members(row, index),
            fields=FUNDING_FIELDS,
            user=user,
        )
        for row in sorted(sources, key=lambda row: list(source_labels).index(row["source"]))
        if row[f"requested_{index}"] is not None
    ]
    for row in sources:  # the totals leave out the rows masked above, for the same reason
        row[f"shown_members_{index}"] = _funding_members(row, index)
    open_rows = [row for row in statuses if row["status"] in OPEN_STATUSES]
    open_count, open_left_out = shown_total(open_rows, "count", index, user=user)
    funding, funding_left_out = {}, 0
    for name in FUNDING_FIELDS:
        value, skipped = shown_total(sources, name, index, user=user, members="shown_members")
        funding[name], funding_left_out = _money(value), max(funding_left_out, skipped)
    return {
        **filters.as_dict(),
        "masking": masking_info(user),
        "by_status": by_status,
        "by_source": by_source,
        "open_projects": {
            "count": None if open_count is None else int(open_count),
            "masked": open_left_out > 0,
            "masked_buckets": open_left_out,
        },
        "funding": {**funding, "masked": funding_left_out > 0, "masked_buckets": funding_left_out},
    }


def _funding_members(row: dict, index: int) -> int:
    """Grants are a subset of requests: a row is shown only if both the requests and the grants (when there
    are any) come from enough members."""
    granted = row[f"granted_members_{index}"]
    return min(row[f"members_{index}"], granted) if granted else row[f"members_{index}"]


def _money(value):
    return None if value is None else round(float(Decimal(value)), 2)
