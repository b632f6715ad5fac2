"""The registry's figures: members of the pole per kind and college, jobs from their yearly figures, and
membership fees (the coordination's alone).

Members count on the last day of a period (`scope.active_on`). Jobs are each member's latest yearly figures
up to the period's year (`Period.figures_year`): the jobs as known at the end of the period. Fees are those
called for the period's year.
"""

from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value, Window
from django.db.models.functions import Greatest, Lead

from members.enums import MemberKind
from members.models import College, Fee, YearlyFigure

from .buckets import computed_periods
from .filters import Period, StatsFilters
from .masking import mask_row, masking_info, shown_total
from .scope import active_on, stats_members

JOB_FIELDS = ("permanent_fte", "insertion_fte", "permanent_headcount", "insertion_headcount")
NO_COLLEGE = "none"


def member_buckets(*, filters: StatsFilters, periods: Sequence[Period], by: str = "kind") -> list[dict]:
    """Members of the pole at the end of each period, per kind (`by="kind"`) or college id (`by="college"`):
    `members_<i>` in each row (one GROUP BY query)."""
    aggregates = {
        f"members_{index}": Count("pk", filter=active_on(period.end)) for index, period in enumerate(periods)
    }
    rows = list(stats_members(filters=filters).values(by).annotate(**aggregates).order_by())
    return [row for row in rows if any(row[f"members_{index}"] for index in range(len(periods)))]


def members(*, user, filters: StatsFilters, kinds=None, index: int = 0) -> dict:
    """Members of the pole on the last day of the period, per kind and per college (3 queries; 2 when the
    caller holds the `member_buckets` per kind already, and gives the index of the period to show)."""
    if kinds is None:
        kinds = member_buckets(filters=filters, periods=[filters.period], by="kind")
    colleges = member_buckets(filters=filters, periods=[filters.period], by="college")
    kind_labels = dict(MemberKind.choices)
    names = dict(College.objects.values_list("pk", "name"))
    by_kind = [
        mask_row(
            {
                "kind": row["kind"],
                "label": str(kind_labels.get(row["kind"], row["kind"])),
                "count": row[f"members_{index}"],
            },
            members=row[f"members_{index}"],
            fields=("count",),
            user=user,
        )
        for row in sorted(kinds, key=lambda row: list(kind_labels).index(row["kind"]))
        if row[f"members_{index}"]
    ]
    by_college = [
        mask_row(
            {
                "college": row["college"],
                "label": names.get(row["college"], "") if row["college"] else "",
                "count": row["members_0"],
            },
            members=row["members_0"],
            fields=("count",),
            user=user,
        )
        for row in sorted(colleges, key=lambda row: (row["college"] is None, names.get(row["college"], "")))
    ]
    total, left_out = shown_total(kinds, "members", index, user=user)
    return {
        **filters.as_dict(),
        "masking": masking_info(user),
        "by_kind": by_kind,
        "by_college": by_college,
        "total": {"count": _int(total), "masked": left_out > 0, "masked_buckets": left_out},
    }


def job_buckets(*, filters: StatsFilters, periods: Sequence[Period]) -> list[dict]:
    """Jobs per member kind as reported by the end of each period's year: each member's latest yearly
    figures up to that year (a member who has not yet entered this year's counts with last year's).

    One GROUP BY query for every period: figures are grouped by member kind, year and the member's next
    reported year; a group counts for a period's year Y when year ≤ Y < next year, which Python checks on a
    few hundred groups. Rows: `<field>_<i>` for each of JOB_FIELDS and `members_<i>` (members with figures;
    one figure per member and year)."""
    rows: dict[str, dict] = {}
    for group in _job_groups(filters=filters, last_year=max(period.figures_year for period in periods)):
        row = rows.setdefault(group["member_kind"], _empty_job_row(group["member_kind"], len(periods)))
        for index, period in enumerate(periods):
            year = period.figures_year
            if group["year"] <= year and (group["next_year"] is None or group["next_year"] > year):
                row[f"members_{index}"] += group["figures"]
                for name in JOB_FIELDS:
                    row[f"{name}_{index}"] = (row[f"{name}_{index}"] or 0) + group[name]
    return list(rows.values())


