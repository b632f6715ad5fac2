"""The key figures of the pole at the end of a period, each with its value at the end of the previous period
and the change. Every total is built from the same buckets as the detailed statistics (flows, jobs, impact,
projects), so that the summary and the details agree, and masking applies to both alike.
"""

from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from projects.enums import OPEN_STATUSES
from waste_flows.enums import Dimension, Route

from .background import in_background
from .filters import Period, StatsFilters
from .flows import flow_buckets, stream_buckets
from .masking import coordination_only_figure, figure, masking_info, shown_total
from .matches import impact_buckets
from .projects import funding_buckets, project_buckets
from .registry import fee_totals, job_buckets, member_buckets

LABELS = {
    "active_members": (_("Membres actifs"), ""),
    "permanent_fte": (_("Emplois permanents"), _("ETP")),
    "insertion_fte": (_("Emplois en insertion"), _("ETP")),
    "fees_collected": (_("Cotisations encaissées"), "€"),
    "fees_outstanding": (_("Cotisations restant dues"), "€"),
    "streams_declared": (_("Flux déclarés"), ""),
    "tonnes_declared": (_("Tonnes déclarées"), _("t/an")),
    "local_share": (_("Part valorisée localement"), "%"),
    "opportunities_found": (_("Opportunités trouvées"), ""),
    "matches_implemented": (_("Mises en relation réalisées"), ""),
    "tonnes_diverted": (_("Tonnes détournées"), _("t/an")),
    "co2e_avoided": (_("CO2e évité"), _("t/an")),
    "euros_saved": (_("Économies"), _("€/an")),
    "open_projects": (_("Projets en cours"), ""),
    "funding_secured": (_("Financements obtenus"), "€"),
}


@dataclass(frozen=True)
class KpiBuckets:
    """Every bucket the KPIs are totals of, for the same list of periods."""

    members: list[dict]
    jobs: list[dict]
    fees: dict | None  # None for non-coordinators
    streams: list[dict]
    flows: list[dict]
    impact: list[dict]
    projects: list[dict]
    fundings: list[dict]


def kpi_buckets(
    *,
    user,
    filters: StatsFilters,
    periods: Sequence[Period],
    detail_periods: Collection[int] | None = None,
    streams_scan: Future | None = None,
) -> KpiBuckets:
    """One query per kind of bucket, whatever the size of the pole. `detail_periods`: the indexes of the
    periods whose streams, flows, fees, projects and fundings are read (default: all; see
    `buckets.computed_periods`); members, jobs and impact are computed for every period (the trends).

    The scan of the streams, the longest query, runs beside the others (`background`); a caller with more to
    compute meanwhile starts it earlier with `start_streams_scan()` and hands it over as `streams_scan`."""
    if streams_scan is None:
        streams_scan = start_streams_scan(user=user, filters=filters, periods=periods, detail_periods=detail_periods)
    members = member_buckets(filters=filters, periods=periods, by="kind")
    jobs = job_buckets(filters=filters, periods=periods)
    fees = fee_totals(filters=filters, periods=periods, needed=detail_periods) if user.is_coordinator else None
    impact = impact_buckets(user=user, filters=filters, periods=periods)
    projects = project_buckets(user=user, filters=filters, periods=periods, needed=detail_periods)
    fundings = funding_buckets(user=user, filters=filters, periods=periods, needed=detail_periods)
    streams = streams_scan.result()
    return KpiBuckets(
        members=members,
        jobs=jobs,
        fees=fees,
        streams=streams,
        flows=flow_buckets(user=user, filters=filters, periods=periods, streams=streams),
        impact=impact,
        projects=projects,
        fundings=fundings,
    )


def start_streams_scan(
    *, user, filters: StatsFilters, periods: Sequence[Period], detail_periods: Collection[int] | None = None
) -> Future:
    """The streams' buckets of `kpi_buckets`, computing in the background (`.result()` waits for them)."""
    return in_background(stream_buckets, user=user, filters=filters, periods=periods, needed=detail_periods)


