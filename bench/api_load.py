"""The partner API under load: list and stats endpoints served by gunicorn (2 workers) on PostgreSQL, driven by wrk.

    createdb -h 127.0.0.1 -U postgres ptce_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptce_load .venv/bin/python -m bench.api_load

Needs `wrk` (Debian: `apt-get install wrk`). Point DATABASE_URL at a database of its own, never at real data:
it is migrated and given the synthetic pole of bench/dashboard_bench.py (10,000 members of every kind around
Thionville with a site each, 100,000 streams, 20,000 matches, 300 projects; built once, reused by later runs),
and two API keys are issued: one to that pole's partner with every read scope, one to a member admin.

Then gunicorn serves the platform with production settings (DEBUG off, 2 workers, persistent database
connections, the gunicorn settings of production: ptce/gunicorn.py) on 127.0.0.1:8765, and for each endpoint of `ENDPOINTS` and each number of clients of `CLIENTS`,
wrk sends requests for `--duration` seconds after a short warm-up: the table gives requests per second, the
50th, 95th and 99th percentiles of latency, the errors (answers other than 2xx/3xx, socket errors) and the
share of the machine's CPU time its hypervisor gave to other machines meanwhile (Linux's steal time): on a shared
virtual machine the same run is slower when it is high.

Each endpoint is a few URLs (pages 1 to 5, a few filter values) that wrk asks for in turn, not one URL: the
API keeps whole answers in a cache until the next write (members.api.answer_cache), and one URL would
measure a single cached page. The first table is the API warm, as partners polling the same pages meet it:
every URL was asked before the measure, so these are cache hits behind authentication and throttling. A
second run serves the same URLs with the cache of answers off (API_CACHE_TIMEOUT=0), one client: what a
page costs to compute. (The statistics keep their own cache, ptce.stats.cache, in both.)

Each client sends its next request as soon as it has the answer, so the server is always busy: one client
gives the time one request costs; with 10 or 50, by Little's law the latency is the number of clients divided
by the throughput (50 clients at 100 requests/s wait 500 ms each), whatever a request costs. The rate limits
are raised far above the load, per second, so that every request is served for real and their counters still
run at the cost of a production limit (see SERVER_ENV). `--profile` adds, for each endpoint, its SQL queries,
the EXPLAIN ANALYZE of the slowest one and the Python functions where it spends its time, measured in-process
with the cache of answers off.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from members.api_key_services import api_key_issue  # noqa: E402
from members.api_keys import ApiKey  # noqa: E402
from members.enums import ApiScope  # noqa: E402
from members.models import Member, User  # noqa: E402

from . import dashboard_bench  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOST, PORT = "127.0.0.1", 8765
KEY_NAME = "bench/api_load.py"


def pages(path: str, count: int = 5) -> list[str]:
    """The first `count` pages of 50 of a list."""
    separator = "&" if "?" in path else "?"
    return [path, *(f"{path}{separator}page={page}" for page in range(2, count + 1))]


WOOD_OFFERS = "/api/v1/streams/?family=wood&direction=offer&near=49.33,6.06&radius_km="
ENDPOINTS = [  # (label, paths asked in turn, whose key)
    ("members, pages 1–5 of 50", pages("/api/v1/members/"), "partner"),
    ("members of a kind, 3 kinds × pages 1–2", [p for kind in ("ess_enterprise", "classic_enterprise", "local_authority") for p in pages(f"/api/v1/members/?kind={kind}", 2)], "partner"),
    ("sites, pages 1–5 of 50", pages("/api/v1/sites/"), "partner"),
    ("streams, pages 1–5 of 50", pages("/api/v1/streams/"), "partner"),
    ("streams, pages 1–5 of 50, member key", pages("/api/v1/streams/"), "member"),
    ("wood offers within 10, 20, 30 km, pages 1–2", [p for km in (10, 20, 30) for p in pages(f"{WOOD_OFFERS}{km}", 2)], "partner"),
    ("projects, pages 1–2 of 50 and 3 statuses", [*pages("/api/v1/projects/", 2), *(f"/api/v1/projects/?status={status}" for status in ("idea", "funding", "operational"))], "partner"),
    ("stats: summary, 3 years", [f"/api/v1/stats/summary/?year={year}" for year in (2024, 2025, 2026)], "partner"),
    ("stats: impact, 3 years", [f"/api/v1/stats/impact/?year={year}" for year in (2024, 2025, 2026)], "partner"),
]  # fmt: skip
CLIENTS = (1, 10, 50)
ASKED_BEFORE = 4  # times each URL is asked before a warm measure: with 2 workers, each then has it cached
SERVER_ENV = {
    "DJANGO_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    # Per second, not per hour: a rate limit keeps the time of every request of its period and reads and writes
    # that list at each request. Production's 1000/hour keeps at most 1,000; 100,000,000/hour kept every request
    # of the run, and at a few hundred requests a second each request paid for tens of thousands.
    "API_THROTTLE_KEY_RATE": "100000/second",
    "API_THROTTLE_USER_RATE": "100000/second",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per endpoint and concurrency")
    parser.add_argument("--rebuild", action="store_true", help="replace the synthetic pole even if present")
    parser.add_argument("--profile", action="store_true", help="queries and EXPLAIN ANALYZE of each endpoint")
    parser.add_argument("--only", help="only the endpoints whose label contains this text")
    parser.add_argument("--no-uncached", action="store_true", help="skip the run with the cache of answers off")
    parser.add_argument("--cache-url", help="CACHE_URL of the server (redis://…): default, each worker's memory")
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL database of its own (see the docstring).")
    keys = prepare(rebuild=arguments.rebuild)
    endpoints = [e for e in ENDPOINTS if not arguments.only or arguments.only in e[0]]
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{dashboard_bench.describe()}; gunicorn 2 workers; wrk, {arguments.duration} s per line")
    print(f"load average before the run: {load_average}\n")
    print("Warm: every URL asked before (cache hits)\n")
    print(HEADER)
    if arguments.cache_url:
        SERVER_ENV["CACHE_URL"] = arguments.cache_url
        print(f"cache: {arguments.cache_url}\n")
    with serve(cache=True):
        for label, paths, whose in endpoints:
            warm(paths, keys[whose])
            for clients in CLIENTS:
                print(row(label, clients, load(paths, keys[whose], clients, arguments.duration)), flush=True)
    if not arguments.no_uncached:
        print("\nUncached: the cache of answers off (API_CACHE_TIMEOUT=0), one client\n")
        print(HEADER)
        with serve(cache=False):
            for label, paths, whose in endpoints:
                print(row(label, 1, load(paths, keys[whose], 1, arguments.duration)), flush=True)
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average after the run: {load_average}")
    if arguments.profile:
        settings.API_CACHE_TIMEOUT = 0  # in-process, the profile is of the computed page
        for label, paths, whose in endpoints:
            profile(label, paths[0], keys[whose])


HEADER = (
    "| endpoint | clients | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors | CPU stolen (%) |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|"
)


def row(label: str, clients: int, figures: dict) -> str:
    errors = figures["non_2xx"] + figures["socket_errors"]
    stolen = "—" if figures.get("stolen") is None else f"{figures['stolen']:.0f}"
    if not figures["requests"]:  # not one answer within the run: wrk has no latency to give
        return f"| {label} | {clients} | 0 | — | — | — | {errors} | {stolen} |"
    latencies = " | ".join(f"{figures[name]:.0f}" for name in ("p50", "p95", "p99"))
    return f"| {label} | {clients} | {figures['rps']:.1f} | {latencies} | {errors} | {stolen} |"


def prepare(*, rebuild: bool) -> dict[str, str]:
    call_command("migrate", verbosity=0)
    present = Member.objects.filter(name__startswith=dashboard_bench.PREFIX).count()
    if rebuild or present != 10_000:
        began = time.perf_counter()
        dashboard_bench.clear()
        dashboard_bench.build(10_000, 100_000, 20_000)
        print(f"built the synthetic pole in {time.perf_counter() - began:.0f} s")
    with connection.cursor() as cursor:
        # VACUUM too: a table just filled has no visibility map, and its index-only scans read the heap
        # anyway (56,000 heap fetches for the count of a partner's stream list), which autovacuum spares a
        # database in service.
        cursor.execute("VACUUM ANALYZE")
    ApiKey.objects.filter(name=KEY_NAME).delete()
    coordinator = User.objects.get(email=dashboard_bench.COORDINATOR)
    partner = User.objects.get(email=dashboard_bench.PARTNER)
    member = User.objects.get(email=dashboard_bench.MEMBER_USER)
    reading = [scope for scope in ApiScope.values if scope != ApiScope.STREAMS_WRITE]
    return {
        "partner": api_key_issue(issued_by=coordinator, user=partner, name=KEY_NAME, scopes=reading)[1],
        "member": api_key_issue(issued_by=member, user=member, name=KEY_NAME, scopes=list(ApiScope.values))[1],
    }


@contextmanager
def serve(*, cache: bool):
    """gunicorn with 2 workers on HOST:PORT, with or without the cache of answers, stopped (by its own pid) on
    the way out."""
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "ptce.wsgi:application",
        "--config",
        "python:ptce.gunicorn",
        "--workers",
        "2",
        "--bind",
        f"{HOST}:{PORT}",
    ]
    env = {**os.environ, **SERVER_ENV, **({} if cache else {"API_CACHE_TIMEOUT": "0"})}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer on /healthz")
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def ask(path: str, key: str) -> None:
    request = urllib.request.Request(f"http://{HOST}:{PORT}{path}", headers={"Authorization": f"Bearer {key}"})
    # Fails loudly on a 4xx/5xx. The long timeout lets the workers first finish the requests that the
    # previous run left queued when wrk stopped.
    with urllib.request.urlopen(request, timeout=300) as answer:
        assert answer.status == 200, (path, answer.status)


def warm(paths: list[str], key: str) -> None:
    """Each URL asked a few times, one connection each: both workers (each its own local-memory cache) end up
    with every answer."""
    for _ in range(ASKED_BEFORE):
        for path in paths:
            ask(path, key)


def load(paths: list[str], key: str, clients: int, duration: int) -> dict:
    ask(paths[0], key)
    url = f"http://{HOST}:{PORT}{paths[0]}"
    wrk = [
        "wrk",
        f"-t{min(clients, 2)}",
        f"-c{clients}",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench/api_load.lua"),
        url,
    ]
    env = {**os.environ, "API_KEY": key, "API_PATHS": "\n".join(paths)}
    subprocess.run([*wrk, "-d2s"], env=env, check=True, capture_output=True)  # warm-up
    before = cpu_times()
    output = subprocess.run([*wrk, f"-d{duration}s"], env=env, check=True, capture_output=True, text=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["stolen"] = stolen_share(before, cpu_times())
    return figures


def cpu_times() -> list[int] | None:
    """The machine's CPU time so far by kind (Linux's /proc/stat: user, nice, system, idle, iowait, irq,
    softirq, steal), None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None


