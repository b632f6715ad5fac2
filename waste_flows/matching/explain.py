"""Turning kept pairs into explained Substitutions: one Criterion per check, with the figures behind it.

Most criteria repeat across pairs (the same two materials, no dates, the same route), so an Explainer builds
each distinct one once per run and shares it: on large runs this halves the time and most of the memory.
Criteria are frozen and their details must be treated as read-only (they are plain dicts so that they serialise
to JSON as they are).
"""

from datetime import date

from .substitution import FIT_SCORES, ROUTE_GAIN, SCORE_DIGITS, Pair
from .types import Criterion, EngineSettings, StreamInput, Substitution

Window = tuple[date | None, date | None, tuple[int, ...]] | None  # None: available all year


class Explainer:
    """Builds the Substitutions of one run. What depends on one stream only (its route, its window, its limit)
    is looked up once per stream, and shared criteria once per distinct value: hundreds of thousands of pairs
    are explained with two new criteria each (quantity and distance, which are the pair's own)."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self._shared: dict[tuple, Criterion] = {}
        self._offers: dict[int, tuple[Criterion, Window, float]] = {}
        self._needs: dict[int, tuple[Window, float]] = {}

    def substitution(self, pair: Pair) -> Substitution:
        offer, need = pair.offer, pair.need
        route, offer_window, offer_max_km = self._offers.get(offer.id) or self._offer(offer)
        need_window, need_max_km = self._needs.get(need.id) or self._need(need)
        coverage = round(pair.coverage, SCORE_DIGITS)
        distance_km = round(pair.distance_km, 3)
        limit_km = pair.limit_km
        closeness = round(1.0 - pair.distance_km / limit_km, SCORE_DIGITS) if limit_km > 0 else 1.0
        quantity = {
            "offer_quantity": offer.annual_quantity,
            "need_quantity": need.annual_quantity,
            "coverage": coverage,
        }
        distance = {
            "distance_km": distance_km,
            "limit_km": limit_km,
            "offer_max_km": offer_max_km,
            "need_max_km": need_max_km,
            "road_factor": self.settings.road_factor,
        }
        return Substitution(
            offer.id,
            need.id,
            pair.score,
            distance_km,
            coverage,
            pair.fit,
            (
                self._material(pair.fit, offer, need),
                Criterion("quantity", True, coverage, quantity),
                Criterion("distance", True, closeness, distance),
                self._availability(offer, need, offer_window, need_window),
                self._hazardous(offer.hazardous, need.accepts_hazardous),
                route,
            ),
        )

    def _keep(self, key: tuple, criterion: Criterion) -> Criterion:
        self._shared[key] = criterion
        return criterion

    def _offer(self, offer: StreamInput) -> tuple[Criterion, Window, float]:
        parts = self._offers[offer.id] = (self._route(offer), _window(offer), _max_km(offer, self.settings))
        return parts

    def _need(self, need: StreamInput) -> tuple[Window, float]:
        parts = self._needs[need.id] = (_window(need), _max_km(need, self.settings))
        return parts

    # Each looks its criterion up by the values it depends on and builds it only the first time (`or`).

    def _material(self, fit: str, offer: StreamInput, need: StreamInput) -> Criterion:
        key = ("material", fit, offer.material, need.material, need.dimension)
        return self._shared.get(key) or self._keep(key, _material_criterion(fit, offer, need))

    def _availability(self, offer: StreamInput, need: StreamInput, offer_window: Window, need_window: Window):
        key = ("availability", offer_window, need_window)
        return self._shared.get(key) or self._keep(
            key, Criterion("availability", True, 1.0, _availability_detail(offer, need))
        )

    def _hazardous(self, hazardous: bool, accepts: bool) -> Criterion:
        key = ("hazardous", hazardous, accepts)
        return self._shared.get(key) or self._keep(
            key, Criterion("hazardous", True, 1.0, {"offer_hazardous": hazardous, "need_accepts": accepts})
        )

    def _route(self, offer: StreamInput) -> Criterion:
        route = offer.current_route if offer.current_route in ROUTE_GAIN else "unknown"
        key = ("route", route, offer.current_route_cost)
        detail = {"route": route, "route_cost": offer.current_route_cost}
        return self._shared.get(key) or self._keep(key, Criterion("route_gain", True, ROUTE_GAIN[route], detail))


def _material_criterion(fit: str, offer: StreamInput, need: StreamInput) -> Criterion:
    detail = {"fit": fit, "offer_material": offer.material, "need_material": need.material}
    return Criterion("material", True, FIT_SCORES[fit], detail | {"dimension": need.dimension})


def _window(stream: StreamInput) -> Window:
    """What the availability criterion says about one side: its dates and months, None for all year."""
    if stream.available_from is None and stream.available_until is None and not stream.months:
        return None
    return (stream.available_from, stream.available_until, stream.months)


def _max_km(stream: StreamInput, settings: EngineSettings) -> float:
    return settings.default_max_distance_km if stream.max_distance_km is None else stream.max_distance_km


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
