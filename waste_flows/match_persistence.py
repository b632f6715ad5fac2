"""Writing a run's results: matches upserted by key, their streams and members, the rest made obsolete.

Results that no match holds yet (all of them on a new pole) are written straight into their tables with ids
reserved in the engine's order; results found again are staged into a temporary table and applied by a few
set-based statements (PostgreSQL: COPY, other databases: executemany; see match_persistence_sql). All in one
transaction, so that a run that fails leaves the previous results as they were:

- a match found again is refreshed only where a figure it owns changed (a substitution does not own a pool's
  threshold), and a match found again after being obsolete is suggested again; status, answers, notes and
  history set by people are never touched, and refreshing a score writes no history row;
- a new match is inserted, with its stream links and participants (links and participants are only ever added);
- a match the run no longer finds becomes obsolete, with a history record, unless people already closed it.
  An incremental run only looks at the matches of its streams.

Building the rows is the Python side of the cost (hundreds of thousands of matches on a large pole): criteria
that the engine shares between matches are serialised to JSON once.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from members.stats_version import stats_version_bump

from . import match_persistence_sql as sql
from .enums import MatchKind
from .impact import exchange_impact
from .matches import EmissionFactor, Match, MatchRun
from .matching.engine import collector_paused
from .matching.types import Criterion, EngineResult, StreamInput
from .models import Material

# What a run may refresh on an existing match, per kind: the figures each kind of result carries. Status,
# answers and notes belong to people. A match keeps the other columns as they are (their defaults when new).
OWNED_FIELDS = {
    MatchKind.SUBSTITUTION: (
        "score", "explanation", "offer_id", "need_id", "distance_km", "coverage", "total_quantity",
        "tonnes_per_year", "co2e_avoided_t", "euros_saved",
    ),
    MatchKind.POOLING: (
        "score", "explanation", "need_id", "channel_id", "hub_site_id", "total_quantity", "threshold", "near_miss",
        "tonnes_per_year", "co2e_avoided_t", "euros_saved",
    ),
    MatchKind.SHARED_NEED: ("score", "explanation", "total_quantity"),
}  # fmt: skip
REFRESHED_FIELDS = list(dict.fromkeys(name for names in OWNED_FIELDS.values() for name in names))


@dataclass
class FoundMatch:
    """One result of a run, as the database will hold it."""

    key: str
    kind: str
    material: str  # code
    fields: dict  # the OWNED_FIELDS of its kind; the explanation as JSON text
    stream_ids: list[int] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)


@transaction.atomic
def matches_upsert(
    *, run: MatchRun, result: EngineResult, streams: dict[int, StreamInput], only: frozenset[int] | None
) -> dict:
    """Write a run's results in bulk (see the module's docstring); returns the run's counts."""
    with connection.cursor() as cursor, collector_paused():
        # Rows are built while they are sent, so the database takes them in on the other core meanwhile. No
        # query can run on the connection during a copy: what the rows need is read before.
        materials = dict(Material.objects.values_list("code", "pk"))
        factors = {(f.family, f.route): f.kg_co2e_per_tonne for f in EmissionFactor.objects.all()}
        found_again, new = _split(result, sql.known_keys(cursor, [item.key for item in _items(result)]))

        def rows(part: EngineResult) -> Iterator[tuple]:
            return _staged_rows(found_matches(part, streams, factors), materials)

        staging = sql.Staging(cursor, REFRESHED_FIELDS)
        staging.create()
        staging.fill(rows(found_again), count=_count(found_again))
        updated = sum(staging.refresh_existing(kind, owned, run_id=run.pk) for kind, owned in OWNED_FIELDS.items())
        linked = staging.link_streams_and_members()
        created = sql.insert_new(
            cursor, rows(new), count=_count(new), refreshed=REFRESHED_FIELDS, run_id=run.pk, now=timezone.now()
        )
        obsoleted = staging.obsolete_the_rest(only=only, run_id=run.pk, now=timezone.now())
        staging.drop()
    if created or updated or obsoleted or linked:
        stats_version_bump()  # raw SQL sends no model signal: the dashboards' cache is told here
    return {"matches_created": created, "matches_updated": updated, "matches_obsoleted": obsoleted}


RESULT_PARTS = ("substitutions", "poolings", "shared_needs")  # the EngineResult fields holding results


def _items(result: EngineResult) -> Iterator:
    for name in RESULT_PARTS:
        yield from getattr(result, name)


def _count(result: EngineResult) -> int:
    return sum(len(getattr(result, name)) for name in RESULT_PARTS)


def _split(result: EngineResult, known: set[str]) -> tuple[EngineResult, EngineResult]:
    """(results some match already holds, new results), each in the engine's order. A new pole has only new
    ones, which go straight into their tables; the others are compared with what the database holds."""
    if not known:
        return replace(result, **dict.fromkeys(RESULT_PARTS, ())), result
    parts = {}
    for name in RESULT_PARTS:
        items = getattr(result, name)
        parts[name] = (tuple(i for i in items if i.key in known), tuple(i for i in items if i.key not in known))
    found_again = replace(result, **{name: again for name, (again, _) in parts.items()})
    return found_again, replace(result, **{name: new for name, (_, new) in parts.items()})


