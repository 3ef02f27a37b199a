"""Statements, aliases, normalisation, the match rules and --fail-on."""

from __future__ import annotations

import itertools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.matching.aliases import merge_aliases
from medtrust.matching.bulk import _confidence
from medtrust.matching.meta import CvssRow, VulnFacts, VulnMeta
from medtrust.matching.model import Confidence
from medtrust.matching.normalise import (
    _PLAIN_NAME,
    _base_key,
    _parse_cpe,
    _purl_parts,
    osv_package_key,
    parse_cpe,
    purl_parts,
    rest_compatible,
    vendor_keys,
)
from medtrust.matching.rules import decide
from medtrust.matching.statements import parse_statement


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("<= 4.2", ["4.2", "1.0", "4.1.9"], ["4.2.1", "5"]),
        ("all versions", ["0.1", "99"], []),
        ("vers:all/*", ["1"], []),
        (">= 1.3.4 | < 1.5.3", ["1.3.4", "1.5.2"], ["1.5.3", "1.3.3"]),
        ("5.0|5.1", ["5.0", "5.1"], ["5.2"]),
        ("<= 12.2.x.x", ["12.2.99.1", "11"], ["12.3"]),
        ("prior to 3.0", ["2.9"], ["3.0"]),
        ("4.2 and prior", ["4.2"], ["4.3"]),
        ("1.0 through 2.0", ["1.0", "2.0"], ["2.1"]),
        ("V2.1", ["2.1"], ["2.2"]),
    ],
)
def test_statements_understood(text: str, inside: list[str], outside: list[str]) -> None:
    statement = parse_statement(text)
    assert statement.range is not None
    assert all(statement.range.contains(v) for v in inside)
    assert not any(statement.range.contains(v) for v in outside)


@pytest.mark.parametrize(
    "text",
    ["< august 28", "distributed  < april 1, 2018", "<= U61 |<= L81", "", "053L000091 (global)"],
)
def test_statements_not_understood(text: str) -> None:
    assert not parse_statement(text).understood


@given(st.text(max_size=40))
def test_statement_parser_never_raises(text: str) -> None:
    parse_statement(text)


def test_primary_id_order_and_cve_conflicts() -> None:
    groups, refused = merge_aliases(
        [
            ("GHSA-aaaa-bbbb-cccc", ["CVE-2021-1", "PYSEC-2021-5"]),
            ("PYSEC-2021-5", ["EUVD-2021-9"]),
            ("BIT-x-1", ["CVE-2021-2"]),
            ("GHSA-dddd-eeee-ffff", ["CVE-2021-1", "CVE-2021-2"]),  # covers two CVEs
        ]
    )
    assert groups["PYSEC-2021-5"] == "CVE-2021-1"
    assert groups["EUVD-2021-9"] == "CVE-2021-1"
    assert groups["BIT-x-1"] == "CVE-2021-2"
    assert groups["CVE-2021-2"] == "CVE-2021-2"
    assert refused == 1


def test_primary_without_cve_prefers_ghsa_then_osv_then_euvd() -> None:
    groups, _ = merge_aliases([("ICSMA-1", ["EUVD-1"]), ("EUVD-1", ["GO-1"]), ("GO-1", ["GHSA-1"])])
    assert set(groups.values()) == {"GHSA-1"}


def _key(purl: str) -> str:
    parts = purl_parts(purl)
    assert parts is not None
    return parts[0]


