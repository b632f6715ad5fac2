"""Turning kept pairs into explained Substitutions: one Criterion per check, with the figures behind it.

Most criteria repeat across pairs (the same two materials, no dates, the same route), so an Explainer builds
each distinct one once per run and shares it: on large runs this halves the time and most of the memory.
Criteria are frozen and their details must be treated as read-only (they are plain dicts so that they serialise
to JSON as they are).
"""

from collections.abc import Callable, Hashable
from datetime import date

from .substitution import FIT_SCORES, ROUTE_GAIN, SCORE_DIGITS, Pair
from .types import Criterion, EngineSettings, StreamInput, Substitution


class Explainer:
    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self._shared: dict[Hashable, Criterion] = {}

    def substitution(self, pair: Pair) -> Substitution:
        coverage = round(pair.coverage, SCORE_DIGITS)
        distance_km = round(pair.distance_km, 3)
        return Substitution(
            offer_id=pair.offer.id,
            need_id=pair.need.id,
            score=pair.score,
            distance_km=distance_km,
            coverage=coverage,
            material_fit=pair.fit,
            criteria=(
                self._material(pair),
                Criterion("quantity", True, coverage, _quantity_detail(pair, coverage)),
                Criterion("distance", True, _closeness(pair), self._distance_detail(pair, distance_km)),
                self._availability(pair.offer, pair.need),
                self._hazardous(pair.offer, pair.need),
                self._route(pair.offer),
            ),
        )

    def _once(self, key: Hashable, build: Callable[[], Criterion]) -> Criterion:
        criterion = self._shared.get(key)
        if criterion is None:
            criterion = self._shared[key] = build()
        return criterion

    def _material(self, pair: Pair) -> Criterion:
        offer, need = pair.offer, pair.need
        detail = {"fit": pair.fit, "offer_material": offer.material, "need_material": need.material}
        key = ("material", pair.fit, offer.material, need.material, need.dimension)
        return self._once(
            key, lambda: Criterion("material", True, FIT_SCORES[pair.fit], detail | {"dimension": need.dimension})
        )

    def _availability(self, offer: StreamInput, need: StreamInput) -> Criterion:
        windows = (offer.available_from, offer.available_until, need.available_from, need.available_until)
        key = ("availability", windows, offer.months, need.months)
        return self._once(key, lambda: Criterion("availability", True, 1.0, _availability_detail(offer, need)))

    def _hazardous(self, offer: StreamInput, need: StreamInput) -> Criterion:
        detail = {"offer_hazardous": offer.hazardous, "need_accepts": need.accepts_hazardous}
        return self._once(
            ("hazardous", offer.hazardous, need.accepts_hazardous), lambda: Criterion("hazardous", True, 1.0, detail)
        )

    def _route(self, offer: StreamInput) -> Criterion:
        route = offer.current_route if offer.current_route in ROUTE_GAIN else "unknown"
        detail = {"route": route, "route_cost": offer.current_route_cost}
        return self._once(
            ("route", route, offer.current_route_cost),
            lambda: Criterion("route_gain", True, ROUTE_GAIN[route], detail),
        )

    def _distance_detail(self, pair: Pair, distance_km: float) -> dict:
        return {
            "distance_km": distance_km,
            "limit_km": pair.limit_km,
            "offer_max_km": _max_km(pair.offer, self.settings),
            "need_max_km": _max_km(pair.need, self.settings),
            "road_factor": self.settings.road_factor,
        }


def _max_km(stream: StreamInput, settings: EngineSettings) -> float:
    return settings.default_max_distance_km if stream.max_distance_km is None else stream.max_distance_km


def _closeness(pair: Pair) -> float:
    return round(1.0 - pair.distance_km / pair.limit_km, SCORE_DIGITS) if pair.limit_km > 0 else 1.0


def _quantity_detail(pair: Pair, coverage: float) -> dict:
    return {
        "offer_quantity": pair.offer.annual_quantity,
        "need_quantity": pair.need.annual_quantity,
        "coverage": coverage,
    }


def _availability_detail(offer: StreamInput, need: StreamInput) -> dict:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value is not None else None

    common = sorted(set(offer.months) & set(need.months)) if offer.months and need.months else []
    return {
        "offer_window": [day(offer.available_from), day(offer.available_until)],
        "need_window": [day(need.available_from), day(need.available_until)],
        "offer_months": list(offer.months),
        "need_months": list(need.months),
        "common_months": common,
    }
