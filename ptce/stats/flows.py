"""Flows of the pole: what members offer, per material family and current route, and where implemented
matches send it. The same buckets feed the flows table, the Sankey diagram and the tonnage KPIs, so that a
figure never differs between them (and a masked bucket cannot be recovered from a total).

Quantities are yearly: tonnes for materials measured in mass, MWh for energy; other dimensions (volumes of
water, hours, square metres) are not flows of matter and are left to the inventory.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from members.models import Member
from waste_flows.enums import Dimension, Direction, MatchKind, Route
from waste_flows.models import Material, Stream

from .buckets import merge_rows
from .filters import Period, StatsFilters
from .masking import is_hidden, mask_row, masking_info, shown_total
from .scope import family_code, implemented_by, stats_matches, stats_streams

THOUSAND = Decimal(1000)
UNITS = {Dimension.MASS: "t", Dimension.ENERGY: "MWh"}  # both base units are a thousandth of these
RECEIVERS = 12


def stream_buckets(
    *, user, filters: StatsFilters, periods: Sequence[Period], needed: Collection[int] | None = None
) -> list[dict]:
    """Active streams per (direction, family, dimension, route, member kind) declared by the end of each
    period: one GROUP BY query, the only scan of the streams the summary and the flows need (plus one on the
    small materials table for the coordination).

    Rows carry `quantity_<i>` (t or MWh per year for mass and energy, the base unit otherwise), `streams_<i>`
    and `members_<i>`. Members are counted (distinct) only for non-coordinators, whose figures they mask:
    it is the costly part of the query, and nothing is masked for the coordination (None there). Grouping
    by member kind keeps member counts exact when rows are merged over kinds (a member has one kind).

    `needed` lists the indexes of the periods whose figures the caller reads (default: all); the others are
    None. The dashboard shares five periods between its trends and its KPIs, but reads the streams of the
    last two only: each period adds two aggregates to every one of 100,000 rows."""
    computed = range(len(periods)) if needed is None else needed
    aggregates = {}
    for index, period in enumerate(periods):
        if index not in computed:
            continue
        declared = Q(created_at__lt=period.end_instant())
        aggregates[f"quantity_{index}"] = Sum("annual_quantity", filter=declared)
        aggregates[f"streams_{index}"] = Count("pk", filter=declared)
        if not user.is_coordinator:
            aggregates[f"members_{index}"] = Count("site__member", distinct=True, filter=declared)
    streams = stats_streams(user=user, filters=filters).annotate(route=_route(), member_kind=F("site__member__kind"))
    if user.is_coordinator:
        rows = _by_material_then_family(streams, aggregates, computed)
    else:
        # Distinct members are counted per family, so the family is grouped on in the database.
        grouped = streams.annotate(family=family_code("material__code"), dimension=F("material__dimension"))
        rows = list(
            grouped.values("direction", "family", "dimension", "route", "member_kind")
            .annotate(**aggregates)
            .order_by()
        )
    for row in rows:
        divisor = THOUSAND if row["dimension"] in UNITS else 1
        for index in range(len(periods)):
            if index not in computed:
                row.update({f"quantity_{index}": None, f"streams_{index}": None, f"members_{index}": None})
                continue
            row[f"quantity_{index}"] = (row[f"quantity_{index}"] or Decimal(0)) / divisor
            row.setdefault(f"members_{index}", None)
    return rows


def _by_material_then_family(streams, aggregates: dict, computed: Collection[int]) -> list[dict]:
    """Without member counts, rows of materials add up exactly into families: the database groups on the
    material's id (quick to sort, no join on materials) and Python adds up its few hundred rows."""
    materials = {
        pk: (code.split(".", 1)[0], dimension)
        for pk, code, dimension in Material.objects.values_list("pk", "code", "dimension")
    }
    grouped = streams.values("direction", "material_id", "route", "member_kind").annotate(**aggregates).order_by()
    rows = list(grouped)
    for row in rows:
        row["family"], row["dimension"] = materials[row.pop("material_id")]
    keys = ("direction", "family", "dimension", "route", "member_kind")
    return merge_rows(rows, keys=keys, fields=("quantity", "streams"), periods=computed)