def _job_groups(*, filters: StatsFilters, last_year: int) -> list[dict]:
    """Yearly figures summed per (member kind, year, the member's next reported year).

    The next year is a window function (LEAD over each member's figures in year order: one sort of the
    figures) in a subquery, grouped by the outer query: the ORM cannot group by a window, and the correlated
    subquery it can write (one index probe per figure, then JIT-compiled by PostgreSQL) took 3–4 times as
    long on 20,000 figures. Figures after `last_year` are left out before the window: their only effect
    would be a next year above every period's year, which counts the same as none."""
    figures = (
        YearlyFigure.objects.filter(filters.territory.members_q("member"), year__lte=last_year)
        .annotate(
            member_kind=F("member__kind"),
            next_year=Window(Lead("year"), partition_by=F("member_id"), order_by=F("year").asc()),
        )
        .values("member_kind", "year", "next_year", *JOB_FIELDS)
        .order_by()
    )
    inner_sql, params = figures.query.sql_with_params()
    sums = ", ".join(f"SUM({name})" for name in JOB_FIELDS)
    sql = f"SELECT member_kind, year, next_year, {sums}, COUNT(*) FROM ({inner_sql}) figures GROUP BY 1, 2, 3"
    columns = ("member_kind", "year", "next_year", *JOB_FIELDS, "figures")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        groups = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for group in groups:  # SQLite sums decimals as floats: the same type whatever the database
        for name in JOB_FIELDS:
            group[name] = Decimal(str(group[name])) if group[name] is not None else None
    return groups


def _empty_job_row(kind: str, period_count: int) -> dict:
    row = {"kind": kind}
    for index in range(period_count):
        row[f"members_{index}"] = 0
        row.update({f"{name}_{index}": None for name in JOB_FIELDS})
    return row


def jobs(*, user, filters: StatsFilters, buckets=None, index: int = 0) -> dict:
    """Permanent and insertion jobs (FTE and headcount) per member kind, as last reported by the end of the
    period's year (one query; none when the caller gives `job_buckets` and the index of the period)."""
    if buckets is None:
        buckets = job_buckets(filters=filters, periods=[filters.period])
    labels = dict(MemberKind.choices)
    rows = [
        mask_row(
            {
                "kind": bucket["kind"],
                "label": str(labels.get(bucket["kind"], bucket["kind"])),
                **{name: _number(bucket[f"{name}_{index}"] or 0) for name in JOB_FIELDS},
            },
            members=bucket[f"members_{index}"],
            fields=JOB_FIELDS,
            user=user,
        )
        for bucket in sorted(buckets, key=lambda bucket: list(labels).index(bucket["kind"]))
        if bucket[f"members_{index}"]
    ]
    total, left_out = {}, 0
    for name in JOB_FIELDS:
        value, skipped = shown_total(buckets, name, index, user=user)
        total[name], left_out = _number(value), max(left_out, skipped)
    return {
        **filters.as_dict(),
        "year": filters.period.figures_year,
        "masking": masking_info(user),
        "by_kind": rows,
        "total": {**total, "masked": left_out > 0, "masked_buckets": left_out},
    }


def fee_totals(*, filters: StatsFilters, periods: Sequence[Period], needed: Collection[int] | None = None) -> dict:
    """Fees collected and still owed for the year of each period (one query; for the coordination); None
    for the periods not `needed` (see `buckets.computed_periods`)."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))
    owed = Greatest(F("amount_due") - F("amount_paid"), zero)
    totals = {f"{name}_{index}": None for name in ("collected", "outstanding", "due") for index in range(len(periods))}
    aggregates = {}
    for index, period in computed_periods(periods, needed):
        that_year = Q(year=period.figures_year)
        aggregates[f"collected_{index}"] = Sum("amount_paid", filter=that_year)
        aggregates[f"outstanding_{index}"] = Sum(owed, filter=that_year)
        aggregates[f"due_{index}"] = Sum("amount_due", filter=that_year)
    return {**totals, **Fee.objects.filter(filters.territory.members_q("member")).aggregate(**aggregates)}


def _number(value):
    return None if value is None else round(float(value), 2)


def _int(value):
    return None if value is None else int(value)
