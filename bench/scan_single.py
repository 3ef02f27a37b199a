"""Benchmark: ``medtrust scan`` of one 300-component SBOM, end to end, warm.

    python bench/scan_single.py --kb-dir /tmp/kb-nvd

Writes a CycloneDX 1.6 SBOM of 300 generated components, then runs ``medtrust scan`` (the
real entry point, ``python -m medtrust scan``: CLI start-up included) in a fresh process: one
run to warm the OS page cache, then ``--runs`` timed runs (target < 1 s warm); the median,
range and the processes' peak RSS are printed. Then the in-process time of reading and
scanning (``read_sbom`` + ``scan_documents``), also ``--runs`` times.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_nvd import components as generated


def write_sbom(path: Path, count: int, seed: int) -> None:
    """A CycloneDX JSON SBOM of generated components."""
    items = []
    for index, (name, version, purl, cpe) in enumerate(generated(count, seed)):
        item = {"type": "library", "bom-ref": f"c{index}", "name": name, "version": version}
        if purl:
            item["purl"] = purl
        if cpe:
            item["cpe"] = cpe
        items.append(item)
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": items}
    path.write_text(json.dumps(bom), encoding="utf-8")


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb-dir", type=Path, required=True)
    parser.add_argument("--components", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sbom = Path(tmp) / "device.cdx.json"
        write_sbom(sbom, args.components, seed=3)
        command = [
            sys.executable,
            "-m",
            "medtrust",
            "scan",
            str(sbom),
            "--kb-dir",
            str(args.kb_dir),
            "--format",
            "json",
            "--output",
            str(Path(tmp) / "out.json"),
        ]
        subprocess.run(command, check=True)  # warm-up: OS page cache, .pyc files
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, check=True)
            times.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        findings = json.loads((Path(tmp) / "out.json").read_text())["findings"]
        print(
            f"medtrust scan as a new process: median {statistics.median(times):.2f} s"
            f" (runs: {', '.join(f'{t:.2f}' for t in times)}); {len(findings)} findings;"
            f" peak RSS {peak:.0f} MiB"
        )
        from medtrust.kb.query import SnapshotProvider
        from medtrust.kb.store import KnowledgeBase
        from medtrust.matching.scan import scan_documents
        from medtrust.sbom.readers.registry import read_sbom

        inside = []
        for _ in range(args.runs):
            started = time.perf_counter()
            document = read_sbom(sbom)
            scan_documents([document], SnapshotProvider(KnowledgeBase.open(args.kb_dir)))
            inside.append(time.perf_counter() - started)
        print(
            f"in process (read + scan): median {statistics.median(inside):.2f} s"
            f" (runs: {', '.join(f'{t:.2f}' for t in inside)})"
        )


if __name__ == "__main__":
    main()
