"""End-to-end matching benchmark on a real database: load, engine, upsert, then incremental runs.

    DATABASE_URL=postgres://ptce:ptce@127.0.0.1:5432/ptce_bench .venv/bin/python -m bench.end_to_end --sizes 1000 10000 100000

The database named in DATABASE_URL is migrated, then emptied of earlier benchmark data (members named
"Bench …", their streams and every match and run touching them) before each size: point it at a database of
its own, never at real data. The synthetic territory is the one of bench/synthetic.py, written with bulk inserts
(this measures the matching, not the declaration forms).

On PostgreSQL the touched tables are compacted after clearing (so that each size starts as a new pole would) and
analysed after inserting, as autovacuum would be shortly after such bulk changes (`tidy`).

Incremental latency is measured twice: as the run records it (started → finished, what the page shows) and
around the whole call (creating the run, reading it, executing it), which is what a worker spends.
The SQL self-join baseline grows with the square of the streams: it runs up to --self-join-max streams.
"""

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from members.enums import LegalForm, MemberKind, MembershipStatus  # noqa: E402
from members.models import Member, Site  # noqa: E402
from waste_flows.enums import Confidentiality, Period, RunScope, RunTrigger, StreamStatus  # noqa: E402
from waste_flows.match_services import match_run_create, match_run_execute  # noqa: E402
from waste_flows.matches import Match, MatchNote, MatchParticipant, MatchRun  # noqa: E402
from waste_flows.models import EwcCode, Material, Stream, Unit  # noqa: E402
from waste_flows.reference import BASE_UNITS  # noqa: E402

from .synthetic import territory  # noqa: E402

BATCH = 5000
HAZARDOUS_CODE = "13 02 05"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--incremental-samples", type=int, default=20)
    parser.add_argument("--self-join-max", type=int, default=10000, help="largest size for the SQL self-join")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print("| streams | insert (s) | full run: load / engine / upsert = total (s) | matches | re-run unchanged (s) | "
          "incremental median, run / call (ms) | streams loaded by an incremental run (median) | "
          "SQL self-join (s, pairs) | load average |")  # fmt: skip
    print("|---:|---:|---|---:|---:|---|---:|---:|---|")
    for size in arguments.sizes:
        print(measure(size, arguments.incremental_samples, arguments.self_join_max), flush=True)


def measure(size: int, samples: int, self_join_max: int) -> str:
    load_before = os.getloadavg()[0]
    clear()
    tidy(compact=True)
    began = time.perf_counter()
    stream_ids = insert(size)
    inserted = time.perf_counter() - began
    tidy()
    full = execute(RunScope.FULL)
    matches = Match.objects.count()
    rerun = execute(RunScope.FULL)
    recorded, called, loaded = [], [], []
    for stream_id in random.Random(size).sample(stream_ids, min(samples, len(stream_ids))):
        began = time.perf_counter()
        run = execute(RunScope.INCREMENTAL, stream_id=stream_id)
        called.append((time.perf_counter() - began) * 1000)
        recorded.append((run.finished_at - run.started_at).total_seconds() * 1000)
        loaded.append(run.streams_loaded)
    sql = "—"
    if size <= self_join_max:
        sql_seconds, sql_pairs = sql_self_join()
        sql = f"{sql_seconds:.1f} s, {sql_pairs:,}"
    return (
        f"| {size:,} | {inserted:.1f} | {full.load_seconds:.2f} / {full.engine_seconds:.2f} / "
        f"{full.save_seconds:.2f} = {_total(full):.1f} | {matches:,} | {_total(rerun):.1f} | "
        f"{statistics.median(recorded):.0f} / {statistics.median(called):.0f} | {statistics.median(loaded):,.0f} | "
        f"{sql} | {load_before:.1f} → {os.getloadavg()[0]:.1f} |"
    )


# The query a developer would write first: every active offer joined to every active need of the same
# material (or a sub-category of it), other member, haversine distance × 1.3 within both limits. It covers
# only the "same material or descendant" rule (no MaterialUse edges, no availability, no scoring, no top-k).
SELF_JOIN = """
SELECT count(*) FROM waste_flows_stream o
JOIN members_site os ON os.id = o.site_id
JOIN waste_flows_material om ON om.id = o.material_id
JOIN waste_flows_stream n ON n.direction = 'need' AND n.status = 'active'
JOIN members_site ns ON ns.id = n.site_id AND ns.member_id <> os.member_id
JOIN waste_flows_material nm ON nm.id = n.material_id
WHERE o.direction = 'offer' AND o.status = 'active'
  AND (om.code = nm.code OR om.code LIKE nm.code || '.%%')
  AND 1.3 * 2 * 6371 * asin(sqrt(
        power(sin(radians(ns.latitude - os.latitude) / 2), 2)
        + cos(radians(os.latitude)) * cos(radians(ns.latitude)) * power(sin(radians(ns.longitude - os.longitude) / 2), 2)
      )) <= least(coalesce(o.max_distance_km, 50), coalesce(n.max_distance_km, 50))
"""


