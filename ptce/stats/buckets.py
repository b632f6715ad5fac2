"""Helpers shared by the bucket queries: period-indexed aggregates, and merging finer buckets into coarser
ones in Python (a few hundred rows at most, never one per stream or member)."""

from collections.abc import Iterable, Sequence


def merge_rows(rows: Iterable[dict], *, keys: Sequence[str], fields: Sequence[str], periods: int) -> list[dict]:
    """Add up `<field>_<i>` of the rows sharing `keys`. Member counts may be added only across a partition
    of the members (their kind: a member has one), where they stay exact; a None count stays None."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        target = merged.setdefault(key, {**{name: row[name] for name in keys}})
        for name in fields:
            for index in range(periods):
                column = f"{name}_{index}"
                value = row.get(column)
                if column not in target:
                    target[column] = value
                elif value is None or target[column] is None:  # not computed (see the callers)
                    target[column] = None
                else:
                    target[column] += value
    return list(merged.values())
