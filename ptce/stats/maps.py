"""Layers of the pole's map, as GeoJSON FeatureCollections (coordinates in [longitude, latitude] order).

- sites: every site of the pole's current members, with its member's kind and its declared tonnage (active
  streams measured in mass, optionally of one material family and one direction). The tonnage of a site
  adds up only the streams the user may read one by one (`Stream.objects.visible_to`), so it tells nothing
  the streams list does not: no masking is needed, and coordinator-only streams never weigh for others.
- matches: substitutions introduced, in discussion or implemented, as lines from the offer's site to the
  need's site. Who exchanges with whom is the coordination's knowledge: members only get the matches they
  take part in once introduced, partners none.
- pooling: open pooling opportunities, as a point at their hub with the sites of the contributing offers.

Each layer costs two queries at most, whatever the number of sites.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import get_language

from members.enums import MemberKind
from members.models import Site
from waste_flows.enums import Dimension, MatchKind, MatchStatus
from waste_flows.match_lifecycle import REVEALED_STATUSES
from waste_flows.matches import Match
from waste_flows.models import Stream
from waste_flows.querysets import DIRECTORY_STATUSES

from .filters import StatsFilters
from .masking import shown_total
from .scope import stats_matches

THOUSAND = Decimal(1000)
LINE_STATUSES = (MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION, MatchStatus.IMPLEMENTED)
OPEN_POOLING_STATUSES = (
    MatchStatus.SUGGESTED,
    MatchStatus.REVIEWED,
    MatchStatus.INTRODUCED,
    MatchStatus.IN_DISCUSSION,
    MatchStatus.IMPLEMENTED,
)


def _sites(*, user, filters: StatsFilters):
    """Sites of the pole's current members in the territory (and one's own organisation's)."""
    current = Q(member__status__in=DIRECTORY_STATUSES)
    shown = current | Q(member_id=user.member_id) if user.member_id else current
    return Site.objects.filter(filters.territory.sites_q()).filter(shown)


def _weighing_streams(*, user, filters: StatsFilters):
    """The streams a site's tonnage adds up: active, declared by the end of the period, readable by `user`."""
    return Stream.objects.visible_to(user).active().filter(created_at__lt=filters.period.end_instant())


def map_sites(*, user, filters: StatsFilters) -> dict:
    sites = _sites(user=user, filters=filters)
    streams = _weighing_streams(user=user, filters=filters)
    streams = _of_family(streams, filters.family, "material__code")
    if filters.direction:
        streams = streams.filter(direction=filters.direction)
    weights = {
        row["site_id"]: row
        for row in streams.values("site_id")
        .annotate(kilograms=Sum("annual_quantity", filter=Q(material__dimension=Dimension.MASS)), streams=Count("pk"))
        .order_by()
    }
    narrowed = bool(filters.family or filters.direction)
    # Labels and links made once, not once per site: a pole has thousands of sites.
    kinds = {code: str(label) for code, label in MemberKind.choices}
    member_url = _url_pattern("members:member_detail") if user.is_coordinator else None
    features = []
    for site in sites.values(
        "pk", "name", "commune", "latitude", "longitude", "member_id", "member__name", "member__kind"
    ).order_by("pk"):
        weight = weights.get(site["pk"])
        if narrowed and weight is None:
            continue
        properties = {
            "id": site["pk"],
            "name": site["name"],
            "commune": site["commune"],
            "member_id": site["member_id"],
            "member_name": site["member__name"],
            "kind": site["member__kind"],
            "kind_label": kinds.get(site["member__kind"], ""),
            "tonnes": round(float(weight["kilograms"] or 0) / 1000, 1) if weight else 0.0,
            "streams": weight["streams"] if weight else 0,
        }
        if member_url:
            properties["url"] = member_url.format(site["member_id"])
        features.append(_feature(_point(site["longitude"], site["latitude"]), properties))
    return _collection(features, filters)


def sites_by_kind(*, user, filters: StatsFilters, streams: list[dict], index: int = 0) -> list[dict]:
    """The map's numbers as a table: per member kind, the members and sites shown (one query), and the
    tonnes declared, from `stream_buckets` rows (masked like every aggregate for non-coordinators)."""
    counts = (
        _sites(user=user, filters=filters)
        .values("member__kind")
        .annotate(sites=Count("pk"), members=Count("member", distinct=True))
        .order_by()
    )
    mass = [row for row in streams if row["dimension"] == Dimension.MASS]
    labels = dict(MemberKind.choices)
    rows = []
    for row in sorted(counts, key=lambda row: list(labels).index(row["member__kind"])):
        tonnes, _left_out = shown_total(
            [bucket for bucket in mass if bucket["member_kind"] == row["member__kind"]], "quantity", index, user=user
        )
        rows.append(
            {
                "kind": row["member__kind"],
                "label": str(labels.get(row["member__kind"], "")),
                "sites": row["sites"],
                "members": row["members"],
                "tonnes": None if tonnes is None else round(float(tonnes), 1),
            }
        )
    return rows


