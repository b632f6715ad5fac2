"""Runs of the matching engine, and the people-side lifecycle of the matches it finds.

A run loads active streams of current members into the pure engine (waste_flows.matching), then upserts
its results by key in one transaction: scores and figures are refreshed, while statuses, notes, answers
and history set by people are kept. Results that a run no longer finds become "obsolete" (never deleted),
unless people already closed them. A run that fails leaves the previous results untouched and says why.
"""

import time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from members.models import User

from . import matching
from .enums import CLOSED_MATCH_STATUSES, MatchKind, MatchStatus, RunScope, RunStatus, RunTrigger, StreamStatus
from .impact import exchange_impact
from .matches import Channel, EmissionFactor, Match, MatchParticipant, MatchRun
from .matching.types import ChannelInput, MaterialGraph, StreamInput
from .models import Material, MaterialUse, Stream
from .querysets import DIRECTORY_STATUSES

INTERRUPTED = "interrupted: the worker stopped during the run"
STALE_AFTER_SECONDS = 60 * 60


def match_runs_fail_stale() -> int:
    """Mark failed the runs still "running" long after any worker would have finished them."""
    limit = timezone.now() - timezone.timedelta(seconds=STALE_AFTER_SECONDS)
    return MatchRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=limit).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=INTERRUPTED
    )


# --- Loading the engine's inputs ----------------------------------------------------------------------


def engine_streams() -> list[StreamInput]:
    rows = (
        Stream.objects.filter(status=StreamStatus.ACTIVE, site__member__status__in=DIRECTORY_STATUSES)
        .values_list(
            "id",
            "site__member_id",
            "site_id",
            "direction",
            "kind",
            "material__code",
            "material__kind",
            "material__dimension",
            "annual_quantity",
            "site__latitude",
            "site__longitude",
            "max_distance_km",
            "available_from",
            "available_until",
            "months",
            "ewc_code__hazardous",
            "accepts_hazardous",
            "current_route",
            "current_route_cost",
        )  # fmt: skip
        .order_by("id")
    )
    return [_stream_input(row) for row in rows.iterator(chunk_size=5000)]


def _stream_input(row) -> StreamInput:
    (id_, member_id, site_id, direction, kind, material, material_kind, dimension, quantity, lat, lon,
     max_km, start, end, months, hazardous, accepts, route, cost) = row  # fmt: skip
    return StreamInput(
        id=id_, member_id=member_id, site_id=site_id, direction=direction, kind=kind, material=material,
        material_kind=material_kind, dimension=dimension, annual_quantity=float(quantity),
        latitude=float(lat) if lat is not None else None, longitude=float(lon) if lon is not None else None,
        max_distance_km=float(max_km) if max_km else None, available_from=start, available_until=end,
        months=tuple(months or ()), hazardous=bool(hazardous), accepts_hazardous=accepts, current_route=route or "",
        current_route_cost=float(cost) if cost is not None else None,
    )  # fmt: skip


def engine_channels() -> list[ChannelInput]:
    channels = Channel.objects.filter(is_active=True).select_related("site").prefetch_related("materials")
    return [
        ChannelInput(
            id=channel.pk,
            name=channel.name,
            materials=tuple(sorted(material.code for material in channel.materials.all())),
            min_annual_quantity=float(channel.min_annual_quantity),
            max_annual_quantity=float(channel.max_annual_quantity) if channel.max_annual_quantity else None,
            latitude=float(channel.site.latitude) if channel.site else None,
            longitude=float(channel.site.longitude) if channel.site else None,
            radius_km=float(channel.radius_km),
        )
        for channel in channels.order_by("pk")
    ]


def engine_graph() -> MaterialGraph:
    return MaterialGraph(uses=frozenset(MaterialUse.objects.values_list("material__code", "use_material__code")))


# --- Runs -----------------------------------------------------------------------------------------------


def match_run_create(*, scope: str, trigger: str, started_by: User | None = None, stream_id: int | None = None):
    return MatchRun.objects.create(scope=scope, trigger=trigger, started_by=started_by, stream_id=stream_id)


def match_run_start(*, actor: User, scope: str = RunScope.FULL) -> MatchRun:
    """The coordinator's button: create the run and hand it to a worker once the transaction commits."""
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle peut lancer une recherche de synergies."))
    from .tasks import execute_match_run

    run = match_run_create(scope=scope, trigger=RunTrigger.BUTTON, started_by=actor)
    execute_match_run.delay_on_commit(run_id=run.pk)
    return run


