"""Exposure storage (migration 0007): what a finding says is stored once per distinct match.

A small portfolio whose product versions share components (same purl, CPE and version in several
SBOMs), one SBOM repeating a component, and one SBOM carrying embedded CycloneDX VEX, so the same
component and vulnerability are ``not_affected`` in one version and ``affected`` in the others.
The knowledge base is written here (OSV, NVD, CSAF and KEV records with fictional ids).

The expected findings of a product version are computed independently of the exposure service:
its SBOM bytes are read again and scanned alone with ``scan_documents`` (plus the device
component the service documents: the product's name, maker and version). The stored findings,
read back through ``version_exposure``, must equal them as multisets, whatever the sharing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from medtrust.domain.component import Component, ComponentType
from medtrust.domain.tenancy import Principal
from medtrust.kb.ingest import import_feeds
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.store import KnowledgeBase
from medtrust.matching.model import Finding
from medtrust.matching.scan import scan_documents
from medtrust.sbom.readers.registry import read_sbom_bytes
from medtrust.services import exposure as svc
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_rows import DEVICE_REF
from medtrust.services.exposure_views import FindingView, version_exposure
from medtrust.services.inventory import import_assets
from medtrust.services.sboms import SbomUpload, upload_sbom
from medtrust.storage import exposure_models as em
from medtrust.storage.repositories.disclosures import ProductRepository
from medtrust.storage.repositories.exposure import ExposureRepository
from tests.conftest import make_account

MAKER = "Acme Medical"
#: vulnerabilities of the knowledge base written below
MEDLIB_CVE = "CVE-2099-0001"  # OSV, pkg:pypi/medlib < 2.0, in KEV
IMGTOOL_CVE = "CVE-2099-0002"  # OSV, pkg:npm/imgtool < 5.0.0
DICOM_CVE = "CVE-2099-0003"  # NVD, cpe acme:dicomlib < 3.0
PUMP_CVE = "CVE-2099-0004"  # CSAF advisory naming the product "Pump" <= 2.0
MONITOR_SERIAL = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"

Row = tuple[object, ...]


# --- knowledge base ------------------------------------------------------------------------------


def _osv(path: Path, osv_id: str, cve: str, ecosystem: str, package: str, fixed: str) -> Path:
    record = {
        "id": osv_id,
        "modified": "2099-01-01T00:00:00Z",
        "aliases": [cve],
        "summary": f"{package} flaw",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": package},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def _nvd(path: Path) -> Path:
    cve = {
        "id": DICOM_CVE,
        "vulnStatus": "Analyzed",
        "lastModified": "2099-01-01T00:00:00.000",
        "descriptions": [{"lang": "en", "value": "dicomlib parser overflow"}],
        "configurations": [
            {
                "nodes": [
                    {
                        "operator": "OR",
                        "cpeMatch": [
                            {
                                "vulnerable": True,
                                "criteria": "cpe:2.3:a:acme:dicomlib:*:*:*:*:*:*:*:*",
                                "versionEndExcluding": "3.0",
                            }
                        ],
                    }
                ]
            }
        ],
    }
    page = {"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": cve}]}
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


def _csaf(path: Path) -> Path:
    """An advisory naming the product (so the device component of Pump versions matches)."""
    doc = {
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "title": "Pump advisory",
            "publisher": {"category": "vendor", "name": MAKER, "namespace": "https://acme.example"},
            "tracking": {
                "id": "ACME-2099-0001",
                "status": "final",
                "version": "1",
                "initial_release_date": "2099-01-01T00:00:00Z",
                "current_release_date": "2099-01-01T00:00:00Z",
                "revision_history": [
                    {"number": "1", "date": "2099-01-01T00:00:00Z", "summary": "initial"}
                ],
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": MAKER,
                    "branches": [
                        {
                            "category": "product_name",
                            "name": "Pump",
                            "branches": [
                                {
                                    "category": "product_version_range",
                                    "name": "<= 2.0",
                                    "product": {"name": "Pump 2.0 and prior", "product_id": "P1"},
                                }
                            ],
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [{"cve": PUMP_CVE, "product_status": {"known_affected": ["P1"]}}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _kev(path: Path) -> Path:
    catalogue = {
        "title": "test catalogue",
        "catalogVersion": "2099.01.01",
        "dateReleased": "2099-01-01T00:00:00.000Z",
        "count": 1,
        "vulnerabilities": [
            {
                "cveID": MEDLIB_CVE,
                "vendorProject": "Acme",
                "product": "medlib",
                "vulnerabilityName": "test entry",
                "dateAdded": "2099-01-01",
                "shortDescription": "test entry",
                "requiredAction": "apply updates",
                "dueDate": "2099-01-22",
                "knownRansomwareCampaignUse": "Unknown",
                "notes": "",
                "cwes": [],
            }
        ],
    }
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    return path


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    paths = [
        _osv(feeds / "medlib.json", "MT-2099-0001", MEDLIB_CVE, "PyPI", "medlib", "2.0"),
        _osv(feeds / "imgtool.json", "MT-2099-0002", IMGTOOL_CVE, "npm", "imgtool", "5.0.0"),
        _nvd(feeds / "nvd.json"),
        _csaf(feeds / "acme-2099-0001.json"),
        _kev(feeds / "known_exploited_vulnerabilities.json"),
    ]
    root = tmp_path / "kb"
    import_feeds(paths, root=root, workers=1)
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    return root


# --- portfolio -----------------------------------------------------------------------------------


def _lib(ref: str, name: str, version: str, *, purl: str = "", cpe: str = "") -> dict[str, str]:
    item = {"type": "library", "bom-ref": ref, "name": name, "version": version}
    if purl:
        item["purl"] = purl
    if cpe:
        item["cpe"] = cpe
    return item


MEDLIB = _lib("medlib", "medlib", "1.2", purl="pkg:pypi/medlib@1.2")
MEDLIB_COPY = _lib("vendored/medlib", "medlib", "1.2", purl="pkg:pypi/medlib@1.2")
IMGTOOL = _lib("imgtool", "imgtool", "4.0.0", purl="pkg:npm/imgtool@4.0.0")
IMGTOOL_NEW = _lib("imgtool-5", "imgtool", "5.1.0", purl="pkg:npm/imgtool@5.1.0")
DICOM = _lib("dicomlib", "dicomlib", "2.1", cpe="cpe:2.3:a:acme:dicomlib:2.1:*:*:*:*:*:*:*")


def _cdx(components: Sequence[dict[str, str]], **extra: Any) -> bytes:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": list(components),
            **extra,
        }
    ).encode()


#: embedded VEX: imgtool is not affected in the monitor, medlib is (stated by the vendor)
MONITOR_VEX = [
    {
        "id": IMGTOOL_CVE,
        "analysis": {
            "state": "not_affected",
            "justification": "code_not_reachable",
            "detail": "the image decoder is not built",
        },
        "affects": [{"ref": "imgtool"}],
    },
    {
        "id": MEDLIB_CVE,
        "analysis": {"state": "exploitable", "detail": "confirmed by the vendor"},
        "affects": [{"ref": "medlib"}],
    },
]


@dataclass(frozen=True)
class Version:
    """An SBOM uploaded for a product version (and, with ``assets``, assets linked to it)."""

    product: str
    version: str
    filename: str
    data: bytes
    assets: int


PORTFOLIO = (
    Version("Pump", "1.0", "pump-1.0.cdx.json", _cdx([MEDLIB, IMGTOOL, DICOM]), 2),
    Version(
        "Pump",
        "2.0",
        "pump-2.0.cdx.json",
        _cdx([MEDLIB, MEDLIB_COPY, IMGTOOL, IMGTOOL_NEW, DICOM]),
        1,
    ),
    Version(
        "Monitor",
        "1.0",
        "monitor-1.0.cdx.json",
        _cdx([MEDLIB, IMGTOOL], serialNumber=MONITOR_SERIAL, vulnerabilities=MONITOR_VEX),
        1,
    ),
    Version("Monitor", "2.0", "monitor-2.0.cdx.json", _cdx([MEDLIB, DICOM]), 0),  # no assets
)


def _upload(ctx: ServiceContext, principal: Principal, entry: Version) -> SbomUpload:
    return upload_sbom(
        ctx,
        principal,
        data=entry.data,
        filename=entry.filename,
        manufacturer=MAKER,
        product=entry.product,
        version=entry.version,
    )


def _seed(ctx: ServiceContext, principal: Principal) -> dict[Version, int]:
    """Upload the portfolio's SBOMs and link assets; product version id per entry."""
    ids: dict[Version, int] = {}
    for entry in PORTFOLIO:
        upload = _upload(ctx, principal, entry)
        assert upload.created and upload.sbom.product == entry.product
        with ctx.transaction() as session:
            repo = ProductRepository(session, principal.organisation_id)
            ids[entry] = repo.ensure_version(
                manufacturer=MAKER, product=entry.product, version=entry.version
            ).id
    lines = ["Asset tag;Manufacturer;Model;Software version;Criticality;Network zone;Status"]
    zones = ("Corporate LAN", "MED-ICU")
    lines += [
        f"{e.product}-{e.version}-{n};{MAKER};{e.product};{e.version};therapeutic;{zones[n % 2]};"
        "in-use"
        for e in PORTFOLIO
        for n in range(e.assets)
    ]
    report = import_assets(
        ctx, principal, data="\n".join(lines).encode(), filename="assets.csv", source="test"
    )
    assert report.counts["rejected"] == 0, report
    return ids


