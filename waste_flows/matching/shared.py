"""Shared needs (mutualisation): several members need the same service or supply nearby.

Needs whose material lies under one of settings.shared_need_materials (services, skills, premises, equipment)
are grouped per exact material code. Two needs are linked when their sites are within shared_need_radius_km
(road km); a group is a connected component of these links (single linkage, found through the spatial grid,
so the result does not depend on input order). A group counts when it spans at least two different members;
one member's several needs count once.

Centroid: the mean of the sites; radius: the farthest site from it. Score = 0.7 × min((members − 1) / 4, 1)
+ 0.3 × (1 − min(radius / shared_need_radius_km, 1)): more members, then a tighter group, rank first.
"""

from collections.abc import Iterable, Sequence

from .geo import Grid, haversine_km
from .materials import is_under_any
from .substitution import NEED, SCORE_DIGITS, is_located
from .types import Criterion, EngineSettings, SharedNeed, StreamInput


def shareable(stream: StreamInput, settings: EngineSettings) -> bool:
    return (
        stream.direction == NEED
        and is_located(stream)
        and is_under_any(stream.material, settings.shared_need_materials)
    )


def shared_needs(needs: Iterable[StreamInput], settings: EngineSettings) -> list[SharedNeed]:
    by_material: dict[str, list[StreamInput]] = {}
    for need in needs:
        if shareable(need, settings):
            by_material.setdefault(need.material, []).append(need)
    groups = []
    for material in sorted(by_material):
        for component in components(by_material[material], settings):
            if len({need.member_id for need in component}) >= 2:
                groups.append(shared_need_of(material, component, settings))
    return groups


def components(needs: Sequence[StreamInput], settings: EngineSettings) -> list[list[StreamInput]]:
    """Connected components of the "within radius" relation, each sorted by id, ordered by smallest id."""
    parent = {need.id: need.id for need in needs}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    grid: Grid[StreamInput] = Grid(settings.grid_cell_km)
    for need in needs:
        grid.add(need, need.latitude, need.longitude)
    reach = settings.shared_need_radius_km / settings.road_factor
    for need in needs:
        for other in grid.near(need.latitude, need.longitude, reach):
            if other.id > need.id and _distance(need, other, settings) <= settings.shared_need_radius_km:
                parent[root(other.id)] = root(need.id)
    grouped: dict[int, list[StreamInput]] = {}
    for need in sorted(needs, key=lambda stream: stream.id):
        grouped.setdefault(root(need.id), []).append(need)
    return sorted(grouped.values(), key=lambda group: group[0].id)


def _distance(a: StreamInput, b: StreamInput, settings: EngineSettings) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) * settings.road_factor


def shared_need_of(material: str, group: Sequence[StreamInput], settings: EngineSettings) -> SharedNeed:
    latitude = sum(need.latitude for need in group) / len(group)
    longitude = sum(need.longitude for need in group) / len(group)
    radius = max(haversine_km(latitude, longitude, n.latitude, n.longitude) * settings.road_factor for n in group)
    member_ids = tuple(sorted({need.member_id for need in group}))
    limit = settings.shared_need_radius_km
    size_score = min((len(member_ids) - 1) / 4, 1.0)
    tightness = 1.0 - min(radius / limit, 1.0) if limit > 0 else 1.0
    total = sum(need.annual_quantity for need in group)
    return SharedNeed(
        material=material,
        need_ids=tuple(need.id for need in group),
        member_ids=member_ids,
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        radius_km=round(radius, 3),
        total=total,
        score=round(0.7 * size_score + 0.3 * tightness, SCORE_DIGITS),
        criteria=(
            Criterion(
                "members", True, round(size_score, SCORE_DIGITS), {"count": len(member_ids), "ids": list(member_ids)}
            ),
            Criterion(
                "distance", True, round(tightness, SCORE_DIGITS), {"radius_km": round(radius, 3), "limit_km": limit}
            ),
            Criterion("quantity", True, 1.0, {"total": total, "needs": len(group)}),
        ),
    )
