"""Benchmark: parse generated MDS2 forms (NEMA xlsx and pasted text) on one core.

Generates N forms into a temporary directory (see ``generate_mds2.py``), loads the bytes into
memory, then times :func:`medtrust.mds2.readers.read_mds2` on each, format detection and
container checks included. Every parsed form is checked to have all 240 answers and no read
issues, so a fast-but-wrong reader cannot pass.

Usage: python bench/mds2_parse.py [--count 1000] [--repeat 3] [--keep DIR | --reuse DIR]
                                  [--profile xlsx|text]

``--repeat N`` parses every form N times per format and reports the median run (and the range),
because a shared machine makes single runs noisy. ``--keep DIR`` writes the generated forms to
DIR; ``--reuse DIR`` parses the forms found there instead of generating them (generation takes
longer than parsing). Targets (issue): >= 100 xlsx forms/s and >= 1,000 text forms/s on one
core.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_mds2 import generate
from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.mds2.readers import ReadLimits, read_mds2

TARGETS = {"xlsx": 100.0, "text": 1000.0}


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (Linux), else the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(kind: str, blobs: list[tuple[str, bytes]]) -> tuple[float, float]:
    """Parse every blob; return forms per second by CPU time and by wall-clock time."""
    catalogue = load_mds2_catalogue()
    limits = ReadLimits()
    read_mds2(blobs[0][1], filename=blobs[0][0], catalogue=catalogue, limits=limits)  # warm up
    start, cpu_start = time.perf_counter(), time.process_time()
    for name, data in blobs:
        form = read_mds2(data, filename=name, catalogue=catalogue, limits=limits)
        if len(form.answers) != 240 or form.read_issues:
            raise SystemExit(
                f"{kind}: {name} parsed wrongly: {len(form.answers)} answers, "
                f"{len(form.read_issues)} issues"
            )
    cpu = time.process_time() - cpu_start
    elapsed = time.perf_counter() - start
    return len(blobs) / cpu, len(blobs) / elapsed


def load_forms(args: argparse.Namespace) -> dict[str, list[tuple[str, bytes]]]:
    """The forms to parse, by format: generated (and maybe kept), or reused from a directory."""
    if args.reuse is not None:
        xlsx_paths = sorted(args.reuse.glob("form-*.xlsx"))[: args.count]
        text_paths = sorted(args.reuse.glob("form-*.txt"))[: args.count]
        if not xlsx_paths or not text_paths:
            raise SystemExit(f"{args.reuse}: no form-*.xlsx / form-*.txt files to reuse")
        print(f"reusing {len(xlsx_paths)} xlsx and {len(text_paths)} text forms in {args.reuse}")
        return {
            "xlsx": [(p.name, p.read_bytes()) for p in xlsx_paths],
            "text": [(p.name, p.read_bytes()) for p in text_paths],
        }
    with tempfile.TemporaryDirectory() as temp:
        out_dir = args.keep or Path(temp)
        started = time.perf_counter()
        xlsx_paths, text_paths = generate(out_dir, args.count)
        print(f"generated {args.count} forms in {time.perf_counter() - started:.1f}s")
        return {
            "xlsx": [(p.name, p.read_bytes()) for p in xlsx_paths],
            "text": [(p.name, p.read_bytes()) for p in text_paths],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per format; median reported")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--keep", type=Path, help="write the generated forms here and keep them")
    source.add_argument("--reuse", type=Path, help="parse the forms kept in this directory")
    parser.add_argument("--profile", choices=sorted(TARGETS), help="profile one format")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    blobs = load_forms(args)
    print(
        f"machine: {cpu_model()}; nproc {os.cpu_count()}; pinned to 1 core; "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(args.profile, blobs[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    for kind, items in blobs.items():
        runs = [run(kind, items) for _ in range(max(1, args.repeat))]
        rate = statistics.median(cpu for cpu, _ in runs)
        wall_rate = statistics.median(wall for _, wall in runs)
        size = sum(len(d) for _, d in items) / len(items) / 1024
        verdict = "ok" if rate >= TARGETS[kind] else "BELOW TARGET"
        spread = ""
        if len(runs) > 1:
            low, high = min(cpu for cpu, _ in runs), max(cpu for cpu, _ in runs)
            spread = f" [median of {len(runs)} runs, CPU {low:.0f}-{high:.0f}]"
        print(
            f"{kind:5s}: {rate:8.1f} forms/s of CPU time ({wall_rate:.1f} wall-clock){spread}; "
            f"{len(items)} forms, avg {size:.0f} KiB; target >= {TARGETS[kind]:,.0f}: {verdict}"
        )


if __name__ == "__main__":
    main()
