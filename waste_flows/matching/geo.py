"""Distances and the spatial grid that keeps candidate generation away from all pairs.

The grid cuts latitude and longitude into cells of about `cell_km`. A query for the points within a radius
visits only the cells that the spherical cap of that radius can touch: its latitude extent is exact
(radius / Earth radius), its longitude extent is the cap's widest point, asin(sin δ / cos φ). The grid only
prunes; the caller still checks the exact distance, so a coarse or oddly shaped cell costs time, never a result.
"""

import math
from typing import Generic, TypeVar

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
# Longitude cells are widened by 1 / cos(45°), a good fit for France; any value is correct, only speed changes.
_LON_STRETCH = 1.0 / math.cos(math.radians(45.0))
# The radius of a query is widened by this much so that a point at exactly the limit is never pruned.
_SLACK = 1e-9

T = TypeVar("T")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def cap_extent_degrees(lat: float, radius_km: float) -> tuple[float, float | None]:
    """Half-extents in latitude and longitude (degrees) of the cap of `radius_km` around a point at `lat`.
    The longitude extent is None when the cap reaches a pole (every longitude is then possible)."""
    delta = radius_km * (1 + _SLACK) / EARTH_RADIUS_KM + _SLACK
    phi = math.radians(abs(lat))
    dlat = math.degrees(delta)
    if delta >= math.pi / 2 - phi:
        return dlat, None
    return dlat, math.degrees(math.asin(min(1.0, math.sin(delta) / math.cos(phi))))


class Grid(Generic[T]):
    """Items bucketed by cell: rows of latitude, each a dict of longitude columns."""

    def __init__(self, cell_km: float) -> None:
        self.cell_lat = max(cell_km, 1e-3) / KM_PER_DEGREE
        self.cell_lon = self.cell_lat * _LON_STRETCH
        self.rows: dict[int, dict[int, list[T]]] = {}

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell_lat), math.floor(lon / self.cell_lon)

    def add(self, item: T, lat: float, lon: float) -> None:
        row = self.rows.setdefault(math.floor(lat / self.cell_lat), {})
        row.setdefault(math.floor(lon / self.cell_lon), []).append(item)

    def near(self, lat: float, lon: float, radius_km: float) -> list[T]:
        """Items in the cells a cap of `radius_km` around (lat, lon) can touch: a superset of those within it."""
        dlat, dlon = cap_extent_degrees(lat, radius_km)
        first, last = math.floor((lat - dlat) / self.cell_lat), math.floor((lat + dlat) / self.cell_lat)
        everywhere = dlon is None or lon - dlon < -180.0 or lon + dlon > 180.0
        if not everywhere:
            west, east = math.floor((lon - dlon) / self.cell_lon), math.floor((lon + dlon) / self.cell_lon)
        found: list[T] = []
        for row_index in range(first, last + 1):
            row = self.rows.get(row_index)
            if row is None:
                continue
            if everywhere:
                for cell in row.values():
                    found.extend(cell)
            elif len(row) < east - west + 1:
                for column, cell in row.items():
                    if west <= column <= east:
                        found.extend(cell)
            else:
                for column in range(west, east + 1):
                    cell = row.get(column)
                    if cell is not None:
                        found.extend(cell)
        return found