def _url_pattern(name: str) -> str:
    """The URL of an object by its pk, as a format string: `reverse` once instead of once per feature."""
    return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{}")


def _of_family(queryset, family: str, code_path: str):
    if not family:
        return queryset
    return queryset.filter(Q(**{code_path: family}) | Q(**{f"{code_path}__startswith": f"{family}."}))


def _matches_for_map(*, user, filters: StatsFilters):
    matches = stats_matches(user=user, filters=filters).filter(created_at__lt=filters.period.end_instant())
    matches = _of_family(matches, filters.family, "material__code")
    if user.is_coordinator:
        return matches
    if not user.member_id:
        return matches.none()
    return matches.filter(participants__member_id=user.member_id, status__in=REVEALED_STATUSES)


def map_matches(*, user, filters: StatsFilters) -> dict:
    matches = (
        _matches_for_map(user=user, filters=filters)
        .filter(kind=MatchKind.SUBSTITUTION, status__in=LINE_STATUSES, offer__isnull=False, need__isnull=False)
        .values(
            "pk", "status", "material__name_fr", "material__name_en", "tonnes_per_year", "actual_tonnes_per_year",
            "offer__site__latitude", "offer__site__longitude", "offer__site__member__name",
            "need__site__latitude", "need__site__longitude", "need__site__member__name",
        )
        .order_by("pk")
    )  # fmt: skip
    statuses = {code: str(label) for code, label in MatchStatus.choices}
    match_url = _url_pattern("waste_flows:match_detail")
    name_of = _namer()
    features = []
    for match in matches:
        line = {
            "type": "LineString",
            "coordinates": [
                _position(match["offer__site__longitude"], match["offer__site__latitude"]),
                _position(match["need__site__longitude"], match["need__site__latitude"]),
            ],
        }
        tonnes = (
            match["actual_tonnes_per_year"]
            if match["actual_tonnes_per_year"] is not None
            else match["tonnes_per_year"]
        )
        properties = {
            "id": match["pk"],
            "status": match["status"],
            "status_label": statuses[match["status"]],
            "material": name_of(match["material__name_fr"], match["material__name_en"]),
            "tonnes": round(tonnes or 0, 1),
            "from": match["offer__site__member__name"],
            "to": match["need__site__member__name"],
            "url": match_url.format(match["pk"]),
        }
        features.append(_feature(line, properties))
    return _collection(features, filters)


def map_pooling(*, user, filters: StatsFilters) -> dict:
    open_poolings = _matches_for_map(user=user, filters=filters).filter(
        kind=MatchKind.POOLING, status__in=OPEN_POOLING_STATUSES, hub_site__isnull=False
    )
    poolings = list(
        open_poolings.values(
            "pk", "status", "material__name_fr", "material__name_en", "total_quantity", "threshold",
            "hub_site__name", "hub_site__latitude", "hub_site__longitude",
        )
        .order_by("pk")
    )  # fmt: skip
    contributors = defaultdict(list)
    through = Match.streams.through.objects.filter(match__in=open_poolings.values("pk"))
    for row in through.values("match_id", "stream__site__latitude", "stream__site__longitude").order_by("pk"):
        contributors[row["match_id"]].append(_position(row["stream__site__longitude"], row["stream__site__latitude"]))
    statuses = {code: str(label) for code, label in MatchStatus.choices}
    match_url = _url_pattern("waste_flows:match_detail")
    name_of = _namer()
    features = []
    for pooling in poolings:
        share = pooling["total_quantity"] / pooling["threshold"] if pooling["threshold"] else None
        properties = {
            "id": pooling["pk"],
            "status": pooling["status"],
            "status_label": statuses[pooling["status"]],
            "material": name_of(pooling["material__name_fr"], pooling["material__name_en"]),
            "hub": pooling["hub_site__name"],
            "tonnes": round((pooling["total_quantity"] or 0) / 1000, 1),
            "threshold_share": None if share is None else round(share, 2),
            "contributors": contributors[pooling["pk"]],
            "url": match_url.format(pooling["pk"]),
        }
        hub = _point(pooling["hub_site__longitude"], pooling["hub_site__latitude"])
        features.append(_feature(hub, properties))
    return _collection(features, filters)


def _namer():
    """Picks a material's name in the current language (looked up once per layer, not per feature)."""
    english = (get_language() or "fr").startswith("en")
    return lambda french, in_english: in_english if english and in_english else french


def _position(longitude, latitude) -> list[float]:
    return [float(longitude), float(latitude)]


def _point(longitude, latitude) -> dict:
    return {"type": "Point", "coordinates": _position(longitude, latitude)}


def _feature(geometry: dict, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _collection(features: list[dict], filters: StatsFilters) -> dict:
    return {"type": "FeatureCollection", "features": features, **filters.as_dict()}
