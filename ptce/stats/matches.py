"""Opportunities and their impact: what the matching found, what people implemented, and what it changes
(tonnes diverted per year, CO2e avoided, euros saved), per kind of opportunity.

Impact counts implemented matches at the end of a period: a match counts from the day it became
implemented (its history), with the tonnes actually exchanged when the coordination recorded them and the
engine's estimate otherwise. A bucket's members are the distinct members taking part in its matches.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from waste_flows.enums import MatchKind, MatchStatus, RejectionReason
from waste_flows.match_selectors import FUNNEL
from waste_flows.matches import Match, MatchParticipant

from .filters import Period, StatsFilters
from .masking import is_hidden, mask_row, masking_info, shown_total, small_numbers_reason
from .scope import implemented_by, stats_matches

IMPACT_FIELDS = ("implemented", "tonnes", "co2e_t", "euros")


def impact_buckets(*, user, filters: StatsFilters, periods: Sequence[Period]) -> list[dict]:
    """Per match kind and period: matches found (`found_<i>`, obsolete ones aside), implemented ones and
    their impact, and the members behind each (2 GROUP BY queries, whatever the number of matches)."""
    matches = stats_matches(user=user, filters=filters)
    rows = _impact_by_period_reached(matches, periods)
    # Members are counted for masking only: not for the coordination, to whom nothing is masked.
    members = {} if user.is_coordinator else _members_per_kind(matches, periods)
    return [{"kind": kind, **rows.get(kind, {}), **members.get(kind, {})} for kind in MatchKind.values if kind in rows]


def _impact_by_period_reached(matches, periods: Sequence[Period]) -> dict[str, dict]:
    """One GROUP BY over the matches: per kind, the first period end after their creation and the first
    after their implementation, with their count and impact; the figures at the end of each period are then
    the sums over the few groups before it (on 20,000 matches: 20 ms, where a filter per period and per
    figure, each with its subqueries of the history, took 150 ms)."""
    ends = sorted({period.end_instant() for period in periods})
    implemented = Q(status=MatchStatus.IMPLEMENTED)
    grouped = (
        matches.annotate(created=_first_end_after("created_at", ends), done=_first_end_after_implementation(ends))
        .values("kind", "created", "done")
        .annotate(
            count=Count("pk"),
            implemented=Count("pk", filter=implemented),
            tonnes=Sum(Coalesce("actual_tonnes_per_year", "tonnes_per_year"), filter=implemented),
            co2e_t=Sum("co2e_avoided_t", filter=implemented),
            euros=Sum("euros_saved", filter=implemented),
        )
        .order_by()
    )
    rows: dict[str, dict] = {}
    for group in grouped:
        row = rows.setdefault(group["kind"], _empty_impact_row(len(periods)))
        for index, period in enumerate(periods):
            position = ends.index(period.end_instant())
            if group["created"] <= position:
                row[f"found_{index}"] += group["count"]
            if group["done"] <= position:
                row[f"implemented_{index}"] += group["implemented"]
                for name in ("tonnes", "co2e_t", "euros"):
                    row[f"{name}_{index}"] = _sql_sum(row[f"{name}_{index}"], group[name])
    return rows


def _empty_impact_row(period_count: int) -> dict:
    return {
        f"{name}_{index}": 0 if name in ("found", "implemented") else None
        for index in range(period_count)
        for name in ("found", *IMPACT_FIELDS)
    }


def _sql_sum(total, value):
    """SQL's SUM: None over no values (nothing implemented by then), as the summary and the API show it."""
    if value is None:
        return total
    return value if total is None else total + value


def _first_end_after_implementation(ends: list) -> Case:
    """The index of the first of the sorted `ends` by which the match was implemented (`scope.implemented_by`:
    its first history record in that status, else its last update), `len(ends)` if none. The history is
    read by uncorrelated subqueries, each computed once: a correlated one per match makes PostgreSQL's
    estimate so high that it compiles the query (JIT), which then takes over a second."""
    records = Match.history.model.objects.filter(status=MatchStatus.IMPLEMENTED)
    never = Value(len(ends))
    return Case(
        When(~Q(status=MatchStatus.IMPLEMENTED), then=never),
        *(
            When(pk__in=records.filter(history_date__lt=end).values("id"), then=Value(position))
            for position, end in enumerate(ends)
        ),
        When(pk__in=records.values("id"), then=never),  # recorded as implemented, after every end
        *(When(updated_at__lt=end, then=Value(position)) for position, end in enumerate(ends)),
        default=never,
        output_field=IntegerField(),
    )


def _first_end_after(field: str, ends: list) -> Case:
    """The index of the first of the sorted `ends` after `field`, `len(ends)` if none (or if it is null)."""
    return Case(
        *(When(**{f"{field}__lt": end}, then=Value(position)) for position, end in enumerate(ends)),
        default=Value(len(ends)),
        output_field=IntegerField(),
    )


def _members_per_kind(matches, periods: Sequence[Period]) -> dict[str, dict]:
    participants = MatchParticipant.objects.filter(match__in=matches.values("pk"))
    aggregates = {}
    for index, period in enumerate(periods):
        end = period.end_instant()
        done = implemented_by(end, prefix="match__")
        aggregates[f"found_members_{index}"] = Count("member", distinct=True, filter=Q(match__created_at__lt=end))
        aggregates[f"members_{index}"] = Count("member", distinct=True, filter=done)
    grouped = participants.values("match__kind").annotate(**aggregates).order_by()
    return {row.pop("match__kind"): row for row in grouped}