# --- expected and stored findings ---------------------------------------------------------------


def _expected_findings(kb_dir: Path, entry: Version, data: bytes | None = None) -> list[Finding]:
    """The version's SBOM scanned on its own, with a device component for the product."""
    document = read_sbom_bytes(data or entry.data, source=entry.filename)
    components = list(document.all_components())
    assert all(c.name != entry.product for c in components)  # so the device is added
    device = Component(
        bom_ref=DEVICE_REF,
        type=ComponentType.DEVICE,
        name=entry.product,
        version=entry.version,
        supplier=MAKER,
    )
    document = replace(document, components=(device, *components))
    result = scan_documents([document], SnapshotProvider(KnowledgeBase.open(kb_dir)))
    return list(result.findings)


def _expected(kb_dir: Path, entry: Version, data: bytes | None = None) -> Counter[Row]:
    return Counter(
        (
            f.vulnerability,
            f.component.name,
            f.component.version,
            f.component.purl,
            f.component.cpe,
            "device" if f.component.bom_ref == DEVICE_REF else "sbom",
            f.status.value,
            f.status_source,
            f.justification,
            f.match.method.value,
            f.match.confidence.value,
            f.match.detail(),
            f.sources,
            f.cvss.score if f.cvss else None,
            f.kev,
            f.severity,
        )
        for f in _expected_findings(kb_dir, entry, data)
    )


