"""Acceptance: with the real CISA CSAF corpus imported, the demo hospital's devices of products
named in ICSMA advisories carry those advisories, each with its match confidence, and a KEV
entry surfaces as Act where the device is reachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrust.domain.asset import AssetQuery, AssetStatus
from medtrust.inventory.demo import REFERENCE_PRODUCTS
from medtrust.kb.ingest import import_feeds
from medtrust.services import exposure as svc
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_views import WorklistQuery, asset_exposure, worklist
from medtrust.services.inventory import list_assets
from medtrust.services.inventory_demo import seed_demo_hospital
from tests.conftest import make_account
from tests.exposure.helpers import CSAF_ARCHIVE, kev_file
from tests.shared_data import shared_file


@pytest.fixture
def icsma_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "kb"
    import_feeds([shared_file(CSAF_ARCHIVE), kev_file(tmp_path)], root=root, workers=1)
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    return root


def test_demo_devices_of_icsma_products_carry_their_advisories(
    ctx: ServiceContext, icsma_kb: Path
) -> None:
    account = make_account(ctx, org="Demo hospital")
    seed_demo_hospital(ctx, account.principal, assets=120)
    svc.evaluate_exposure(ctx, account.principal)
    for product in REFERENCE_PRODUCTS:
        found = list_assets(
            ctx,
            account.principal,
            AssetQuery(q=product.model.lower()[:20], status=AssetStatus.IN_USE, page_size=5),
        )
        assert found.total, product.model
        view = asset_exposure(ctx, account.principal, found.items[0].id)
        advisories = {f.finding.status_source.split(":", 1)[0] for f in view.items} | {
            f.status_source.split(":", 1)[0] for f in view.resolved
        }
        matched = [i for i in view.items if i.finding.method == "csaf-product"]
        assert matched or view.counts.get("track", 0), (product.model, advisories)
        for item in matched:
            assert item.finding.confidence in {"exact", "strong", "weak"}
            assert product.advisory.lower() in item.finding.detail.lower() or item.finding.sources
    # CVE-2016-9355 (BD Alaris 8015, in the test KEV file): Act on the infusion network is not
    # reachable from the general network, so Act comes from the therapeutic impact rule
    page = worklist(ctx, account.principal, WorklistQuery(kev_only=True), with_assets=True)
    assert page.items and all(i.finding.kev for i in page.items)
    assert page.items[0].decision.value == "act"
