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


def test_assets_inherit_advisory_and_kev_makes_it_act(
    ctx: ServiceContext, kb_dir: Path, tmp_path: Path
) -> None:
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
    from medtrust.services.exposure_views import WorklistQuery, worklist

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
    assert [i.name for i in item.inputs][:4] == [
        "exploitation",
        "automatable",
        "exposure",
        "impact",
    ]
    assert item.inputs[0].value == "active" and item.inputs[2].value == "open"
    assert [i.decision for i in page.items] == sorted(
        (i.decision for i in page.items), key=lambda d: -d.urgency
    )
    assert "rule active-open" in item.explanation()


def test_incremental_equals_full_evaluation(
    ctx: ServiceContext, kb_dir: Path, tmp_path: Path
) -> None:
    from medtrust.kb.ingest import import_feeds
    from medtrust.services.exposure_views import WorklistQuery, worklist

    account = make_account(ctx, org="Clinic")
    rows = [
        ("P-1", "9.5", "therapeutic", "Corporate LAN", "in-use"),
        ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
        ("P-3", "10.0", "diagnostic", "Corporate LAN", "in-use"),
    ]
    seed_assets(ctx, account.principal, rows)
    svc.evaluate_exposure(ctx, account.principal)
    report = import_feeds([kev_file(tmp_path)], root=kb_dir, workers=1)
    assert report.changed_records and VULN in report.changed_vulns
    run = svc.refresh_exposure(
        ctx,
        account.principal,
        changed_records=report.changed_records,
        changed_vulns=report.changed_vulns,
        trigger="kev",
    )
    assert run is not None and run.kind == "incremental"

    def state() -> list[tuple[str, str, str, tuple[str, ...], bool]]:
        page = worklist(
            ctx, account.principal, WorklistQuery(decisions=(), page_size=0), with_assets=True
        )
        return [
            (i.decision.value, i.rule, i.finding.vulnerability, i.asset_tags, i.finding.kev)
            for i in page.items
        ]

    incremental = state()
    svc.evaluate_exposure(ctx, account.principal, trigger="full again")
    assert state() == incremental
    assert any(row[0] == "act" for row in incremental)


def test_refresh_touching_nothing_returns_none(ctx: ServiceContext, kb_dir: Path) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, [("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use")])
    svc.evaluate_exposure(ctx, account.principal)
    assert (
        svc.refresh_exposure(
            ctx,
            account.principal,
            changed_records=["osv:NOT-A-RECORD"],
            changed_vulns=["CVE-1999-0001"],
            trigger="unrelated",
        )
        is None
    )


def test_exposure_is_scoped_to_the_organisation(ctx: ServiceContext, kev_kb: Path) -> None:
    from medtrust.services.exposure_views import WorklistQuery, worklist

    first = make_account(ctx, org="Clinic A")
    second = make_account(ctx, org="Clinic B")
    seed_assets(ctx, first.principal, [("A-1", "9.5", "diagnostic", "Corporate LAN", "in-use")])
    svc.evaluate_exposure(ctx, first.principal)
    assert worklist(ctx, first.principal, WorklistQuery(decisions=())).total >= 1
    assert worklist(ctx, second.principal, WorklistQuery(decisions=())).total == 0


def test_feed_import_refreshes_every_evaluated_organisation(
    ctx: ServiceContext, kb_dir: Path, tmp_path: Path
) -> None:
    from medtrust.kb.ingest import import_feeds
    from medtrust.storage.repositories.audit import AuditRepository

    evaluated = make_account(ctx, org="Evaluated clinic")
    never = make_account(ctx, org="Never evaluated")
    for account in (evaluated, never):
        seed_assets(
            ctx, account.principal, [("X-1", "9.5", "diagnostic", "Corporate LAN", "in-use")]
        )
    svc.evaluate_exposure(ctx, evaluated.principal)
    report = import_feeds([kev_file(tmp_path)], root=kb_dir, workers=1)
    results = svc.refresh_after_import(
        ctx,
        changed_records=report.changed_records,
        changed_vulns=report.changed_vulns,
        trigger="feeds import",
    )
    assert [name for name, _ in results] == ["Evaluated clinic"]
    run = results[0][1]
    assert run is not None and run.kind == "incremental" and run.counts.get("act", 0) >= 1
    with ctx.transaction() as session:
        events = AuditRepository(session, evaluated.principal.organisation_id).list()
    assert any(e.action == "exposure.evaluate" and "feeds import" in e.summary for e in events)
