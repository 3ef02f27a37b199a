"""Exposure end to end on a real ICSMA advisory: inheritance, decisions, zones, incremental."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrust.services import exposure as svc
from medtrust.services.context import ServiceContext
from medtrust.storage.repositories.exposure import ExposureRepository
from tests.conftest import make_account
from tests.exposure.helpers import VULN, build_kb, kev_file, seed_assets


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_kb(tmp_path / "kb", tmp_path, kev=False)
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    return root


def test_assets_inherit_advisory_and_kev_makes_it_act(ctx: ServiceContext, kb_dir: Path, tmp_path: Path) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(
        ctx,
        account.principal,
        [
            ("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use"),
            ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
            ("P-3", "9.7", "diagnostic", "Corporate LAN", "in-use"),
        ],
    )
    run = svc.evaluate_exposure(ctx, account.principal)
    assert run.findings >= 1
    with ctx.transaction() as session:
        repo = ExposureRepository(session, account.principal.organisation_id)
        assert repo.versions_with_findings([VULN])
    # KEV arrives: only the touched versions are re-evaluated
    from medtrust.kb.ingest import import_feeds

    report = import_feeds([kev_file(tmp_path)], root=kb_dir, workers=1)
    again = svc.refresh_exposure(
        ctx,
        account.principal,
        changed_records=report.changed_records,
        changed_vulns=report.changed_vulns,
        trigger="kev",
    )
    assert again is not None
    assert again.counts.get("act", 0) >= 1


@pytest.fixture
def kev_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_kb(tmp_path / "kev-kb", tmp_path, kev=True)
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    return root


def test_network_zone_changes_the_decision(ctx: ServiceContext, kev_kb: Path) -> None:
    from medtrust.exposure.model import Decision
    from medtrust.services.exposure_views import WorklistQuery, asset_exposure, worklist

    account = make_account(ctx, org="Clinic")
    seed_assets(
        ctx,
        account.principal,
        [
            ("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use"),
            ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
            ("P-3", "9.5", "diagnostic", "MED-INFUSION", "stored"),
            ("P-4", "10.0", "diagnostic", "Corporate LAN", "in-use"),
        ],
    )
    svc.evaluate_exposure(ctx, account.principal)
    page = worklist(ctx, account.principal, WorklistQuery(decisions=()), with_assets=True)
    by_tags = {item.asset_tags: item for item in page.items if item.finding.vulnerability == VULN}
    assert by_tags[("P-1",)].decision is Decision.ACT
    assert by_tags[("P-2",)].decision is Decision.ATTEND
    assert by_tags[("P-3",)].decision is Decision.ATTEND
    assert ("P-4",) not in by_tags
    item = by_tags[("P-1",)]
    assert item.finding.method == "csaf-product" and item.finding.kev
    assert [i.name for i in item.inputs][:4] == ["exploitation", "automatable", "exposure", "impact"]
    assert item.inputs[0].value == "active" and item.inputs[2].value == "open"
    assert [i.decision for i in page.items] == sorted(
        (i.decision for i in page.items), key=lambda d: -d.urgency
    )
    print(item.explanation())
