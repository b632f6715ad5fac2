"""Reads of the coordinator dashboard: the pole's statistics (`ptce.stats`, the same functions the
`/api/v1/stats/` endpoints call) and its latest activity.

The page renders every figure as tables on the server; its charts and map fetch the same figures from the API.
Each part costs a fixed number of queries, so the page costs the same whatever the size of the pole.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from projects.enums import ActivityKind
from projects.models import ProjectActivity
from ptce import stats
from ptce.stats.filters import StatsFilters
from ptce.stats.flows import diverted_to_members, family_names
from ptce.stats.kpis import kpi_buckets, kpis_from, start_streams_scan
from ptce.stats.maps import sites_by_kind
from ptce.stats.trends import trend_periods, trends_from
from waste_flows.enums import MatchStatus, Route
from waste_flows.matches import Match, MatchRun
from waste_flows.models import Stream

ACTIVITY_LIMIT = 12


@dataclass(frozen=True)
class Activity:
    when: datetime.datetime
    kind: str  # declaration, run, match, project: what the entry is about, for its icon and filter
    text: str
    url: str


@dataclass(frozen=True)
class CoordinatorDashboard:
    filters: StatsFilters
    kpis: list[dict]
    members: dict
    jobs: dict
    flows: dict
    diverted: list[dict]
    impact: dict
    funnel: dict
    projects: dict
    trends: dict
    sites_by_kind: list[dict]
    families: list[tuple[str, str]]
    activity: list[Activity]


def coordinator_dashboard_data(*, user, filters: StatsFilters) -> CoordinatorDashboard:
    """Every figure of the page from one set of buckets over the five years up to the chosen one (the
    chosen year and the year before are their last two): each table is the same computation as its API
    endpoint, done once for the whole page."""
    periods = trend_periods(filters)
    current, previous = len(periods) - 1, len(periods) - 2
    # The longest query starts first and runs beside the parts that do not need it (stats.background).
    streams_scan = start_streams_scan(user=user, filters=filters, periods=periods, detail_periods=(current, previous))
    route_labels = dict(Route.choices)
    diverted = [
        {"route": route, "route_label": route_labels[route], "member_id": member_id, "member": name, "tonnes": tonnes}
        for route, member_id, name, tonnes in diverted_to_members(user=user, filters=filters)
    ]
    funnel = stats.funnel(user=user, filters=filters)
    activity = latest_activity()
    buckets = kpi_buckets(
        user=user, filters=filters, periods=periods, detail_periods=(current, previous), streams_scan=streams_scan
    )
    names = family_names()
    return CoordinatorDashboard(
        filters=filters,
        kpis=kpis_from(buckets, user=user, current=current, previous=previous),
        members=stats.members(user=user, filters=filters, kinds=buckets.members, index=current),
        jobs=stats.jobs(user=user, filters=filters, buckets=buckets.jobs, index=current),
        flows=stats.flows(user=user, filters=filters, buckets=buckets.flows, index=current, names=names),
        diverted=diverted,
        impact=stats.impact(user=user, filters=filters, buckets=buckets.impact, index=current),
        funnel=funnel,
        projects=stats.projects(
            user=user, filters=filters, statuses=buckets.projects, sources=buckets.fundings, index=current
        ),
        trends=trends_from(
            user=user,
            filters=filters,
            periods=periods,
            members=buckets.members,
            impact=buckets.impact,
            jobs=buckets.jobs,
        ),  # fmt: skip
        sites_by_kind=sites_by_kind(user=user, filters=filters, streams=buckets.streams, index=current),
        families=sorted(names.items(), key=lambda item: item[1]),
        activity=activity,
    )


def latest_activity(limit: int = ACTIVITY_LIMIT) -> list[Activity]:
    """New declarations, matching runs, match status changes and project changes, newest first (4 queries)."""
    entries = [*_declarations(limit), *_runs(limit), *_match_changes(limit), *_project_changes(limit)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]


def _declarations(limit: int) -> list[Activity]:
    # Newest by id, which follows the declaration order: the primary key's index answers at once, where
    # ordering by date would sort every stream of the pole.
    streams = Stream.objects.select_related("site__member", "material").order_by("-pk")[:limit]
    return [
        Activity(
            when=stream.created_at,
            kind="declaration",
            text=_("%(member)s a déclaré : %(direction)s de %(material)s")
            % {
                "member": stream.site.member,
                "direction": stream.get_direction_display().split(" (")[0].lower(),
                "material": stream.material.name.lower(),
            },
            url=stream.get_absolute_url(),
        )
        for stream in streams
    ]


def _runs(limit: int) -> list[Activity]:
    runs = MatchRun.objects.order_by("-created_at", "-pk")[:limit]
    return [
        Activity(
            when=run.created_at,
            kind="run",
            text=_("Recherche de synergies %(scope)s : %(status)s, %(created)s nouvelles opportunités")
            % {
                "scope": run.get_scope_display().lower(),
                "status": run.get_status_display().lower(),
                "created": run.matches_created,
            },
            url=reverse("waste_flows:match_run_detail", kwargs={"pk": run.pk}),
        )
        for run in runs
    ]


def _match_changes(limit: int) -> list[Activity]:
    """People's changes of matches (engine refreshes write no history), with the status they left it in."""
    records = Match.history.filter(history_type="~").select_related("material").order_by("-history_date")[:limit]
    statuses = dict(MatchStatus.choices)
    return [
        Activity(
            when=record.history_date,
            kind="match",
            text=_("Mise en relation « %(material)s » : %(status)s")
            % {"material": record.material.name, "status": str(statuses.get(record.status, record.status)).lower()},
            url=reverse("waste_flows:match_detail", kwargs={"pk": record.id}),
        )
        for record in records
    ]


def _project_changes(limit: int) -> list[Activity]:
    activities = (
        ProjectActivity.objects.filter(kind__in=[ActivityKind.CREATED, ActivityKind.STATUS])
        .select_related("project")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Activity(
            when=activity.created_at,
            kind="project",
            text=_project_text(activity),
            url=activity.project.get_absolute_url(),
        )
        for activity in activities
    ]


def _project_text(activity: ProjectActivity) -> str:
    if activity.kind == ActivityKind.STATUS and activity.to_status:
        return _("Projet « %(title)s » : %(status)s") % {
            "title": activity.project.title,
            "status": activity.get_to_status_display().lower(),
        }
    return _("Nouveau projet « %(title)s »") % {"title": activity.project.title}
