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

Candidates come from an index, never from all pairs: for each offered (dimension, material) key, one spatial
grid holds the needs of every key it can reach (same, descendant or use), each with its fit; an offer visits only
the cells of its key's grid within its reach radius. Needs are looked up from their side the same way (grids per
needed key, built on first use: a full run never needs them).

The loops below are the hot path of a large run (close to a million candidates for 100,000 streams): they keep
per-stream figures precomputed on `Site` and avoid builtin calls, but compute every float exactly as the rules
above say, in the same order, so that scores are identical to the plain formulas (tests/matching/reference.py).
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

# The terms of the score that depend on one side only, computed once (the same products as in score_of).
_MATERIAL_TERM = {fit: WEIGHTS["material"] * score for fit, score in FIT_SCORES.items()}
_QUANTITY_WEIGHT = WEIGHTS["quantity"]
_DISTANCE_WEIGHT = WEIGHTS["distance"]
_TWO_RADII = 2 * EARTH_RADIUS_KM
_sin, _asin, _sqrt, _radians = math.sin, math.asin, math.sqrt, math.radians

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


def route_gain(route: str) -> float:
    return ROUTE_GAIN.get(route, ROUTE_GAIN["unknown"])


def score_of(fit: str, coverage: float, distance_km: float, limit_km: float, route: str) -> float:
    closeness = 1.0 - distance_km / limit_km if limit_km > 0 else 1.0
    total = (
        WEIGHTS["material"] * FIT_SCORES[fit]
        + WEIGHTS["quantity"] * coverage
        + WEIGHTS["distance"] * closeness
        + WEIGHTS["route_gain"] * route_gain(route)
    )
    return round(total, SCORE_DIGITS)


class Site:
    """A located stream with what the checks need precomputed (radians, cosine, limit, route term)."""

    __slots__ = ("stream", "phi", "cos_phi", "limit", "timed", "route_term")

    def __init__(self, stream: StreamInput, settings: EngineSettings) -> None:
        self.stream = stream
        self.phi = math.radians(stream.latitude)
        self.cos_phi = math.cos(self.phi)
        self.limit = max_distance(stream, settings)
        self.timed = bool(stream.months or stream.available_from or stream.available_until)
        self.route_term = WEIGHTS["route_gain"] * route_gain(stream.current_route)


def evaluate(offer_site: Site, need_site: Site, fit: str, road_factor: float) -> Pair | None:
    """The pair if every non-material check passes (the caller has matched dimension and material).

    The same operations as geo.haversine_km, coverage_of and score_of, inlined: min(a, b) is written
    `b if b < a else a`, which returns the same float."""
    offer, need = offer_site.stream, need_site.stream
    if offer.member_id == need.member_id or (offer.hazardous and not need.accepts_hazardous):
        return None
    limit = need_site.limit if need_site.limit < offer_site.limit else offer_site.limit
    half_dphi = (need_site.phi - offer_site.phi) / 2
    half_dlam = _radians(need.longitude - offer.longitude) / 2
    root = _sqrt(_sin(half_dphi) ** 2 + offer_site.cos_phi * need_site.cos_phi * _sin(half_dlam) ** 2)
    distance = _TWO_RADII * _asin(root if root < 1.0 else 1.0) * road_factor
    if distance > limit or ((offer_site.timed or need_site.timed) and not windows_overlap(offer, need)):
        return None
    needed, offered = need.annual_quantity, offer.annual_quantity
    if needed <= 0:
        coverage = 1.0
    else:
        exchanged = needed if needed < offered else offered
        coverage = (0.0 if exchanged < 0.0 else exchanged) / needed
    closeness = 1.0 - distance / limit if limit > 0 else 1.0
    total = _MATERIAL_TERM[fit] + _QUANTITY_WEIGHT * coverage + _DISTANCE_WEIGHT * closeness + offer_site.route_term
    return Pair(offer, need, fit, distance, limit, coverage, round(total, SCORE_DIGITS))


class _Index:
    """Sites of several keys on one grid, each with the fit it has for the looking-up key, and the largest
    distance limit among them (which bounds the reach of a look-up)."""

    __slots__ = ("grid", "max_limit")

    def __init__(self, cell_km: float) -> None:
        self.grid: Grid[tuple[Site, str]] = Grid(cell_km)
        self.max_limit = 0.0

    def add(self, site: Site, fit: str) -> None:
        self.grid.add((site, fit), site.stream.latitude, site.stream.longitude)
        if site.limit > self.max_limit:
            self.max_limit = site.limit


