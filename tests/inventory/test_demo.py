from __future__ import annotations

from pathlib import Path

import pytest

from medtrust.domain.asset import AssetQuery, LinkState
from medtrust.inventory.demo import (
    CMMS_HEADERS,
    REFERENCE_PRODUCTS,
    demo_products,
    demo_rows,
    rows_to_csv,
)
from medtrust.inventory.demo_flaws import FLAWS
from medtrust.inventory.importers.registry import read_table
from medtrust.inventory.mapping import guess_mapping
from medtrust.kb.store import POINTER, live_snapshot
from medtrust.services import inventory as svc
from medtrust.services import inventory_links as links
from medtrust.services.context import ServiceContext
from medtrust.services.inventory_demo import seed_demo_hospital, seed_demo_knowledge_base
from medtrust.services.inventory_legacy import legacy_register
from tests.conftest import make_account


def test_generator_is_deterministic_and_its_headers_map_themselves() -> None:
    products = demo_products(seed=3)
    assert len(products) == 60 and products == demo_products(seed=3)
    assert demo_rows(products, assets=50, seed=3) == demo_rows(products, assets=50, seed=3)
    assert demo_rows(products, assets=50, seed=3) != demo_rows(products, assets=50, seed=4)
    table = read_table(rows_to_csv(demo_rows(products, assets=5)), filename="demo.csv")
    mapping, guesses = guess_mapping(table.headers)
    assert table.headers == CMMS_HEADERS
    assert all(g.field is not None for g in guesses), [g for g in guesses if g.field is None]
    assert len(mapping.columns) == len(CMMS_HEADERS)


def test_seed_demo_hospital_once(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ctx.engine.dialect.name != "sqlite":  # the same services run on both; once is enough
        return
    root = tmp_path / "kb"
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    account = make_account(ctx, org="Demo Hospital")
    report = seed_demo_hospital(ctx, account.principal, assets=150)
    real = sum(p.count for p in REFERENCE_PRODUCTS)
    assert report is not None and report.counts["created"] == 150 + real
    assert report.counts["rejected"] == 0
    # no knowledge base existed: the demo one holds the fictional advisories
    kb = live_snapshot(root)
    assert kb is not None
    assert kb.scan("provenance").collect().height > 0
    cves = set(kb.scan("vulnerabilities").collect()["vuln_id"].to_list())
    assert cves == {flaw.cve for flaw in FLAWS}
    pointer = (root / POINTER).read_text("utf-8")
    assert seed_demo_hospital(ctx, account.principal, assets=150) is None  # idempotent
    assert seed_demo_knowledge_base(ctx) is None and (root / POINTER).read_text("utf-8") == pointer
    counts = links.link_counts(ctx, account.principal)
    assert counts[LinkState.LINKED.value] > counts[LinkState.SUGGESTED.value] > 0
    register = legacy_register(ctx, account.principal)
    assert register.entries and all(e.assessment.is_legacy for e in register.entries)
    sources = {
        e.assessment.decisive.source.value for e in register.entries if e.assessment.decisive
    }
    assert {"os-table", "manufacturer"} <= sources
    assert svc.list_assets(ctx, account.principal, AssetQuery()).total == 150 + real