def test_package_keys_agree_between_osv_and_purl() -> None:
    assert osv_package_key("PyPI", "Django_Rest.Framework") == _key(
        "pkg:pypi/django-rest-framework@3.0"
    )
    assert osv_package_key("Maven", "org.apache.logging.log4j:log4j-core") == _key(
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    assert osv_package_key("Go", "github.com/gin-gonic/gin") == _key(
        "pkg:golang/github.com/gin-gonic/gin@v1.9.0"
    )
    assert osv_package_key("AlmaLinux:8", "openssl") == "rpm/almalinux/openssl"


def test_vendor_keys() -> None:
    assert vendor_keys("General Electric (GE)") == ("generalelectric", "ge")
    assert vendor_keys("Dräger AG") == ("drager",)
    # dotted legal forms, as CMMS exports and CSAF publishers write them
    assert vendor_keys("RESPIRA CARE S.A.") == vendor_keys("Respira Care") == ("respiracare",)
    assert vendor_keys("LUMEN IMAGING B.V.") == ("lumenimaging",)
    assert vendor_keys("A.B. Dick") == ("abdick",)  # initials that are the name stay
    assert vendor_keys("the_apache_software_foundation") == ("apachesoftwarefoundation",)


def test_cpe_attributes_other_than_version() -> None:
    anything = "*:*:*:*:*:*:*"
    assert rest_compatible(anything, "sp1:*:*:*:*:*:*")
    assert rest_compatible("sp1:*:*:*:*:*:*", "sp1:*:*:*:*:*:*")
    assert not rest_compatible("sp1:*:*:*:*:*:*", "sp2:*:*:*:*:*:*")
    assert not rest_compatible("sp1:*:*:*:*:*:*", anything)  # unknown is not sp1
    assert rest_compatible("-:*:*:*:*:*:*", anything)
    assert not rest_compatible("sp1:*:*:*:*:*:*", "x")  # malformed component attributes


def test_bulk_expression_equals_decide_on_every_case() -> None:
    rows: list[dict[str, object]] = []
    for kind in ("purl", "cpe", "name"):
        for part in ("a", "h"):
            for flags in itertools.product([False, True], repeat=7):
                na, has_version, understood, has_range, broad, usable, contained = flags
                expected = decide(
                    kind=kind,
                    part=part,
                    version_na=na,
                    has_version=has_version,
                    understood=understood,
                    has_range=has_range,
                    broad=broad,
                    usable=usable,
                    contained=contained,
                )
                rows.append(
                    {
                        "kind": kind,
                        "cpart": part,
                        "version_na": na,
                        "version": "1.0" if has_version else None,
                        "understood": understood,
                        "has_range": has_range,
                        "broad": broad,
                        "usable": usable,
                        "contained": contained,
                        "expected": None if expected is None else expected.value,
                    }
                )
    frame = pl.DataFrame(rows).with_columns(_confidence().alias("got"))
    mismatches = frame.filter(pl.col("got").ne_missing(pl.col("expected")))
    assert mismatches.is_empty(), mismatches.head()
    assert Confidence.EXACT.value in frame["got"].to_list()


_FIELD = st.text(alphabet="aZz09._-~*", min_size=1, max_size=8)


@given(st.sampled_from(["a", "o", "h"]), st.lists(_FIELD, min_size=10, max_size=10))
def test_cpe_fast_path_equals_full_parser(part: str, fields: list[str]) -> None:
    text = ":".join(["cpe:2.3", part, *fields])
    fast, full = parse_cpe(text), _parse_cpe(text)
    assert fast == full
    if fast is not None and full is not None:
        for attr in ("vendor", "product", "version"):
            assert fast.literal(attr) == full.literal(attr)


@given(
    st.sampled_from(
        [
            "pkg:npm/left-pad",
            "pkg:pypi/Django_X",
            "pkg:maven/org.a/b-c",
            "pkg:golang/github.com/x/y",
            "pkg:npm/%40scope/name",
            "pkg:deb/debian/curl",
        ]
    ),
    st.text(alphabet="abcZ019.+_~-", min_size=1, max_size=12),
)
def test_purl_fast_path_equals_full_parser(base: str, version: str) -> None:
    text = f"{base}@{version}"
    assert purl_parts(text) == _purl_parts(text)


_SEGMENT = st.text(alphabet=st.sampled_from("abcXYZ019._~-"), min_size=1, max_size=6)


@given(
    st.sampled_from(
        ["npm", "NPM", "pypi", "maven", "golang", "generic", "pub", "hackage", "cpan", "deb"]
    ),
    st.lists(_SEGMENT, max_size=2),
    _SEGMENT,
)
def test_purl_base_fast_path_equals_full_parser(kind: str, namespace: list[str], name: str) -> None:
    base = "/".join([f"pkg:{kind}", *namespace, name])
    full = _purl_parts(base)
    assert _base_key(base) == (None if full is None else full[0])


def test_cpe_fast_path_is_taken_for_plain_names() -> None:
    assert _PLAIN_NAME.fullmatch("cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*")
    assert not _PLAIN_NAME.fullmatch("cpe:2.3:a:x:y:1.0:*:*:en:*:*:*:*")  # language: strict


_IDS = st.sampled_from(["CVE-2024-1", "CVE-2024-2", "GHSA-aaaa-bbbb-cccc", "PYSEC-2024-3"])
_RATING = st.builds(
    CvssRow,
    st.sampled_from(["2.0", "3.1", "4.0"]),
    st.sampled_from(["AV:N/x", "AV:L/y"]),
    st.sampled_from([0.0, 5.0, 9.8]),
    st.sampled_from(["nvd", "cna"]),
)


@given(
    st.dictionaries(_IDS, _IDS, max_size=4),
    st.dictionaries(
        _IDS,
        st.builds(
            lambda v, s, c, r: VulnFacts(v, summary=s, cwes=c, cvss=r),
            _IDS,
            st.sampled_from(["", "text"]),
            st.lists(st.sampled_from(["CWE-79", "CWE-20"]), max_size=3).map(tuple),
            st.lists(_RATING, max_size=3).map(tuple),
        ),
        max_size=4,
    ),
    st.dictionaries(_IDS, st.none() | st.sampled_from(["", "2024-01-02"]), max_size=3),
    st.dictionaries(_IDS, st.tuples(st.floats(0, 1), st.none() | st.floats(0, 1)), max_size=3),
    _IDS,
)
def test_group_of_equals_the_general_methods(
    primary: dict[str, str],
    facts: dict[str, VulnFacts],
    kev: dict[str, str | None],
    epss: dict[str, tuple[float, float | None]],
    wanted: str,
) -> None:
    meta = VulnMeta(primary=primary, facts=facts, kev=kev, epss=epss)
    ids = meta.members(wanted)
    assert meta.group_of(wanted) == (
        ids,
        *meta.group_facts(ids),
        *meta.kev_of(ids),
        *meta.epss_of(ids),
    )


@given(
    st.sampled_from(["", "a summary"]),
    st.lists(st.sampled_from(["CWE-79", "CWE-20"]), max_size=3).map(tuple),
    st.lists(_RATING, max_size=3).map(tuple),
    st.sampled_from(["nvd", "osv", "csaf", "other"]),
    st.booleans(),
)
def test_first_record_facts_equal_a_merge(
    summary: str,
    cwes: tuple[str, ...],
    cvss: tuple[CvssRow, ...],
    source: str,
    withdrawn: bool,
) -> None:
    first = VulnFacts.first(
        "CVE-1", summary=summary, cwes=cwes, cvss=cvss, source=source, withdrawn=withdrawn
    )
    merged = VulnFacts("CVE-1").merge(
        summary=summary, cwes=cwes, cvss=cvss, source=source, withdrawn=withdrawn
    )
    assert first == merged
