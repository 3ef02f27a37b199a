"""The bulk engine gives exactly the reference matcher's hits and findings.

Components are generated from the targets of real corpora: for every target, components at its
bounds, just inside and outside them, at unrelated versions and without a version, so that
hits and near-misses are both exercised; then both engines run on the same slice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from packageurl import PackageURL

from medtrust.domain.advisory import Advisory
from medtrust.domain.component import Component, ComponentType
from medtrust.domain.vulnerability import Vulnerability
from medtrust.feeds.batch import read_all
from medtrust.kb.rows import TableRows
from medtrust.kb.targets import Link, RecordTargets, TargetSpec
from medtrust.matching.bulk import match_bulk
from medtrust.matching.components import ComponentView, view
from medtrust.matching.findings import build_findings, collect_evidence
from medtrust.matching.model import Hit
from medtrust.matching.reference import ReferenceMatcher
from medtrust.matching.tables import KbSlice
from medtrust.versioning.ranges import Interval, VersionRange
from medtrust.versioning.registry import get_scheme
from tests.matching.helpers import meta_from, rows_from, slice_from
from tests.shared_data import shared_file

_NUMBER = re.compile(r"\d+")


def _nearby(version: str) -> list[str]:
    """The version, and variants just above and below it."""
    out = [version]
    numbers = list(_NUMBER.finditer(version))
    if numbers:
        last = numbers[-1]
        value = int(last.group())
        out.append(version[: last.start()] + str(value + 1) + version[last.end() :])
        if value > 0:
            out.append(version[: last.start()] + str(value - 1) + version[last.end() :])
    return out


def _bounds(kb: KbSlice) -> dict[int, list[str | None]]:
    """Per target: no version, two unrelated versions, and each bound with its neighbours."""
    found: dict[int, list[str | None]] = {}
    for target_id, lower, upper in kb.intervals.select("target_id", "lower", "upper").iter_rows():
        versions = found.setdefault(target_id, [None, "0.0.1", "99.0"])
        for bound in (lower, upper):
            if bound and len(versions) < 12:
                versions += _nearby(bound)
    return {k: list(dict.fromkeys(v)) for k, v in found.items()}


def _components(kb: KbSlice, limit: int = 1200) -> list[Component]:
    made: list[Component] = []
    bounds = _bounds(kb)
    names: dict[int, tuple[str, str]] = {}
    for target_id, vendor, product in kb.name_keys.select(
        "target_id", "vendor_key", "product_key"
    ).iter_rows():
        names.setdefault(target_id, (vendor, product))
    for row in kb.targets.head(limit).iter_rows(named=True):
        versions = bounds.get(row["target_id"], [None, "1.0"])
        for version in versions:
            ref = f"c{len(made)}"
            if row["kind"] == "purl":
                kind, _, rest = row["package_key"].partition("/")
                namespace, _, name = rest.partition("/")
                try:
                    purl = PackageURL(kind, namespace or None, name, version).to_string()
                except ValueError:
                    continue
                made.append(Component(ref, ComponentType.LIBRARY, name, version, purl=purl))
            elif row["kind"] == "cpe":
                cpe = ":".join(
                    [
                        "cpe:2.3",
                        row["part"],
                        row["vendor"],
                        row["product"],
                        _cpe_version(version),
                        row["rest"],
                    ]
                )
                made.append(Component(ref, ComponentType.LIBRARY, row["product"], None, cpe=cpe))
            elif row["target_id"] in names:
                vendor, product = names[row["target_id"]]
                made.append(Component(ref, ComponentType.DEVICE, product, version, supplier=vendor))
    return made


def _cpe_version(version: str | None) -> str:
    if version is None:
        return "*"
    return "".join(ch if ch.isalnum() or ch == "_" else "\\" + ch for ch in version.lower())


def _views(components: Iterable[Component]) -> list[ComponentView]:
    return [view(c, i, f"sbom-{i % 7}") for i, c in enumerate(components)]


def _assert_same(rows: TableRows, min_hits: int) -> list[Hit]:
    kb = slice_from(rows)
    components = _views(_components(kb))
    reference = ReferenceMatcher(kb).match(components)
    bulk = match_bulk(components, kb)
    assert len(reference) >= min_hits
    assert bulk == reference
    meta = meta_from(rows)
    assert build_findings(collect_evidence(bulk, components, kb), components, meta) == (
        build_findings(collect_evidence(reference, components, kb), components, meta)
    )
    return reference


def _records(path: Path) -> list[Vulnerability | Advisory]:
    return [r for r in read_all([path]) if isinstance(r, Vulnerability | Advisory)]


def test_osv_samples_by_ecosystem() -> None:
    directory = shared_file("osv/samples")
    for source in sorted(p for p in directory.iterdir() if p.is_dir()):
        rows = rows_from(_records(source))
        _assert_same(rows, min_hits=1 if "google" in source.name else 50)


def test_nvd_samples() -> None:
    hits = _assert_same(rows_from(_records(shared_file("nvd2"))), min_hits=200)
    assert any(h.confidence.value == "exact" for h in hits)


def test_vulnrichment_cpes(
    vulnrichment_sample: tuple[list[Vulnerability], list[Vulnerability]],
) -> None:
    first, _ = vulnrichment_sample
    _assert_same(rows_from(first), min_hits=1000)


def test_csaf_icsma(icsma_advisories: list[Advisory]) -> None:
    assert len(icsma_advisories) == 144  # SOURCES.md: 144 ICSMA advisories
    hits = _assert_same(rows_from(icsma_advisories), min_hits=100)
    assert {h.confidence.value for h in hits} >= {"strong", "weak"}


_VERSIONS = st.builds(
    lambda parts, suffix: ".".join(str(p) for p in parts) + suffix,
    st.lists(st.integers(0, 12), min_size=1, max_size=3),
    st.sampled_from(["", "-rc1", "a", "-beta.2"]),
)


@st.composite
def _target(draw: st.DrawFn) -> TargetSpec:
    kind = draw(st.sampled_from(["purl", "cpe", "name"]))
    scheme = "generic" if kind != "purl" else draw(st.sampled_from(["semver", "generic"]))
    lower = draw(st.none() | _VERSIONS)
    upper = draw(st.none() | _VERSIONS)
    exact = tuple(draw(st.lists(_VERSIONS, max_size=2)))
    excluded = tuple(draw(st.lists(_VERSIONS, max_size=1)))
    intervals = (
        (Interval(lower, draw(st.booleans()), upper, draw(st.booleans())),)
        if draw(st.booleans())
        else ()
    )
    if scheme == "semver":
        semver = get_scheme("semver")
        bounds = [v for v in (lower, upper) if v is not None]
        assume(all(semver.is_valid(v) for v in bounds))
        exact, excluded = (), ()
    version_range = VersionRange(scheme, intervals, exact, excluded)
    understood = kind == "purl" or draw(st.booleans())
    version_na = kind == "cpe" and draw(st.booleans())
    return TargetSpec(
        kind=kind,
        identifier="generated",
        range=None if (version_na or not understood) else version_range,
        range_text="generated",
        links=(Link("CVE-2000-0001"),),
        package_key="npm//left-pad" if kind == "purl" else None,
        cpe=(draw(st.sampled_from(["a", "h"])), "acme", "pump", "*:*:*:*:*:*:*")
        if kind == "cpe"
        else None,
        version_na=version_na,
        understood=understood,
        name_keys=(("acme", "pump"),) if kind == "name" else (),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_target(), min_size=1, max_size=6),
    st.lists(st.none() | _VERSIONS, min_size=1, max_size=6),
)
def test_generated_ranges_agree(specs: list[TargetSpec], versions: list[str | None]) -> None:
    found = RecordTargets()
    for spec in specs:
        found.add(spec)
    rows = TableRows()
    rows.add_targets(found, "test:1", "osv", "generated")
    components = []
    for index, version in enumerate(versions):
        components += [
            Component(
                f"p{index}",
                ComponentType.LIBRARY,
                "left-pad",
                version,
                purl="pkg:npm/left-pad" + (f"@{version}" if version else ""),
            ),
            Component(
                f"c{index}",
                ComponentType.DEVICE,
                "pump",
                version,
                cpe=f"cpe:2.3:{'h' if index % 2 else 'a'}:acme:pump:"
                f"{_cpe_version(version)}:*:*:*:*:*:*:*",
            ),
            Component(f"n{index}", ComponentType.DEVICE, "Pump", version, supplier="ACME Inc."),
        ]
    kb = slice_from(rows)
    views = _views(components)
    assert match_bulk(views, kb) == ReferenceMatcher(kb).match(views)