def _row(view: FindingView) -> Row:
    return (
        view.vulnerability,
        view.component,
        view.component_version,
        view.component_purl,
        view.component_cpe,
        view.component_source,
        view.status,
        view.status_source,
        view.justification,
        view.method,
        view.confidence,
        view.detail,
        view.sources,
        view.cvss_score,
        view.kev,
        view.severity,
    )


def _stored(ctx: ServiceContext, principal: Principal, pv_id: int) -> Counter[Row]:
    return Counter(_row(v) for v in version_exposure(ctx, principal, pv_id).findings)


def _snapshot(
    ctx: ServiceContext, principal: Principal, ids: dict[Version, int]
) -> dict[int, Counter[Row]]:
    return {pv_id: _stored(ctx, principal, pv_id) for pv_id in ids.values()}


@dataclass(frozen=True)
class Tables:
    """The exposure_match and exposure_finding rows of one organisation (or all)."""

    #: match id -> (organisation, what it says)
    matches: dict[int, tuple[int, Row]]
    #: finding id -> (organisation, product version, match id)
    findings: dict[int, tuple[int, int, int]]

    def unlinked(self) -> set[int]:
        return set(self.matches) - {m for _, _, m in self.findings.values()}

    def dangling(self) -> set[int]:
        return {m for _, _, m in self.findings.values()} - set(self.matches)


def _tables(ctx: ServiceContext, org: int | None = None) -> Tables:
    m, f = em.ExposureMatch, em.ExposureFinding
    with ctx.transaction() as session:
        match_stmt = select(m)
        finding_stmt = select(f.id, f.organisation_id, f.product_version_id, f.match_id)
        if org is not None:
            match_stmt = match_stmt.where(m.organisation_id == org)
            finding_stmt = finding_stmt.where(f.organisation_id == org)
        matches: dict[int, tuple[int, Row]] = {
            x.id: (
                x.organisation_id,
                (
                    x.vulnerability,
                    x.component_name,
                    x.component_version,
                    x.component_purl,
                    x.component_cpe,
                    x.component_source,
                    x.status,
                    x.status_source,
                    x.justification,
                    x.method,
                    x.confidence,
                    x.detail,
                    x.sources,
                    x.cvss_score,
                    x.kev,
                    x.epss,
                ),
            )
            for x in session.scalars(match_stmt)
        }
        findings = {fid: (o, pv, mid) for fid, o, pv, mid in session.execute(finding_stmt)}
    return Tables(matches, findings)