def _by_key(sites: Iterable[Site]) -> dict[Key, list[Site]]:
    keyed: dict[Key, list[Site]] = {}
    for site in sites:
        keyed.setdefault(stream_key(site.stream), []).append(site)
    return keyed


def _indexes(table: dict[Key, list[tuple[Key, str]]], targets: dict[Key, list[Site]], cell_km: float):
    """One index per looking-up key over the sites of every key it reaches."""
    indexes: dict[Key, _Index] = {}
    for key, reached in table.items():
        index = indexes[key] = _Index(cell_km)
        for target_key, fit in reached:
            for site in targets.get(target_key, ()):
                index.add(site, fit)
    return indexes


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
        self._sites = {stream.id: Site(stream, settings) for stream in self.offers + self.needs}
        self._offer_sites = _by_key(self._sites[offer.id] for offer in self.offers)
        self._need_sites = _by_key(self._sites[need.id] for need in self.needs)
        self._forward = reachable_keys(self._offer_sites, self._need_sites, graph.uses)
        self._need_index = _indexes(self._forward, self._need_sites, settings.grid_cell_km)
        self._offer_index: dict[Key, _Index] | None = None  # built on the first look-up from a need
        self.examined = 0

    def offers_by_place(self) -> list[StreamInput]:
        """The offers cell by cell, row after row. Consecutive offers then look up mostly the same needs, which
        stay in the processor's cache: on 100,000 streams this takes a quarter off the time of taking offers in id
        order, whose sites are scattered. Pairs are ranked afterwards, so their order changes no result."""
        grid = Grid(self.settings.grid_cell_km)
        return sorted(self.offers, key=lambda offer: grid.cell(offer.latitude, offer.longitude))

    def pairs_of_offer(self, offer: StreamInput) -> list[Pair]:
        if offer.direction != OFFER or not is_located(offer):
            return []
        index = self._need_index.get(stream_key(offer))
        if index is None:
            return []
        site, road_factor, pairs = self._site(offer), self.settings.road_factor, []
        for need_site, fit in self._near(site, index):
            pair = evaluate(site, need_site, fit, road_factor)
            if pair is not None:
                pairs.append(pair)
        return pairs

    def pairs_of_need(self, need: StreamInput) -> list[Pair]:
        if need.direction != NEED or not is_located(need):
            return []
        if self._offer_index is None:
            backward: dict[Key, list[tuple[Key, str]]] = {}
            for offer_key, targets in self._forward.items():
                for need_key, fit in targets:
                    backward.setdefault(need_key, []).append((offer_key, fit))
            self._offer_index = _indexes(backward, self._offer_sites, self.settings.grid_cell_km)
        index = self._offer_index.get(stream_key(need))
        if index is None:
            return []
        site, road_factor, pairs = self._site(need), self.settings.road_factor, []
        for offer_site, fit in self._near(site, index):
            pair = evaluate(offer_site, site, fit, road_factor)
            if pair is not None:
                pairs.append(pair)
        return pairs

    def _site(self, stream: StreamInput) -> Site:
        site = self._sites.get(stream.id)
        return site if site is not None and site.stream is stream else Site(stream, self.settings)

    def _near(self, site: Site, index: _Index) -> list[tuple[Site, str]]:
        # Road distance ≤ the smaller limit, so the great-circle distance is at most that limit / road_factor.
        reach = min(site.limit, index.max_limit) / self.settings.road_factor
        found = index.grid.near(site.stream.latitude, site.stream.longitude, reach)
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
    min_score = settings.min_score
    ranked = sorted((pair for pair in pairs if pair.score >= min_score), key=rank)
    top_k, per_need, per_offer, kept = settings.top_k, {}, {}, []
    for pair in ranked:
        need_id, offer_id = pair.need.id, pair.offer.id
        need_seen, offer_seen = per_need.get(need_id, 0), per_offer.get(offer_id, 0)
        if need_seen < top_k or offer_seen < top_k:
            kept.append(pair)
        per_need[need_id] = need_seen + 1
        per_offer[offer_id] = offer_seen + 1
    return kept
