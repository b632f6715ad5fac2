"""A naive, all-pairs implementation of the substitution rules, written apart from the engine to check it.

Every offer is compared with every need, with no index; the rules and the score are restated from the engine's
documentation. The engine must find exactly the same pairs with the same scores.
"""

import math

EARTH_RADIUS_KM = 6371.0088
FIT = {"same": 1.0, "descendant": 0.9, "use": 0.75}
ROUTE = {
    "landfill": 1.0,
    "incineration": 0.9,
    "unknown": 0.6,
    "energy_recovery": 0.5,
    "recycling_outside": 0.4,
    "local_valorisation": 0.0,
}


def great_circle_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def lineage(code):
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def fit_of(offered, needed, uses):
    if offered == needed:
        return "same"
    if offered.startswith(needed + "."):
        return "descendant"
    if any((source, target) in uses for source in lineage(offered) for target in lineage(needed)):
        return "use"
    return None


def windows_meet(a, b):
    start = max([d for d in (a.available_from, b.available_from) if d is not None], default=None)
    end = min([d for d in (a.available_until, b.available_until) if d is not None], default=None)
    if start is not None and end is not None and start > end:
        return False
    return not (a.months and b.months and not set(a.months) & set(b.months))


def limit_of(stream, settings):
    return settings.default_max_distance_km if stream.max_distance_km is None else stream.max_distance_km


def pair_of(offer, need, uses, settings):
    """(score, distance, coverage, fit) when the pair is valid, else None."""
    fit = fit_of(offer.material, need.material, uses)
    if fit is None or offer.dimension != need.dimension or offer.member_id == need.member_id:
        return None
    if None in (offer.latitude, offer.longitude, need.latitude, need.longitude):
        return None
    if offer.hazardous and not need.accepts_hazardous:
        return None
    limit = min(limit_of(offer, settings), limit_of(need, settings))
    distance = great_circle_km(offer.latitude, offer.longitude, need.latitude, need.longitude) * settings.road_factor
    if distance > limit or not windows_meet(offer, need):
        return None
    coverage = (
        1.0
        if need.annual_quantity <= 0
        else max(min(offer.annual_quantity, need.annual_quantity), 0.0) / need.annual_quantity
    )
    closeness = 1.0 - distance / limit if limit > 0 else 1.0
    route = ROUTE.get(offer.current_route, ROUTE["unknown"])
    score = round(0.3 * FIT[fit] + 0.3 * coverage + 0.2 * closeness + 0.2 * route, 6)
    return score, distance, coverage, fit


def all_pairs(streams, uses, settings):
    """{(offer id, need id): (score, distance, coverage, fit)} for every valid pair."""
    offers = [s for s in streams if s.direction == "offer"]
    needs = [s for s in streams if s.direction == "need"]
    found = {}
    for offer in offers:
        for need in needs:
            pair = pair_of(offer, need, uses, settings)
            if pair is not None:
                found[(offer.id, need.id)] = pair
    return found


def selected_pairs(streams, uses, settings):
    """The pairs scoring ≥ min_score that are in the top_k of their need or of their offer."""
    pairs = {key: value for key, value in all_pairs(streams, uses, settings).items() if value[0] >= settings.min_score}

    def order(key):
        return (-pairs[key][0], pairs[key][1], key[0], key[1])

    kept = set()
    for side in (0, 1):
        groups = {}
        for key in pairs:
            groups.setdefault(key[side], []).append(key)
        for keys in groups.values():
            kept.update(sorted(keys, key=order)[: settings.top_k])
    return {key: pairs[key] for key in kept}