def flow_buckets(*, user, filters: StatsFilters, periods: Sequence[Period], streams=None) -> list[dict]:
    """Offers per (family, dimension, route) for mass and energy, from `stream_buckets` (computed unless
    given): `quantity_<i>`, `streams_<i>` (offers) and `members_<i>`."""
    if streams is None:
        streams = stream_buckets(user=user, filters=filters, periods=periods)
    offers = (row for row in streams if row["direction"] == Direction.OFFER and row["dimension"] in UNITS)
    return merge_rows(
        offers, keys=("family", "dimension", "route"), fields=("quantity", "streams", "members"), periods=len(periods)
    )


def _route():
    """An offer declared without a route counts as "unknown" (grouped in the database, so that the
    distinct members of the bucket are counted once)."""
    return Case(
        When(current_route="", then=Value(Route.UNKNOWN.value)), default=F("current_route"), output_field=CharField()
    )


def family_names() -> dict[str, str]:
    """Material family code → name in the current language (one query)."""
    return {family.code: family.name for family in Material.objects.families().only("code", "name_fr", "name_en")}


def flows(*, user, filters: StatsFilters, buckets=None, index: int = 0, names=None) -> dict:
    """Flows by material family and current route at the end of the period (2 queries). A caller holding
    `flow_buckets` already (the dashboard) passes them, with the index of the period to show."""
    if buckets is None:
        buckets = flow_buckets(user=user, filters=filters, periods=[filters.period])
    names = family_names() if names is None else names
    labels = dict(Route.choices)
    rows = []
    for bucket in sorted(buckets, key=lambda b: (b["dimension"], b["family"], list(labels).index(b["route"]))):
        if not bucket[f"streams_{index}"]:
            continue
        row = {
            "family": bucket["family"],
            "family_name": names.get(bucket["family"], bucket["family"]),
            "dimension": bucket["dimension"],
            "unit": UNITS[bucket["dimension"]],
            "route": bucket["route"],
            "route_label": str(labels[bucket["route"]]),
            "quantity": _rounded(bucket[f"quantity_{index}"]),
            "offers": bucket[f"streams_{index}"],
        }
        rows.append(mask_row(row, members=bucket[f"members_{index}"], fields=("quantity", "offers"), user=user))
    mass = [bucket for bucket in buckets if bucket["dimension"] == Dimension.MASS]
    total, left_out = shown_total(mass, "quantity", index, user=user)
    local_buckets = [bucket for bucket in mass if bucket["route"] == Route.LOCAL_VALORISATION]
    local, _ = shown_total(local_buckets, "quantity", index, user=user)
    return {
        **filters.as_dict(),
        "masking": masking_info(user),
        "rows": rows,
        "routes": _route_totals(mass, index, user=user),
        "total_tonnes": _rounded(total),
        "local_tonnes": _rounded(local),
        "local_percent": _percent(local, total),
        "masked": left_out > 0,
        "masked_buckets": left_out,
    }


def _route_totals(mass_buckets: list[dict], index: int, *, user) -> list[dict]:
    totals = []
    for route, label in Route.choices:
        of_route = [bucket for bucket in mass_buckets if bucket["route"] == route]
        tonnes, left_out = shown_total(of_route, "quantity", index, user=user)
        totals.append({"route": route, "label": str(label), "tonnes": _rounded(tonnes), "masked_buckets": left_out})
    return totals


def sankey(*, user, filters: StatsFilters) -> dict:
    """Nodes and links: material families → current routes (tonnes of offers per year), and for the
    coordination, routes → the members receiving what implemented matches divert (2 queries; 6 for the
    coordination)."""
    buckets = [
        bucket
        for bucket in flow_buckets(user=user, filters=filters, periods=[filters.period])
        if bucket["dimension"] == Dimension.MASS
    ]
    names = family_names()
    labels = dict(Route.choices)
    nodes: dict[str, dict] = {}
    links, left_out = [], 0
    for bucket in buckets:
        if not bucket["quantity_0"]:
            continue
        if is_hidden(bucket["members_0"], user):
            left_out += 1
            continue
        source, target = f"family:{bucket['family']}", f"route:{bucket['route']}"
        nodes.setdefault(source, {"id": source, "label": names.get(bucket["family"], bucket["family"]), "layer": 0})
        nodes.setdefault(target, {"id": target, "label": str(labels[bucket["route"]]), "layer": 1})
        links.append({"source": source, "target": target, "tonnes": _rounded(bucket["quantity_0"])})
    if user.is_coordinator:
        for route, member_id, member_name, tonnes in diverted_to_members(user=user, filters=filters):
            source, target = f"route:{route}", f"member:{member_id or 'others'}"
            nodes.setdefault(source, {"id": source, "label": str(labels[route]), "layer": 1})
            nodes.setdefault(target, {"id": target, "label": member_name, "layer": 2})
            links.append({"source": source, "target": target, "tonnes": _rounded(tonnes)})
    return {
        **filters.as_dict(),
        "masking": masking_info(user),
        "nodes": sorted(nodes.values(), key=lambda node: (node["layer"], node["label"])),
        "links": links,
        "masked": left_out > 0,
        "masked_links": left_out,
    }


