"""Benchmark: import 100,000 assets from a CMMS export (target: under 60 s), then re-import
the same file (idempotent: everything unchanged) and dry-run it.

Setup (not timed): a fresh SQLite database (or MEDTRUST_DATABASE_URL), one hospital and user,
the 60 demo products with one product version each (so linking has real work). The timed import
reads, normalises, de-duplicates, links and writes in one transaction.

Usage: python bench/assets_import.py [--rows 100000] [--dirty 0.01] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from generate_cmms import generate
from medtrust.domain.tenancy import OrgKind, Principal, Role
from medtrust.inventory.demo import demo_products
from medtrust.services import accounts
from medtrust.services.context import ServiceContext
from medtrust.services.inventory import import_assets
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from medtrust.storage.repositories.disclosures import ProductRepository


def prepare(directory: Path) -> tuple[ServiceContext, Principal]:
    """A migrated database with a hospital, an editor and the demo products."""
    url = os.environ.get("MEDTRUST_DATABASE_URL") or f"sqlite:///{directory / 'bench.sqlite3'}"
    ctx = ServiceContext.create(Settings(data_dir=directory, database_url=url))
    upgrade(ctx.engine)
    accounts.create_organisation(ctx, name="Bench Hospital", kind=OrgKind.HOSPITAL)
    password = accounts.generate_password()
    accounts.create_user(ctx, organisation="Bench Hospital", email="bench@hospital.example",
                         password=password, role=Role.EDITOR)  # fmt: skip
    principal = accounts.authenticate(ctx, email="bench@hospital.example", password=password)
    with ctx.transaction() as session:
        products = ProductRepository(session, principal.organisation_id)
        for product in demo_products():
            for version in product.versions:
                products.ensure_version(manufacturer=product.manufacturer,
                                        product=product.model, version=version.version)  # fmt: skip
    return ctx, principal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dirty", type=float, default=0.01)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="medtrust-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    ctx, principal = prepare(directory)
    data = generate(args.rows, dirty=args.dirty)
    print(f"file: {len(data):,} bytes, {args.rows:,} assets, dirty share {args.dirty}")
    for label, dry_run in (("import", False), ("re-import", False), ("dry run", True)):
        start = time.perf_counter()
        report = import_assets(ctx, principal, data=data, filename="bench.csv",
                               source="Bench CMMS", dry_run=dry_run)  # fmt: skip
        elapsed = time.perf_counter() - start
        print(f"{label:10s} {elapsed:6.1f} s  {report.counts}")
    print(f"database: {ctx.engine.url.render_as_string(hide_password=True)}")


if __name__ == "__main__":
    main()
