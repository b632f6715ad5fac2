"""Reads of waste flows that are more than one queryset call."""

# --- Declarations: stream lists, detail, history, completeness hints --------------------------------

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members.models import Site

from .enums import Direction, Route, StreamStatus
from .models import Material, Stream, Unit

STREAM_LIST_RELATIONS = ("site__member", "material", "unit", "ewc_code")
STREAM_HISTORY_LIMIT = 200
# Computed or technical fields: the change of quantity or unit that causes them is shown instead.
STREAM_HISTORY_EXCLUDED = ("annual_quantity", "declared_by")


def stream_list_queryset(*, user) -> QuerySet[Stream]:
    """Streams the user may read, with what a list row shows, in one query per page whatever their number."""
    return Stream.objects.visible_to(user).select_related(*STREAM_LIST_RELATIONS)


def exchange_queryset(*, user) -> QuerySet[Stream]:
    """The exchange (« bourse des flux »): active streams the user may read, theirs included."""
    return stream_list_queryset(user=user).active()


def member_streams_queryset(*, member_id: int) -> QuerySet[Stream]:
    """Every stream of one organisation, archived last."""
    archived_last = Q(status=StreamStatus.ARCHIVED)
    return (
        Stream.objects.of_member(member_id)
        .select_related(*STREAM_LIST_RELATIONS)
        .alias(is_archived=Count("pk", filter=archived_last))
        .order_by("is_archived", "-updated_at", "pk")
    )


def stream_for_detail(*, pk: int, user) -> Stream:
    """One stream the user may read; raises Stream.DoesNotExist otherwise (the view answers 404)."""
    return stream_list_queryset(user=user).select_related("declared_by").get(pk=pk)


def stream_direction_counts(queryset: QuerySet[Stream]) -> dict[str, int]:
    """How many offers and needs a filtered list holds, in one query."""
    counts = queryset.order_by().aggregate(
        offers=Count("pk", filter=Q(direction=Direction.OFFER)),
        needs=Count("pk", filter=Q(direction=Direction.NEED)),
    )
    return {"offers": counts["offers"] or 0, "needs": counts["needs"] or 0}


@dataclass(frozen=True)
class DeclarationHints:
    """What is still missing in an organisation's declarations, to nudge it to complete them."""

    sites_without_stream: list[Site]
    offers_without_route: list[Stream]
    offers_without_cost: list[Stream]

    def __bool__(self) -> bool:
        return bool(self.sites_without_stream or self.offers_without_route or self.offers_without_cost)


def declaration_hints(*, member_id: int, streams: list[Stream]) -> DeclarationHints:
    """Hints computed from the organisation's streams already loaded for the page, plus one query for sites."""
    current = [stream for stream in streams if stream.status != StreamStatus.ARCHIVED]
    declared_sites = {stream.site_id for stream in current}
    offers = [stream for stream in current if stream.direction == Direction.OFFER]
    return DeclarationHints(
        sites_without_stream=[
            site for site in Site.objects.filter(member_id=member_id) if site.pk not in declared_sites
        ],
        offers_without_route=[stream for stream in offers if stream.current_route in ("", Route.UNKNOWN)],
        offers_without_cost=[stream for stream in offers if stream.current_route_cost is None],
    )


@dataclass(frozen=True)
class StreamHistoryEntry:
    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def stream_history(*, stream: Stream) -> list[StreamHistoryEntry]:
    """The recorded changes of one stream, newest first, each diffed against the previous record in memory.

    One query for the records, and at most one per kind of related object named in the changes (sites,
    materials, units), whatever the number of records."""
    records = list(
        stream.history.select_related("history_user").order_by("-history_date", "-history_id")[:STREAM_HISTORY_LIMIT]
    )
    records.reverse()
    raw_entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=STREAM_HISTORY_EXCLUDED)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        raw_entries.append((record, changes))
        previous = record
    names = _related_names([change for _record, changes in raw_entries for change in changes])
    entries = [
        StreamHistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "",
            action=record.history_type,
            changes=[
                (_field_label(name), _display(name, old, names), _display(name, new, names))
                for name, old, new in sorted(changes, key=lambda change: _FIELD_ORDER.get(change[0], 99))
            ],
        )
        for record, changes in raw_entries
    ]
    entries.reverse()
    return entries


_FIELD_ORDER = {model_field.name: index for index, model_field in enumerate(Stream._meta.concrete_fields)}
_RELATED = {"site": Site, "material": Material, "unit": Unit}


def _related_names(changes) -> dict[str, dict]:
    """Names of the related objects a list of changes refers to by primary key, one query per model."""
    wanted: dict[str, set] = {}
    for name, old, new in changes:
        if name in _RELATED:
            wanted.setdefault(name, set()).update(value for value in (old, new) if value is not None)
    return {name: _RELATED[name].objects.in_bulk(list(keys)) for name, keys in wanted.items()}


def _field_label(name: str) -> str:
    return capfirst(str(Stream._meta.get_field(name).verbose_name))


def _display(name: str, value, names: dict[str, dict]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in names:
        related = names[name].get(value)
        return str(related) if related is not None else str(value)
    if name == "months":
        return ", ".join(str(MONTHS.get(month, month)) for month in value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    model_field = Stream._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):  # 12.500 → « 12,5 », not « 12,500 »
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return formats.number_format(value, use_l10n=True)
    if hasattr(value, "year"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# --- end declarations ---


# --- Inventory ---
# What the pole learns from its members' declarations: what they throw away, where it goes today, and what
# is neither supplied nor used on the territory. Everything is aggregated in SQL or computed over DISTINCT
# material codes, so that the number of queries does not grow with the number of streams. The section
# imports what it needs itself, so that it can be read (and moved to a module of its own) on its own.

from collections import defaultdict  # noqa: E402, F811
from dataclasses import dataclass  # noqa: E402, F811
from decimal import Decimal  # noqa: E402, F811

from django.db.models import Case, CharField, Count, F, QuerySet, Sum, Value, When  # noqa: E402, F811
from django.db.models.functions import StrIndex, Substr  # noqa: E402, F811

from .enums import Dimension, Route  # noqa: E402, F811
from .models import Material, MaterialUse, Stream, Unit  # noqa: E402, F811
from .querysets import DIRECTORY_STATUSES  # noqa: E402, F811
from .reference import BASE_UNITS  # noqa: E402, F811

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
