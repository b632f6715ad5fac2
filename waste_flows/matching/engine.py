"""The entry point: `run` turns streams and channels into substitutions, poolings and shared needs.

A full run indexes every located stream and walks each offer's candidates once. An incremental run
(`only_stream_ids`) returns exactly what a full run would return for the results involving those streams:
substitutions touching them, pools whose candidate set includes them, shared-need groups containing them.
To rank a pair within both sides' top_k it needs every pair of its need and of its offer, so it indexes only the
streams that can matter — materials two fit-hops away from the touched ones, within two reach radii of them,
plus the offers of the channels and the needs of the shared materials they touch — and looks up from there.
"""

import gc
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from .explain import Explainer
from .pooling import channel_candidates, channel_pooling, need_pooling
from .scope import relevant_streams
from .shared import shared_needs
from .substitution import OFFER, Pair, PairFinder, select
from .types import ChannelInput, EngineResult, EngineSettings, MaterialGraph, Pooling, StreamInput

# Frozen, hence safe as shared defaults.
NO_USES = MaterialGraph()
DEFAULT_SETTINGS = EngineSettings()


def run(
    *,
    streams: Sequence[StreamInput],
    channels: Sequence[ChannelInput] = (),
    graph: MaterialGraph = NO_USES,
    settings: EngineSettings = DEFAULT_SETTINGS,
    only_stream_ids: frozenset[int] | None = None,
) -> EngineResult:
    """Match streams. Same input, same output, in the same order (streams are taken in id order)."""
    channels = sorted(channels, key=lambda channel: channel.id)
    with collector_paused():
        if only_stream_ids is None:
            return _full_run(sorted(streams, key=lambda s: s.id), channels, graph, settings)
        touched = frozenset(only_stream_ids)
        scope = sorted(relevant_streams(streams, touched, channels, graph, settings), key=lambda s: s.id)
        return _incremental_run(scope, touched, channels, graph, settings)


@contextmanager
def collector_paused():
    """The run allocates millions of small acyclic objects; Python's cyclic collector would rescan the growing
    heap again and again (half the time of a 100k-stream run). Reference counting frees them all the same."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _full_run(streams, channels, graph, settings) -> EngineResult:
    finder = PairFinder(streams, graph, settings)
    pairs = [pair for offer in finder.offers_by_place() for pair in finder.pairs_of_offer(offer)]
    by_need = _by_need(pairs)
    poolings = [channel_pooling(channel, finder.offers, settings) for channel in channels]
    poolings += [need_pooling(need, by_need.get(need.id, ()), settings) for need in finder.needs]
    return EngineResult(
        substitutions=tuple(map(Explainer(settings).substitution, select(pairs, settings))),
        poolings=_ordered(poolings),
        shared_needs=tuple(shared_needs(finder.needs, settings)),
        candidate_pairs=finder.examined,
    )


def _incremental_run(scope, touched, channels, graph, settings) -> EngineResult:
    finder = PairFinder(scope, graph, settings)
    anchors = [stream for stream in finder.offers + finder.needs if stream.id in touched]
    direct = _unique(pair for s in anchors for pair in finder.pairs_of_offer(s) + finder.pairs_of_need(s))
    needs = _unique_streams([s for s in anchors if s.direction != OFFER] + [pair.need for pair in direct])
    offers = _unique_streams(pair.offer for pair in direct)
    need_pairs = {need.id: finder.pairs_of_need(need) for need in needs}
    context = _unique([*direct, *(p for ps in need_pairs.values() for p in ps), *_offer_pairs(finder, offers)])
    kept = [pair for pair in select(context, settings) if pair.offer.id in touched or pair.need.id in touched]
    poolings = [channel_pooling(c, finder.offers, settings) for c in _touched_channels(channels, anchors, settings)]
    poolings += [need_pooling(need, need_pairs[need.id], settings) for need in needs]
    groups = [group for group in shared_needs(finder.needs, settings) if touched & set(group.need_ids)]
    return EngineResult(
        substitutions=tuple(map(Explainer(settings).substitution, kept)),
        poolings=_ordered(pool for pool in poolings if pool is not None and _pool_touches(pool, touched)),
        shared_needs=tuple(groups),
        candidate_pairs=finder.examined,
    )


def _offer_pairs(finder: PairFinder, offers: Iterable[StreamInput]) -> list[Pair]:
    return [pair for offer in offers for pair in finder.pairs_of_offer(offer)]


def _touched_channels(channels, anchors, settings) -> list[ChannelInput]:
    """Channels with a touched offer among their candidates (the others cannot change)."""
    touched_ids = {stream.id for stream in anchors if stream.direction == OFFER}
    offers = [stream for stream in anchors if stream.direction == OFFER]
    return [c for c in channels if touched_ids & {o.id for o in channel_candidates(c, offers, settings)}]


def _pool_touches(pool: Pooling, touched: frozenset[int]) -> bool:
    if pool.target_kind == "need" and pool.target_id in touched:
        return True
    candidates = next(criterion for criterion in pool.criteria if criterion.name == "candidates")
    return bool(touched.intersection(candidates.detail["ids"]))


def _by_need(pairs: Iterable[Pair]) -> dict[int, list[Pair]]:
    grouped: dict[int, list[Pair]] = {}
    for pair in pairs:
        grouped.setdefault(pair.need.id, []).append(pair)
    return grouped


def _unique(pairs: Iterable[Pair]) -> list[Pair]:
    seen: dict[tuple[int, int], Pair] = {}
    for pair in pairs:
        seen.setdefault((pair.offer.id, pair.need.id), pair)
    return list(seen.values())


def _unique_streams(streams: Iterable[StreamInput]) -> list[StreamInput]:
    return sorted({stream.id: stream for stream in streams}.values(), key=lambda stream: stream.id)


def _ordered(poolings: Iterable[Pooling | None]) -> tuple[Pooling, ...]:
    """Channels first, then needs, each by id: a stable order independent of scores."""
    return tuple(
        sorted((p for p in poolings if p is not None), key=lambda p: (p.target_kind != "channel", p.target_id))
    )
