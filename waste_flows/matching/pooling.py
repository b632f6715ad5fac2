"""Pooling (massification): several offers together reach a threshold that none reaches alone.

Two targets:
- a channel (an outlet with a viability threshold): offers whose material is one of the channel's materials or
  a descendant, located within the channel's radius (road km) — anywhere when the channel has no location;
- a need that no single valid offer covers (no substitution candidate with coverage ≥ 1): the offers that pass
  every substitution check and lie within pooling_radius_km (road km) of the need's site.

Contributors are taken largest first (then by id). For a channel, an offer is skipped when it would push the
total past max_annual_quantity; for a need, selection stops as soon as the need is covered, and at least two
contributors are required (one partial offer is a plain substitution). A total ≥ threshold gives a pooling; a
total ≥ near_miss_share × threshold gives a near miss, reported with its gap so that the pole can look for the
missing tonnes.

Hub: among the contributor sites and the destination (the channel's location or the need's site), the point
minimising Σ quantity × distance (tonnes for mass streams, the base unit otherwise) — a weighted 1-median over
candidate sites. Score = min(share, 1) × (1 − 0.5 × min(average haul / radius, 1)), the average haul being
tonne_km / total: a reachable threshold counts most, a scattered pool loses up to half.
"""

from collections.abc import Iterable, Sequence

from .geo import haversine_km
from .materials import is_under_any
from .substitution import OFFER, SCORE_DIGITS, Pair, is_located
from .types import ChannelInput, Criterion, EngineSettings, Pooling, StreamInput

HAUL_PENALTY = 0.5

Point = tuple[int | None, float, float]  # (site id, latitude, longitude); None: the channel's own location


def load(stream: StreamInput) -> float:
    """Quantity as moved by trucks: tonnes for mass (base unit kg), the base unit otherwise."""
    return stream.annual_quantity / 1000.0 if stream.dimension == "mass" else stream.annual_quantity


def largest_first(offers: Iterable[StreamInput]) -> list[StreamInput]:
    return sorted(offers, key=lambda offer: (-offer.annual_quantity, offer.id))


def channel_candidates(channel: ChannelInput, offers: Iterable[StreamInput], settings: EngineSettings) -> list:
    accepted = [
        o for o in offers if o.direction == OFFER and is_located(o) and is_under_any(o.material, channel.materials)
    ]
    if channel.latitude is None or channel.longitude is None:
        return accepted
    return [
        offer
        for offer in accepted
        if haversine_km(channel.latitude, channel.longitude, offer.latitude, offer.longitude) * settings.road_factor
        <= channel.radius_km
    ]


def channel_pooling(channel: ChannelInput, offers: Iterable[StreamInput], settings: EngineSettings) -> Pooling | None:
    candidates = largest_first(channel_candidates(channel, offers, settings))
    contributors, total = [], 0.0
    for offer in candidates:
        if channel.max_annual_quantity is not None and total + offer.annual_quantity > channel.max_annual_quantity:
            continue
        contributors.append(offer)
        total += offer.annual_quantity
    located = channel.latitude is not None and channel.longitude is not None
    destination = (None, channel.latitude, channel.longitude) if located else None
    radius = channel.radius_km if located else settings.pooling_radius_km
    material = channel.materials[0] if channel.materials else ""
    target = ("channel", channel.id, material, channel.min_annual_quantity)
    return _pooling(target, candidates, contributors, destination, radius, settings)


def need_pooling(need: StreamInput, pairs: Sequence[Pair], settings: EngineSettings) -> Pooling | None:
    """The pool for a need no single offer covers, from its valid pairs (all of them, before selection)."""
    if any(pair.coverage >= 1.0 for pair in pairs):
        return None
    candidates = largest_first(p.offer for p in pairs if p.distance_km <= settings.pooling_radius_km)
    contributors, total = [], 0.0
    for offer in candidates:
        if total >= need.annual_quantity:
            break
        contributors.append(offer)
        total += offer.annual_quantity
    if len(contributors) < 2:
        return None
    destination = (need.site_id, need.latitude, need.longitude)
    target = ("need", need.id, need.material, need.annual_quantity)
    return _pooling(target, candidates, contributors, destination, settings.pooling_radius_km, settings)


def hub(contributors: Sequence[StreamInput], destination: Point | None, settings: EngineSettings) -> tuple:
    """(site id, tonne-km) of the candidate point minimising Σ load × road distance; ties go to the destination,
    then to the smallest site id."""
    points: dict[int | None, Point] = {o.site_id: (o.site_id, o.latitude, o.longitude) for o in contributors}
    if destination is not None:
        points[destination[0]] = destination
    best = None
    for site_id, lat, lon in points.values():
        cost = sum(load(o) * haversine_km(o.latitude, o.longitude, lat, lon) for o in contributors)
        cost *= settings.road_factor
        preference = (round(cost, 9), site_id != (destination[0] if destination else None), site_id or 0)
        if best is None or preference < best[0]:
            best = (preference, site_id, cost)
    return best[1], best[2]


def _pooling(
    target: tuple, candidates: list, contributors: list, destination, radius: float, settings
) -> Pooling | None:
    kind, target_id, material, threshold = target
    total = sum(offer.annual_quantity for offer in contributors)
    share = total / threshold if threshold > 0 else 1.0
    if not contributors or share < settings.near_miss_share:
        return None
    hub_site_id, tonne_km = hub(contributors, destination, settings)
    hauled = sum(load(offer) for offer in contributors)
    average_haul = tonne_km / hauled if hauled > 0 else 0.0
    compactness = 1.0 - HAUL_PENALTY * min(average_haul / radius, 1.0) if radius > 0 else 1.0
    gap = max(threshold - total, 0.0)
    figures = {"total": total, "threshold": threshold, "share": round(share, SCORE_DIGITS), "gap": gap}
    haul = {"site_id": hub_site_id, "tonne_km": round(tonne_km, 3), "average_haul_km": round(average_haul, 3)}
    contributed = {"ids": [o.id for o in contributors], "quantities": [o.annual_quantity for o in contributors]}
    considered = {"ids": sorted(o.id for o in candidates), "count": len(candidates)}
    return Pooling(
        target_kind=kind,
        target_id=target_id,
        material=material,
        contributor_ids=tuple(offer.id for offer in contributors),
        total=total,
        threshold=threshold,
        share=round(share, SCORE_DIGITS),
        gap=gap,
        hub_site_id=hub_site_id,
        tonne_km=round(tonne_km, 3),
        near_miss=total < threshold,
        score=round(min(share, 1.0) * compactness, SCORE_DIGITS),
        criteria=(
            Criterion("threshold", total >= threshold, round(min(share, 1.0), SCORE_DIGITS), figures),
            Criterion("contributors", True, 1.0, contributed),
            Criterion("candidates", True, 1.0, considered),
            Criterion("hub", True, round(compactness, SCORE_DIGITS), haul | {"radius_km": radius}),
        ),
    )
