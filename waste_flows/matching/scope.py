"""The streams an incremental run must look at, found without indexing everything.

A touched offer's results depend on its needs (one fit-hop, one reach radius away) and on those needs' other
offers (two hops, two radii); a touched need symmetrically. Streams outside these material keys and beyond two
of the largest reach radii cannot change the answer. Channel pools and shared-need groups are not local in that
way (a channel may have no location, a group chains), so the offers of every channel accepting a touched offer,
and the needs of every shared material touched, are kept whole.

`relevant_streams` applies this to streams in memory. `reach` describes the same scope before anything is loaded
(material keys, boxes around the touched streams, materials kept whole), so that a database can load only the
streams it admits: a superset of what `relevant_streams` keeps, on which an incremental run gives the same results.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .geo import cap_extent_degrees, haversine_km
from .materials import is_under_any
from .substitution import NEED, OFFER, Key, is_located, max_distance, reachable_keys, stream_key
from .types import ChannelInput, EngineSettings, MaterialGraph, StreamInput

# Beyond this many touched streams the distance filter costs more than it saves.
MAX_ANCHORS_FOR_DISTANCE_FILTER = 32

Box = tuple[float, float, float, float | None]  # (latitude, longitude, half-height, half-width in degrees)


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
    shared_materials = _shared_materials(anchors, settings)
    extra = [s for s in streams if _kept_whole(s, channel_materials, shared_materials)]
    return list({stream.id: stream for stream in nearby + extra + anchors}.values())


@dataclass(frozen=True)
class Reach:
    """What an incremental run of `anchor_ids` may need, before loading: the anchors themselves; located streams
    of the two-hop material keys inside a box around a located anchor (`around`); offers under a material of a
    touched channel and needs of a touched shared material, wherever they are."""

    anchor_ids: frozenset[int]
    offer_keys: frozenset[Key]
    need_keys: frozenset[Key]
    whole_offer_families: tuple[str, ...]  # an offer under one of these (is_under_any) is kept wherever it is
    whole_need_materials: frozenset[str]
    boxes: tuple[Box, ...] = ()  # a half-width of None: every longitude

    def around(self, anchors: Sequence[StreamInput], largest_limit_km: float, settings: EngineSettings) -> "Reach":
        """With the boxes of two reach radii around the located anchors. `largest_limit_km`: at least the largest
        distance limit (the default included) of the streams of the keys, which bounds the radii as
        `relevant_streams` computes them."""
        radius = _two_reaches(largest_limit_km, settings)
        # A little wider than the exact cap, so that coordinates stored as decimals are never cut at the edge.
        boxes = tuple(
            (a.latitude, a.longitude, dlat + 1e-6, None if dlon is None else dlon + 1e-6)
            for a in anchors
            if is_located(a)
            for dlat, dlon in [cap_extent_degrees(a.latitude, radius)]
        )
        return replace(self, boxes=boxes)

    def admits(self, stream: StreamInput) -> bool:
        """The same test as the database's query, on a stream in memory."""
        if stream.id in self.anchor_ids:
            return True
        if stream.direction == OFFER:
            if self.whole_offer_families and is_under_any(stream.material, self.whole_offer_families):
                return True
            keys = self.offer_keys
        else:
            if stream.material in self.whole_need_materials:
                return True
            keys = self.need_keys
        return stream_key(stream) in keys and is_located(stream) and any(_in_box(stream, box) for box in self.boxes)


def reach(
    anchors: Sequence[StreamInput],
    keys: Iterable[Key],
    channels: Sequence[ChannelInput],
    graph: MaterialGraph,
    settings: EngineSettings,
) -> Reach:
    """The Reach of an incremental run of `anchors`, boxes apart (see Reach.around). `keys`: every
    (dimension, material) a stream may have (the material table)."""
    keys = frozenset(keys)
    offer_scope, need_scope = _two_hop_keys(anchors, keys, keys, graph.uses)
    return Reach(
        anchor_ids=frozenset(anchor.id for anchor in anchors),
        offer_keys=frozenset(offer_scope),
        need_keys=frozenset(need_scope),
        whole_offer_families=_channel_materials(channels, anchors),
        whole_need_materials=frozenset(_shared_materials(anchors, settings)),
    )


def box_bounds(box: Box) -> tuple[float, float, float | None, float | None]:
    """(south, north, west, east) of a box; west and east are None when every longitude is in it (the box reaches
    a pole or crosses the antimeridian)."""
    lat, lon, dlat, dlon = box
    if dlon is None or lon - dlon < -180.0 or lon + dlon > 180.0:
        return lat - dlat, lat + dlat, None, None
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _in_box(stream: StreamInput, box: Box) -> bool:
    south, north, west, east = box_bounds(box)
    if not south <= stream.latitude <= north:
        return False
    return west is None or west <= stream.longitude <= east


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


def _two_reaches(largest_limit_km: float, settings: EngineSettings) -> float:
    return 2 * largest_limit_km / settings.road_factor * (1 + 1e-9) + 1e-9


def _within_two_reaches(streams: list[StreamInput], anchors, settings: EngineSettings) -> list[StreamInput]:
    located_anchors = [anchor for anchor in anchors if is_located(anchor)]
    if len(located_anchors) > MAX_ANCHORS_FOR_DISTANCE_FILTER:
        return streams
    reach_km = _two_reaches(max((max_distance(stream, settings) for stream in streams), default=0.0), settings)
    return [
        stream
        for stream in streams
        if is_located(stream)
        and any(
            haversine_km(a.latitude, a.longitude, stream.latitude, stream.longitude) <= reach_km
            for a in located_anchors
        )
    ]


def _channel_materials(channels: Sequence[ChannelInput], anchors) -> tuple[str, ...]:
    offered = [anchor.material for anchor in anchors if anchor.direction == OFFER]
    accepting = [c for c in channels if any(is_under_any(material, c.materials) for material in offered)]
    return tuple(sorted({material for channel in accepting for material in channel.materials}))


def _shared_materials(anchors, settings: EngineSettings) -> set[str]:
    needed = {anchor.material for anchor in anchors if anchor.direction == NEED}
    return {material for material in needed if is_under_any(material, settings.shared_need_materials)}


def _kept_whole(stream: StreamInput, channel_materials, shared_materials) -> bool:
    if stream.direction == OFFER:
        return bool(channel_materials) and is_under_any(stream.material, channel_materials)
    return stream.material in shared_materials