def kpi_summary(*, user, filters: StatsFilters) -> dict:
    """The KPIs of the period and the previous one, in 8 queries for the coordination (one per kind of
    bucket, plus the materials and the fees), 7 for others (the match participants, counted for masking)."""
    buckets = kpi_buckets(user=user, filters=filters, periods=[filters.period, filters.period.previous()])
    return {**filters.as_dict(), "masking": masking_info(user), "kpis": kpis_from(buckets, user=user)}


def kpis_from(buckets: KpiBuckets, *, user, current: int = 0, previous: int = 1) -> list[dict]:
    """The KPI list from buckets computed over several periods: `current` and `previous` are their indexes."""
    at = (current, previous)
    figures = {
        "active_members": _from_buckets(buckets.members, "members", user, at, digits=0),
        "permanent_fte": _from_buckets(buckets.jobs, "permanent_fte", user, at),
        "insertion_fte": _from_buckets(buckets.jobs, "insertion_fte", user, at),
        **_fee_figures(buckets.fees, at),
        "streams_declared": _from_buckets(buckets.streams, "streams", user, at, digits=0),
        **_flow_figures(buckets.flows, user, at),
        **_impact_figures(buckets.impact, user, at),
        "open_projects": _from_buckets(
            [row for row in buckets.projects if row["status"] in OPEN_STATUSES], "count", user, at, digits=0
        ),
        "funding_secured": _from_buckets(buckets.fundings, "granted", user, at, members="granted_members", digits=2),
    }
    return [
        {"code": code, "label": str(label), "unit": str(unit), **figures[code]}
        for code, (label, unit) in LABELS.items()
    ]


def _from_buckets(rows, name: str, user, at: tuple[int, int], *, members: str = "members", digits: int = 1) -> dict:
    value, left_out = shown_total(rows, name, at[0], user=user, members=members)
    previous, previous_left_out = shown_total(rows, name, at[1], user=user, members=members)
    return figure(value, previous, left_out=left_out, previous_left_out=previous_left_out, digits=digits)


def _fee_figures(fees: dict | None, at: tuple[int, int]) -> dict:
    if fees is None:
        return {"fees_collected": coordination_only_figure(), "fees_outstanding": coordination_only_figure()}
    return {
        f"fees_{name}": figure(fees[f"{name}_{at[0]}"] or 0, fees[f"{name}_{at[1]}"] or 0, digits=2)
        for name in ("collected", "outstanding")
    }


def _flow_figures(flows: list[dict], user, at: tuple[int, int]) -> dict:
    mass = [row for row in flows if row["dimension"] == Dimension.MASS]
    local = [row for row in mass if row["route"] == Route.LOCAL_VALORISATION]
    tonnes = _from_buckets(mass, "quantity", user, at)
    local_tonnes = _from_buckets(local, "quantity", user, at)
    share = figure(
        _share(local_tonnes["value"], tonnes["value"]),
        _share(local_tonnes["previous"], tonnes["previous"]),
        left_out=int(tonnes["masked"] or local_tonnes["masked"]),
    )
    if tonnes["value"] is None:
        share["masked_reason"] = tonnes["masked_reason"]
    else:
        share["masked_reason"] = tonnes["masked_reason"] or local_tonnes["masked_reason"]
    return {"tonnes_declared": tonnes, "local_share": share}


def _share(part, total):
    if part is None or not total:
        return None
    return Decimal(str(part)) * 100 / Decimal(str(total))


def _impact_figures(rows: list[dict], user, at: tuple[int, int]) -> dict:
    return {
        "opportunities_found": _from_buckets(rows, "found", user, at, members="found_members", digits=0),
        "matches_implemented": _from_buckets(rows, "implemented", user, at, digits=0),
        "tonnes_diverted": _from_buckets(rows, "tonnes", user, at),
        "co2e_avoided": _from_buckets(rows, "co2e_t", user, at),
        "euros_saved": _from_buckets(rows, "euros", user, at, digits=0),
    }
