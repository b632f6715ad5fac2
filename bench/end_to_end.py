"""End-to-end matching benchmark on a real database: load, engine, upsert, then an incremental run.

    DATABASE_URL=postgres://ptce:ptce@127.0.0.1:5432/ptce_bench .venv/bin/python -m bench.end_to_end --sizes 1000 10000 100000

The database named in DATABASE_URL is migrated, then emptied of earlier benchmark data (members named
"Bench …") before each size: point it at a database of its own, never at real data. The synthetic
territory is the one of bench/synthetic.py, written with bulk inserts (this measures the matching, not
the declaration forms).
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
from waste_flows.matches import Match, MatchRun  # noqa: E402
from waste_flows.models import EwcCode, Material, Stream, Unit  # noqa: E402
from waste_flows.reference import BASE_UNITS  # noqa: E402

from .synthetic import territory  # noqa: E402

BATCH = 5000
HAZARDOUS_CODE = "13 02 05"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--incremental-samples", type=int, default=20)
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print("| streams | insert (s) | full run: load / engine / upsert (s) | matches | re-run unchanged (s) | "
          "incremental median (ms) | SQL self-join (s, pairs) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for size in arguments.sizes:
        print(measure(size, arguments.incremental_samples), flush=True)


def measure(size: int, samples: int) -> str:
    clear()
    began = time.perf_counter()
    stream_ids = insert(size)
    inserted = time.perf_counter() - began
    full = execute(RunScope.FULL)
    matches = Match.objects.count()
    rerun = execute(RunScope.FULL)
    rng = random.Random(size)
    latencies = []
    for stream_id in rng.sample(stream_ids, min(samples, len(stream_ids))):
        run = execute(RunScope.INCREMENTAL, stream_id=stream_id)
        latencies.append((run.finished_at - run.started_at).total_seconds() * 1000)
    sql_seconds, sql_pairs = sql_self_join()
    return (
        f"| {size:,} | {inserted:.1f} | {full.load_seconds:.2f} / {full.engine_seconds:.2f} / "
        f"{full.save_seconds:.2f} = {_total(full):.1f} | {matches:,} | {_total(rerun):.1f} | "
        f"{statistics.median(latencies):.0f} | {sql_seconds:.1f} s, {sql_pairs:,} |"
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
    bench = Member.objects.filter(name__startswith="Bench ")
    streams = Stream.objects.filter(site__member__in=bench)
    matches = Match.objects.filter(streams__in=streams).values("pk")
    Match.history.model.objects.filter(id__in=matches).delete()
    Match.objects.filter(pk__in=matches).delete()
    MatchRun.objects.all().delete()
    Stream.history.model.objects.filter(site_id__in=Site.objects.filter(member__in=bench).values("pk")).delete()
    streams.delete()
    Site.objects.filter(member__in=bench).delete()
    bench.delete()


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
