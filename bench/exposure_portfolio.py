"""Benchmark: exposure of a 100,000-asset hospital with 2,000 product versions.

    python bench/generate_nvd.py /tmp/bench-nvd
    python bench/kb_ingest.py /tmp/bench-nvd --kb-dir /tmp/kb-nvd
    POLARS_MAX_THREADS=2 python bench/exposure_portfolio.py --kb-dir /tmp/kb-nvd

Setup (not timed): a copy of the knowledge base, an SQLite database with 2,000 product versions,
each with a CycloneDX SBOM of ``--components`` components drawn as in ``portfolio_scan.py``
(uploaded through the SBOM service, which stores components and matching keys), and 100,000
assets imported through the CMMS import service, linked to those versions, across departments,
zones, criticalities and statuses.

Timed: (1) a full evaluation (target < 15 s); (2) an incremental re-evaluation after one new
CSAF advisory naming one product, imported into the knowledge base (target < 1 s; the import
itself is reported separately); (3) the worklist page, p95 over varied requests (target
< 200 ms). Prints figures and peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fastapi.testclient import TestClient

from generate_nvd import components as generated
from medtrust.api.app import create_app
from medtrust.domain.tenancy import OrgKind, Role
from medtrust.kb.ingest import import_feeds
from medtrust.services import accounts
from medtrust.services.context import ServiceContext
from medtrust.services.exposure import evaluate_exposure, refresh_exposure
from medtrust.services.inventory import import_assets
from medtrust.services.sboms import upload_sbom
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade

DEPARTMENTS = ("ICU", "Emergency", "Radiology", "Cardiology", "Theatres", "Oncology", "Laboratory")
ZONES = ("MED-ICU", "MED-IMAGING", "MED-LAB", "Corporate LAN", "MED-INFUSION", "")
CRITICALITY = ("life-sustaining", "therapeutic", "monitoring", "diagnostic", "non-clinical")
PAGES = (
    "/exposure/worklist",
    "/exposure/worklist?page=20",
    "/exposure/worklist?decision=act",
    "/exposure/worklist?decision=attend&decision=track-star",
    "/exposure/worklist?q=vendor1",
    "/exposure/worklist?kev=1",
)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sbom(number: int, size: int, seed: int, versions_per_line: int = 5) -> bytes:
    """The SBOM of product version ``number``: versions of one product line share components.

    Each line has a base set of components; each version redraws the version of 10 % of them,
    as successive firmware releases do (so most components repeat across a line's versions).
    """
    line = number // versions_per_line
    rng = random.Random(seed * 1_000_003 + number)
    comps = []
    for i, (name, version, purl, cpe) in enumerate(generated(size, seed * 100_000 + line)):
        if rng.random() < 0.1:
            *head, last = version.split(".")
            new = ".".join([*head, str(int(last) + rng.randrange(1, 9))]) if head else version
            purl = purl and purl.rsplit("@", 1)[0] + "@" + new
            cpe = (
                cpe
                if cpe is None or ":h:" in cpe
                else ":".join([*cpe.split(":")[:5], new, *cpe.split(":")[6:]])
            )
            version = new
        item: dict[str, str] = {"type": "library", "bom-ref": f"c{i}", "name": name}
        item["version"] = version
        if purl:
            item["purl"] = purl
        if cpe:
            item["cpe"] = cpe
        comps.append(item)
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "metadata": {"component": {"type": "device", "name": f"Model {line}"}},
            "components": comps,
        }
    ).encode()


def _assets_csv(versions: int, assets: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["Asset tag", "Serial", "Manufacturer", "Model", "Software version", "Department",
         "Network zone", "Criticality", "Status"]
    )  # fmt: skip
    for n in range(assets):
        pv = n % versions
        profile = rng.randrange(3)  # a product version's assets sit in a few places
        writer.writerow(
            [f"BX-{n:06d}", f"SN{n:08d}", f"Maker {pv % 60}", f"Model {pv}", f"{1 + pv % 7}.0",
             DEPARTMENTS[(pv + profile) % len(DEPARTMENTS)], ZONES[(pv + profile) % len(ZONES)],
             CRITICALITY[pv % len(CRITICALITY)], "stored" if rng.random() < 0.03 else "in-use"]
        )  # fmt: skip
    return out.getvalue().encode()


def _advisory(directory: Path, product: int, tag: str) -> Path:
    """A CSAF advisory (written for the benchmark) naming one product version.

    ``tag`` makes its tracking id new on every run, so a reused knowledge base changes too.
    """
    maker, model, version = f"Maker {product % 60}", f"Model {product}", f"{1 + product % 7}.0"
    doc = {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": "Benchmark advisory",
            "publisher": {
                "category": "vendor",
                "name": maker,
                "namespace": "https://bench.example",
            },
            "tracking": {
                "id": f"BENCH-2026-{tag}",
                "status": "final",
                "version": "1",
                "initial_release_date": "2026-11-01T00:00:00Z",
                "current_release_date": "2026-11-01T00:00:00Z",
                "revision_history": [
                    {"number": "1", "date": "2026-11-01T00:00:00Z", "summary": "initial"}
                ],
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": maker,
                    "branches": [
                        {
                            "category": "product_name",
                            "name": model,
                            "branches": [
                                {
                                    "category": "product_version_range",
                                    "name": f"<= {version}",
                                    "product": {
                                        "name": f"{model} {version} and prior",
                                        "product_id": "P1",
                                    },
                                }
                            ],
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [
            {
                "cve": "CVE-2099-0001",
                "product_status": {"known_affected": ["P1"]},
                "scores": [
                    {
                        "products": ["P1"],
                        "cvss_v3": {
                            "version": "3.1",
                            "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                            "baseScore": 9.8,
                            "baseSeverity": "CRITICAL",
                        },
                    }
                ],
            }
        ],
    }
    path = directory / "bench-advisory.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _setup(ctx: ServiceContext, args: argparse.Namespace) -> str:
    """The organisation, its admin, SBOMs and assets; the admin's password."""
    accounts.create_organisation(ctx, name="Bench Hospital", kind=OrgKind.HOSPITAL)
    password = accounts.generate_password()
    accounts.create_user(ctx, organisation="Bench Hospital", email="bench@hospital.example",
                         password=password, role=Role.ADMIN)  # fmt: skip
    principal = accounts.authenticate(ctx, email="bench@hospital.example", password=password)
    began = time.perf_counter()
    for n in range(args.versions):
        upload_sbom(ctx, principal, data=_sbom(n, args.components, args.seed),
                    filename=f"model-{n}.cdx.json", manufacturer=f"Maker {n % 60}",
                    product=f"Model {n}", version=f"{1 + n % 7}.0")  # fmt: skip
    report = import_assets(
        ctx, principal, data=_assets_csv(args.versions, args.assets, args.seed),
        filename="assets.csv",
    )  # fmt: skip
    print(
        f"setup: {args.versions} SBOMs x {args.components} components, {args.assets} assets"
        f" ({report.counts}) in {time.perf_counter() - began:.0f} s"
    )
    return password


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb-dir", type=Path, required=True)
    parser.add_argument("--versions", type=int, default=2000)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--work",
        type=Path,
        help="working directory kept after the run; an existing one's setup is reused"
        " (its knowledge base then already holds the benchmark advisory)",
    )
    parser.add_argument("--stages", action="store_true", help="print each evaluation stage")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="medtrust-bench-exposure-"))
    reuse = (work / "bench.sqlite3").exists()
    kb_dir = work / "kb"
    if not reuse:
        work.mkdir(parents=True, exist_ok=True)
        shutil.copytree(args.kb_dir, kb_dir)
    settings = Settings(
        data_dir=work,
        database_url=f"sqlite:///{work / 'bench.sqlite3'}",
        secret_key="bench-secret-key-0123456789",
    )  # the knowledge base is <data_dir>/kb
    ctx = ServiceContext.create(settings)
    upgrade(ctx.engine)  # a reused database may predate the latest migration
    password_file = work / "password.txt"
    if reuse:
        password = password_file.read_text()
    else:
        password = _setup(ctx, args)
        password_file.write_text(password)
    principal = accounts.authenticate(ctx, email="bench@hospital.example", password=password)
    began = time.perf_counter()

    def stage(message: str) -> None:
        if args.stages:
            print(f"  {time.perf_counter() - began:6.2f} s  {message}")

    full = evaluate_exposure(ctx, principal, trigger="benchmark", progress=stage)
    full_s = time.perf_counter() - began
    print(
        f"full evaluation: {full.product_versions} product versions, {full.findings} findings,"
        f" {full.decisions} decisions, totals {full.counts} in {full_s:.1f} s;"
        f" peak RSS {_peak_mib():.0f} MiB"
    )

    began = time.perf_counter()
    again = evaluate_exposure(ctx, principal, trigger="benchmark, again", progress=stage)
    print(
        f"full re-evaluation of the evaluated portfolio (old rows replaced): {again.findings}"
        f" findings in {time.perf_counter() - began:.1f} s; peak RSS {_peak_mib():.0f} MiB"
    )

    began = time.perf_counter()
    imported = import_feeds([_advisory(work, 7, str(time.time_ns()))], root=kb_dir, workers=1)
    import_s = time.perf_counter() - began
    began = time.perf_counter()
    incremental = refresh_exposure(
        ctx, principal, changed_records=imported.changed_records,
        changed_vulns=imported.changed_vulns, trigger="benchmark advisory",
    )  # fmt: skip
    inc_s = time.perf_counter() - began
    assert incremental is not None, "the advisory touched nothing"
    print(
        f"incremental after one advisory: {incremental.product_versions} product version(s)"
        f" re-evaluated, {incremental.findings} findings in {inc_s:.2f} s"
        f" (KB import of the advisory {import_s:.2f} s)"
    )

    client = TestClient(create_app(ctx.settings, context=ctx))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    client.post("/login", data={"email": "bench@hospital.example", "password": password,
                                "csrf_token": token.group(1)})  # fmt: skip
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    timings: list[float] = []
    for n in range(args.requests):
        path = PAGES[n % len(PAGES)]
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"worklist page: {len(timings)} requests, median {statistics.median(timings):.0f} ms,"
        f" p95 {p95:.0f} ms"
    )


if __name__ == "__main__":
    main()
