"""Shared projects: how many at each stage of the pipeline at the end of a period, and the funding they
secured. A project's stage on a day is the one of its last history record before that day (its current
status when it has no history, as after a bulk import). A bucket's members are the projects' lead members.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from projects.enums import OPEN_STATUSES, FundingSource, ProjectStatus
from projects.models import Funding, Project

from .filters import Period, StatsFilters
from .masking import mask_row, masking_info, shown_total
from .scope import stats_projects

FUNDING_FIELDS = ("requested", "granted", "received")


def project_buckets(*, user, filters: StatsFilters, periods: Sequence[Period]) -> list[dict]:
    """Per status: `count_<i>` projects in that status at the end of period i, `members_<i>` their lead
    members. One GROUP BY query per period, on each project's status then (a subquery evaluated once per
    project, where conditional counts would evaluate it once per status)."""
    projects = stats_projects(user=user, filters=filters)
    rows = {status: {"status": status} for status in ProjectStatus.values}
    for index, period in enumerate(periods):
        end = period.end_instant()
        for row in rows.values():
            row[f"count_{index}"], row[f"members_{index}"] = 0, 0
        grouped = (
            projects.filter(created_at__lt=end)
            .annotate(status_then=_status_before(end))
            .values("status_then")
            .annotate(count=Count("pk"), members=Count("lead_member", distinct=True))
            .order_by()
        )
        for group in grouped:
            rows[group["status_then"]].update({f"count_{index}": group["count"], f"members_{index}": group["members"]})
    return list(rows.values())


def _status_before(end):
    history = Project.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=end)
    return Coalesce(Subquery(history.order_by("-history_date", "-history_id").values("status")[:1]), F("status"))


def funding_buckets(*, user, filters: StatsFilters, periods: Sequence[Period]) -> list[dict]:
    """Per funding source: amounts requested, granted and received by the end of each period (a grant or
    a payment without a date counts from the project's creation), and the lead members behind them."""
    fundings = Funding.objects.filter(project__in=stats_projects(user=user, filters=filters).values("pk"))
    aggregates = {}
    for index, period in enumerate(periods):
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
    return list(fundings.values("source").annotate(**aggregates).order_by())


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
