"""The packaged fictional vulnerabilities (``medtrust/inventory/data/demo-flaws.yaml``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from medtrust.errors import CatalogError
from medtrust.inventory.demo import demo_products
from medtrust.inventory.demo_advisories import (
    CSAF_DIR,
    EPSS_FILE,
    FICTION,
    KEV_FILE,
    write_demo_feeds,
)
from medtrust.inventory.demo_flaws import (
    DEMO_FLAWS_FILE,
    FLAWS,
    DemoFlaw,
    DemoFlawsFile,
    demo_flaws,
    flaws_from_data,
    flaws_from_yaml,
)
from tests.inventory.packaged_data import PackagedData, refused

DATA = PackagedData("demo-flaws", DemoFlawsFile)


# --- the packaged file and its schema ---------------------------------------------------------


def test_packaged_file_validates_against_the_committed_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(DATA.schema())
    errors = list(DATA.validator().iter_errors(DATA.raw()))
    assert not errors, errors[0].message


def test_committed_schema_equals_the_model() -> None:
    assert DATA.committed_schema() == DATA.generated_schema(), (
        "demo-flaws.schema.json is stale: write DemoFlawsFile.model_json_schema() in the "
        "format of medtrust.catalog.schema_export.render_schema"
    )


def test_loaded_once_and_exported_as_flaws() -> None:
    assert demo_flaws() is demo_flaws()
    assert FLAWS is demo_flaws()
    assert all(isinstance(flaw, DemoFlaw) for flaw in FLAWS)


def test_loaded_flaws_are_the_file_entries_in_order() -> None:
    entries = DATA.raw()["flaws"]
    assert len(FLAWS) == len(entries) == 15
    for flaw, entry in zip(FLAWS, entries, strict=True):
        assert flaw.number == entry["number"]
        assert flaw.title == entry["title"]
        assert flaw.description == entry["description"]
        assert flaw.cwe == (entry["cwe"]["id"], entry["cwe"]["name"])
        assert flaw.vector == entry["vector"]
        assert flaw.epss == entry["epss"]
        expected = entry.get("kev_added")
        assert flaw.kev_added == (date.fromisoformat(expected) if expected else None)


def test_the_demo_table() -> None:
    assert [f.number for f in FLAWS] == list(range(1, 16))
    assert [(f.cve, f.kev_added) for f in FLAWS if f.kev_added] == [
        ("CVE-2099-0001", date(2026, 6, 2)),
        ("CVE-2099-0002", date(2026, 8, 18)),
        ("CVE-2099-0011", date(2026, 9, 9)),
    ]
    first = FLAWS[0]
    assert first.demo_id == "DEMO-2026-0001"
    assert first.cwe == ("CWE-798", "Use of Hard-coded Credentials")
    assert first.epss == 0.4213
    assert first.cvss() == {
        "version": "3.1",
        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "baseScore": 9.8,
        "baseSeverity": "CRITICAL",
    }
    assert FLAWS[9].cvss()["baseScore"] == 5.4  # stored XSS, scope changed
    assert FLAWS[9].cvss()["baseSeverity"] == "MEDIUM"


def test_texts_are_single_lines_as_folded() -> None:
    # a ">" instead of ">-" or a stray blank line would change every feed written from them
    for flaw in FLAWS:
        for text in (flaw.title, flaw.description, flaw.cwe[1]):
            assert text == " ".join(text.split()), (flaw.number, text)
        assert flaw.description.endswith(".")
        assert not flaw.title.endswith(".")


# --- bad files --------------------------------------------------------------------------------

Mutate = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _duplicate_number(data: dict[str, Any]) -> None:
    data["flaws"][4]["number"] = 2


_BASE = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U"

#: (id, mutation, fragment of the message); the JSON Schema refuses these as well
SCHEMA_CASES: list[tuple[str, Mutate, str]] = [
    (
        "unknown-metric-value",
        _set(("flaws", 0, "vector"), f"{_BASE}/C:X/I:H/A:H"),
        "flaws.0.vector: String should match pattern",
    ),
    (
        "vector-missing-metrics",
        _set(("flaws", 1, "vector"), "CVSS:3.1/AV:N/AC:L"),
        "flaws.1.vector: String should match pattern",
    ),
    (
        "cvss-3.0-vector",
        _set(("flaws", 2, "vector"), "CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
        "flaws.2.vector: String should match pattern",
    ),
    (
        "cvss-v2-vector",
        _set(("flaws", 3, "vector"), "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
        "flaws.3.vector: String should match pattern",
    ),
    (
        "epss-above-one",
        _set(("flaws", 0, "epss"), 1.5),
        "flaws.0.epss: Input should be less than or equal to 1",
    ),
    (
        "epss-negative",
        _set(("flaws", 5, "epss"), -0.01),
        "flaws.5.epss: Input should be greater than or equal to 0",
    ),
    (
        "epss-as-string",
        _set(("flaws", 6, "epss"), "0.0009"),
        "flaws.6.epss: Input should be a valid number",
    ),
    (
        "unknown-flaw-key",
        _set(("flaws", 7, "cvss"), 6.8),
        "flaws.7.cvss: Extra inputs are not permitted",
    ),
    (
        "unknown-cwe-key",
        _set(("flaws", 8, "cwe", "url"), "https://cwe.mitre.org/"),
        "flaws.8.cwe.url: Extra inputs are not permitted",
    ),
    ("unknown-top-key", _set(("advisories",), []), "advisories: Extra inputs are not permitted"),
    (
        "title-not-a-string",
        _set(("flaws", 9, "title"), 42),
        "flaws.9.title: Input should be a valid string",
    ),
    (
        "number-as-string",
        _set(("flaws", 10, "number"), "11"),
        "flaws.10.number: Input should be a valid integer",
    ),
    (
        "number-zero",
        _set(("flaws", 10, "number"), 0),
        "flaws.10.number: Input should be greater than or equal to 1",
    ),
    (
        "cwe-as-pair",
        _set(("flaws", 11, "cwe"), ["CWE-22", "Path Traversal"]),
        "flaws.11.cwe: Input should be a valid dictionary",
    ),
    (
        "cwe-id-without-prefix",
        _set(("flaws", 12, "cwe", "id"), "327"),
        "flaws.12.cwe.id: String should match pattern",
    ),
    (
        "missing-description",
        _delete(("flaws", 13, "description")),
        "flaws.13.description: Field required",
    ),
    (
        "missing-cwe-name",
        _delete(("flaws", 14, "cwe", "name")),
        "flaws.14.cwe.name: Field required",
    ),
    ("missing-flaws", _delete(("flaws",)), "flaws: Field required"),
    ("empty-title", _set(("flaws", 3, "title"), ""), "flaws.3.title: String should have at least"),
    (
        "impossible-date",
        _set(("flaws", 0, "kev_added"), "2026-02-30"),
        "flaws.0.kev_added: Value error, not a valid date: 2026-02-30",
    ),
    (
        "date-time-for-date",
        _set(("flaws", 1, "kev_added"), "2026-08-18T00:00:00"),
        "flaws.1.kev_added: Value error, expected an ISO date (YYYY-MM-DD)",
    ),
    (
        "date-as-number",
        _set(("flaws", 10, "kev_added"), 20260909),
        "flaws.10.kev_added: Value error, expected an ISO date (YYYY-MM-DD), found 20260909",
    ),
    ("schema-version-2", _set(("schema_version",), 2), "schema_version: Input should be 1"),
    (
        "one-flaw",
        lambda data: data.update(flaws=data["flaws"][:1]),
        "flaws: List should have at least 2 items",
    ),
]
#: refused by the loader only (JSON Schema cannot require one property to be unique)
CONSISTENCY_CASES: list[tuple[str, Mutate, str]] = [
    (
        "duplicate-number",
        _duplicate_number,
        "flaws: Value error, duplicate number 2 (flaws.1 and flaws.4)",
    ),
]


def _refused(data: object, fragment: str, source: str = DEMO_FLAWS_FILE) -> str:
    return refused(flaws_from_data, data, fragment, source)


@pytest.mark.parametrize(
    ("mutate", "fragment"), [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES]
)
def test_schema_violations_are_refused_by_loader_and_schema(mutate: Mutate, fragment: str) -> None:
    data = DATA.raw()
    mutate(data)
    _refused(data, fragment)
    assert list(DATA.validator().iter_errors(data)), "the JSON Schema accepts it"


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [c[1:] for c in CONSISTENCY_CASES],
    ids=[c[0] for c in CONSISTENCY_CASES],
)
def test_inconsistent_tables_are_refused(mutate: Mutate, fragment: str) -> None:
    data = DATA.raw()
    mutate(data)
    _refused(data, fragment)
    assert not list(DATA.validator().iter_errors(data))  # what only the loader can check


def test_error_names_the_packaged_file() -> None:
    data = DATA.raw()
    data["flaws"][0]["epss"] = 2
    message = _refused(data, "flaws.0.epss")
    assert message == (
        "medtrust/inventory/data/demo-flaws.yaml: flaws.0.epss: "
        "Input should be less than or equal to 1"
    )


def test_variants_both_accept() -> None:
    data = DATA.raw()
    del data["flaws"][0]["kev_added"]
    data["flaws"][1]["kev_added"] = None
    data["flaws"][2]["epss"] = 0  # an integer is a number
    data["flaws"][3]["epss"] = 1
    assert not list(DATA.validator().iter_errors(data))
    flaws = flaws_from_data(data)
    assert (flaws[0].kev_added, flaws[1].kev_added) == (None, None)
    assert (flaws[2].epss, flaws[3].epss) == (0, 1)


def test_unquoted_yaml_date_is_read_as_the_same_date() -> None:
    text = DATA.text().replace('kev_added: "2026-06-02"', "kev_added: 2026-06-02", 1)
    assert text != DATA.text()
    assert flaws_from_yaml(text) == FLAWS


def test_not_a_mapping_is_refused() -> None:
    _refused(["flaws"], "Input should be a valid dictionary", source="elsewhere.yaml")


def test_broken_yaml_is_one_line_naming_the_file() -> None:
    with pytest.raises(CatalogError) as info:
        flaws_from_yaml("flaws: [\n  - number: 1\n", source="broken.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("broken.yaml: not valid YAML: ")


# --- the feeds are written from the loaded flaws ----------------------------------------------


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("feeds")
    write_demo_feeds(directory, demo_products())
    return directory


def test_epss_file_scores_every_flaw_in_file_order(feeds: Path) -> None:
    lines = (feeds / EPSS_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#model_version:medtrust-demo-fictional,")
    rows = list(csv.DictReader(lines[1:]))
    assert [(r["cve"], r["epss"]) for r in rows] == [(f.cve, f"{f.epss:.5f}") for f in FLAWS]
    assert rows[0] == {"cve": "CVE-2099-0001", "epss": "0.42130", "percentile": "0.95500"}
    by_score = sorted(rows, key=lambda r: float(r["epss"]))
    assert [r["percentile"] for r in by_score] == sorted(r["percentile"] for r in rows)
    assert (by_score[0]["percentile"], by_score[-1]["percentile"]) == ("0.50000", "0.99000")


def test_kev_catalog_lists_the_exploited_flaws(feeds: Path) -> None:
    catalog = json.loads((feeds / KEV_FILE).read_text(encoding="utf-8"))
    exploited = [f for f in FLAWS if f.kev_added is not None]
    entries = catalog["vulnerabilities"]
    assert [e["cveID"] for e in entries] == [f.cve for f in exploited]
    for entry, flaw in zip(entries, exploited, strict=True):
        assert flaw.kev_added is not None
        assert entry["dateAdded"] == flaw.kev_added.isoformat()
        assert entry["cwes"] == [flaw.cwe[0]]
        assert entry["shortDescription"] == f"{flaw.description} {FICTION}."
        assert entry["vulnerabilityName"].endswith(f" {flaw.title}")
        assert entry["notes"].endswith(f"Demo id {flaw.demo_id}.")
    assert entries[0]["dueDate"] == "2026-06-23"


def test_csaf_advisories_describe_every_flaw_as_loaded(feeds: Path) -> None:
    cited: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((feeds / CSAF_DIR).glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for vulnerability in document["vulnerabilities"]:
            cited.setdefault(vulnerability["cve"], []).append(vulnerability)
    assert set(cited) == {f.cve for f in FLAWS}
    for flaw in FLAWS:
        for vulnerability in cited[flaw.cve]:
            assert vulnerability["ids"] == [{"system_name": "medtrust-demo", "text": flaw.demo_id}]
            assert vulnerability["title"] == flaw.title
            assert vulnerability["cwe"] == {"id": flaw.cwe[0], "name": flaw.cwe[1]}
            assert vulnerability["notes"][0]["text"] == f"{flaw.description} {FICTION}."
            score = vulnerability["scores"][0]["cvss_v3"]
            assert score["vectorString"] == flaw.vector
            assert score == flaw.cvss()
            threats = vulnerability.get("threats", [])
            if flaw.kev_added is None:
                assert threats == []
            else:
                assert threats[0]["date"] == f"{flaw.kev_added.isoformat()}T00:00:00.000Z"
    # the shared connectivity module's flaw is cited by two advisories
    assert {cve for cve, found in cited.items() if len(found) > 1} == {"CVE-2099-0003"}


def test_a_flaw_the_advisories_name_missing_from_the_data_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medtrust.inventory import demo_advisories

    products = demo_products()
    named = demo_advisories._plans(products)[0].flaws[0]
    monkeypatch.delitem(demo_advisories._FLAWS, named)
    with pytest.raises(CatalogError) as caught:
        demo_advisories.demo_advisories(products)
    assert str(caught.value) == (
        f"{DEMO_FLAWS_FILE}: no flaw number {named}, which the demo advisories name"
    )
