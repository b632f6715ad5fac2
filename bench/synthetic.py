"""A seeded synthetic territory for the matching benchmark.

Each pole is a ~100 km square with three dense towns and scattered members; a size of n streams is about n / 1000
poles laid side by side on a 120 km grid across and beyond France, so that the density of a pole stays that of
a busy real one (about 1,000 streams) and the number of plausible pairs grows with n, as in a national
deployment. `poles=1` instead packs every stream into one territory (the quadratic worst case).

Materials: 40 codes across families read from waste_flows/data/materials.csv (their dimension and whether they
can be hazardous), with the MaterialUse edges of material_uses.csv. Quantities are log-normal around a typical
size per material; ~60 % offers, 40 % needs; distance limits 20–100 km (some left to the default); a few
seasonal streams, dated windows and hazardous offers.
"""

import csv
import math
import random
from pathlib import Path

from waste_flows.matching.geo import KM_PER_DEGREE
from waste_flows.matching.types import MaterialGraph, StreamInput

DATA = Path(__file__).resolve().parents[1] / "waste_flows" / "data"
CODES = [
    "wood", "wood.pallets", "wood.packaging", "wood.sawdust", "wood.untreated", "wood.treated", "wood.fuel",
    "wood.panel_feedstock", "paper.cardboard", "paper.paper", "paper.mill_feedstock", "plastics.pe_film",
    "plastics.pet", "plastics.pp", "plastics.mixed", "plastics.recycled", "rubber.tyres", "rubber.granulate",
    "metals.ferrous", "metals.non_ferrous.aluminium", "metals.steel_feedstock", "glass.flat", "glass.cullet",
    "textiles.clothing", "textiles.wiping", "biowaste.food", "biowaste.green", "biowaste.methanisation_feedstock",
    "biowaste.soil_improver", "minerals.inert.concrete", "minerals.aggregates.recycled", "energy.heat.hot_water",
    "water.process", "residual.srf", "equipment.machinery", "premises.storage", "services.waste_collection",
    "services.transport", "skills.training", "skills.staff_sharing",
]  # fmt: skip
ROUTES = ["landfill", "incineration", "energy_recovery", "recycling_outside", "local_valorisation", "unknown", ""]
ROUTE_WEIGHTS = [20, 15, 15, 20, 10, 10, 10]
POLE_KM = 100.0
POLE_SPACING_KM = 120.0
STREAMS_PER_POLE = 1000
STREAMS_PER_MEMBER = 4


def read_materials() -> dict[str, dict]:
    with open(DATA / "materials.csv", newline="", encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def read_graph() -> MaterialGraph:
    with open(DATA / "material_uses.csv", newline="", encoding="utf-8") as handle:
        return MaterialGraph(
            uses=frozenset((row["material_code"], row["use_material_code"]) for row in csv.DictReader(handle))
        )


def pole_origins(count: int) -> list[tuple[float, float]]:
    """South-west corners of `count` poles on a square grid starting in the south-west of France."""
    columns = math.ceil(math.sqrt(count))
    origins = []
    for index in range(count):
        row, column = divmod(index, columns)
        lat = 43.0 + row * POLE_SPACING_KM / KM_PER_DEGREE
        lon = -1.0 + column * POLE_SPACING_KM / (KM_PER_DEGREE * math.cos(math.radians(lat)))
        origins.append((lat, lon))
    return origins


def member_sites(rng: random.Random, origin: tuple[float, float], count: int) -> list[tuple[float, float]]:
    """Three towns holding ~70 % of the members (σ 3 km), the rest scattered over the pole."""
    towns = [(rng.uniform(10, 90), rng.uniform(10, 90)) for _ in range(3)]
    sites = []
    for _ in range(count):
        if rng.random() < 0.7:
            x, y = rng.choice(towns)
            x, y = x + rng.gauss(0, 3), y + rng.gauss(0, 3)
        else:
            x, y = rng.uniform(0, POLE_KM), rng.uniform(0, POLE_KM)
        lat = origin[0] + y / KM_PER_DEGREE
        sites.append((lat, origin[1] + x / (KM_PER_DEGREE * math.cos(math.radians(lat)))))
    return sites


def territory(size: int, *, seed: int = 1, poles: int | None = None) -> tuple[list[StreamInput], MaterialGraph]:
    rng = random.Random(seed)
    materials = read_materials()
    typical = {code: rng.uniform(math.log(500), math.log(200_000)) for code in CODES}
    poles = poles or max(1, round(size / STREAMS_PER_POLE))
    members_per_pole = max(2, size // (poles * STREAMS_PER_MEMBER))
    sites = [site for origin in pole_origins(poles) for site in member_sites(rng, origin, members_per_pole)]
    streams = [_stream(rng, stream_id, sites, materials, typical) for stream_id in range(1, size + 1)]
    return streams, read_graph()


def _stream(rng: random.Random, stream_id: int, sites, materials, typical) -> StreamInput:
    member = rng.randrange(len(sites))
    code = rng.choice(CODES)
    direction = "offer" if rng.random() < 0.6 else "need"
    hazardous_kind = materials[code]["can_be_hazardous"] == "true"
    start_month = rng.randint(1, 12)
    months = (
        tuple(sorted((start_month + i - 1) % 12 + 1 for i in range(rng.randint(3, 6)))) if rng.random() < 0.15 else ()
    )
    return StreamInput(
        id=stream_id,
        member_id=member + 1,
        site_id=member + 1,
        direction=direction,
        kind="waste" if direction == "offer" else "input",
        material=code,
        material_kind=materials[code]["kind"],
        dimension=materials[code]["dimension"],
        annual_quantity=round(math.exp(rng.gauss(typical[code], 1.0)), 1),
        latitude=sites[member][0],
        longitude=sites[member][1],
        max_distance_km=None if rng.random() < 0.1 else float(rng.randrange(20, 101, 5)),
        months=months,
        hazardous=direction == "offer" and hazardous_kind and rng.random() < 0.2,
        accepts_hazardous=direction == "need" and rng.random() < 0.1,
        current_route=rng.choices(ROUTES, ROUTE_WEIGHTS)[0] if direction == "offer" else "",
    )
