from __future__ import annotations

import json
from typing import Any

import pytest

from medtrust.compliance.library import packaged_library
from medtrust.compliance.oscal import (
    OscalExportError,
    catalog_document,
    control_id,
    dumps,
    mapping_document,
    validate_catalog,
    validate_mapping_collection,
)
from medtrust.compliance.oscal_import import import_oscal_catalog
from medtrust.compliance.user_input import UserFileError

LIBRARY = packaged_library()


def _fields(framework_id: str, library: object = LIBRARY) -> list[tuple[object, ...]]:
    fw = library.framework(framework_id)  # type: ignore[attr-defined]
    return [
        (
            n.urn,
            n.ref_id,
            n.name,
            n.description,
            n.parent,
            n.depth,
            n.order,
            n.assessable,
            n.verified,
            n.note,
            n.source,
        )
        for n in fw.nodes
    ]


@pytest.mark.parametrize("framework_id", sorted(LIBRARY.frameworks))
def test_catalog_export_validates_and_round_trips(framework_id: str) -> None:
    framework = LIBRARY.framework(framework_id)
    document = catalog_document(framework)
    validate_catalog(json.loads(dumps(document)))
    imported, content = import_oscal_catalog(dumps(document).encode(), f"{framework_id}.json")
    assert content["kind"] == "medtrust-framework"
    assert imported.id == framework.id
    assert imported.version == framework.version
    assert [
        (
            n.urn,
            n.ref_id,
            n.name,
            n.description,
            n.parent,
            n.depth,
            n.order,
            n.assessable,
            n.verified,
            n.note,
            n.source,
        )
        for n in imported.nodes
    ] == _fields(framework_id)
    assert dumps(catalog_document(framework)) == dumps(document)  # deterministic


@pytest.mark.parametrize("set_id", sorted(s.id for s in LIBRARY.mapping_sets))
def test_mapping_export_validates_and_keeps_every_mapping(set_id: str) -> None:
    mapping_set = next(s for s in LIBRARY.mapping_sets if s.id == set_id)
    document = json.loads(dumps(mapping_document(mapping_set, LIBRARY)))
    validate_mapping_collection(document)
    (mapping,) = document["mapping-collection"]["mappings"]
    pairs = {
        (m["sources"][0]["id-ref"], m["relationship"], m["targets"][0]["id-ref"])
        for m in mapping["maps"]
    }
    relationship = {
        "equal": "equal-to",
        "subset": "subset-of",
        "superset": "superset-of",
        "intersect": "intersects-with",
    }
    assert pairs == {
        (control_id(m.source), relationship[m.relation.value], control_id(m.target))
        for m in mapping_set.mappings
    }
    source_ids = _control_ids(catalog_document(LIBRARY.framework(mapping_set.source_framework)))
    target_ids = _control_ids(catalog_document(LIBRARY.framework(mapping_set.target_framework)))
    assert {p[0] for p in pairs} <= source_ids and {p[2] for p in pairs} <= target_ids


def _control_ids(document: dict[str, Any]) -> set[str]:
    out: set[str] = set()

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            out.add(str(item["id"]))
            walk(item.get("controls", []))
            walk(item.get("groups", []))

    catalog = document["catalog"]
    walk(catalog.get("controls", []))
    walk(catalog.get("groups", []))
    return out


def test_validator_rejects_what_the_schema_forbids() -> None:
    document = catalog_document(LIBRARY.framework("mdr"))
    document["catalog"]["metadata"]["oscal-version"] = 3
    with pytest.raises(OscalExportError):
        validate_catalog(document)
    collection = mapping_document(LIBRARY.mapping_sets[0], LIBRARY)
    collection["mapping-collection"]["provenance"]["method"] = "guessing"
    with pytest.raises(OscalExportError):
        validate_mapping_collection(collection)


def _tampered(path: list[object], value: object) -> bytes:
    document = catalog_document(LIBRARY.framework("mdr"))
    target: object = document
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "cat.json: line 1 column 2: not valid JSON"),
        (b'{"profile": {}}', "cat.json: (document): not an OSCAL catalog"),
        (b"[]", "cat.json: (document): not an OSCAL catalog"),
        (
            _tampered(["catalog", "groups", 0, "controls", 0, "id"], "1-bad"),
            "cat.json: catalog.groups[0].controls[0].id: String should match pattern",
        ),
        (
            _tampered(["catalog", "uuid"], "nope"),
            "cat.json: catalog.uuid: String should match pattern",
        ),
        (
            _tampered(["catalog", "metadata", "colour"], "red"),
            "cat.json: catalog.metadata.colour: Extra inputs are not permitted",
        ),
        (
            _tampered(
                ["catalog", "groups", 0, "controls", 1, "props", 2, "value"],
                "urn:medtrust:req:mdr:annex-i:1",
            ),
            "cat.json: node urn:medtrust:req:mdr:annex-i:1: URN used by more than one node",
        ),
    ],
)
def test_bad_oscal_input_is_one_line_naming_file_and_element(data: bytes, message: str) -> None:
    with pytest.raises(UserFileError) as info:
        import_oscal_catalog(data, "cat.json")
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 2


def test_foreign_catalog_gets_urns_from_its_control_ids() -> None:
    foreign = {
        "catalog": {
            "uuid": "6a6b9b1c-1f3e-4d4a-9d8e-2f0c5b3a1e11",
            "metadata": {
                "title": "Hospital Baseline",
                "last-modified": "2025-01-02T00:00:00Z",
                "version": "2",
                "oscal-version": "1.1.2",
            },
            "groups": [
                {
                    "id": "ac",
                    "title": "Access control",
                    "controls": [
                        {
                            "id": "ac-1",
                            "title": "Policy",
                            "parts": [
                                {
                                    "id": "ac-1_smt",
                                    "name": "statement",
                                    "prose": "Have an access policy.",
                                }
                            ],
                        },
                        {
                            "id": "ac-2",
                            "title": "Accounts",
                            "controls": [{"id": "ac-2.1", "title": "Automated"}],
                        },
                    ],
                }
            ],
        }
    }
    framework, _ = import_oscal_catalog(json.dumps(foreign).encode(), "baseline.json")
    assert framework.id == "hospital-baseline"
    assert [n.urn for n in framework.nodes] == [
        "urn:medtrust:req:hospital-baseline:ac",
        "urn:medtrust:req:hospital-baseline:ac-1",
        "urn:medtrust:req:hospital-baseline:ac-2",
        "urn:medtrust:req:hospital-baseline:ac-2.1",
    ]
    assert [n.assessable for n in framework.nodes] == [False, True, True, True]
    assert framework.nodes[1].description == "Have an access policy."
    assert framework.nodes[3].parent == "urn:medtrust:req:hospital-baseline:ac-2"
    assert (
        framework.publication_date is not None
        and framework.publication_date.isoformat() == "2025-01-02"
    )
