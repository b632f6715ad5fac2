"""The territory inventory: what the pole learns from its members' declarations.

What members throw away, where it goes today, and what is neither supplied nor used on the territory.
Everything is aggregated in SQL or computed over DISTINCT material codes, so that the number of queries
does not grow with the number of streams. The page and the API share `territory_inventory`.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, QuerySet, Sum, Value, When
from django.db.models.functions import StrIndex, Substr

from .enums import Dimension, Route
from .models import Material, MaterialUse, Stream, Unit
from .querysets import DIRECTORY_STATUSES
from .reference import BASE_UNITS

THOUSAND = Decimal(1000)
HUNDRED = Decimal(100)
BIGGEST_UNVALORISED_COUNT = 10
# Tonnes and megawatt-hours read better than kilograms and kilowatt-hours at the scale of a territory.
DISPLAY_UNITS = {Dimension.MASS: ("t", THOUSAND), Dimension.ENERGY: ("MWh", THOUSAND)}
UNVALORISED_ROUTES = (Route.LANDFILL, Route.INCINERATION, Route.UNKNOWN)


@dataclass(frozen=True)
class RouteQuantity:
    route: str
    label: str
    quantity: Decimal


@dataclass(frozen=True)
class FamilyRow:
    """Offers of one material family measured in one dimension, per current route, per year."""

    code: str
    name: str
    dimension: str
    dimension_label: str
    unit: str  # code of the unit the quantities are in: t, MWh, or the dimension's base unit
    unit_symbol: str
    by_route: tuple[RouteQuantity, ...]  # every route, in the order of `Route`
    total: Decimal
    offer_count: int


@dataclass(frozen=True)
class FamilyInventory:
    mass: tuple[FamilyRow, ...]  # t/yr, biggest family first
    energy: tuple[FamilyRow, ...]  # MWh/yr
    other: tuple[FamilyRow, ...]  # volume, time, area, count: base unit per year
    mass_by_route: tuple[RouteQuantity, ...]  # t/yr, all families together
    mass_total: Decimal


@dataclass(frozen=True)
class RouteShare:
    route: str
    label: str
    tonnes: Decimal
    percent: Decimal


@dataclass(frozen=True)
class InventoryShares:
    """Where the declared tonnes go today, as shares of the total (mass materials only)."""

    total_tonnes: Decimal
    routes: tuple[RouteShare, ...]
    local_tonnes: Decimal
    local_percent: Decimal
    # Landfill and incineration without recovery: what the pole most wants to bring back.
    disposed_tonnes: Decimal
    disposed_percent: Decimal
    # Recycled or burnt with energy recovery, but outside the territory.
    exported_tonnes: Decimal
    exported_percent: Decimal
    unknown_tonnes: Decimal
    unknown_percent: Decimal


@dataclass(frozen=True)
class StreamRow:
    """One stream as the inventory lists it, its yearly quantity in the unit of its family's table."""

    stream_id: int
    direction: str
    member_id: int
    member_name: str
    site_id: int
    site_name: str
    commune: str
    material_code: str
    material_name: str
    family_code: str
    annual_quantity: Decimal
    unit: str
    unit_symbol: str
    current_route: str
    current_route_label: str
    current_route_cost: Decimal | None


@dataclass(frozen=True)
class TerritoryInventory:
    families: FamilyInventory
    shares: InventoryShares
    biggest_unvalorised_offers: tuple[StreamRow, ...]
    needs_without_local_supply: tuple[StreamRow, ...]
    offers_without_local_use: tuple[StreamRow, ...]


def inventory_streams(*, user) -> QuerySet[Stream]:
    """The streams the inventory counts: active ones of the pole's current members (active or suspended)."""
    return Stream.objects.visible_to(user).active().filter(site__member__status__in=DIRECTORY_STATUSES)


def territory_inventory(*, user) -> TerritoryInventory:
    """Everything the inventory page and the API show, in a fixed number of queries (8)."""
    streams = inventory_streams(user=user)
    symbols = _unit_symbols()
    families = inventory_by_family(streams=streams, unit_symbols=symbols)
    links = MaterialLinks.load(streams=streams)
    return TerritoryInventory(
        families=families,
        shares=inventory_shares(families=families),
        biggest_unvalorised_offers=biggest_unvalorised_offers(streams=streams, unit_symbols=symbols),
        needs_without_local_supply=needs_without_local_supply(streams=streams, links=links, unit_symbols=symbols),
        offers_without_local_use=offers_without_local_use(streams=streams, links=links, unit_symbols=symbols),
    )


