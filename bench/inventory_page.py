"""Benchmark: the inventory list page with 100,000 assets (target: p95 under 200 ms).

Imports the assets as ``assets_import.py`` does (not timed), logs in through the login form,
then requests ``/inventory`` with a mix of filters, searches and deep pages and reports the
median and 95th percentile of the server round trip (in-process HTTP client).

Usage: python bench/inventory_page.py [--rows 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from assets_import import prepare
from generate_cmms import generate
from medtrust.api.app import create_app
from medtrust.domain.tenancy import Role
from medtrust.services import accounts
from medtrust.services.inventory import import_assets

QUERIES = (
    "/inventory",
    "/inventory?page=40",
    "/inventory?page=1500",
    "/inventory?criticality=life-sustaining",
    "/inventory?department=ICU&status=in-use",
    "/inventory?site=North+Clinic&sort=department",
    "/inventory?link_state=suggested",
    "/inventory?q=MT-0999",
    "/inventory?q=vt-pat",
    "/inventory?network_zone=MED-ICU&sort=manufacturer",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="medtrust-bench-"))
    ctx, principal = prepare(directory)
    import_assets(ctx, principal, data=generate(args.rows), filename="bench.csv")
    password = accounts.generate_password()
    accounts.create_user(ctx, organisation="Bench Hospital", email="page@hospital.example",
                         password=password, role=Role.VIEWER)  # fmt: skip
    client = TestClient(create_app(ctx.settings, context=ctx))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    client.post("/login", data={"email": "page@hospital.example", "password": password,
                                "csrf_token": token.group(1)})  # fmt: skip
    for path in QUERIES:  # warm-up
        assert client.get(path).status_code == 200, path
    timings: dict[str, list[float]] = {path: [] for path in QUERIES}
    for index in range(args.requests):
        path = QUERIES[index % len(QUERIES)]
        start = time.perf_counter()
        response = client.get(path)
        timings[path].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    every = sorted(t for ts in timings.values() for t in ts)
    p95 = every[int(0.95 * (len(every) - 1))]
    print(f"{args.rows:,} assets, {len(every)} requests: median {statistics.median(every):.0f} ms,"
          f" p95 {p95:.0f} ms")  # fmt: skip
    for path, values in timings.items():
        print(f"  {statistics.median(values):6.0f} ms  {path}")


if __name__ == "__main__":
    main()
