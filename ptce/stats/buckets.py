"""Helpers shared by the bucket queries: period-indexed aggregates, and merging finer buckets into coarser
ones in Python (a few hundred rows at most, never one per stream or member)."""

from collections.abc import Iterable, Sequence


def merge_rows(rows: Iterable[dict], *, keys: Sequence[str], fields: Sequence[str], periods: int) -> list[dict]:
    """Add up `<field>_<i>` of the rows sharing `keys`. Member counts may be added only across a partition
    of the members (their kind: a member has one), where they stay exact; a None count stays None.

    The column names are built once: the dashboard merges a few thousand rows of ten columns."""
    columns = [f"{name}_{index}" for name in fields for index in range(periods)]
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