def inventory_by_family(*, streams: QuerySet[Stream], unit_symbols: dict[str, str] | None = None) -> FamilyInventory:
    """Yearly quantities of active offers per material family and current route: one GROUP BY query, plus
    one for the families' names."""
    symbols = unit_symbols if unit_symbols is not None else _unit_symbols()
    grouped = (
        streams.offers()
        .annotate(family=_family_code(), material_dimension=F("material__dimension"))
        .values("family", "material_dimension", "current_route")
        .annotate(quantity=Sum("annual_quantity"), offers=Count("pk"))
        .order_by()
    )
    # (family, dimension) → route → base quantity: one loop turn per group, not per stream. An offer
    # declared without a route counts as "unknown".
    cells: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in grouped:
        key = (row["family"], row["material_dimension"])
        cells[key][row["current_route"] or Route.UNKNOWN] += row["quantity"]
        counts[key] += row["offers"]
    names = {family.code: family.name for family in Material.objects.families().only("code", "name_fr", "name_en")}
    rows = [
        _family_row(code, names.get(code, code), dimension, cells[code, dimension], counts[code, dimension], symbols)
        for code, dimension in cells
    ]
    mass = sorted((row for row in rows if row.dimension == Dimension.MASS), key=lambda row: (-row.total, row.name))
    energy = sorted((row for row in rows if row.dimension == Dimension.ENERGY), key=lambda row: (-row.total, row.name))
    other = sorted(
        (row for row in rows if row.dimension not in (Dimension.MASS, Dimension.ENERGY)),
        key=lambda row: (row.name, row.dimension),
    )
    mass_by_route = tuple(
        RouteQuantity(route, label, sum((row.by_route[index].quantity for row in mass), Decimal(0)))
        for index, (route, label) in enumerate(Route.choices)
    )
    return FamilyInventory(
        mass=tuple(mass),
        energy=tuple(energy),
        other=tuple(other),
        mass_by_route=mass_by_route,
        mass_total=sum((row.total for row in mass), Decimal(0)),
    )


def inventory_shares(*, families: FamilyInventory) -> InventoryShares:
    """Shares of the declared tonnes per current route (no query: computed from the family totals)."""
    total = families.mass_total
    tonnes = {quantity.route: quantity.quantity for quantity in families.mass_by_route}

    def tonnes_of(*routes: str) -> Decimal:
        return sum((tonnes[route] for route in routes), Decimal(0))

    local = tonnes_of(Route.LOCAL_VALORISATION)
    disposed = tonnes_of(Route.LANDFILL, Route.INCINERATION)
    exported = tonnes_of(Route.RECYCLING_OUTSIDE, Route.ENERGY_RECOVERY)
    unknown = tonnes_of(Route.UNKNOWN)
    return InventoryShares(
        total_tonnes=total,
        routes=tuple(
            RouteShare(quantity.route, quantity.label, quantity.quantity, _percent(quantity.quantity, total))
            for quantity in families.mass_by_route
        ),
        local_tonnes=local,
        local_percent=_percent(local, total),
        disposed_tonnes=disposed,
        disposed_percent=_percent(disposed, total),
        exported_tonnes=exported,
        exported_percent=_percent(exported, total),
        unknown_tonnes=unknown,
        unknown_percent=_percent(unknown, total),
    )


def biggest_unvalorised_offers(
    *, streams: QuerySet[Stream], limit: int = BIGGEST_UNVALORISED_COUNT, unit_symbols: dict[str, str] | None = None
) -> tuple[StreamRow, ...]:
    """The largest offers (in tonnes) that are landfilled, incinerated or whose route is unknown."""
    offers = (
        streams.offers()
        .filter(material__dimension=Dimension.MASS, current_route__in=[*UNVALORISED_ROUTES, ""])
        .order_by("-annual_quantity", "pk")
    )
    symbols = unit_symbols if unit_symbols is not None else _unit_symbols()
    return tuple(_stream_row(stream, symbols) for stream in _for_rows(offers)[:limit])


def needs_without_local_supply(
    *, streams: QuerySet[Stream], links: "MaterialLinks | None" = None, unit_symbols: dict[str, str] | None = None
) -> tuple[StreamRow, ...]:
    """Active needs that no active offer could feed: none of the same material or a descendant of it, and
    none of a material with a `MaterialUse` edge towards the need's material or one of its ancestors."""
    links = links or MaterialLinks.load(streams=streams)
    unsupplied = [code for code in links.need_codes if not links.is_supplied(code)]
    needs = streams.needs().filter(material__code__in=unsupplied).order_by("material__code", "-annual_quantity", "pk")
    symbols = unit_symbols if unit_symbols is not None else _unit_symbols()
    return tuple(_stream_row(stream, symbols) for stream in _for_rows(needs))