def match_run_execute(*, run_id: int) -> MatchRun:
    """Do the work of one run. Any failure marks the run failed and leaves earlier results as they were.

    A run found already "running" was interrupted (its worker died and the broker handed the task back):
    it is marked failed rather than resumed, and the next run starts afresh."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status == RunStatus.RUNNING:
        _progress(run, status=RunStatus.FAILED, finished_at=timezone.now(), error=INTERRUPTED)
        return run
    if run.is_finished:
        return run
    _progress(run, status=RunStatus.RUNNING, progress=5, started_at=timezone.now())
    try:
        _execute(run)
    except Exception as failure:
        _progress(
            run, status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(failure).__name__}: {failure}"
        )
        raise
    return run


def _execute(run: MatchRun) -> None:
    began = time.perf_counter()
    streams, channels, graph = engine_streams(), engine_channels(), engine_graph()
    loaded = time.perf_counter()
    _progress(run, progress=30, streams_loaded=len(streams), load_seconds=loaded - began)
    only = frozenset({run.stream_id}) if run.scope == RunScope.INCREMENTAL and run.stream_id else None
    result = matching.run(streams=streams, channels=channels, graph=graph, only_stream_ids=only)
    computed = time.perf_counter()
    _progress(run, progress=60, candidate_pairs=result.candidate_pairs, engine_seconds=computed - loaded)
    counts = matches_upsert(run=run, result=result, streams={stream.id: stream for stream in streams}, only=only)
    _progress(
        run,
        status=RunStatus.SUCCEEDED,
        progress=100,
        finished_at=timezone.now(),
        save_seconds=time.perf_counter() - computed,
        **counts,
    )


def _progress(run: MatchRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    # Saved outside the run's transaction so that the page polling it sees the progress live.
    MatchRun.objects.filter(pk=run.pk).update(**fields)


# --- Upserting results ------------------------------------------------------------------------------


UPSERT_BATCH = 2000
# What a run may refresh on an existing match; status, answers and notes belong to people.
REFRESHED_FIELDS = [
    "score", "explanation", "offer_id", "need_id", "channel_id", "hub_site_id", "distance_km", "coverage",
    "total_quantity", "threshold", "near_miss", "tonnes_per_year", "co2e_avoided_t", "euros_saved",
]  # fmt: skip


@transaction.atomic
def matches_upsert(*, run: MatchRun, result, streams: dict, only: frozenset | None) -> dict:
    """Write a run's results in bulk: new matches are created, existing ones refreshed only where a
    figure changed, a match found again after being obsolete is suggested again."""
    found = _rows_of(result, streams)
    existing = _existing_matches(found)
    materials = dict(Material.objects.values_list("code", "pk"))
    new, changed = [], []
    for key, row in found.items():
        match = existing.get(key)
        if match is None:
            match = Match(key=key, kind=row["kind"], first_run=run, material_id=materials[row["material"]])
            new.append(match)
        elif _refresh(match, row) or match.status == MatchStatus.OBSOLETE:
            changed.append(match)
        _assign(match, row, run)
    # What a run writes is recomputed at every run: the history keeps people's changes (status, answers,
    # notes) and obsolescence, not each refresh of a score, which would double the cost of a large run.
    Match.objects.bulk_create(new, batch_size=UPSERT_BATCH)
    Match.objects.bulk_update(changed, [*REFRESHED_FIELDS, "status", "last_run"], batch_size=UPSERT_BATCH)
    saved = {match.key: match.pk for match in Match.objects.filter(key__in=[m.key for m in new])} if new else {}
    _link_streams_and_members(found, {**{k: m.pk for k, m in existing.items()}, **saved}, new_keys=set(saved))
    obsoleted = _obsolete_the_rest(found=set(found), only=only)
    return {"matches_created": len(new), "matches_updated": len(changed), "matches_obsoleted": obsoleted}


def _existing_matches(found: dict) -> dict:
    keys = list(found)
    existing = {}
    for start in range(0, len(keys), UPSERT_BATCH):
        existing.update((m.key, m) for m in Match.objects.filter(key__in=keys[start : start + UPSERT_BATCH]))
    return existing


def _refresh(match: Match, row: dict) -> bool:
    return any(getattr(match, name) != value for name, value in row["fields"].items())


def _assign(match: Match, row: dict, run: MatchRun) -> None:
    for name, value in row["fields"].items():
        setattr(match, name, value)
    match.last_run = run
    if match.status == MatchStatus.OBSOLETE:
        match.status = MatchStatus.SUGGESTED


def _link_streams_and_members(found: dict, ids: dict, *, new_keys: set) -> None:
    """Streams and participants of each match, added where missing (people's answers stay)."""
    through = Match.streams.through
    match_ids = list(ids.values())
    linked = set()
    participating = set()
    for start in range(0, len(match_ids), UPSERT_BATCH):
        chunk = match_ids[start : start + UPSERT_BATCH]
        linked.update(through.objects.filter(match_id__in=chunk).values_list("match_id", "stream_id"))
        participating.update(MatchParticipant.objects.filter(match_id__in=chunk).values_list("match_id", "member_id"))
    links, participants = [], []
    for key, row in found.items():
        match_id = ids[key]
        links += [
            through(match_id=match_id, stream_id=s) for s in set(row["stream_ids"]) if (match_id, s) not in linked
        ]
        participants += [
            MatchParticipant(match_id=match_id, member_id=member_id)
            for member_id in sorted(set(row["member_ids"]))
            if (match_id, member_id) not in participating
        ]
    through.objects.bulk_create(links, batch_size=UPSERT_BATCH)
    MatchParticipant.objects.bulk_create(participants, batch_size=UPSERT_BATCH)


def _obsolete_the_rest(*, found: set, only: frozenset | None) -> int:
    stale = Match.objects.exclude(status__in=[*CLOSED_MATCH_STATUSES, MatchStatus.OBSOLETE])
    if only is not None:
        stale = stale.filter(Q(streams__in=only) | Q(offer__in=only) | Q(need__in=only)).distinct()
    stale_ids = [pk for pk, key in stale.values_list("pk", "key") if key not in found]
    for start in range(0, len(stale_ids), UPSERT_BATCH):
        batch = list(Match.objects.filter(pk__in=stale_ids[start : start + UPSERT_BATCH]))
        for match in batch:
            match.status = MatchStatus.OBSOLETE
        bulk_update_with_history(batch, Match, ["status"], batch_size=UPSERT_BATCH)
    return len(stale_ids)


def _factors() -> dict:
    return {(f.family, f.route): f.kg_co2e_per_tonne for f in EmissionFactor.objects.all()}


def _rows_of(result, streams: dict) -> dict:
    factors = _factors()
    rows = {}
    for sub in result.substitutions:
        offer, need = streams[sub.offer_id], streams[sub.need_id]
        exchanged = min(offer.annual_quantity, need.annual_quantity)
        impact = _impact(offer, exchanged, sub.distance_km, factors)
        rows[sub.key] = {
            "kind": MatchKind.SUBSTITUTION,
            "material": offer.material,
            "stream_ids": [offer.id, need.id],
            "member_ids": [offer.member_id, need.member_id],
            "fields": {
                "score": sub.score,
                "explanation": _criteria(sub.criteria),
                "offer_id": offer.id,
                "need_id": need.id,
                "distance_km": sub.distance_km,
                "coverage": sub.coverage,
                "total_quantity": exchanged,
                **impact,
            },  # fmt: skip
        }
    for pool in result.poolings:
        rows[pool.key] = _pooling_row(pool, streams, factors)
    for group in result.shared_needs:
        rows[group.key] = {
            "kind": MatchKind.SHARED_NEED,
            "material": group.material,
            "stream_ids": list(group.need_ids),
            "member_ids": list(group.member_ids),
            "fields": {"score": group.score, "explanation": _criteria(group.criteria), "total_quantity": group.total},
        }
    return rows


def _pooling_row(pool, streams: dict, factors: dict) -> dict:
    contributors = [streams[offer_id] for offer_id in pool.contributor_ids]
    impacts = [_impact(offer, offer.annual_quantity, 0.0, factors) for offer in contributors]
    need = streams.get(pool.target_id) if pool.target_kind == "need" else None
    return {
        "kind": MatchKind.POOLING,
        "material": pool.material,
        "stream_ids": [*pool.contributor_ids, *([need.id] if need else [])],
        "member_ids": [offer.member_id for offer in contributors] + ([need.member_id] if need else []),
        "fields": {
            "score": pool.score,
            "explanation": _criteria(pool.criteria),
            "need_id": need.id if need else None,
            "channel_id": pool.target_id if pool.target_kind == "channel" else None,
            "hub_site_id": pool.hub_site_id,
            "total_quantity": pool.total,
            "threshold": pool.threshold,
            "near_miss": pool.near_miss,
            "tonnes_per_year": round(sum(i["tonnes_per_year"] for i in impacts), 3),
            "co2e_avoided_t": round(max(sum(i["co2e_avoided_t"] for i in impacts) - pool.tonne_km * 1e-4, 0.0), 3),
            "euros_saved": round(sum(i["euros_saved"] for i in impacts), 2),
        },  # fmt: skip
    }


def _impact(offer, exchanged: float, distance_km: float, factors: dict) -> dict:
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


def _criteria(criteria) -> list[dict]:
    return [{"name": c.name, "passed": c.passed, "score": round(c.score, 3), "detail": c.detail} for c in criteria]
