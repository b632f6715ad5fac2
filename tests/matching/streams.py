"""Small builders for engine inputs: readable tests state only what matters to them."""

import itertools
import math

from waste_flows.matching.geo import KM_PER_DEGREE
from waste_flows.matching.types import StreamInput

LYON = (45.75, 4.85)
_ids = itertools.count(1)


def east_of(origin: tuple[float, float], km: float) -> tuple[float, float]:
    """The point `km` great-circle kilometres east of `origin` along its parallel (close enough for short hops)."""
    lat, lon = origin
    return lat, lon + km / (KM_PER_DEGREE * math.cos(math.radians(lat)))


def north_of(origin: tuple[float, float], km: float) -> tuple[float, float]:
    """The point exactly `km` great-circle kilometres north of `origin` (a meridian is a great circle)."""
    lat, lon = origin
    return lat + km / KM_PER_DEGREE, lon


def stream(direction: str, *, at=LYON, material="wood.pallets", quantity=1000.0, member=None, **fields) -> StreamInput:
    stream_id = fields.pop("id", None) or next(_ids)
    latitude, longitude = at if at is not None else (None, None)
    defaults = {
        "site_id": stream_id,
        "kind": "waste" if direction == "offer" else "input",
        "material_kind": "material",
        "dimension": "mass",
    }
    return StreamInput(
        id=stream_id,
        member_id=member if member is not None else stream_id,
        direction=direction,
        material=material,
        annual_quantity=quantity,
        latitude=latitude,
        longitude=longitude,
        **(defaults | fields),
    )


def offer(**fields) -> StreamInput:
    return stream("offer", **fields)


def need(**fields) -> StreamInput:
    return stream("need", **fields)