def _assert_consistent(tables: Tables) -> None:
    """Every match is linked, every link resolves, within one organisation."""
    assert tables.findings, "the portfolio has findings"
    assert tables.unlinked() == set(), "matches left without a finding"
    assert tables.dangling() == set()
    for org, _, match_id in tables.findings.values():
        assert tables.matches[match_id][0] == org


# --- tests ---------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(ctx: ServiceContext, kb_dir: Path) -> Iterator[tuple[Principal, dict[Version, int]]]:
    account = make_account(ctx, org="Portfolio clinic")
    yield account.principal, _seed(ctx, account.principal)


def test_stored_findings_equal_a_scan_of_each_version(
    ctx: ServiceContext, kb_dir: Path, portfolio: tuple[Principal, dict[Version, int]]
) -> None:
    principal, ids = portfolio
    run = svc.evaluate_exposure(ctx, principal)
    assert run.product_versions == len(PORTFOLIO)  # Monitor 2.0 has an SBOM but no asset

    expected = {ids[e]: _expected(kb_dir, e) for e in PORTFOLIO}
    for entry in PORTFOLIO:
        assert expected[ids[entry]], f"{entry.product} {entry.version} has findings"
        assert _stored(ctx, principal, ids[entry]) == expected[ids[entry]], entry
    assert run.findings == sum(sum(c.values()) for c in expected.values())

    # the portfolio has what it is meant to have (checked on the independent scan)
    pump1, pump2, monitor1 = (ids[e] for e in PORTFOLIO[:3])
    medlib_rows = [r for r in expected[pump2] if r[0] == MEDLIB_CVE and r[1] == "medlib"]
    assert [expected[pump2][r] for r in medlib_rows] == [2]  # the repeated component
    statuses = {
        pv: {r[6] for r in expected[pv] if r[0] == IMGTOOL_CVE and r[3] == IMGTOOL["purl"]}
        for pv in (pump1, pump2, monitor1)
    }
    assert statuses == {pump1: {"affected"}, pump2: {"affected"}, monitor1: {"not_affected"}}
    assert any(r[5] == "device" and r[0] == PUMP_CVE for r in expected[pump1])

    tables = _tables(ctx, principal.organisation_id)
    _assert_consistent(tables)
    assert len(tables.findings) == run.findings
    assert len(tables.matches) < len(tables.findings)  # sharing happens
    versions_per_match: dict[int, set[int]] = {}
    for _, pv, match_id in tables.findings.values():
        versions_per_match.setdefault(match_id, set()).add(pv)
    # medlib 1.2 / CVE-2099-0001 from the KB is one match for Pump 1.0, Pump 2.0 and Monitor 2.0
    shared = [
        tables.matches[m][1]
        for m, pvs in versions_per_match.items()
        if {pump1, pump2, ids[PORTFOLIO[3]]} <= pvs
    ]
    assert any(row[0] == MEDLIB_CVE and row[1] == "medlib" for row in shared)
    # ... while the monitor's VEX-stated status for the same component is a match of its own
    vex_matches = [m for m, (_, row) in tables.matches.items() if str(row[7]).startswith("vex:")]
    assert vex_matches
    assert all(versions_per_match[m] == {monitor1} for m in vex_matches)
    # no two matches say the same thing within one evaluation of identical components
    assert len(set(tables.matches.values())) == len(tables.matches)


