"""The demo's exposure data: SBOMs per fictional product version, fictional advisories (CSAF,
KEV, EPSS), real ICSMA reference products in the installed base, and the demo knowledge base."""

from __future__ import annotations

import json
import os
import tarfile
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from medtrust.domain.advisory import Advisory
from medtrust.domain.asset import AssetQuery, LinkState
from medtrust.domain.component import IssueSeverity
from medtrust.domain.vulnerability import EpssScore, KevEntry
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.readers.csaf import advisory_from_csaf
from medtrust.inventory.demo import REFERENCE_PRODUCTS, demo_products, reference_rows
from medtrust.inventory.demo_advisories import (
    FICTION,
    demo_advisories,
    demo_kev,
    write_demo_feeds,
)
from medtrust.inventory.demo_flaws import FLAWS
from medtrust.inventory.demo_sboms import MAX_COMPONENTS, MIN_COMPONENTS, demo_sbom
from medtrust.kb.ingest import import_feeds
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.store import POINTER, KnowledgeBase, live_snapshot
from medtrust.matching.normalise import product_keys, vendor_keys
from medtrust.matching.scan import scan_documents
from medtrust.sbom import cpe as cpe_mod
from medtrust.sbom.purl import canonicalise
from medtrust.sbom.readers.registry import read_sbom_bytes
from medtrust.services import inventory as inventory_svc
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import list_product_versions
from medtrust.services.inventory_demo import (
    release_date,
    seed_demo_hospital,
    seed_demo_knowledge_base,
)
from medtrust.services.inventory_legacy import product_lifecycle
from medtrust.services.sboms import list_sboms
from tests.conftest import make_account
from tests.shared_data import shared_file

SEEDS = st.integers(min_value=0, max_value=10**6)
#: each example builds ~100 SBOMs or a knowledge base: report a failing seed without shrinking
HEAVY = settings(max_examples=5, phases=(Phase.explicit, Phase.reuse, Phase.generate))


def _sboms(seed: int) -> list[tuple[str, str, str, bytes]]:
    out = []
    for p_index, product in enumerate(demo_products(seed=seed)):
        for v_index, version in enumerate(product.versions):
            data = demo_sbom(product, version, released=release_date(p_index, v_index), seed=seed)
            out.append((product.manufacturer, product.model, version.version, data))
    return out


@HEAVY
@given(SEEDS)
def test_sboms_read_back_with_their_components_and_valid_identifiers(seed: int) -> None:
    for manufacturer, model, version, data in _sboms(seed):
        raw = json.loads(data)
        document = read_sbom_bytes(data, source=f"{model}.cdx.json")
        components = list(document.all_components())
        # the firmware subject plus every listed component, each read back
        assert len(components) == len(raw["components"]) + 1
        assert MIN_COMPONENTS <= len(components) <= MAX_COMPONENTS
        assert not [i for i in document.issues if i.severity is IssueSeverity.ERROR]
        assert document.spec_version == "1.6"
        subject = document.subject
        assert subject is not None
        assert (subject.name, subject.version, subject.supplier) == (model, version, manufacturer)
        refs = [c.bom_ref for c in components]
        assert len(set(refs)) == len(refs)
        for component in components:
            if component.type.value != "operating-system" or component.purl:
                assert component.purl is not None, component.name
                assert canonicalise(component.purl).version == component.version
            if component.cpe is not None:
                assert cpe_mod.parse(component.cpe).part in {"a", "o"}
        kinds = {c.type.value for c in components}
        assert "operating-system" in kinds


def test_sboms_are_deterministic_distinct_and_schema_valid() -> None:
    first, again = _sboms(7), _sboms(7)
    assert first == again
    assert len({data for *_, data in first}) == len(first)
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    for *_, data in first[::7]:
        assert validator.validate_str(data.decode("utf-8")) is None
    # devices contain what the demo promises: an OS, the usual embedded libraries, web UIs
    names = Counter(
        c.name for *_, data in first for c in read_sbom_bytes(data, source="x").components
    )
    for expected in ("openssl", "zlib", "busybox", "linux", "jquery", "Newtonsoft.Json"):
        assert names[expected] > 0, expected


