from __future__ import annotations

from datetime import date

import pytest

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.asset import EndOfSupport, SupportSource, SupportStatus
from medtrust.inventory.errors import LifecycleDataError
from medtrust.inventory.lifecycle import (
    LifecycleFacts,
    assess,
    end_of_support_from_text,
    is_segmented,
)
from medtrust.inventory.os_eol import load_os_table, parse_os_table

TODAY = date(2026, 6, 1)


def _facts(**changes: object) -> LifecycleFacts:
    base: dict[str, object] = {
        "product_end": None,
        "os_name": None,
        "os_release": None,
        "network_zone": None,
        "vlan": None,
        "mds2_answers": {},
        "mds2_label": None,
    }
    base.update(changes)
    return LifecycleFacts(**base)  # type: ignore[arg-type]


def test_status_from_the_earliest_end_of_support() -> None:
    table = load_os_table()
    win7 = table.match("Windows 7 Professional SP1")
    product = EndOfSupport(date(2027, 3, 31), SupportSource.MANUFACTURER, "letter 2024-01")
    result = assess(_facts(product_end=product, os_name="Win 7", os_release=win7), today=TODAY)
    assert result.status is SupportStatus.ENDED
    assert result.decisive is not None and result.decisive.source is SupportSource.OS_TABLE
    assert result.decisive.date == date(2020, 1, 14)
    assert any("Extended Security Updates" in r and "2023-01-10" in r for r in result.reasons)
    assert any("letter 2024-01" in r for r in result.reasons)


def test_ending_within_the_horizon_supported_beyond_unknown_without_dates() -> None:
    soon = EndOfSupport(date(2027, 1, 1), SupportSource.ENTERED, "asset register")
    assert assess(_facts(product_end=soon), today=TODAY).status is SupportStatus.ENDING
    assert (
        assess(_facts(product_end=soon), today=TODAY, horizon_days=30).status
        is SupportStatus.SUPPORTED
    )
    unknown = assess(_facts(os_name="QNX 6.5"), today=TODAY)
    assert unknown.status is SupportStatus.UNKNOWN and not unknown.is_legacy
    assert "not in the end-of-life table" in unknown.reasons[-1]


def test_compensations_segmentation_and_mds2_capabilities() -> None:
    result = assess(
        _facts(
            network_zone="MED-ICU",
            vlan="310",
            mds2_answers={"MLDP-4": "Yes", "MLDP-2.1": "No", "SAHD-10": "yes"},
            mds2_label="disclosure #3 r2",
        ),
        today=TODAY,
    )
    assert [(c.kind, c.ref) for c in result.compensations] == [
        ("segmentation", "MED-ICU"),
        ("mds2", "MLDP-4"),
        ("mds2", "SAHD-10"),
    ]
    assert "allow-listing" in result.compensations[1].explanation
    assert "disclosure #3 r2" in result.compensations[1].explanation
    assert not is_segmented("Corporate LAN") and not is_segmented("") and is_segmented("Biomed")


def test_end_of_support_stated_in_mds2_notes() -> None:
    found = end_of_support_from_text(
        [
            ("Note 1", "Antivirus: see manual."),
            ("Note 2", "Security updates: supported until 30.06.2028."),
        ]
    )
    assert found == EndOfSupport(
        date(2028, 6, 30), SupportSource.MDS2, "Note 2: 'supported until 30.06.2028'"
    )
    iso = end_of_support_from_text([("OTHR", "End-of-Life (EOL): 2027-12-31 for all SKUs")])
    assert iso is not None and iso.date == date(2027, 12, 31)
    assert end_of_support_from_text([("x", "end of support 31.02.2027")]) is None
    assert end_of_support_from_text([("x", "no dates here 2027-01-01")]) is None


@pytest.mark.parametrize(
    ("text", "release"),
    [
        ("Windows 7 Professional SP1", "windows-7"),
        ("Microsoft Windows XP Professional", "windows-xp"),
        ("Windows XP Embedded SP3", "windows-xp-embedded"),
        ("Windows Embedded Standard 7 SP1", "windows-embedded-standard-7"),
        ("WES7", "windows-embedded-standard-7"),
        ("Windows 10 IoT Enterprise 2019 LTSC", "windows-10-ltsc-2019"),
        ("Windows 10 Enterprise LTSC 2021", "windows-10-ltsc-2021"),
        ("Windows 10 IoT Enterprise LTSC 2021", "windows-10-iot-ltsc-2021"),
        ("Windows 10 Pro 22H2", "windows-10"),
        ("Windows 8.1 Embedded Industry Pro", "windows-embedded-8.1-industry"),
        ("Windows Server 2012 R2 Standard", "windows-server-2012"),
        ("CentOS Linux 7.9.2009", "centos-7"),
        ("RHEL 8.6", "rhel-8"),
        ("Red Hat Enterprise Linux 9", "rhel-9"),
        ("Ubuntu 18.04.6 LTS", "ubuntu-18.04"),
        ("Debian GNU/Linux 10 (buster)", "debian-10"),
        ("SLES 12 SP5", "sles-12"),
        ("Windows CE 6.0 R3", "windows-ce-6"),
    ],
)
def test_os_names_as_written_in_cmms_exports(text: str, release: str) -> None:
    found = load_os_table().match(text)
    assert found is not None and found.id == release


def test_unknown_os_names_do_not_match() -> None:
    for text in ("Windows 11 Pro", "QNX Neutrino 6.5", "VxWorks 6.9", "", "Linux"):
        assert load_os_table().match(text) is None


def test_every_release_is_found_by_its_own_name_and_has_a_source() -> None:
    table = load_os_table()
    for release in table.releases:
        assert release.source_url.startswith("https://")
        found = table.match(release.name.split(" (")[0])
        assert found is not None and found.id == release.id, release.name
        if release.extended_end is not None:
            assert release.extended_end >= release.end_of_support


def test_table_validation_errors_name_the_problem() -> None:
    raw = read_packaged_yaml("lifecycle/os-eol.yaml")
    broken = {**raw, "releases": [*raw["releases"], raw["releases"][0]]}
    with pytest.raises(LifecycleDataError, match="duplicate release id"):
        parse_os_table(broken)
    bad_pattern = {**raw, "releases": [{**raw["releases"][0], "patterns": ["("]}]}
    with pytest.raises(LifecycleDataError, match="does not compile"):
        parse_os_table(bad_pattern)
    with pytest.raises(LifecycleDataError, match="schema_version"):
        parse_os_table({"releases": raw["releases"]})
