"""Benchmark: import feed inputs into a fresh knowledge base; wall time, CPU time, peak memory.

    python bench/kb_ingest.py PATH... [--kb-dir DIR] [--keep]

Examples (targets from the issue): Vulnrichment (44,130 CVE 5 records) < 60 s; CISA CSAF
(2,385 files) < 60 s; the generated NVD corpus (bench/generate_nvd.py, 300,000 records,
~1.5 M CPE ranges) < 120 s and < 4 GiB peak RSS. A second run over the same inputs measures
the idempotent no-op path.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from medtrust.kb.ingest import import_feeds


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    """Run the import twice (fresh, then unchanged) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--kb-dir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the KB (for scan benches)")
    args = parser.parse_args()
    root = args.kb_dir or Path(tempfile.mkdtemp(prefix="medtrust-kb-bench-"))
    try:
        for label in ("fresh import", "re-import (unchanged)"):  # the 2nd is the no-op path
            wall, cpu = time.perf_counter(), _cpu()
            report = import_feeds(args.paths, root=root)
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            print(
                f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {_peak_mib():.0f} MiB;"
                f" {report.new} new, {report.changed} changed, {report.unchanged} unchanged,"
                f" {report.summary.total_skipped} skipped;"
                f" writing {report.write_seconds:.1f} s; {len(report.changed_records)} changed"
                f" records naming {len(report.changed_vulns)} vulnerability ids"
            )
        print(f"knowledge base: {root}")
    finally:
        if not args.keep and args.kb_dir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