def impact(*, user, filters: StatsFilters, buckets=None, index: int = 0) -> dict:
    """Impact of the matches implemented by the end of the period, per kind and in total (1 query, 2 for
    non-coordinators; none when the caller gives `impact_buckets` and the index of the period)."""
    if buckets is None:
        buckets = impact_buckets(user=user, filters=filters, periods=[filters.period])
    labels = dict(MatchKind.choices)
    rows = []
    for bucket in buckets:
        row = {
            "kind": bucket["kind"],
            "label": str(labels[bucket["kind"]]),
            "implemented": bucket[f"implemented_{index}"],
            "tonnes_per_year": _rounded(bucket[f"tonnes_{index}"] or 0),
            "co2e_avoided_t": _rounded(bucket[f"co2e_t_{index}"] or 0),
            "euros_saved": _rounded(bucket[f"euros_{index}"] or 0, 0),
        }
        fields = ("implemented", "tonnes_per_year", "co2e_avoided_t", "euros_saved")
        rows.append(mask_row(row, members=bucket.get(f"members_{index}"), fields=fields, user=user))
    totals, left_out = {}, 0
    for name, key, digits in (
        ("implemented", "implemented", 0),
        ("tonnes", "tonnes_per_year", 1),
        ("co2e_t", "co2e_avoided_t", 1),
        ("euros", "euros_saved", 0),
    ):
        value, skipped = shown_total(buckets, name, index, user=user)
        totals[key], left_out = _rounded(value, digits), max(left_out, skipped)
    return {
        **filters.as_dict(),
        "masking": masking_info(user),
        "by_kind": rows,
        "total": {**totals, "masked": left_out > 0, "masked_buckets": left_out},
    }


def funnel(*, user, filters: StatsFilters) -> dict:
    """Matches found by the end of the period, per kind and current status, and the reasons of rejections
    (1 query; 2 for non-coordinators, whose small stages are masked). `reached` counts the matches now at a
    stage or beyond it: an implemented match went through every stage before; rejected ones are counted
    apart, with their reason."""
    matches = stats_matches(user=user, filters=filters).filter(created_at__lt=filters.period.end_instant())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in matches.values("kind", "status", "rejection_reason").annotate(count=Count("pk")).order_by():
        counts[row["kind"]][row["status"]] += row["count"]
        if row["status"] == MatchStatus.REJECTED:
            reasons[row["kind"]][row["rejection_reason"] or RejectionReason.OTHER] += row["count"]
    members = defaultdict(dict) if user.is_coordinator else _members_per_status(matches)
    kinds = [
        _funnel_of_kind(kind, label, counts[kind], reasons[kind], members[kind], user)
        for kind, label in MatchKind.choices
    ]
    return {**filters.as_dict(), "masking": masking_info(user), "kinds": kinds}


def _members_per_status(matches) -> dict[str, dict[str, int]]:
    """Per kind: distinct members of the matches now at each stage (`current_<status>`), at that stage or a
    later one (`reached_<status>`), and rejected (`current_rejected`): one query."""
    aggregates = {}
    for position, status in enumerate(FUNNEL):
        aggregates[f"current_{status.value}"] = Count("member", distinct=True, filter=Q(match__status=status))
        aggregates[f"reached_{status.value}"] = Count(
            "member", distinct=True, filter=Q(match__status__in=FUNNEL[position:])
        )
    rejected = MatchStatus.REJECTED
    aggregates[f"current_{rejected.value}"] = Count("member", distinct=True, filter=Q(match__status=rejected))
    grouped = (
        MatchParticipant.objects.filter(match__in=matches.values("pk"))
        .values("match__kind")
        .annotate(**aggregates)
        .order_by()
    )
    return defaultdict(dict, {row.pop("match__kind"): row for row in grouped})


def _funnel_of_kind(kind, label, counts, reasons, members, user) -> dict:
    stages = []
    for position, status in enumerate(FUNNEL):
        stage = {
            "status": status.value,
            "label": str(status.label),
            "current": counts.get(status, 0),
            "reached": sum(counts.get(later, 0) for later in FUNNEL[position:]),
        }
        stage = mask_row(stage, members=members.get(f"reached_{status.value}"), fields=("reached",), user=user)
        if is_hidden(members.get(f"current_{status.value}"), user):
            stage.update(current=None, masked=True, masked_reason=small_numbers_reason())
        stages.append(stage)
    rejected_members = members.get(f"current_{MatchStatus.REJECTED.value}")
    rejected = mask_row(
        {"count": counts.get(MatchStatus.REJECTED, 0)}, members=rejected_members, fields=("count",), user=user
    )
    rejected["reasons"] = (
        []
        if rejected["masked"]
        else [
            {"reason": reason, "label": str(RejectionReason(reason).label), "count": count}
            for reason, count in sorted(reasons.items(), key=lambda item: -item[1])
        ]
    )
    return {"kind": kind, "label": str(label), "stages": stages, "rejected": rejected}


def _rounded(value, digits: int = 1):
    if value is None:
        return None
    return int(value) if digits == 0 else round(float(value), digits)