def offers_without_local_use(
    *, streams: QuerySet[Stream], links: "MaterialLinks | None" = None, unit_symbols: dict[str, str] | None = None
) -> tuple[StreamRow, ...]:
    """Active offers that no active need asks for: none of the same material, an ancestor or a descendant,
    and none reachable through a `MaterialUse` edge of the offered material."""
    links = links or MaterialLinks.load(streams=streams)
    unused = [code for code in links.offer_codes if not links.is_used(code)]
    offers = streams.offers().filter(material__code__in=unused).order_by("material__code", "-annual_quantity", "pk")
    symbols = unit_symbols if unit_symbols is not None else _unit_symbols()
    return tuple(_stream_row(stream, symbols) for stream in _for_rows(offers))


@dataclass(frozen=True)
class MaterialLinks:
    """The DISTINCT material codes of active offers and needs, and the `MaterialUse` edges: enough to tell,
    in Python over a few dozen codes, which needs are supplied and which offers are used (two queries)."""

    offer_codes: frozenset[str]
    need_codes: frozenset[str]
    uses: dict[str, frozenset[str]]  # offered material code → codes of the needs it can feed

    @classmethod
    def load(cls, *, streams: QuerySet[Stream]) -> "MaterialLinks":
        pairs = set(streams.order_by().values_list("direction", "material__code").distinct())
        uses: dict[str, set[str]] = defaultdict(set)
        for material, use_material in MaterialUse.objects.values_list("material__code", "use_material__code"):
            uses[material].add(use_material)
        return cls(
            offer_codes=frozenset(code for direction, code in pairs if direction == "offer"),
            need_codes=frozenset(code for direction, code in pairs if direction == "need"),
            uses={material: frozenset(targets) for material, targets in uses.items()},
        )

    def is_supplied(self, need: str) -> bool:
        return any(
            _within(offer, need) or any(_within(need, target) for target in self.uses.get(offer, ()))
            for offer in self.offer_codes
        )

    def is_used(self, offer: str) -> bool:
        targets = self.uses.get(offer, ())
        return any(
            _within(need, offer) or _within(offer, need) or any(_within(need, target) for target in targets)
            for need in self.need_codes
        )


def _within(code: str, ancestor: str) -> bool:
    """`code` is `ancestor` or one of its descendants in the dotted tree."""
    return code == ancestor or code.startswith(ancestor + ".")


def _family_code():
    """The root of a material's dotted code, computed by the database: `wood.pallets` → `wood`."""
    code = F("material__code")
    return Case(
        When(material__code__contains=".", then=Substr(code, 1, StrIndex(code, Value(".")) - 1)),
        default=code,
        output_field=CharField(),
    )


def _family_row(
    code: str, name: str, dimension: str, by_route: dict[str, Decimal], offer_count: int, symbols: dict[str, str]
) -> FamilyRow:
    unit, divisor = _display_unit(dimension)
    quantities = tuple(
        RouteQuantity(route, label, by_route.get(route, Decimal(0)) / divisor) for route, label in Route.choices
    )
    return FamilyRow(
        code=code,
        name=name,
        dimension=dimension,
        dimension_label=Dimension(dimension).label,
        unit=unit,
        unit_symbol=symbols.get(unit, unit),
        by_route=quantities,
        total=sum((quantity.quantity for quantity in quantities), Decimal(0)),
        offer_count=offer_count,
    )


def _display_unit(dimension: str) -> tuple[str, Decimal]:
    return DISPLAY_UNITS.get(dimension, (BASE_UNITS.get(dimension, ""), Decimal(1)))


def _unit_symbols() -> dict[str, str]:
    codes = {unit for unit, _ in DISPLAY_UNITS.values()} | set(BASE_UNITS.values())
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "symbol"))


def _percent(part: Decimal, total: Decimal) -> Decimal:
    return (part * HUNDRED / total).quantize(Decimal("0.1")) if total else Decimal(0)


def _for_rows(streams: QuerySet[Stream]) -> QuerySet[Stream]:
    return streams.select_related("site__member", "material")


def _stream_row(stream: Stream, symbols: dict[str, str]) -> StreamRow:
    unit, divisor = _display_unit(stream.material.dimension)
    return StreamRow(
        stream_id=stream.pk,
        direction=stream.direction,
        member_id=stream.site.member_id,
        member_name=stream.site.member.name,
        site_id=stream.site_id,
        site_name=stream.site.name,
        commune=stream.site.commune,
        material_code=stream.material.code,
        material_name=stream.material.name,
        family_code=stream.material.family_code,
        annual_quantity=stream.annual_quantity / divisor,
        unit=unit,
        unit_symbol=symbols.get(unit, unit),
        current_route=stream.current_route,
        current_route_label=stream.get_current_route_display() if stream.current_route else "",
        current_route_cost=stream.current_route_cost,
    )
