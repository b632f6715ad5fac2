"""The streams an incremental run must look at, found without indexing everything.

A touched offer's results depend on its needs (one fit-hop, one reach radius away) and on those needs' other
offers (two hops, two radii); a touched need symmetrically. Streams outside these material keys and beyond two
of the largest reach radii cannot change the answer. Channel pools and shared-need groups are not local in that
way (a channel may have no location, a group chains), so the offers of every channel accepting a touched offer,
and the needs of every shared material touched, are kept whole.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache

from .geo import haversine_km
from .materials import is_under_any
from .substitution import NEED, OFFER, Key, is_located, max_distance, reachable_keys, stream_key
from .types import ChannelInput, EngineSettings, MaterialGraph, StreamInput

# Beyond this many touched streams the distance filter costs more than it saves.
MAX_ANCHORS_FOR_DISTANCE_FILTER = 32


def relevant_streams(
    streams: Sequence[StreamInput],
    touched: frozenset[int],
    channels: Sequence[ChannelInput],
    graph: MaterialGraph,
    settings: EngineSettings,
) -> list[StreamInput]:
    anchors = [stream for stream in streams if stream.id in touched]
    offer_keys, need_keys = _keys(streams)
    offer_scope, need_scope = _two_hop_keys(anchors, offer_keys, need_keys, graph.uses)
    keyed = [s for s in streams if stream_key(s) in (offer_scope if s.direction == OFFER else need_scope)]
    nearby = _within_two_reaches(keyed, anchors, settings)
    channel_materials = _channel_materials(channels, anchors)
    shared_materials = {s.material for s in anchors if s.direction == NEED}
    shared_materials = {m for m in shared_materials if is_under_any(m, settings.shared_need_materials)}
    extra = [s for s in streams if _kept_whole(s, channel_materials, shared_materials)]
    return list({stream.id: stream for stream in nearby + extra + anchors}.values())


def _keys(streams: Iterable[StreamInput]) -> tuple[frozenset[Key], frozenset[Key]]:
    offers, needs = set(), set()
    for stream in streams:
        (offers if stream.direction == OFFER else needs).add(stream_key(stream))
    return frozenset(offers), frozenset(needs)


@lru_cache(maxsize=8)
def _fit_tables(offer_keys: frozenset[Key], need_keys: frozenset[Key], uses) -> tuple[dict, dict]:
    forward = reachable_keys(offer_keys, need_keys, uses)
    backward: dict[Key, list[Key]] = {}
    for offer_key, targets in forward.items():
        for need_key, _fit in targets:
            backward.setdefault(need_key, []).append(offer_key)
    return {key: [target for target, _fit in targets] for key, targets in forward.items()}, backward


def _two_hop_keys(anchors, offer_keys, need_keys, uses) -> tuple[set[Key], set[Key]]:
    forward, backward = _fit_tables(offer_keys, need_keys, uses)
    offer_scope: set[Key] = set()
    need_scope: set[Key] = set()
    for anchor in anchors:
        key = stream_key(anchor)
        if anchor.direction == OFFER:
            needs = set(forward.get(key, ()))
            offers = {offer for need in needs for offer in backward.get(need, ())} | {key}
        else:
            offers = set(backward.get(key, ()))
            needs = {need for offer in offers for need in forward.get(offer, ())} | {key}
        offer_scope |= offers
        need_scope |= needs
    return offer_scope, need_scope


def _within_two_reaches(streams: list[StreamInput], anchors, settings: EngineSettings) -> list[StreamInput]:
    located_anchors = [anchor for anchor in anchors if is_located(anchor)]
    if len(located_anchors) > MAX_ANCHORS_FOR_DISTANCE_FILTER:
        return streams
    largest = max((max_distance(stream, settings) for stream in streams), default=0.0)
    reach = 2 * largest / settings.road_factor * (1 + 1e-9) + 1e-9
    return [
        stream
        for stream in streams
        if is_located(stream)
        and any(
            haversine_km(a.latitude, a.longitude, stream.latitude, stream.longitude) <= reach for a in located_anchors
        )
    ]


def _channel_materials(channels: Sequence[ChannelInput], anchors) -> tuple[str, ...]:
    offered = [anchor.material for anchor in anchors if anchor.direction == OFFER]
    accepting = [c for c in channels if any(is_under_any(material, c.materials) for material in offered)]
    return tuple(sorted({material for channel in accepting for material in channel.materials}))


def _kept_whole(stream: StreamInput, channel_materials, shared_materials) -> bool:
    if stream.direction == OFFER:
        return bool(channel_materials) and is_under_any(stream.material, channel_materials)
    return stream.material in shared_materials