def test_partial_and_full_reevaluation_keep_findings_and_leave_no_orphan(
    ctx: ServiceContext, kb_dir: Path, portfolio: tuple[Principal, dict[Version, int]]
) -> None:
    principal, ids = portfolio
    org = principal.organisation_id
    svc.evaluate_exposure(ctx, principal)
    before = _snapshot(ctx, principal, ids)
    first = _tables(ctx, org)
    said = Counter(row for _, row in first.matches.values())

    for entry in PORTFOLIO:  # each version alone, including the one without assets
        run = svc.evaluate_exposure(ctx, principal, product_version_ids=[ids[entry]])
        assert run.kind == "partial" and run.product_versions == 1
        assert run.findings == sum(before[ids[entry]].values())
        tables = _tables(ctx, org)
        _assert_consistent(tables)
        assert _snapshot(ctx, principal, ids) == before, entry
        # what the version shares with others is linked, not stored a second time
        now = Counter(row for _, row in tables.matches.values())
        assert set(now) == set(said) and all(now[row] <= said[row] for row in now), entry

    svc.evaluate_exposure(ctx, principal, product_version_ids=list(ids.values()))
    _assert_consistent(_tables(ctx, org))
    assert _snapshot(ctx, principal, ids) == before

    svc.evaluate_exposure(ctx, principal, trigger="full again")
    again = _tables(ctx, org)
    _assert_consistent(again)
    assert _snapshot(ctx, principal, ids) == before
    # a full evaluation rebuilds the same sharing
    assert Counter(row for _, row in again.matches.values()) == Counter(
        row for _, row in first.matches.values()
    )
    # every match's vulnerability still has its facts row (pruning keeps what is referenced)
    with ctx.transaction() as session:
        v = em.ExposureVulnerability
        known = set(session.scalars(select(v.vulnerability).where(v.organisation_id == org)))
    assert {row[0] for _, row in again.matches.values()} == known


def test_partial_reevaluation_after_a_new_sbom_forgets_only_unshared_matches(
    ctx: ServiceContext, kb_dir: Path, portfolio: tuple[Principal, dict[Version, int]]
) -> None:
    principal, ids = portfolio
    org = principal.organisation_id
    svc.evaluate_exposure(ctx, principal)
    before = _snapshot(ctx, principal, ids)
    pump2 = PORTFOLIO[1]
    # Pump 2.0's new SBOM: medlib fixed, dicomlib gone; imgtool 4.0 remains (shared)
    fixed = _cdx([_lib("medlib", "medlib", "2.1", purl="pkg:pypi/medlib@2.1"), IMGTOOL])
    upload_sbom(
        ctx,
        principal,
        data=fixed,
        filename="pump-2.0-fixed.cdx.json",
        manufacturer=MAKER,
        product=pump2.product,
        version=pump2.version,
    )
    svc.evaluate_exposure(ctx, principal, product_version_ids=[ids[pump2]])
    tables = _tables(ctx, org)
    _assert_consistent(tables)
    after = _snapshot(ctx, principal, ids)
    new_entry = replace(pump2, filename="pump-2.0-fixed.cdx.json", data=fixed)
    assert after[ids[pump2]] == _expected(kb_dir, new_entry)
    assert not any(r[0] in (MEDLIB_CVE, DICOM_CVE) for r in after[ids[pump2]])
    for entry in PORTFOLIO:
        if entry is not pump2:
            assert after[ids[entry]] == before[ids[entry]], entry
    # medlib / dicomlib matches survive only through the versions that still have them
    for match_id, (_, row) in tables.matches.items():
        if row[0] in (MEDLIB_CVE, DICOM_CVE):
            linked = {pv for _, pv, m in tables.findings.values() if m == match_id}
            assert ids[pump2] not in linked


