"""Cross-app statistics of the pole: what the dashboards show and what the `/api/v1/stats/` endpoints give.

Every function is keyword-only, takes the requesting `user` (figures depend on who asks) and a
`StatsFilters` (period and territory, see `filters`), aggregates in the database with a fixed number of
queries whatever the size of the pole, and returns plain JSON-ready dicts (the API serves them as they are):

    filters = parse_filters(request.GET)            # or StatsFilters(Period.of_year(2025), Territory(department="57"))

    kpi_summary(user=, filters=)   # {"kpis": [{"code", "label", "unit", "value", "previous", "change", "masked", "masked_reason"}]}
    flows(user=, filters=)         # offers per material family × current route, tonnes (or MWh), local share
    sankey(user=, filters=)        # {"nodes": [{"id", "label", "layer"}], "links": [{"source", "target", "tonnes"}]}
    impact(user=, filters=)        # implemented matches per kind: count, tonnes/yr, t CO2e/yr, €/yr
    funnel(user=, filters=)        # per kind: stages suggested → implemented (current, reached), rejections by reason
    members(user=, filters=)       # members on the period's last day, per kind and per college
    jobs(user=, filters=)          # permanent and insertion FTE / headcount of the period's year, per member kind
    projects(user=, filters=)      # projects per status at the period's end, funding per source
    trends(user=, filters=, years=5)   # per year up to the period's: members, tonnes diverted, FTE
    map_sites / map_matches / map_pooling(user=, filters=)   # GeoJSON FeatureCollections

Lower-level bucket functions take `periods=[Period, ...]` and return one row per bucket with
`<figure>_<index>` and `members_<index>` per period, for callers that need several periods at once:
`stream_buckets` (the one scan of the streams: direction × family × dimension × route × member kind),
`flow_buckets(streams=)`, `impact_buckets`, `member_buckets(by="kind"|"college")`, `job_buckets`,
`project_buckets`, `funding_buckets`; `kpi_buckets` gathers them all. The detailed functions then take
them instead of querying again: `kpis_from(buckets, user=, current=, previous=)`,
`flows(..., buckets=, index=)`, `impact(..., buckets=, index=)`, `members(..., kinds=, index=)`,
`jobs(..., buckets=, index=)`, `projects(..., statuses=, sources=, index=)`, `trends_from(...)`,
`sites_by_kind(..., streams=, index=)`. The coordinator dashboard computes the buckets once over five
years and renders every table from them (ptce/dashboards/coordinator_selectors.py).

Member counts are computed only where they mask something: for non-coordinators. In the coordination's
results they are None (`members: null`).

The dashboard and the API endpoints keep what they computed in the cache (`cache.cached_stats`), keyed by
a data version that every write to the pole's data replaces: figures are computed once per change of the
data, and never shown stale (bulk and raw SQL writes call `members.stats_version.stats_version_bump()`).

Who sees what (`scope`): the coordination everything; others aggregates of what members share with the pole,
plus their own organisation's data. Small numbers (`masking`): for anyone but the coordination, a bucket built
from fewer than 3 members is null with `"masked": true` and a `masked_reason`, and totals add up the shown
buckets only.
"""

from .filters import Period, StatsFilters, Territory, parse_filters
from .flows import flow_buckets, flows, sankey, stream_buckets
from .kpis import kpi_buckets, kpi_summary, kpis_from
from .maps import map_matches, map_pooling, map_sites
from .masking import MIN_MEMBERS
from .matches import funnel, impact, impact_buckets
from .projects import funding_buckets, project_buckets, projects
from .registry import job_buckets, jobs, member_buckets, members
from .trends import trends, trends_from

__all__ = [
    "MIN_MEMBERS",
    "Period",
    "StatsFilters",
    "Territory",
    "flow_buckets",
    "flows",
    "funding_buckets",
    "funnel",
    "impact",
    "impact_buckets",
    "job_buckets",
    "jobs",
    "kpi_buckets",
    "kpi_summary",
    "kpis_from",
    "map_matches",
    "map_pooling",
    "map_sites",
    "member_buckets",
    "members",
    "parse_filters",
    "project_buckets",
    "projects",
    "sankey",
    "stream_buckets",
    "trends",
    "trends_from",
]