def sql_self_join() -> tuple[float, int]:
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SELF_JOIN)
        (pairs,) = cursor.fetchone()
    return time.perf_counter() - began, pairs


def execute(scope: str, stream_id: int | None = None) -> MatchRun:
    run = match_run_create(scope=scope, trigger=RunTrigger.COMMAND, stream_id=stream_id)
    return match_run_execute(run_id=run.pk)


def _total(run: MatchRun) -> float:
    return run.load_seconds + run.engine_seconds + run.save_seconds


@transaction.atomic
def clear() -> None:
    """Delete the benchmark's members, sites, streams, their matches and every run, with their history.

    Plain DELETE statements: the ORM's delete would load hundreds of thousands of matches and participants to
    write a history row for each (simple-history listens to deletions), which takes longer than the benchmark."""
    bench = Member.objects.filter(name__startswith="Bench ").values("pk")
    sites = Site.objects.filter(member__in=bench).values("pk")
    streams = Stream.objects.filter(site__in=sites).values("pk")
    # Found through their stream links, so the links go last (foreign keys are checked at commit).
    matches = Match.objects.filter(streams__in=streams).values("pk")
    _delete(MatchParticipant.history.model.objects.filter(match_id__in=matches))
    _delete(MatchParticipant.objects.filter(match__in=matches))
    _delete(MatchNote.objects.filter(match__in=matches))
    _delete(Match.history.model.objects.filter(id__in=matches))
    _delete(Match.objects.filter(pk__in=matches))
    _delete(Match.streams.through.objects.filter(stream__in=streams))
    _delete(MatchRun.objects.all())
    _delete(Stream.history.model.objects.filter(site_id__in=sites))
    _delete(Stream.objects.filter(site__in=sites))
    _delete(Site.history.model.objects.filter(member_id__in=bench))
    _delete(Site.objects.filter(member__in=bench))
    _delete(Member.history.model.objects.filter(id__in=bench))
    _delete(Member.objects.filter(pk__in=bench))


def tidy(*, compact: bool = False) -> None:
    """On PostgreSQL, what autovacuum does within a minute of a large change: refresh the planner's statistics
    (else it plans for empty tables) and reclaim deleted rows. After clearing, `compact` rewrites the tables
    (VACUUM FULL), so that the next size starts as a new pole would, rather than inserting among the dead
    rows of the previous size (same keys, bloated indexes: a third slower)."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Member, Site, Stream, Match, MatchParticipant, MatchRun)]
    tables += [Match.streams.through._meta.db_table, Match.history.model._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM {'FULL ' if compact else ''}ANALYZE {table}")


def _delete(queryset) -> None:
    """DELETE … WHERE pk IN (the queryset's ids), in one statement, without signals."""
    sql, params = queryset.values("pk").query.sql_with_params()
    table, pk = queryset.model._meta.db_table, queryset.model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({sql})", params)


@transaction.atomic
def insert(size: int) -> list[int]:
    streams, _graph = territory(size)
    member_ids = sorted({stream.member_id for stream in streams})
    members = Member.objects.bulk_create(
        [Member(name=f"Bench {n}", kind=MemberKind.CLASSIC_ENTERPRISE, legal_form=LegalForm.SAS,
                status=MembershipStatus.ACTIVE) for n in member_ids],
        batch_size=BATCH,
    )  # fmt: skip
    member_of = dict(zip(member_ids, (member.pk for member in members), strict=True))
    first = {}
    for stream in streams:
        first.setdefault(stream.site_id, stream)
    sites = Site.objects.bulk_create(
        [Site(member_id=member_of[s.member_id], name=f"Site {s.site_id}", commune="Bench", is_main=True,
              latitude=round(s.latitude, 6), longitude=round(s.longitude, 6)) for s in first.values()],
        batch_size=BATCH,
    )  # fmt: skip
    site_of = dict(zip(first, (site.pk for site in sites), strict=True))
    materials = dict(Material.objects.values_list("code", "pk"))
    units = {unit.code: unit.pk for unit in Unit.objects.all()}
    hazardous = EwcCode.objects.get(code=HAZARDOUS_CODE).pk
    created = Stream.objects.bulk_create(
        [_stream(s, site_of, materials, units, hazardous) for s in streams], batch_size=BATCH
    )
    return [stream.pk for stream in created]


def _stream(s, site_of, materials, units, hazardous) -> Stream:
    return Stream(
        site_id=site_of[s.site_id], direction=s.direction, kind=s.kind, material_id=materials[s.material],
        ewc_code_id=hazardous if s.hazardous else None, quantity=s.annual_quantity,
        unit_id=units[BASE_UNITS.get(s.dimension, "kg")], period=Period.YEAR, annual_quantity=s.annual_quantity,
        months=list(s.months), regularity="seasonal" if s.months else "continuous",
        current_route=s.current_route, max_distance_km=s.max_distance_km, accepts_hazardous=s.accepts_hazardous,
        confidentiality=Confidentiality.MEMBERS, status=StreamStatus.ACTIVE,
    )  # fmt: skip


if __name__ == "__main__":
    main()
