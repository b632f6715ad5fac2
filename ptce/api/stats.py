"""`/api/v1/stats/`: the aggregates behind the dashboards, the same figures partners pull into their tools.

One read-only viewset whose actions call `ptce.stats`; every action takes the period and territory filters
and answers in the shapes of `ptce.stats.schema`. Coordinators see every figure; members and partners see
aggregates of what members share with the pole, masked under 3 members (and said so in the response).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from members.api.answer_cache import CachedAnswersMixin
from members.enums import ApiScope
from ptce import stats
from ptce.stats import schema as shapes

from ..stats.cache import cached_stats
from ..stats.filters import parse_filters

FILTER_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: the current year)."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Start of a period of dates, with `date_to`."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day of a period of dates, with `date_from`."),
    OpenApiParameter(
        "commune", OpenApiTypes.STR, many=True, description="Sites in these communes (repeat the parameter)."
    ),
    OpenApiParameter("department", OpenApiTypes.STR, description="Sites whose postcode starts with it: `57`."),
    OpenApiParameter("bbox", OpenApiTypes.STR, description="Sites in `min_lon,min_lat,max_lon,max_lat`."),
]
MAP_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter("family", OpenApiTypes.STR, description="Material family code: `wood`."),
    OpenApiParameter("direction", OpenApiTypes.STR, enum=["offer", "need"], description="Offers or needs only."),
]
MASKING = (
    " Figures are taken at the end of the period and compared with the end of the previous period of the same "
    "length. For anyone but the coordination, a figure built from fewer than 3 members is null with "
    "`masked: true` and a `masked_reason`, and totals add up the figures shown only."
)


class CanReadStats(BasePermission):
    message = _("Les statistiques sont ouvertes à la coordination, aux membres et aux partenaires du pôle.")

    def has_permission(self, request, view):
        user = request.user
        return user.is_coordinator or user.is_partner or user.is_member_user


class OneObjectSchema(AutoSchema):
    """Each action answers one object, though some are served as the router's `list`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


# The function behind each endpoint, by the name its figures are cached under: the warm-up after writes
# computes those the coordinator dashboard reads (ptce.stats.warmup).
STATISTICS = {}


def stats_endpoint(name: str, function, serializer, summary: str, description: str, parameters=FILTER_PARAMETERS):
    """A read-only action answering `function(user=, filters=)` for the request's filters, served at
    `stats/<name with "/" for "_">/` (`map_sites` → `stats/map/sites/`, URL name `stats-map-sites`)."""
    STATISTICS[name] = function

    def endpoint(self, request):
        user, filters = request.user, parse_filters(request.query_params)
        return Response(
            cached_stats(name, user=user, filters=filters, compute=lambda: function(user=user, filters=filters))
        )

    endpoint.__name__ = name
    routed = action(detail=False, url_path=name.replace("_", "/"), url_name=name.replace("_", "-"))(endpoint)
    document = extend_schema(
        summary=summary, description=description + MASKING, parameters=parameters, responses=serializer
    )
    return document(routed)


class StatsViewSet(CachedAnswersMixin, viewsets.ViewSet):
    permission_classes = [IsAuthenticated, CanReadStats]
    required_scopes = {"read": ApiScope.STATS_READ, "write": None}
    schema = OneObjectSchema()

    @extend_schema(
        summary="Statistics: index",
        description="Links to every statistics endpoint.",
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}},
    )
    def list(self, request):
        names = ["summary", "flows", "sankey", "impact", "funnel", "members", "jobs", "projects", "trends",
                 "map-sites", "map-matches", "map-pooling"]  # fmt: skip
        return Response({name: reverse(f"api:stats-{name}", request=request) for name in names})

    summary = stats_endpoint(
        "summary",
        stats.kpi_summary,
        shapes.StatsSummarySerializer,
        "Key figures with their change",
        "Members, jobs, fees (coordination only), streams, tonnes declared and the share valorised locally, "
        "opportunities found, matches implemented, tonnes diverted, CO2e avoided, euros saved, open "
        "projects and funding secured.",
    )
    flows = stats_endpoint(
        "flows",
        stats.flows,
        shapes.StatsFlowsSerializer,
        "Flows by material family and current route",
        "Active offers per material family and current route, per year: tonnes for mass materials, MWh "
        "for energy; totals per route and the share valorised locally.",
    )
    sankey = stats_endpoint(
        "sankey",
        stats.sankey,
        shapes.StatsSankeySerializer,
        "Sankey diagram of the flows",
        "Nodes and links, in tonnes per year: material families → current routes and, for the coordination, "
        "routes → the members receiving what implemented matches divert.",
    )
    impact = stats_endpoint(
        "impact",
        stats.impact,
        shapes.StatsImpactSerializer,
        "Impact of implemented matches",
        "Per kind of opportunity: matches implemented by the end of the period, tonnes diverted per year "
        "(actual when recorded, else estimated), t CO2e avoided per year and euros saved per year.",
    )
    funnel = stats_endpoint(
        "funnel",
        stats.funnel,
        shapes.StatsFunnelSerializer,
        "Funnel of matches",
        "Per kind of opportunity: matches found by the end of the period, now at each stage (suggested → "
        "reviewed → introduced → in discussion → implemented) and at that stage or beyond; rejections by "
        "reason.",
    )
    members = stats_endpoint(
        "members",
        stats.members,
        shapes.StatsMembersSerializer,
        "Members by kind and college",
        "Members of the pole on the last day of the period (joined by then, not yet gone).",
    )
    jobs = stats_endpoint(
        "jobs",
        stats.jobs,
        shapes.StatsJobsSerializer,
        "Jobs of the members",
        "Permanent and insertion jobs (FTE and headcount) of the yearly figures of the period's year, per "
        "member kind.",
    )
    projects = stats_endpoint(
        "projects",
        stats.projects,
        shapes.StatsProjectsSerializer,
        "Projects and funding",
        "Shared projects per status at the end of the period, and their funding per source (requested, "
        "granted and received by then).",
    )
    trends = stats_endpoint(
        "trends",
        stats.trends,
        shapes.StatsTrendsSerializer,
        "Trends over five years",
        "For each of the five years up to the period's: members at the end of the year, tonnes diverted by "
        "the matches implemented by then, and FTE of the year's figures.",
    )
    map_sites = stats_endpoint(
        "map_sites",
        stats.map_sites,
        shapes.StatsFeatureCollectionSerializer,
        "Map: sites",
        "GeoJSON points of the sites of current members, with properties `id`, `name`, `commune`, "
        "`member_id`, `member_name`, `kind`, `kind_label`, `tonnes` (active streams in mass, per year, of "
        "the streams the user may read one by one, optionally of one family and direction) and `streams`.",
        MAP_PARAMETERS,
    )
    map_matches = stats_endpoint(
        "map_matches",
        stats.map_matches,
        shapes.StatsFeatureCollectionSerializer,
        "Map: matches",
        "GeoJSON lines from the offer's site to the need's site of substitutions introduced, in discussion "
        "or implemented: every one for the coordination, a member's own, none for partners.",
        MAP_PARAMETERS,
    )
    map_pooling = stats_endpoint(
        "map_pooling",
        stats.map_pooling,
        shapes.StatsFeatureCollectionSerializer,
        "Map: pooling opportunities",
        "GeoJSON points at the hub of open pooling opportunities, with the positions of the contributing "
        "sites in `contributors` and the share of the threshold reached.",
        MAP_PARAMETERS,
    )
