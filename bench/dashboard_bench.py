"""Coordinator dashboard and `/api/v1/stats/` endpoints on a large pole: render times and query counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptce_dash CACHE_URL=redis://127.0.0.1:6379/3 DEBUG=false \\
        .venv/bin/python -m bench.dashboard_bench --members 10000 --streams 100000 --runs 15

CACHE_URL points the statistics' cache at Redis, as in production: without a cache every process shares,
the platform computes every figure (ptce/settings.py), and the warm columns would equal the cold ones.

The database named in DATABASE_URL is migrated and filled once with a synthetic pole (members named
"Dash …"); later runs reuse it unless `--rebuild` is given. Point it at a database of its own, never at
real data. Each page or endpoint is requested through Django's test client (the whole stack: middleware,
session, view, template or JSON), once to warm up, then `--runs` times cold and warm: cold after a new
data version (as after any write: every figure is computed), warm right after (the statistics cache
answers). The table gives the median and the slowest run of each, the CPU time of the Python process on
cold runs (the rest of the time is PostgreSQL's, or waiting for a core), and the number of SQL queries
of a cold request. The machine's load average is printed before and after: on a shared machine it explains most of the variation between runs.

The pole: members of every kind (mostly active, joined 2012–2025, 5 colleges), one site each around three
towns (bench/synthetic.py), streams of the benchmark's 40 materials with log-normal quantities, mixed routes
and confidentiality, declared over three years; two years of yearly figures and this year's fee for each
member; substitutions at every stage of the funnel (a tenth implemented), pooling opportunities with 3–6
contributors around a hub, projects with funding, and matching runs.
"""

import argparse
import datetime
import math
import os
import random
import statistics
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.enums import LegalForm, MemberKind, MemberRole, MembershipStatus, RoleGroup  # noqa: E402
from members.models import College, Fee, Member, Site, User, YearlyFigure  # noqa: E402
from projects.enums import FundingSource, ProjectKind, ProjectStatus, ProjectVisibility  # noqa: E402
from projects.models import Funding, Project  # noqa: E402
from ptce.stats.cache import bump_data_version  # noqa: E402
from ptce.stats.warmup import warm_coordinator_dashboard  # noqa: E402
from waste_flows.enums import (  # noqa: E402
    Confidentiality,
    MatchKind,
    MatchStatus,
    Period,
    RunScope,
    RunStatus,
    RunTrigger,
    StreamStatus,
)
from waste_flows.matches import Match, MatchParticipant, MatchRun  # noqa: E402
from waste_flows.models import Material, Stream, Unit  # noqa: E402
from waste_flows.reference import BASE_UNITS  # noqa: E402

from .synthetic import CODES, ROUTE_WEIGHTS, ROUTES, member_sites, read_materials  # noqa: E402

