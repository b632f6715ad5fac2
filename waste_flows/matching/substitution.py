"""Substitution: one member's offer feeds another member's need.

A pair is valid when every check passes: same dimension, material fit (see `materials`), different members,
both located, road distance (great-circle × road_factor) within both parties' limits (≤ passes),
availability windows overlapping (dates, and months when both declare some), and a hazardous offer only
towards a need that accepts hazardous waste.

Its score, in [0, 1], is a weighted sum of partial scores (WEIGHTS):
  material 0.3   same 1.0, descendant 0.9, use 0.75
  quantity 0.3   coverage = min(offer, need) / need
  distance 0.2   1 − distance / limit, the limit being the smaller of the two parties' maxima
  route    0.2   what the offer stops going to: landfill 1.0, incineration 0.9, unknown 0.6,
                 energy_recovery 0.5, recycling_outside 0.4, local_valorisation 0.0

Candidates come from an index, never from all pairs: needs are bucketed by (dimension, material) and, in each
bucket, by a spatial grid. An offer visits only the buckets its material can reach (same, descendant or use)
and, in each, only the cells within its reach radius; needs can be looked up from their side the same way.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .geo import EARTH_RADIUS_KM, Grid
from .materials import FIT_DESCENDANT, FIT_SAME, FIT_USE, material_fit
from .types import EngineSettings, MaterialGraph, StreamInput

OFFER = "offer"
NEED = "need"
WEIGHTS = {"material": 0.3, "quantity": 0.3, "distance": 0.2, "route_gain": 0.2}
FIT_SCORES = {FIT_SAME: 1.0, FIT_DESCENDANT: 0.9, FIT_USE: 0.75}
ROUTE_GAIN = {
    "landfill": 1.0,
    "incineration": 0.9,
    "unknown": 0.6,
    "energy_recovery": 0.5,
    "recycling_outside": 0.4,
    "local_valorisation": 0.0,
}
SCORE_DIGITS = 6

Key = tuple[str, str]  # (dimension, material)


@dataclass(slots=True)
class Pair:
    """A valid offer-need pair before selection; turned into a Substitution only if it is kept."""

    offer: StreamInput
    need: StreamInput
    fit: str
    distance_km: float
    limit_km: float
    coverage: float
    score: float


def is_located(stream: StreamInput) -> bool:
    return stream.latitude is not None and stream.longitude is not None


def max_distance(stream: StreamInput, settings: EngineSettings) -> float:
    return settings.default_max_distance_km if stream.max_distance_km is None else stream.max_distance_km


def stream_key(stream: StreamInput) -> Key:
    return (stream.dimension, stream.material)


def windows_overlap(offer: StreamInput, need: StreamInput) -> bool:
    """Date windows overlap (an open end is unbounded); months intersect when both sides declare some."""
    starts = [day for day in (offer.available_from, need.available_from) if day is not None]
    ends = [day for day in (offer.available_until, need.available_until) if day is not None]
    if starts and ends and max(starts) > min(ends):
        return False
    return not (offer.months and need.months and not set(offer.months) & set(need.months))


def coverage_of(offer: StreamInput, need: StreamInput) -> float:
    if need.annual_quantity <= 0:
        return 1.0
    return max(min(offer.annual_quantity, need.annual_quantity), 0.0) / need.annual_quantity


def score_of(fit: str, coverage: float, distance_km: float, limit_km: float, route: str) -> float:
    closeness = 1.0 - distance_km / limit_km if limit_km > 0 else 1.0
    total = (
        WEIGHTS["material"] * FIT_SCORES[fit]
        + WEIGHTS["quantity"] * coverage
        + WEIGHTS["distance"] * closeness
        + WEIGHTS["route_gain"] * ROUTE_GAIN.get(route, ROUTE_GAIN["unknown"])
    )
    return round(total, SCORE_DIGITS)


class Site:
    """A located stream with what the distance check needs precomputed (radians, cosine, limit)."""

    __slots__ = ("stream", "phi", "cos_phi", "limit", "timed")

    def __init__(self, stream: StreamInput, settings: EngineSettings) -> None:
        self.stream = stream
        self.phi = math.radians(stream.latitude)
        self.cos_phi = math.cos(self.phi)
        self.limit = max_distance(stream, settings)
        self.timed = bool(stream.months or stream.available_from or stream.available_until)


def evaluate(offer_site: Site, need_site: Site, fit: str, road_factor: float) -> Pair | None:
    """The pair if every non-material check passes (the caller has matched dimension and material)."""
    offer, need = offer_site.stream, need_site.stream
    if offer.member_id == need.member_id or (offer.hazardous and not need.accepts_hazardous):
        return None
    limit = min(offer_site.limit, need_site.limit)
    # The same operations as geo.haversine_km(offer, need), with the per-stream parts computed once.
    half_dphi = (need_site.phi - offer_site.phi) / 2
    half_dlam = math.radians(need.longitude - offer.longitude) / 2
    a = math.sin(half_dphi) ** 2 + offer_site.cos_phi * need_site.cos_phi * math.sin(half_dlam) ** 2
    distance = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a))) * road_factor
    if distance > limit or ((offer_site.timed or need_site.timed) and not windows_overlap(offer, need)):
        return None
    coverage = coverage_of(offer, need)
    score = score_of(fit, coverage, distance, limit, offer.current_route)
    return Pair(offer, need, fit, distance, limit, coverage, score)


class _Bucket:
    """Sites of one (dimension, material) key on a grid, with the largest distance limit among them."""

    def __init__(self, cell_km: float) -> None:
        self.grid: Grid[Site] = Grid(cell_km)
        self.max_limit = 0.0


def _bucket(sites: Iterable[Site], settings: EngineSettings) -> dict[Key, _Bucket]:
    buckets: dict[Key, _Bucket] = {}
    for site in sites:
        key = stream_key(site.stream)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket(settings.grid_cell_km)
        bucket.grid.add(site, site.stream.latitude, site.stream.longitude)
        bucket.max_limit = max(bucket.max_limit, site.limit)
    return buckets


def reachable_keys(offer_keys: Iterable[Key], need_keys: Iterable[Key], uses) -> dict[Key, list[tuple[Key, str]]]:
    """For each offer key, the need keys it can feed and how: the material part of the index."""
    need_keys = sorted(need_keys)
    table: dict[Key, list[tuple[Key, str]]] = {}
    for offer_key in sorted(offer_keys):
        fits = ((need_key, material_fit(offer_key[1], need_key[1], uses)) for need_key in need_keys)
        table[offer_key] = [(need_key, fit) for need_key, fit in fits if fit and need_key[0] == offer_key[0]]
    return table


class PairFinder:
    """The index over located streams; finds every valid pair of one offer or one need.

    `examined` counts the offer-need pairs actually looked at (those the index could not rule out).
    """

    def __init__(self, streams: Iterable[StreamInput], graph: MaterialGraph, settings: EngineSettings) -> None:
        located = [stream for stream in streams if is_located(stream)]
        self.settings = settings
        self.offers = [stream for stream in located if stream.direction == OFFER]
        self.needs = [stream for stream in located if stream.direction == NEED]
        self._offer_buckets = _bucket((Site(offer, settings) for offer in self.offers), settings)
        self._need_buckets = _bucket((Site(need, settings) for need in self.needs), settings)
        self._forward = reachable_keys(self._offer_buckets, self._need_buckets, graph.uses)
        self._backward: dict[Key, list[tuple[Key, str]]] = {}
        for offer_key, targets in self._forward.items():
            for need_key, fit in targets:
                self._backward.setdefault(need_key, []).append((offer_key, fit))
        self.examined = 0

    def pairs_of_offer(self, offer: StreamInput) -> list[Pair]:
        if offer.direction != OFFER or not is_located(offer):
            return []
        site, road_factor, pairs = Site(offer, self.settings), self.settings.road_factor, []
        for need_key, fit in self._forward.get(stream_key(offer), ()):
            for need_site in self._near(site, self._need_buckets[need_key]):
                pair = evaluate(site, need_site, fit, road_factor)
                if pair is not None:
                    pairs.append(pair)
        return pairs

    def pairs_of_need(self, need: StreamInput) -> list[Pair]:
        if need.direction != NEED or not is_located(need):
            return []
        site, road_factor, pairs = Site(need, self.settings), self.settings.road_factor, []
        for offer_key, fit in self._backward.get(stream_key(need), ()):
            for offer_site in self._near(site, self._offer_buckets[offer_key]):
                pair = evaluate(offer_site, site, fit, road_factor)
                if pair is not None:
                    pairs.append(pair)
        return pairs

    def _near(self, site: Site, bucket: _Bucket) -> list[Site]:
        # Road distance ≤ the smaller limit, so the great-circle distance is at most that limit / road_factor.
        reach = min(site.limit, bucket.max_limit) / self.settings.road_factor
        found = bucket.grid.near(site.stream.latitude, site.stream.longitude, reach)
        self.examined += len(found)
        return found


def rank(pair: Pair) -> tuple[float, float, int, int]:
    """Best first: higher score, then shorter distance, then ids (a total order, so results are stable)."""
    return (-pair.score, pair.distance_km, pair.offer.id, pair.need.id)


def select(pairs: Iterable[Pair], settings: EngineSettings) -> list[Pair]:
    """Pairs scoring at least min_score that are in the top_k of their need OR of their offer.

    "Or" keeps an offer's best outlet even when that need has better offers elsewhere, and a need's best
    sources even when those offers have better outlets: both sides see their top_k options.
    """
    ranked = sorted((pair for pair in pairs if pair.score >= settings.min_score), key=rank)
    top_k, per_need, per_offer, kept = settings.top_k, {}, {}, []
    for pair in ranked:
        need_seen, offer_seen = per_need.get(pair.need.id, 0), per_offer.get(pair.offer.id, 0)
        if need_seen < top_k or offer_seen < top_k:
            kept.append(pair)
        per_need[pair.need.id] = need_seen + 1
        per_offer[pair.offer.id] = offer_seen + 1
    return kept