def _staged_rows(found: Iterator[FoundMatch], materials: dict[str, int]) -> Iterator[tuple]:
    """(seq, key, kind, material id, *REFRESHED_FIELDS, stream ids, member ids), in the engine's order."""
    defaults = {name: Match._meta.get_field(name).get_default() for name in REFRESHED_FIELDS}
    refreshed = itemgetter(*REFRESHED_FIELDS)
    for seq, match in enumerate(found):
        yield (
            seq, match.key, match.kind, materials[match.material], *refreshed(defaults | match.fields),
            list(dict.fromkeys(match.stream_ids)), sorted(set(match.member_ids)),
        )  # fmt: skip


def found_matches(result: EngineResult, streams: dict[int, StreamInput], factors: dict) -> Iterator[FoundMatch]:
    """The engine's results as matches: substitutions, then pools, then shared needs (the order of insertion).
    `factors`: kg CO2e per tonne by (family, route), from EmissionFactor."""
    explain = _Explanations()
    for sub in result.substitutions:
        offer, need = streams[sub.offer_id], streams[sub.need_id]
        exchanged = min(offer.annual_quantity, need.annual_quantity)
        fields = {
            "score": sub.score, "explanation": explain(sub.criteria), "offer_id": offer.id, "need_id": need.id,
            "distance_km": sub.distance_km, "coverage": sub.coverage, "total_quantity": exchanged,
            **_impact(offer, exchanged, sub.distance_km, factors),
        }  # fmt: skip
        yield FoundMatch(sub.key, MatchKind.SUBSTITUTION, offer.material, fields,
                         [offer.id, need.id], [offer.member_id, need.member_id])  # fmt: skip
    for pool in result.poolings:
        yield _pooling(pool, streams, factors, explain)
    for group in result.shared_needs:
        fields = {"score": group.score, "explanation": explain(group.criteria), "total_quantity": group.total}
        yield FoundMatch(group.key, MatchKind.SHARED_NEED, group.material, fields,
                         list(group.need_ids), list(group.member_ids))  # fmt: skip


def _pooling(pool, streams: dict, factors: dict, explain) -> FoundMatch:
    contributors = [streams[offer_id] for offer_id in pool.contributor_ids]
    impacts = [_impact(offer, offer.annual_quantity, 0.0, factors) for offer in contributors]
    need = streams.get(pool.target_id) if pool.target_kind == "need" else None
    fields = {
        "score": pool.score,
        "explanation": explain(pool.criteria),
        "need_id": need.id if need else None,
        "channel_id": pool.target_id if pool.target_kind == "channel" else None,
        "hub_site_id": pool.hub_site_id,
        "total_quantity": pool.total,
        "threshold": pool.threshold,
        "near_miss": pool.near_miss,
        "tonnes_per_year": round(sum(i["tonnes_per_year"] for i in impacts), 3),
        "co2e_avoided_t": round(max(sum(i["co2e_avoided_t"] for i in impacts) - pool.tonne_km * 1e-4, 0.0), 3),
        "euros_saved": round(sum(i["euros_saved"] for i in impacts), 2),
    }
    return FoundMatch(
        pool.key,
        MatchKind.POOLING,
        pool.material,
        fields,
        [*pool.contributor_ids, *([need.id] if need else [])],
        [offer.member_id for offer in contributors] + ([need.member_id] if need else []),
    )


def _impact(offer: StreamInput, exchanged: float, distance_km: float, factors: dict) -> dict:
    impact = exchange_impact(
        exchanged=exchanged,
        offered=offer.annual_quantity,
        dimension=offer.dimension,
        family=offer.material.split(".")[0],
        route=offer.current_route or "unknown",
        route_cost=offer.current_route_cost,
        distance_km=distance_km,
        factors=factors,
    )
    return {
        "tonnes_per_year": impact.tonnes_per_year,
        "co2e_avoided_t": impact.co2e_avoided_t,
        "euros_saved": impact.euros_saved,
    }


class _Explanations:
    """Criteria as the JSON text Django would store for Match.explanation (json.dumps of a list of dicts).

    The engine shares one Criterion object between the many results it applies to (the same materials, route,
    window), so each object is serialised once and looked up by identity: the result keeps every criterion alive
    while its rows are built, so an identity is never reused for another criterion. The cache is emptied now and
    then so that the criteria of one match only (quantity, distance) do not pile up."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}
        self._encode = json.JSONEncoder(check_circular=False).encode  # criteria are trees: no cycle to look for

    def __call__(self, criteria: tuple[Criterion, ...]) -> str:
        texts = self._texts
        if len(texts) > self.LIMIT:
            texts.clear()
        parts = []
        for criterion in criteria:
            text = texts.get(id(criterion))
            if text is None:
                text = texts[id(criterion)] = self._encode(_criterion(criterion))
            parts.append(text)
        return "[" + ", ".join(parts) + "]"


def _criterion(criterion: Criterion) -> dict:
    return {
        "name": criterion.name,
        "passed": criterion.passed,
        "score": round(criterion.score, 3),
        "detail": criterion.detail,
    }