def stolen_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of the CPU time the hypervisor gave to other machines between two readings, in %: on a
    shared virtual machine, the same run is slower when it is high."""
    if before is None or after is None or len(before) < 8 or len(after) < 8:
        return None
    elapsed = [late - early for early, late in zip(before, after, strict=True)]
    return 100 * elapsed[7] / max(sum(elapsed), 1)


def profile(label: str, path: str, key: str) -> None:
    """The queries of one request, in-process, and the plan of the slowest."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get(path)  # warm: the first request loads reference data into caches
    timed = []

    def timing(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - began) * 1000, sql, params))

    with connection.execute_wrapper(timing):
        began = time.perf_counter()
        response = client.get(path)
        total = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (path, response.status_code)
    slowest_ms, sql, params = max(timed, key=lambda entry: entry[0])
    print(f"\n### {label}: {len(timed)} queries, {total:.0f} ms in-process, slowest query {slowest_ms:.1f} ms\n")
    print("```\n" + sql[:1500] + "\n")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()) + "\n```")
    python_hot_spots(client, path)


def python_hot_spots(client: Client, path: str, top: int = 15) -> None:
    """The functions where one request spends its own Python time (cProfile; times inflated by the profiler)."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    output = io.StringIO()
    pstats.Stats(profiler, stream=output).sort_stats("tottime").print_stats(top)
    print("\n```\n" + output.getvalue().split("\n\n", 1)[-1].strip() + "\n```")


if __name__ == "__main__":
    main()
