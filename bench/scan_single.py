"""Benchmark: ``medtrust scan`` of one 300-component SBOM, end to end, warm.

    python bench/scan_single.py --kb-dir /tmp/kb-nvd

Writes a CycloneDX 1.6 SBOM of 300 generated components, then runs the scan command in a
fresh process three times (the first run warms the OS page cache) and reports each wall time
(target < 1 s warm), plus the in-process time of the scan service alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_nvd import components as generated

_RUNNER = "import typer; from medtrust.cli.scan import scan; typer.run(scan)"


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sbom = Path(tmp) / "device.cdx.json"
        write_sbom(sbom, args.components, seed=3)
        command = [
            sys.executable,
            "-c",
            _RUNNER,
            str(sbom),
            "--kb-dir",
            str(args.kb_dir),
            "--format",
            "json",
            "--output",
            str(Path(tmp) / "out.json"),
        ]
        for run in range(3):
            started = time.perf_counter()
            subprocess.run(command, check=True)
            print(f"run {run + 1}: medtrust scan took {time.perf_counter() - started:.2f} s")
        findings = json.loads((Path(tmp) / "out.json").read_text())["findings"]
        print(f"{len(findings)} findings")
        from medtrust.kb.query import SnapshotProvider
        from medtrust.kb.store import KnowledgeBase
        from medtrust.matching.scan import scan_documents
        from medtrust.sbom.readers.registry import read_sbom

        started = time.perf_counter()
        document = read_sbom(sbom)
        scan_documents([document], SnapshotProvider(KnowledgeBase.open(args.kb_dir)))
        print(f"in process (read + scan): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
