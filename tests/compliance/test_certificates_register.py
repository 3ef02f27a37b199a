"""Certificates register (pure): coverage from the standard, what remains of a framework."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from medtrust.compliance.certificates import (
    Certificate,
    Coverage,
    RemainingState,
    coverage,
    remaining,
    remaining_counts,
    resolve_framework,
)
from medtrust.compliance.data_files import product_evidence_rules
from medtrust.compliance.library import packaged_library

TODAY = date(2026, 11, 21)


def _cov(cert: Certificate, day: date = TODAY) -> Coverage:
    return coverage(cert, product_evidence_rules().certificates, packaged_library(), as_of=day)


def test_designations_resolve_to_catalogues() -> None:
    rules = product_evidence_rules().certificates
    library = packaged_library()
    assert resolve_framework("ISO/IEC  27001:2022", rules, library) == "iso-27001-2022"
    assert resolve_framework("iec 62443-4-1", rules, library) == "iec-62443-4-1"
    assert resolve_framework("IEC 81001-5-1", rules, library) == "iec-81001-5-1"
    assert resolve_framework("iso-27001-2022", rules, library) == "iso-27001-2022"
    assert resolve_framework("EUCC (Regulation (EU) 2019/881)", rules, library) is None


def test_valid_iso_certificate_covers_all_annex_a_controls() -> None:
    cov = _cov(Certificate(1, "ISO/IEC 27001", valid_until=date(2028, 1, 1)))
    library = packaged_library()
    assert cov.valid and cov.framework_id == "iso-27001-2022"
    assert set(cov.covered) == {n.urn for n in library.framework("iso-27001-2022").assessable()}
    assert "urn:medtrust:req:iso-27001-2022:a.8.13" in cov.covered


def test_expired_certificate_covers_nothing_and_says_why() -> None:
    cov = _cov(Certificate(1, "ISO/IEC 27001", valid_until=date(2026, 1, 1)))
    assert not cov.valid and cov.covered == ()
    assert "not valid on 2026-11-21" in cov.explanation


def test_unknown_standard_covers_nothing_and_says_why() -> None:
    cov = _cov(Certificate(1, "EUCC"))
    assert cov.framework_id is None and cov.covered == ()
    assert "names no packaged catalogue" in cov.explanation


def test_iso_certificate_leaves_only_part_of_nis2_open() -> None:
    items = remaining([_cov(Certificate(7, "ISO/IEC 27001"))], packaged_library(), "nis2")
    by_ref = {i.node.ref_id: i for i in items}
    # A.8.24 <-> 21(2)(h) is the one 'equal' mapping: reached with full confidence.
    crypto = by_ref["Art. 21(2)(h)"]
    assert crypto.state is RemainingState.REACHED and crypto.certificates == (7,)
    assert crypto.path is not None and crypto.path.confidence == 1.0
    assert "a.8.24" in crypto.explanation
    counts = remaining_counts(items)
    assert counts["open"] > 0 and counts["reached"] > 0
    assert sum(counts.values()) == len(items)
    assert by_ref["Art. 21(4)"].state is RemainingState.OPEN


def test_same_framework_is_covered_directly() -> None:
    items = remaining([_cov(Certificate(3, "IEC 62443-4-1"))], packaged_library(), "iec-62443-4-1")
    assert {i.state for i in items} == {RemainingState.COVERED}


def test_without_certificates_everything_is_open() -> None:
    items = remaining([], packaged_library(), "gdpr")
    assert {i.state for i in items} == {RemainingState.OPEN}
    assert all("still to be done" in i.explanation for i in items)


@given(
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.dates()),
    st.dates(),
)
def test_validity_respects_both_ends(start: date | None, end: date | None, day: date) -> None:
    valid = Certificate(1, "x", valid_from=start, valid_until=end).valid_on(day)
    expected = (start is None or start <= day) and (end is None or day <= end)
    assert valid is expected