BATCH = 5000
PREFIX = "Dash "
COORDINATOR = "dash-bench-coordination@pole.test"
PARTNER = "dash-bench-partner@pole.test"
MEMBER_USER = "dash-bench-member@pole.test"
KINDS = [MemberKind.CLASSIC_ENTERPRISE] * 5 + [MemberKind.ESS_ENTERPRISE] * 3 + [
    MemberKind.LOCAL_AUTHORITY, MemberKind.RESEARCH_CENTRE, MemberKind.TRAINING_BODY, MemberKind.OTHER,
]  # fmt: skip
MATCH_STATUSES = [MatchStatus.SUGGESTED] * 5 + [MatchStatus.REVIEWED] * 2 + [
    MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION, MatchStatus.IMPLEMENTED, MatchStatus.REJECTED,
]  # fmt: skip
ENDPOINTS = ["summary", "flows", "sankey", "impact", "funnel", "members", "jobs", "projects", "trends",
             "map/sites", "map/matches", "map/pooling"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--streams", type=int, default=100_000)
    parser.add_argument("--matches", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true", help="replace the synthetic pole even if present")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    present = Member.objects.filter(name__startswith=PREFIX).count()
    if arguments.rebuild or present != arguments.members:
        began = time.perf_counter()
        clear()
        build(arguments.members, arguments.streams, arguments.matches)
        print(f"built the pole in {time.perf_counter() - began:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    year = timezone.localdate().year  # the dashboard's default: the current year against the previous one
    print(f"database: {connection.vendor}; {describe()}; year {year}; median of {arguments.runs} runs")
    print("load average before: {:.1f} {:.1f} {:.1f}\n".format(*os.getloadavg()))
    print(
        "| request | as | cold: median (ms) | cold: slowest (ms) | cold: Python CPU (ms) | cold: queries "
        "| warm: median (ms) | warm: slowest (ms) | response (kB) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    coordinator = Client()
    coordinator.force_login(User.objects.get(email=COORDINATOR))
    print(measure(coordinator, "/tableau-de-bord/", year, arguments.runs, "coordinator", label="dashboard page"))
    for name in ENDPOINTS:
        print(measure(coordinator, f"/api/v1/stats/{name}/", year, arguments.runs, "coordinator"))
    print(measure(coordinator, "/tableau-de-bord/", year, arguments.runs, "coordinator", warm_up=True,
                  label="dashboard page, after a write and the worker's warm-up"))  # fmt: skip
    for email, role in ((PARTNER, "partner"), (MEMBER_USER, "member")):
        client = Client()
        client.force_login(User.objects.get(email=email))
        if role == "member":
            print(measure(client, "/mon-espace/", year, arguments.runs, role, label="member dashboard page"))
        for name in ("summary", "flows", "map/sites"):
            print(measure(client, f"/api/v1/stats/{name}/", year, arguments.runs, role))
    print("\nload average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def measure(client: Client, path: str, year: int, runs: int, role: str, label: str = "", warm_up=False) -> str:
    """Cold runs compute every figure (a new data version before each, as after any write); warm runs are
    the same request again, answered from the statistics cache. With `warm_up`, what the Celery worker does
    after a committed write (ptce.stats.warmup) is done, untimed, between the new version and the "cold"
    request: the page as the coordination finds it once the worker is done (a second or two after a write)."""
    queries = []
    bump_data_version()
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get(path, {"year": year}, HTTP_ACCEPT="application/json, text/html")
    assert response.status_code == 200, (path, response.status_code)
    cold, cold_cpu, warm = [], [], []
    for _ in range(runs):
        bump_data_version()
        if warm_up:
            warm_coordinator_dashboard()
        for timings, cpu in ((cold, cold_cpu), (warm, [])):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(path, {"year": year}, HTTP_ACCEPT="application/json, text/html")
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
    return (
        f"| {label or path} | {role} | {statistics.median(cold):.0f} | {max(cold):.0f} | "
        f"{statistics.median(cold_cpu):.0f} | {len(queries)} | {statistics.median(warm):.0f} | {max(warm):.0f} | "
        f"{len(response.content) / 1024:,.0f} |"
    )


def describe() -> str:
    return (
        f"{Member.objects.count():,} members, {Site.objects.count():,} sites, {Stream.objects.count():,} streams, "
        f"{Match.objects.count():,} matches, {Project.objects.count():,} projects"
    )


@transaction.atomic
def clear() -> None:
    bench = Member.objects.filter(name__startswith=PREFIX)
    projects = Project.objects.filter(lead_member__in=bench)
    Funding.objects.filter(project__in=projects).delete()
    projects.delete()
    matches = set(Match.objects.filter(streams__site__member__in=bench).values_list("pk", flat=True))
    MatchParticipant.objects.filter(match__in=matches).delete()
    Match.streams.through.objects.filter(match__in=matches).delete()
    Match.objects.filter(pk__in=matches).delete()
    MatchRun.objects.all().delete()
    Stream.objects.filter(site__member__in=bench).delete()
    User.objects.filter(email__in=[COORDINATOR, PARTNER, MEMBER_USER]).delete()
    Site.objects.filter(member__in=bench).delete()
    YearlyFigure.objects.filter(member__in=bench).delete()
    Fee.objects.filter(member__in=bench).delete()
    bench.delete()


@transaction.atomic
def build(member_count: int, stream_count: int, match_count: int) -> None:
    rng = random.Random(7)
    this_year = timezone.localdate().year
    members = insert_members(rng, member_count, this_year)
    sites = insert_sites(rng, members)
    streams = insert_streams(rng, sites, stream_count)
    insert_figures(rng, members, this_year)
    insert_matches(rng, streams, sites, match_count)
    insert_projects(rng, members, sites, this_year)
    MatchRun.objects.bulk_create(
        [MatchRun(scope=RunScope.FULL, trigger=RunTrigger.SCHEDULE, status=RunStatus.SUCCEEDED) for _ in range(20)]
    )
    insert_users(members[0])


def insert_members(rng: random.Random, count: int, this_year: int) -> list[Member]:
    colleges = [College.objects.get_or_create(name=f"{PREFIX}collège {n}")[0] for n in range(5)]
    members = []
    for n in range(count):
        status = rng.choices(
            [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.FORMER, MembershipStatus.PROSPECT],
            [85, 3, 7, 5],
        )[0]
        joined = datetime.date(rng.randint(2012, this_year - 1), rng.randint(1, 12), 1)
        left = joined + datetime.timedelta(days=rng.randint(200, 2000)) if status == MembershipStatus.FORMER else None
        members.append(
            Member(
                name=f"{PREFIX}{n}",
                kind=rng.choice(KINDS),
                legal_form=LegalForm.SAS,
                status=status,
                joined_on=None if status == MembershipStatus.PROSPECT else joined,
                left_on=left,
                college=rng.choice(colleges),
            )  # fmt: skip
        )
    return Member.objects.bulk_create(members, batch_size=BATCH)


def insert_sites(rng: random.Random, members: list[Member]) -> list[Site]:
    positions = member_sites(rng, (49.0, 5.8), len(members))
    communes = ["Metz", "Thionville", "Hayange", "Florange", "Yutz", "Longwy", "Nancy", "Verdun"]
    return Site.objects.bulk_create(
        [Site(member_id=member.pk, name=f"Site {member.name}", commune=rng.choice(communes),
              postcode=rng.choice(["57000", "57100", "57700", "54400", "55100"]), is_main=True,
              latitude=round(Decimal(lat), 6), longitude=round(Decimal(lon), 6))
         for member, (lat, lon) in zip(members, positions, strict=True)],
        batch_size=BATCH,
    )  # fmt: skip


def insert_streams(rng: random.Random, sites: list[Site], count: int) -> list[Stream]:
    materials = read_materials()
    material_ids = dict(Material.objects.filter(code__in=CODES).values_list("code", "pk"))
    units = dict(Unit.objects.values_list("code", "pk"))
    typical = {code: rng.uniform(math.log(500), math.log(200_000)) for code in CODES}
    levels = [Confidentiality.PUBLIC, Confidentiality.MEMBERS, Confidentiality.COORDINATOR]
    streams = []
    for _ in range(count):
        code = rng.choice(CODES)
        direction = "offer" if rng.random() < 0.6 else "need"
        quantity = Decimal(round(math.exp(rng.gauss(typical[code], 1.0)), 1))
        streams.append(
            Stream(
                site_id=rng.choice(sites).pk,
                direction=direction,
                kind="waste" if direction == "offer" else "input",
                material_id=material_ids[code],
                quantity=quantity,
                unit_id=units[BASE_UNITS.get(materials[code]["dimension"], "kg")],
                period=Period.YEAR,
                annual_quantity=quantity,
                current_route=rng.choices(ROUTES, ROUTE_WEIGHTS)[0] if direction == "offer" else "",
                confidentiality=rng.choices(levels, [30, 60, 10])[0],
                status=StreamStatus.ACTIVE,
            )  # fmt: skip
        )
    created = Stream.objects.bulk_create(streams, batch_size=BATCH)
    # Declarations spread over three years (bulk_create stamps them all now).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE waste_flows_stream SET created_at = created_at - (id %% 1100) * interval '1 day' "
            "WHERE site_id IN (SELECT id FROM members_site WHERE name LIKE %s)",
            [f"Site {PREFIX}%"],
        )
    return created


def insert_figures(rng: random.Random, members: list[Member], this_year: int) -> None:
    figures, fees = [], []
    for member in members:
        for year in (this_year - 2, this_year - 1):
            permanent = Decimal(rng.randint(0, 400)) / 4
            figures.append(YearlyFigure(member_id=member.pk, year=year, permanent_fte=permanent,
                                        insertion_fte=Decimal(rng.randint(0, 40)) / 4))  # fmt: skip
        due = Decimal(rng.choice([100, 250, 500]))
        fees.append(Fee(member_id=member.pk, year=this_year - 1, amount_due=due, amount_paid=due * rng.randint(0, 1)))
    YearlyFigure.objects.bulk_create(figures, batch_size=BATCH)
    Fee.objects.bulk_create(fees, batch_size=BATCH)


def insert_matches(rng: random.Random, streams: list[Stream], sites: list[Site], count: int) -> None:
    member_of = {site.pk: site.member_id for site in sites}
    offers = [s for s in streams if s.direction == "offer"]
    needs = [s for s in streams if s.direction == "need"]
    matches, pairs = [], []
    for n in range(count):
        offer, need = rng.choice(offers), rng.choice(needs)
        status = rng.choice(MATCH_STATUSES)
        matches.append(
            Match(
                key=f"dash:{n}",
                kind=MatchKind.SUBSTITUTION,
                status=status,
                material_id=offer.material_id,
                offer_id=offer.pk,
                need_id=need.pk,
                score=rng.random(),
                tonnes_per_year=float(offer.annual_quantity) / 1000,
                co2e_avoided_t=rng.uniform(0, 20),
                euros_saved=rng.uniform(0, 5000),
                rejection_reason="distance" if status == MatchStatus.REJECTED else "",
            )  # fmt: skip
        )
        pairs.append((offer, need))
    for n in range(count // 40):
        contributors = rng.sample(offers, rng.randint(3, 6))
        matches.append(Match(key=f"dash:pool:{n}", kind=MatchKind.POOLING, material_id=contributors[0].material_id,
                             hub_site_id=contributors[0].site_id, total_quantity=50_000, threshold=80_000))  # fmt: skip
        pairs.append(tuple(contributors))
    created = Match.objects.bulk_create(matches, batch_size=BATCH)
    through, participants = [], []
    for match, group in zip(created, pairs, strict=True):
        through += [Match.streams.through(match_id=match.pk, stream_id=stream.pk) for stream in group]
        for member_id in {member_of[stream.site_id] for stream in group}:
            participants.append(MatchParticipant(match_id=match.pk, member_id=member_id))
    Match.streams.through.objects.bulk_create(through, batch_size=BATCH)
    MatchParticipant.objects.bulk_create(participants, batch_size=BATCH)
    # Found over the last two years, implemented some time after (bulk_create stamps them all now).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE waste_flows_match SET created_at = created_at - (id %% 700) * interval '1 day', "
            "updated_at = updated_at - (id %% 300) * interval '1 day' WHERE key LIKE %s",
            ["dash:%"],
        )


def insert_projects(rng: random.Random, members: list[Member], sites: list[Site], this_year: int) -> None:
    projects = Project.objects.bulk_create(
        [Project(title=f"{PREFIX}projet {n}", kind=rng.choice(ProjectKind.values), status=rng.choice(ProjectStatus.values),
                 lead_member_id=rng.choice(members).pk, visibility=rng.choice(ProjectVisibility.values))
         for n in range(300)]
    )  # fmt: skip
    Funding.objects.bulk_create(
        [Funding(project_id=project.pk, source=rng.choice(FundingSource.values), amount_requested=Decimal(50_000),
                 amount_granted=Decimal(rng.choice([0, 20_000, 40_000])), granted_on=datetime.date(this_year - 1, 6, 1))
         for project in projects]
    )  # fmt: skip


def insert_users(member: Member) -> None:
    coordinator = User.objects.create_user(email=COORDINATOR, password=None)
    coordinator.groups.add(Group.objects.get(name=RoleGroup.COORDINATORS))
    partner = User.objects.create_user(email=PARTNER, password=None)
    partner.groups.add(Group.objects.get(name=RoleGroup.PARTNERS))
    User.objects.create_user(email=MEMBER_USER, password=None, member=member, member_role=MemberRole.ADMIN)


if __name__ == "__main__":
    main()