def diverted_to_members(*, user, filters: StatsFilters, limit: int = RECEIVERS) -> list[tuple]:
    """Tonnes per year that implemented matches take away from each current route, per receiving member:
    the need's member for a substitution, the hub's member for a pooling (whose offers are each counted with
    their own route). The `limit` biggest receivers are named, the others grouped (member id None). Three
    queries: substitutions and poolings grouped by the receiving member's id, then the names of the few kept
    (joining every receiver's name only to drop most of them cost more)."""
    matches = stats_matches(user=user, filters=filters).filter(implemented_by(filters.period.end_instant()))
    received: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    # The offer's route and the need's member are scalar subqueries, not joins: one index probe per
    # implemented match (a few thousand at most), where joins let PostgreSQL scan every stream of the pole
    # twice (100,000 streams: 40 ms instead of 15).
    substitutions = (
        matches.filter(kind=MatchKind.SUBSTITUTION, offer__isnull=False, need__isnull=False)
        .annotate(
            route=Subquery(Stream.objects.filter(pk=OuterRef("offer_id")).values("current_route").order_by()),
            receiver=Subquery(Stream.objects.filter(pk=OuterRef("need_id")).values("site__member_id").order_by()),
        )
        .values("route", "receiver")
        .annotate(tonnes=Sum(Coalesce("actual_tonnes_per_year", "tonnes_per_year")))
        .order_by()
    )
    for row in substitutions:
        received[(row["route"] or Route.UNKNOWN, row["receiver"])] += Decimal(str(row["tonnes"] or 0))
    poolings = (
        Stream.objects.filter(
            direction=Direction.OFFER,
            material__dimension=Dimension.MASS,
            matches__in=matches.filter(kind=MatchKind.POOLING, hub_site__isnull=False).values("pk"),
        )
        .values("current_route", "matches__hub_site__member_id")
        .annotate(quantity=Sum("annual_quantity"))
        .order_by()
    )
    for row in poolings:
        key = (row["current_route"] or Route.UNKNOWN, row["matches__hub_site__member_id"])
        received[key] += (row["quantity"] or Decimal(0)) / THOUSAND
    return _biggest_receivers(received, limit)


def _biggest_receivers(received: dict[tuple[str, int], Decimal], limit: int) -> list[tuple]:
    """The `limit` members receiving the most, the others together (member id None): a diagram or a table
    of a thousand receivers would show nothing. Only the kept members' names are read (one query)."""
    per_member: dict[int, Decimal] = defaultdict(Decimal)
    for (_route, member_id), tonnes in received.items():
        per_member[member_id] += tonnes
    kept = sorted(per_member, key=lambda member_id: (-per_member[member_id], member_id))[:limit]
    names = dict(Member.objects.filter(pk__in=kept).values_list("pk", "name").order_by()) if kept else {}
    merged: dict[tuple, Decimal] = defaultdict(Decimal)
    others = _("Autres membres")  # once: a thousand receivers would each translate it
    for (route, member_id), tonnes in received.items():
        key = (route, member_id, names[member_id]) if member_id in names else (route, None, others)
        merged[key] += tonnes
    return sorted(
        ((route, member_id, name, tonnes) for (route, member_id, name), tonnes in merged.items()),
        key=lambda item: (item[1] is None, -item[3], item[0]),
    )


def _rounded(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def _percent(part, total):
    if part is None or not total:
        return None
    return round(float(part) * 100 / float(total), 1)