def test_each_organisation_has_its_own_matches(
    ctx: ServiceContext, kb_dir: Path, portfolio: tuple[Principal, dict[Version, int]]
) -> None:
    first, first_ids = portfolio
    second = make_account(ctx, org="Second clinic").principal
    second_ids = _seed(ctx, second)
    assert set(first_ids.values()).isdisjoint(second_ids.values())
    svc.evaluate_exposure(ctx, first)
    svc.evaluate_exposure(ctx, second)

    everything = _tables(ctx)
    _assert_consistent(everything)
    a, b = first.organisation_id, second.organisation_id
    a_matches = {m for m, (o, _) in everything.matches.items() if o == a}
    b_matches = {m for m, (o, _) in everything.matches.items() if o == b}
    assert a_matches and b_matches and a_matches.isdisjoint(b_matches)
    assert a_matches | b_matches == set(everything.matches)
    # the same SBOMs say the same things, stored once per organisation
    assert Counter(r for m, (_, r) in everything.matches.items() if m in a_matches) == Counter(
        r for m, (_, r) in everything.matches.items() if m in b_matches
    )
    for entry in PORTFOLIO:
        assert _stored(ctx, first, first_ids[entry]) == _stored(ctx, second, second_ids[entry])
    second_tables = _tables(ctx, b)
    second_views = _snapshot(ctx, second, second_ids)

    def second_untouched() -> None:
        assert _tables(ctx, b) == second_tables
        assert _snapshot(ctx, second, second_ids) == second_views

    # the first organisation's re-evaluations, partial and full
    svc.evaluate_exposure(ctx, first, product_version_ids=[first_ids[PORTFOLIO[0]]])
    second_untouched()
    svc.evaluate_exposure(ctx, first)
    second_untouched()
    # the other organisation's version ids, asked for by the first: nothing of the second moves
    svc.evaluate_exposure(ctx, first, product_version_ids=list(second_ids.values()))
    second_untouched()
    with ctx.transaction() as session:
        ExposureRepository(session, a).clear_versions(list(second_ids.values()))
    second_untouched()
    # deleting the first organisation's results
    with ctx.transaction() as session:
        ExposureRepository(session, a).clear_versions(list(first_ids.values()))
    assert _tables(ctx, a) == Tables({}, {})
    second_untouched()
    svc.evaluate_exposure(ctx, first)
    with ctx.transaction() as session:
        ExposureRepository(session, a).clear_all()
        remaining = session.scalar(
            select(func.count(em.ExposureMatch.id)).where(em.ExposureMatch.organisation_id == a)
        )
    assert remaining == 0
    second_untouched()


def test_an_sbom_component_with_bom_ref_device_keeps_its_findings(
    ctx: ServiceContext, kb_dir: Path
) -> None:
    principal = make_account(ctx, org="Gadget clinic").principal
    # a valid CycloneDX bom-ref that happens to equal the service's device reference
    entry = Version(
        "Gadget",
        "1.0",
        "gadget.cdx.json",
        _cdx([_lib("device", "medlib", "1.2", purl="pkg:pypi/medlib@1.2")]),
        0,
    )
    _upload(ctx, principal, entry)
    scanned = _expected_findings(kb_dir, entry)
    assert any(f.vulnerability == MEDLIB_CVE and f.component.name == "medlib" for f in scanned)
    svc.evaluate_exposure(ctx, principal)
    with ctx.transaction() as session:
        pv_id = (
            ProductRepository(session, principal.organisation_id)
            .ensure_version(manufacturer=MAKER, product=entry.product, version=entry.version)
            .id
        )
    stored = version_exposure(ctx, principal, pv_id).findings
    assert [(v.vulnerability, v.component) for v in stored] == [(MEDLIB_CVE, "medlib")]


def _vulnerability_rows(ctx: ServiceContext, org: int) -> set[str]:
    v = em.ExposureVulnerability
    with ctx.transaction() as session:
        return set(session.scalars(select(v.vulnerability).where(v.organisation_id == org)))


def test_partial_reevaluations_forget_vulnerabilities_no_match_names(
    ctx: ServiceContext, kb_dir: Path
) -> None:
    principal = make_account(ctx, org="Prune clinic").principal
    org = principal.organisation_id
    ids = _seed(ctx, principal)
    svc.evaluate_exposure(ctx, principal)
    assert {MEDLIB_CVE, DICOM_CVE} <= _vulnerability_rows(ctx, org)
    # every version's new SBOM keeps only imgtool: medlib's and dicomlib's CVEs go away
    for entry in PORTFOLIO:
        upload_sbom(
            ctx,
            principal,
            data=_cdx([IMGTOOL]),
            filename=f"new-{entry.filename}",
            manufacturer=MAKER,
            product=entry.product,
            version=entry.version,
        )
    for done, entry in enumerate(PORTFOLIO, start=1):  # the CVEs leave with their last version
        svc.evaluate_exposure(ctx, principal, product_version_ids=[ids[entry]])
        tables = _tables(ctx, org)
        _assert_consistent(tables)
        assert _vulnerability_rows(ctx, org) == {row[0] for _, row in tables.matches.values()}
        gone = {MEDLIB_CVE, DICOM_CVE} & _vulnerability_rows(ctx, org)
        assert (gone == set()) == (done == len(PORTFOLIO))
