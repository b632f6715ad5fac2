"""Runs of the matching engine, and the people-side lifecycle of the matches it finds.

A run loads active streams of current members into the pure engine (waste_flows.matching), then upserts
its results by key in one transaction (match_persistence): scores and figures are refreshed, while statuses,
notes, answers and history set by people are kept. Results that a run no longer finds become "obsolete" (never
deleted), unless people already closed them. A run that fails leaves the previous results untouched and says why.

An incremental run (one stream changed) loads only the streams within its reach (matching.scope.reach: the
material keys two fit-hops away, inside a box of two reach radii, and what channel pools and shared needs keep
whole), so that its cost does not grow with the pole.
"""

import time

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Site, User

from . import matching
from .enums import Direction, RunScope, RunStatus, RunTrigger, StreamStatus
from .match_persistence import matches_upsert
from .matches import Channel, MatchRun
from .matching.engine import collector_paused
from .matching.materials import is_under_any
from .matching.scope import Reach, box_bounds, reach
from .matching.types import ChannelInput, EngineSettings, MaterialGraph, StreamInput
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


def engine_streams(*, where: Q | None = None) -> list[StreamInput]:
    """Active streams of current members (those `where` admits, if given), in id order."""
    streams = Stream.objects.filter(status=StreamStatus.ACTIVE, site__member__status__in=DIRECTORY_STATUSES)
    rows = (
        streams.filter(where or Q())
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


def engine_streams_within_reach(
    stream_ids: frozenset[int], channels: list[ChannelInput], graph: MaterialGraph
) -> list[StreamInput]:
    """What an incremental run of `stream_ids` needs: a superset of what the engine keeps (matching.scope), so
    that its results are those of a run given every stream. Nothing when none of them is active any more."""
    anchors = engine_streams(where=Q(pk__in=stream_ids))
    if not anchors:
        return []
    materials = {
        (dimension, code): pk for dimension, code, pk in Material.objects.values_list("dimension", "code", "pk")
    }
    settings = EngineSettings()  # the engine's (matching.run is called with its defaults)
    scope = reach(anchors, materials, channels, graph, settings)
    keyed = _keyed(scope, materials)
    largest = Stream.objects.filter(keyed, status=StreamStatus.ACTIVE).aggregate(largest=Max("max_distance_km"))
    largest_km = max(settings.default_max_distance_km, float(largest["largest"] or 0))
    return engine_streams(where=_admitted(scope.around(anchors, largest_km, settings), keyed, materials))


def _keyed(scope: Reach, materials: dict[tuple[str, str], int]) -> Q:
    return Q(direction=Direction.OFFER, material_id__in=[materials[key] for key in scope.offer_keys]) | Q(
        direction=Direction.NEED, material_id__in=[materials[key] for key in scope.need_keys]
    )


def _admitted(scope: Reach, keyed: Q, materials: dict[tuple[str, str], int]) -> Q:
    """Reach.admits as a query (coordinates of sites are never missing in the database). The sites inside the
    boxes are a subquery of their own, so that the database filters sites first rather than testing each
    stream's site."""
    inside = Q(pk__in=[])
    for box in scope.boxes:
        south, north, west, east = box_bounds(box)
        box_q = Q(latitude__gte=south, latitude__lte=north)
        if west is not None:
            box_q &= Q(longitude__gte=west, longitude__lte=east)
        inside |= box_q
    whole_offers = [pk for (_, code), pk in materials.items() if is_under_any(code, scope.whole_offer_families)]
    whole_needs = [pk for (_, code), pk in materials.items() if code in scope.whole_need_materials]
    return (
        Q(pk__in=scope.anchor_ids)
        | (keyed & Q(site__in=Site.objects.filter(inside).values("pk")))
        | Q(direction=Direction.OFFER, material_id__in=whole_offers)
        | Q(direction=Direction.NEED, material_id__in=whole_needs)
    )


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
        # A full run holds hundreds of thousands of small objects (streams, results, rows): see collector_paused.
        with collector_paused():
            _execute(run)
    except Exception as failure:
        _progress(
            run, status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(failure).__name__}: {failure}"
        )
        raise
    return run


def _execute(run: MatchRun) -> None:
    began = time.perf_counter()
    only = frozenset({run.stream_id}) if run.scope == RunScope.INCREMENTAL and run.stream_id else None
    channels, graph = engine_channels(), engine_graph()
    streams = engine_streams() if only is None else engine_streams_within_reach(only, channels, graph)
    loaded = time.perf_counter()
    _progress(run, progress=30, streams_loaded=len(streams), load_seconds=loaded - began)
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