@HEAVY
@given(SEEDS)
def test_demo_feeds_read_without_skips(tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    products = demo_products(seed=seed)
    paths = write_demo_feeds(tmp_path_factory.mktemp("feeds"), products)
    summary = FeedSummary()
    records = list(read_all(paths, summary=summary))
    assert summary.total_skipped == 0, summary.lines()
    advisories = [r for r in records if isinstance(r, Advisory)]
    kev = [r for r in records if isinstance(r, KevEntry)]
    epss = [r for r in records if isinstance(r, EpssScore)]
    assert len(advisories) == 12
    assert sorted(e.cve_id for e in epss) == sorted(f.cve for f in FLAWS)
    assert 2 <= len(kev) <= 3
    cited = {v.id for a in advisories for v in a.vulnerabilities}
    assert {e.cve_id for e in kev} <= cited == {f.cve for f in FLAWS}
    makers = {key for p in products for key in vendor_keys(p.manufacturer)}
    models = {p.model for p in products}
    for advisory in advisories:
        assert advisory.notes == ()  # every status names a product of the tree
        assert advisory.title.startswith(FICTION)
        assert any(FICTION in note.text for note in advisory.document_notes)
        assert {p.product for p in advisory.products} <= models
        assert all(set(vendor_keys(p.vendor or "")) & makers for p in advisory.products)
        for vulnerability in advisory.vulnerabilities:
            assert vulnerability.id.startswith("CVE-2099-")
            assert vulnerability.aliases[0].startswith("DEMO-2026-")
            assert vulnerability.cvss and vulnerability.cvss[0].base_score is not None


def test_kev_catalog_follows_the_cisa_schema() -> None:
    schema = json.loads(
        shared_file("kev/known_exploited_vulnerabilities_schema.json").read_text("utf-8")
    )
    catalog = demo_kev(demo_products())
    jsonschema.validate(catalog, schema)
    assert catalog["count"] == len(catalog["vulnerabilities"]) == 3


def _scan(tmp: Path, seed: int) -> list[tuple[str, str, str, str, str]]:
    """Import the demo feeds into a fresh KB and scan every demo SBOM against it."""
    products = demo_products(seed=seed)
    import_feeds(write_demo_feeds(tmp / "feeds", products), root=tmp / "kb", workers=1)
    documents = [
        read_sbom_bytes(data, source=f"{maker}|{model}|{version}")
        for maker, model, version, data in _sboms(seed)
    ]
    result = scan_documents(documents, SnapshotProvider(KnowledgeBase.open(tmp / "kb")))
    return [
        (f.component.sbom, f.component.name, f.vulnerability, f.status.value, f.match.confidence)
        for f in result.findings
    ]


@settings(HEAVY, max_examples=4)
@given(SEEDS)
def test_every_advisory_matches_demo_firmware_with_every_confidence(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    findings = _scan(tmp_path_factory.mktemp("scan"), seed)
    # only the fictional firmware components match the fictional advisories
    assert findings and all(sbom.split("|")[1] == name for sbom, name, *_ in findings)
    advisories = demo_advisories(demo_products(seed=seed))
    found = {vuln for _, _, vuln, _, _ in findings}
    for advisory in advisories:
        assert {v["cve"] for v in advisory["vulnerabilities"]} & found, advisory["document"]
    assert {str(c) for *_, c in findings} >= {"exact", "strong", "weak"}
    statuses = {status for _, _, _, status, _ in findings}
    assert statuses >= {"affected", "fixed", "not_affected", "under_investigation"}


def test_advisory_name_targets_use_names_the_matcher_normalises() -> None:
    products = demo_products()
    by_model = {p.model: p for p in products}
    for advisory in demo_advisories(products):
        for vendor in advisory["product_tree"]["branches"]:
            for product in vendor["branches"]:
                maker = by_model[product["name"]].manufacturer
                assert set(vendor_keys(vendor["name"])) & set(vendor_keys(maker))
                assert product_keys(product["name"])


def test_reference_rows_cover_every_reference_product() -> None:
    rows = reference_rows(start=101)
    assert [r[0] for r in rows] == [f"MT-{n:06d}" for n in range(101, 101 + len(rows))]
    assert len(rows) == sum(p.count for p in REFERENCE_PRODUCTS)
    assert Counter(r[3] for r in rows) == {p.model: p.count for p in REFERENCE_PRODUCTS}
    assert all(r[5] == "" for r in rows)  # no operating system is claimed for real products


def test_reference_products_are_named_as_in_the_public_icsma_advisories() -> None:
    archive = shared_file("csaf/cisa-csaf-ot-it.tar.gz")
    wanted = {r.advisory.lower(): r for r in REFERENCE_PRODUCTS}
    found: dict[str, Advisory] = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            name = Path(member.name).name.removesuffix(".json")
            if member.name.endswith(".json") and name in wanted:
                data = tar.extractfile(member)
                assert data is not None
                found[name] = advisory_from_csaf(member.name, json.loads(data.read()))
    assert sorted(found) == sorted(wanted)
    for name, reference in wanted.items():
        advisory = found[name]
        assert advisory.id == reference.advisory
        statements = {
            (p.version_range or p.version or "").replace(" ", "")
            for p in advisory.products
            if (p.vendor, p.product) == (reference.manufacturer, reference.model)
        }
        assert reference.statement.replace(" ", "") in statements, (name, statements)


def _kb_state(root: Path) -> tuple[str, list[str]]:
    return (root / POINTER).read_text("utf-8"), sorted(p.name for p in root.iterdir())


def test_seeding_keeps_an_existing_knowledge_base(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ctx.engine.dialect.name != "sqlite":  # the same services run on both; once is enough
        return
    root = tmp_path / "kb"
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(root))
    epss = tmp_path / "epss.csv"
    epss.write_text("cve,epss,percentile\nCVE-2099-9999,0.5,0.9\n", encoding="utf-8")
    import_feeds([epss], root=root, workers=1)
    before = _kb_state(root)
    account = make_account(ctx, org="Demo Hospital")
    report = seed_demo_hospital(ctx, account.principal, assets=60)
    assert report is not None and report.counts["rejected"] == 0
    assert _kb_state(root) == before
    assert seed_demo_knowledge_base(ctx) is None
    kb = live_snapshot(root)
    assert kb is not None and kb.scan("targets").collect().height == 0

    # each fictional product version has exactly one SBOM, linked to it
    products = demo_products()
    expected = {(p.manufacturer, p.model, v.version) for p in products for v in p.versions}
    sboms = list_sboms(ctx, account.principal)
    assert Counter((s.manufacturer, s.product, s.version) for s in sboms) == dict.fromkeys(
        expected, 1
    )
    assert all(MIN_COMPONENTS <= s.component_count <= MAX_COMPONENTS for s in sboms)

    # real reference products: linked assets, and nothing stated about them
    versions = {
        (v.manufacturer, v.product): v for v in list_product_versions(ctx, account.principal)
    }
    for reference in REFERENCE_PRODUCTS:
        ref = versions[(reference.manufacturer, reference.model)]
        assert ref.version == (reference.version or "unspecified")
        life = product_lifecycle(ctx, account.principal, ref.id)
        assert life.asset_count == reference.count
        assert life.stored is None and life.disclosures == ()
        page = inventory_svc.list_assets(
            ctx, account.principal, AssetQuery(product_version_id=ref.id, page_size=100)
        )
        assert page.total == reference.count
        assert all(a.link_state is LinkState.LINKED for a in page.items)
    real = {(r.manufacturer, r.model) for r in REFERENCE_PRODUCTS}
    assert not [s for s in sboms if (s.manufacturer, s.product) in real]
