"""Contract tests of the packaged regime and authority data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medtrust.incidents import RegimeDataError, load_directory, load_regimes
from medtrust.incidents.datafiles import packaged_dir
from medtrust.incidents.directory import CORE_ROLES, load_directory_from
from medtrust.incidents.engine import RULE_IDS
from medtrust.incidents.regimes import load_regimes_from

REQUIRED_COUNTRIES = {"DE", "FR", "NL", "IE", "ES", "IT", "BE", "AT", "SE"}


def test_every_rule_the_engine_uses_exists() -> None:
    regimes = load_regimes()
    for rule_id in RULE_IDS:
        assert regimes.rule(rule_id).id == rule_id


def test_every_authority_recipient_resolves_in_the_directory() -> None:
    directory = load_directory()
    for regime in load_regimes().regimes:
        countries = [regime.country] if regime.country else list(directory.codes())
        for rule in regime.rules:
            if rule.recipient.authority is None:
                continue
            for code in countries:
                entry = directory.get(code)
                assert entry is not None, f"{regime.code}: country {code} missing"
                assert entry.has_role(rule.recipient.authority), (rule.id, code)


def test_submission_anchors_and_replacements_resolve() -> None:
    regimes = load_regimes()
    for regime in regimes.regimes:
        stages = {
            r.stage for g in regimes.regimes if g.reports_as == regime.reports_as for r in g.rules
        }
        for rule in regime.rules:
            if rule.anchor_event == "submission":
                assert rule.anchor_stage in stages, rule.id
            if rule.replaces is not None:
                assert regime.proposal, rule.id
                assert regimes.rule(rule.replaces).id == rule.replaces


def test_every_rule_cites_an_article_and_every_regime_a_source() -> None:
    for regime in load_regimes().regimes:
        assert regime.sources
        assert all(
            url.startswith("https://") or url.startswith("http://") for _, url in regime.sources
        )
        for rule in regime.rules:
            assert any(mark in rule.article for mark in ("Art.", "§", "MPG")), rule.id


def test_national_vigilance_regimes_have_one_rule_and_a_country() -> None:
    for regime in load_regimes().regimes:
        if regime.device_regulations:
            assert regime.country is not None
            assert len(regime.rules) == 1


def test_legal_deadlines_are_as_in_the_texts() -> None:
    regimes = load_regimes()
    expected = {
        "nis2.early_warning": ("hours", 24),
        "nis2.notification": ("hours", 72),
        "nis2.final": ("months", 1),
        "gdpr.authority_notification": ("hours", 72),
        "mdr.serious_incident_report": ("days", 15),
        "mdr.serious_incident_report_death": ("days", 10),
        "mdr.serious_incident_report_public_health": ("days", 2),
        "ivdr.serious_incident_report": ("days", 15),
        "ivdr.serious_incident_report_death": ("days", 10),
        "ivdr.serious_incident_report_public_health": ("days", 2),
        "cra.vulnerability.early_warning": ("hours", 24),
        "cra.vulnerability.notification": ("hours", 72),
        "cra.vulnerability.final": ("days", 14),
        "cra.incident.final": ("months", 1),
    }
    for rule_id, (unit, value) in expected.items():
        limit = regimes.rule(rule_id).limit
        assert (limit.unit, limit.value) == (unit, value), rule_id
    cra = regimes.regime("CRA")
    assert str(cra.applies_from) == "2026-09-11" and cra.applies_from_article == "Art. 71(2)"


def test_proposals_are_off_by_default() -> None:
    regimes = load_regimes()
    assert regimes.proposals() == ("OMNIBUS-GDPR",)
    assert regimes.rule("gdpr.authority_notification").id == "gdpr.authority_notification"
    assert (
        regimes.with_proposals(["OMNIBUS-GDPR"]).rule("gdpr.authority_notification").limit.value
        == 96
    )
    with pytest.raises(RegimeDataError, match="unknown proposal"):
        regimes.with_proposals(["NOPE"])


def test_directory_covers_the_required_countries_without_guessing() -> None:
    directory = load_directory()
    assert set(directory.codes()) >= REQUIRED_COUNTRIES
    for entry in directory.countries:
        for role in CORE_ROLES:
            item = entry.designation(role)
            text = item.describe()
            if item.status in ("pending", "unknown"):
                assert item.name is None
                assert ("pending" in text) or ("unknown" in text)


def test_directory_files_carry_sources_and_as_of_dates() -> None:
    for entry in sorted(packaged_dir("authorities").iterdir(), key=lambda e: e.name):
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        assert data["as_of"]
        assert data["nis2_transposition"]["sources"]
        for role, item in data["authorities"].items():
            if role != "other" and item["status"] in ("designated", "varies"):
                assert item["sources"], (entry.name, role)


def test_bad_regime_file_gives_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("schema_version: 1\ncode: X\n", encoding="utf-8")
    with pytest.raises(RegimeDataError) as info:
        load_regimes_from(tmp_path)
    assert "bad.yaml" in str(info.value) and "\n" not in str(info.value)


def test_pending_designation_with_a_name_is_rejected(tmp_path: Path) -> None:
    source = packaged_dir("authorities").joinpath("nl.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    data["authorities"]["nis2_csirt"]["name"] = "Guessed CSIRT"
    (tmp_path / "nl.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RegimeDataError, match="must not name an authority"):
        load_directory_from(tmp_path)


def test_directory_file_name_must_match_country(tmp_path: Path) -> None:
    source = packaged_dir("authorities").joinpath("nl.yaml").read_text(encoding="utf-8")
    (tmp_path / "xx.yaml").write_text(source, encoding="utf-8")
    with pytest.raises(RegimeDataError, match=r"nl\.yaml"):
        load_directory_from(tmp_path)
