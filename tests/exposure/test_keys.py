"""Matching keys over-approximate the reference matcher: a component and a target it matches
always share a key (so an incremental evaluation never misses a touched product version)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.domain.advisory import Advisory, CsafProduct
from medtrust.domain.component import Component, ComponentType
from medtrust.domain.vulnerability import Vulnerability
from medtrust.exposure.keys import component_keys, target_keys
from medtrust.feeds.batch import read_all
from medtrust.kb.from_csaf import product_specs
from medtrust.kb.rows import TableRows
from medtrust.kb.schema import schemas
from medtrust.kb.targets import Link, RecordTargets
from medtrust.matching.components import ComponentView, view
from medtrust.matching.model import Hit
from medtrust.matching.reference import ReferenceMatcher
from medtrust.matching.tables import KbSlice
from tests.matching.helpers import rows_from, slice_from
from tests.matching.test_differential import _components, _views
from tests.shared_data import shared_file


def _frame(table: str, rows: Sequence[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=schemas()[table], orient="row")


def test_target_keys_on_small_frames() -> None:
    targets = _frame(
        "targets",
        [
            (1, "r:1", "purl", "npm//left-pad", None, None, None, None, False, True, "p", "r"),
            (2, "r:1", "cpe", None, "a", "acme", "pump", "*:*:*:*:*:*:*", False, True, "c", "r"),
            (3, "r:1", "name", None, None, None, None, None, False, True, "n", "r"),
            (4, "r:1", "purl", None, None, None, None, None, False, False, "p", "r"),
        ],
    )
    name_keys = _frame("name_keys", [(3, "r:1", "acme", "pump"), (3, "r:1", "acme", "pump3000")])
    assert target_keys(targets, name_keys) == {
        "purl|npm//left-pad",
        "cpe|a|acme|pump",
        "name|acme|pump",
        "name|acme|pump3000",
    }
    assert target_keys(_frame("targets", []), _frame("name_keys", [])) == set()


def test_component_keys_of_views() -> None:
    components = [
        Component("a", ComponentType.LIBRARY, "left-pad", "1.0", purl="pkg:npm/left-pad@1.0"),
        Component(
            "b",
            ComponentType.DEVICE,
            "Pump 3000",
            "2.1",
            supplier="ACME Medical Inc.",
            cpe="cpe:2.3:h:acme:pump_3000:2.1:*:*:*:*:*:*:*",
        ),
    ]
    keys = component_keys(view(c, i, "sbom") for i, c in enumerate(components))
    assert "purl|npm//left-pad" in keys
    assert "cpe|h|acme|pump_3000" in keys
    assert any(k.startswith("name|acme|") for k in keys)
    assert component_keys([]) == set()


def _assert_hits_share_a_key(kb: KbSlice, views: list[ComponentView], hits: list[Hit]) -> None:
    by_index = {v.index: v for v in views}
    cache: dict[int, set[str]] = {}
    for hit in hits:
        if hit.target_id not in cache:
            one = pl.col("target_id") == hit.target_id
            cache[hit.target_id] = target_keys(kb.targets.filter(one), kb.name_keys.filter(one))
        shared = component_keys([by_index[hit.component]]) & cache[hit.target_id]
        assert shared, (by_index[hit.component].ref, hit)


# --- generated advisories and components ---------------------------------------------------------

VENDORS = ["ACME Medical Inc.", "Acme", "acme", "B. Braun", "General Electric (GE)", "GE"]
PRODUCTS = ["Pump 3000", "ACME Pump 3000", "pump_3000", "Aespire", "GE Aespire", "Monitor"]
VERSIONS = ["1.0", "2.1", "3.0.4", "10"]
STATEMENTS = ["<= 2.1", "all versions", "1.0", ">= 2.0 < 3.1", "vers:generic/<3", "v2.x"]
PURLS = [
    "pkg:npm/left-pad",
    "pkg:pypi/Django_Rest.Framework",
    "pkg:pypi/django-rest-framework",
    "pkg:maven/org.acme/pump",
    "pkg:npm/%40acme/pump",
]
CPES = [
    "cpe:2.3:a:acme:pump_3000:{v}:*:*:*:*:*:*:*",
    "cpe:2.3:h:acme:pump_3000:{v}:*:*:*:*:*:*:*",
    "cpe:2.3:o:ge:aespire:{v}:*:*:*:*:*:*:*",
    "cpe:/a:acme:pump_3000:{v}",
    "cpe:2.3:a:b\\.braun:monitor:{v}:*:*:*:*:*:*:*",
]


def _versioned(base: str, version: str | None, separator: str) -> str:
    return base + (f"{separator}{version}" if version else "")


_VERSION = st.none() | st.sampled_from(VERSIONS)


@st.composite
def _product(draw: st.DrawFn, index: int) -> CsafProduct:
    purls = draw(st.lists(st.sampled_from(PURLS), max_size=1))
    cpes = draw(st.lists(st.sampled_from(CPES), max_size=1))
    return CsafProduct(
        product_id=f"CSAFPID-{index}",
        name="generated",
        vendor=draw(st.none() | st.sampled_from(VENDORS)),
        product=draw(st.sampled_from(PRODUCTS)),
        version_range=draw(st.none() | st.sampled_from(STATEMENTS)),
        purls=tuple(_versioned(p, draw(_VERSION), "@") for p in purls),
        cpes=tuple(c.format(v=draw(_VERSION) or "*") for c in cpes),
    )


@st.composite
def _kb(draw: st.DrawFn) -> KbSlice:
    found = RecordTargets()
    for index in range(draw(st.integers(1, 6))):
        for spec in product_specs(draw(_product(index)), (Link("CVE-2000-0001"),)):
            found.add(spec)
    rows = TableRows()
    rows.add_targets(found, "csaf:generated", "csaf", "generated")
    return slice_from(rows)


@st.composite
def _component(draw: st.DrawFn, index: int) -> Component:
    version = draw(_VERSION)
    purl = draw(st.none() | st.sampled_from(PURLS))
    cpe = draw(st.none() | st.sampled_from(CPES))
    return Component(
        f"c{index}",
        ComponentType.DEVICE,
        draw(st.sampled_from([*PRODUCTS, "left-pad", "pump"])),
        version,
        group=draw(st.none() | st.sampled_from(VENDORS)),
        supplier=draw(st.none() | st.sampled_from(VENDORS)),
        purl=None if purl is None else _versioned(purl, draw(_VERSION), "@"),
        cpe=None if cpe is None else cpe.format(v=draw(_VERSION) or "*"),
    )


@st.composite
def _views_of(draw: st.DrawFn) -> list[ComponentView]:
    count = draw(st.integers(1, 6))
    return [view(draw(_component(i)), i, f"sbom-{i % 2}") for i in range(count)]


@settings(max_examples=150)
@given(_kb(), _views_of())
def test_keys_over_approximate_the_reference_matcher(
    kb: KbSlice, views: list[ComponentView]
) -> None:
    assert kb.targets.schema == pl.Schema(schemas()["targets"])
    assert kb.name_keys.schema == pl.Schema(schemas()["name_keys"])
    hits = ReferenceMatcher(kb).match(views)
    _assert_hits_share_a_key(kb, views, hits)
    # and so the whole SBOM's keys meet the record's keys whenever anything matched
    if hits:
        assert component_keys(views) & target_keys(kb.targets, kb.name_keys)


def test_generated_cases_do_match() -> None:
    """The property is not vacuous: one generated-style case matches on every kind of key."""
    found = RecordTargets()
    product = CsafProduct(
        "CSAFPID-1",
        "generated",
        vendor="ACME Medical Inc.",
        product="Pump 3000",
        version_range="<= 2.1",
    )
    for spec in product_specs(product, (Link("CVE-2000-0001"),)):
        found.add(spec)
    with_ids = CsafProduct(
        "CSAFPID-2",
        "generated",
        purls=("pkg:npm/left-pad@1.0",),
        cpes=("cpe:2.3:a:acme:pump_3000:2.1:*:*:*:*:*:*:*",),
    )
    for spec in product_specs(with_ids, (Link("CVE-2000-0002"),)):
        found.add(spec)
    rows = TableRows()
    rows.add_targets(found, "csaf:generated", "csaf", "generated")
    kb = slice_from(rows)
    components = [
        Component("n", ComponentType.DEVICE, "Pump 3000", "2.0", supplier="ACME Medical Inc."),
        Component("p", ComponentType.LIBRARY, "left-pad", "1.0", purl="pkg:npm/left-pad@1.0"),
        Component(
            "c", ComponentType.LIBRARY, "x", None, cpe="cpe:2.3:a:acme:pump_3000:2.1:*:*:*:*:*:*:*"
        ),
    ]
    views = [view(c, i, "sbom") for i, c in enumerate(components)]
    hits = ReferenceMatcher(kb).match(views)
    assert {h.component for h in hits} == {0, 1, 2}
    _assert_hits_share_a_key(kb, views, hits)


# --- real records --------------------------------------------------------------------------------


def _records(path: Path) -> list[Vulnerability | Advisory]:
    return [r for r in read_all([path]) if isinstance(r, Vulnerability | Advisory)]


@pytest.mark.shared_data
def test_keys_over_approximate_on_real_records() -> None:
    """ICSMA advisories (names, CPEs), NVD records (CPEs) and OSV samples (purls)."""
    records: list[Vulnerability | Advisory] = [
        r
        for r in _records(shared_file("csaf/cisa-csaf-ot-it.tar.gz"))
        if r.id.upper().startswith("ICSMA")
    ]
    records += _records(shared_file("nvd2"))
    osv = shared_file("osv/samples")
    for directory in sorted(p for p in osv.iterdir() if p.is_dir()):
        records += _records(directory)
    kb = slice_from(rows_from(records))
    # components made from up to 400 targets of each kind, matched against the whole KB
    sample = KbSlice(
        kb.targets.sort("target_id").group_by("kind", maintain_order=True).head(400),
        kb.name_keys,
        kb.intervals,
        kb.links,
        kb.configs,
    )
    views = _views(_components(sample))
    hits = ReferenceMatcher(kb).match(views)
    kinds = dict(kb.targets.select("target_id", "kind").iter_rows())
    matched_kinds = {kinds[h.target_id] for h in hits}
    assert matched_kinds == {"purl", "cpe", "name"}, matched_kinds
    assert len(hits) > 500
    _assert_hits_share_a_key(kb, views, hits)
