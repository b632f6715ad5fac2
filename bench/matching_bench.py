"""Matching engine benchmark: time, peak memory, pairs examined, matches, incremental latency, naive baseline.

Run from the repository root:

    .venv/bin/python -m bench.matching_bench --sizes 1000 10000 100000

Each size runs in a fresh child process so that its peak memory (ru_maxrss) is its own. The naive all-pairs
baseline (tests/matching/reference.py) runs for sizes up to --naive-max and must select the same pairs.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

from bench.synthetic import territory
from waste_flows.matching import EngineSettings, run

INCREMENTAL_SAMPLES = 20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def measure(size: int, naive_max: int, poles: int | None) -> dict:
    streams, graph = territory(size, poles=poles)
    settings = EngineSettings()
    before = peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run(streams=streams, graph=graph, settings=settings)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    figures = {
        "size": size,
        "engine_s": seconds,
        "engine_cpu_s": cpu_seconds,
        "load_average": os.getloadavg()[0],
        "peak_mb": peak_mb(),
        "input_mb": before,
        "candidate_pairs": result.candidate_pairs,
        "substitutions": len(result.substitutions),
        "poolings": len(result.poolings),
        "shared_needs": len(result.shared_needs),
        "incremental_ms": incremental_ms(streams, graph, settings),
    }
    if size <= naive_max:
        figures |= naive(streams, graph, settings, result)
    return figures


def incremental_ms(streams, graph, settings) -> float:
    rng = random.Random(7)
    latencies = []
    for stream in rng.sample(streams, min(INCREMENTAL_SAMPLES, len(streams))):
        started = time.perf_counter()
        run(streams=streams, graph=graph, settings=settings, only_stream_ids=frozenset({stream.id}))
        latencies.append((time.perf_counter() - started) * 1000)
    return statistics.median(latencies)


def naive(streams, graph, settings, result) -> dict:
    from tests.matching.reference import selected_pairs

    started = time.perf_counter()
    expected = selected_pairs(streams, graph.uses, settings)
    seconds = time.perf_counter() - started
    found = {(s.offer_id, s.need_id): s.score for s in result.substitutions}
    same = found.keys() == expected.keys() and all(abs(found[k] - expected[k][0]) < 1e-9 for k in found)
    return {"naive_s": seconds, "naive_pairs": len(streams) ** 2 // 4, "naive_equal": same}


def table(rows: list[dict]) -> str:
    lines = [
        "| streams | engine (s) | engine CPU (s) | peak RSS (MB) | of which input (MB) | pairs examined | substitutions "
        "| poolings | shared needs | incremental, median of 20 (ms) | naive all-pairs (s) | same result | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    for row in rows:
        naive_s = f"{row['naive_s']:.1f}" if "naive_s" in row else "—"
        equal = {True: "yes", False: "**NO**"}.get(row.get("naive_equal"), "—")
        lines.append(
            f"| {row['size']:,} | {row['engine_s']:.2f} | {row['engine_cpu_s']:.2f} | {row['peak_mb']:.0f} "
            f"| {row['input_mb']:.0f} | {row['candidate_pairs']:,} | {row['substitutions']:,} | {row['poolings']:,} "
            f"| {row['shared_needs']:,} | {row['incremental_ms']:.0f} | {naive_s} | {equal} | {row['load_average']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--naive-max", type=int, default=10000, help="largest size for the all-pairs baseline")
    parser.add_argument("--poles", type=int, default=None, help="pack every size into this many poles (1: worst case)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.naive_max, args.poles)))
        return
    rows = []
    for size in args.sizes:
        command = [
            sys.executable,
            "-m",
            "bench.matching_bench",
            "--one",
            str(size),
            "--naive-max",
            str(args.naive_max),
        ]
        command += ["--poles", str(args.poles)] if args.poles else []
        rows.append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
        print(f"measured {size:,} streams", file=sys.stderr)
    print(table(rows))


if __name__ == "__main__":
    main()
