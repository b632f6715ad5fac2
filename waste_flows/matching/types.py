"""What goes into the matching engine and what comes out: plain frozen dataclasses, no Django.

Quantities are annual, in the base unit of the material's dimension (kg, kWh, m³, m², h, pieces), as
stored in Stream.annual_quantity. Distances are kilometres. Material codes are dotted paths of the
material tree ("wood.pallets" is under "wood").
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class StreamInput:
    id: int
    member_id: int
    site_id: int
    direction: str  # "offer" or "need"
    kind: str  # waste, by_product, surplus, capacity (offers); input, service (needs)
    material: str
    material_kind: str  # material, energy, water, gas, service
    dimension: str
    annual_quantity: float
    latitude: float | None
    longitude: float | None
    max_distance_km: float | None = None  # None: the engine's default
    available_from: date | None = None
    available_until: date | None = None
    months: tuple[int, ...] = ()  # empty: all year
    hazardous: bool = False  # offers: from the EWC code
    accepts_hazardous: bool = False  # needs
    current_route: str = ""  # offers: landfill, incineration, energy_recovery, recycling_outside, ...
    current_route_cost: float | None = None  # euros per year


@dataclass(frozen=True, slots=True)
class ChannelInput:
    """A valorisation outlet with a viability threshold (a collective wood boiler needs ≥ 800 t/yr)."""

    id: int
    name: str
    materials: tuple[str, ...]  # accepted material codes, their descendants included
    min_annual_quantity: float
    max_annual_quantity: float | None = None
    latitude: float | None = None  # None: anywhere in the pole
    longitude: float | None = None
    radius_km: float = 30.0


@dataclass(frozen=True, slots=True)
class MaterialGraph:
    """MaterialUse edges: (offered material code, needed material code)."""

    uses: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class EngineSettings:
    road_factor: float = 1.3  # road distance ≈ great-circle distance × this factor
    default_max_distance_km: float = 50.0
    top_k: int = 5  # substitutions kept per need and per offer
    grid_cell_km: float = 10.0
    pooling_radius_km: float = 30.0
    near_miss_share: float = 0.6  # pools reaching this share of a threshold are reported too
    shared_need_radius_km: float = 15.0
    min_score: float = 0.2
    shared_need_materials: tuple[str, ...] = ("services", "skills", "premises", "equipment")


@dataclass(frozen=True, slots=True)
class Criterion:
    """One check of a result, for the explanation: its name, whether it passed, its partial score
    (0 to 1) and the figures behind it."""

    name: str  # material, quantity, distance, availability, hazardous, route_gain, threshold, ...
    passed: bool
    score: float
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Substitution:
    offer_id: int
    need_id: int
    score: float
    distance_km: float
    coverage: float  # share of the need covered by the offer (capped at 1)
    material_fit: str  # "same", "descendant" or "use"
    criteria: tuple[Criterion, ...]

    @property
    def key(self) -> str:
        return f"substitution:{self.offer_id}:{self.need_id}"


@dataclass(frozen=True, slots=True)
class Pooling:
    target_kind: str  # "channel" or "need"
    target_id: int
    material: str  # the channel's first material or the need's material
    contributor_ids: tuple[int, ...]  # offer ids, largest first
    total: float
    threshold: float
    share: float  # total / threshold
    gap: float  # max(threshold - total, 0)
    hub_site_id: int | None  # contributor site minimising tonne-kilometres (None when the channel is the hub)
    tonne_km: float
    near_miss: bool
    score: float
    criteria: tuple[Criterion, ...]

    @property
    def key(self) -> str:
        return f"pooling:{self.target_kind}:{self.target_id}"


@dataclass(frozen=True, slots=True)
class SharedNeed:
    material: str
    need_ids: tuple[int, ...]
    member_ids: tuple[int, ...]
    latitude: float
    longitude: float
    radius_km: float
    total: float
    score: float
    criteria: tuple[Criterion, ...]

    @property
    def key(self) -> str:
        # Keyed on the material and the earliest need, so that the group keeps its identity when members join.
        return f"shared:{self.material}:{min(self.need_ids)}"


@dataclass(frozen=True, slots=True)
class EngineResult:
    substitutions: tuple[Substitution, ...]
    poolings: tuple[Pooling, ...]
    shared_needs: tuple[SharedNeed, ...]
    candidate_pairs: int  # offer-need pairs examined by the substitution step
