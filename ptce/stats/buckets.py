"""Helpers shared by the bucket queries: period-indexed aggregates, and merging finer buckets into coarser
ones in Python (a few hundred rows at most, never one per stream or member)."""

from collections.abc import Collection, Iterable, Sequence


def merge_rows(
    rows: Iterable[dict], *, keys: Sequence[str], fields: Sequence[str], periods: int | Iterable[int]
) -> list[dict]:
    """Add up `<field>_<i>` of the rows sharing `keys`, for i in range(`periods`) or in the given indexes
    (the periods computed: the others would only be Nones to carry). Member counts may be added only across
    a partition of the members (their kind: a member has one), where they stay exact; a None count stays None.

    The column names are built once: the dashboard merges a few thousand rows."""
    indexes = range(periods) if isinstance(periods, int) else periods
    columns = [f"{name}_{index}" for name in fields for index in indexes]
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        target = merged.get(key)
        if target is None:
            target = merged[key] = {name: row[name] for name in keys}
            for column in columns:
                target[column] = row.get(column)
            continue
        for column in columns:
            value, total = row.get(column), target[column]
            # None: not computed (see the callers), and a sum with a missing part is not a sum.
            target[column] = None if value is None or total is None else total + value
    return list(merged.values())


def computed_periods(periods: Sequence, needed: Collection[int] | None) -> list[tuple[int, object]]:
    """(index, period) of the periods a bucket function computes: those `needed` by its caller (all by
    default). The others' figures are None: the dashboard shares five periods between its trends and its
    details, and most details read two of them only (each period adds aggregates to compile and compute)."""
    return [(index, period) for index, period in enumerate(periods) if needed is None or index in needed]
