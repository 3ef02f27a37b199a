"""Bad catalogue and mapping files fail with a typed error naming the file and the node."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from medtrust.compliance import (
    CatalogueFileError,
    CatalogueReadError,
    CatalogueSchemaError,
    DanglingReferenceError,
    DuplicateUrnError,
    ParentCycleError,
    UnknownRelationError,
    validate_catalogue_file,
    validate_mapping_file,
)
from medtrust.errors import CatalogError

P = "urn:medtrust:req:demo:"


def _framework(fid: str = "demo") -> dict[str, Any]:
    prefix = f"urn:medtrust:req:{fid}:"
    return {
        "kind": "medtrust-framework",
        "id": fid,
        "urn": f"urn:medtrust:framework:{fid}",
        "ref_id": "Demo 1",
        "name": "Demo catalogue",
        "version": "1",
        "publication_date": "2024-01-31",
        "licence": "test data",
        "source": "a test",
        "provider": "tests",
        "nodes": [
            {"urn": prefix + "1", "ref_id": "1", "description": "top", "assessable": False},
            {
                "urn": prefix + "1.1",
                "ref_id": "1.1",
                "description": "child",
                "parent": prefix + "1",
            },
            {
                "urn": prefix + "1.2",
                "ref_id": "1.2",
                "description": "child",
                "parent": prefix + "1",
            },
        ],
    }


def _mapping() -> dict[str, Any]:
    return {
        "kind": "medtrust-mapping-set",
        "id": "demo-to-other",
        "name": "Demo mapping",
        "version": "1",
        "publication_date": "2024-02-01",
        "licence": "test data",
        "provider": "tests",
        "source_framework": "demo",
        "target_framework": "other",
        "mappings": [
            {
                "source": P + "1.1",
                "target": "urn:medtrust:req:other:1.1",
                "relation": "subset",
                "rationale": "because",
            }
        ],
    }


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _raises(kind: type[CatalogueFileError], call: Any, *fragments: str) -> CatalogueFileError:
    with pytest.raises(kind) as info:
        call()
    error = info.value
    assert isinstance(error, CatalogError)
    message = str(error)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return error


def test_valid_catalogue_loads(tmp_path: Path) -> None:
    framework = validate_catalogue_file(_write(tmp_path, "ok.yaml", _framework()))
    assert [n.depth for n in framework.nodes] == [1, 2, 2]
    assert framework.nodes[1].source == "Demo 1, 1.1"
    assert framework.origin.endswith("ok.yaml")


def test_dangling_parent(tmp_path: Path) -> None:
    data = _framework()
    data["nodes"][2]["parent"] = P + "9"
    path = _write(tmp_path, "dangling.yaml", data)
    error = _raises(
        DanglingReferenceError,
        lambda: validate_catalogue_file(path),
        str(path),
        P + "1.2",
        P + "9",
    )
    assert error.file == str(path)


def test_duplicate_urn(tmp_path: Path) -> None:
    data = _framework()
    data["nodes"].append(copy.deepcopy(data["nodes"][1]))
    path = _write(tmp_path, "dup.yaml", data)
    _raises(DuplicateUrnError, lambda: validate_catalogue_file(path), str(path), P + "1.1")


def test_cycle_in_parents(tmp_path: Path) -> None:
    data = _framework()
    data["nodes"][0]["parent"] = P + "1.1"
    path = _write(tmp_path, "cycle.yaml", data)
    _raises(ParentCycleError, lambda: validate_catalogue_file(path), str(path), P + "1")


def test_node_that_is_its_own_parent(tmp_path: Path) -> None:
    data = _framework()
    data["nodes"][1]["parent"] = P + "1.1"
    path = _write(tmp_path, "self.yaml", data)
    _raises(ParentCycleError, lambda: validate_catalogue_file(path), str(path), P + "1.1")


def test_missing_field_names_the_node(tmp_path: Path) -> None:
    data = _framework()
    del data["nodes"][2]["description"]
    path = _write(tmp_path, "missing.yaml", data)
    _raises(
        CatalogueSchemaError,
        lambda: validate_catalogue_file(path),
        str(path),
        f"node {P}1.2",
        "description",
    )


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    data = _framework()
    data["nodes"][0]["text"] = "pasted standard text"
    path = _write(tmp_path, "extra.yaml", data)
    _raises(CatalogueSchemaError, lambda: validate_catalogue_file(path), str(path), "text")


def test_wrong_kind_of_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "kind.yaml", _mapping())
    _raises(CatalogueSchemaError, lambda: validate_catalogue_file(path), str(path))


@pytest.mark.parametrize("content", ["nodes: [", "- just\n- a list\n", "", "\x00\x01"])
def test_not_a_catalogue_at_all(tmp_path: Path, content: str) -> None:
    path = tmp_path / "junk.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueFileError) as info:
        validate_catalogue_file(path)
    assert str(path) in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    _raises(CatalogueReadError, lambda: validate_catalogue_file(path), str(path))
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes(b"name: \xe9t\xe9\n")
    _raises(CatalogueReadError, lambda: validate_catalogue_file(binary), "UTF-8")


def _catalogues(tmp_path: Path) -> tuple[Any, Any]:
    demo = validate_catalogue_file(_write(tmp_path, "demo.yaml", _framework("demo")))
    other = validate_catalogue_file(_write(tmp_path, "other.yaml", _framework("other")))
    return demo, other


def test_valid_mapping_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, "map.yaml", _mapping())
    mapping_set = validate_mapping_file(
        path, catalogues=_catalogues(tmp_path), include_packaged=False
    )
    assert [m.relation.value for m in mapping_set.mappings] == ["subset"]


def test_unknown_relation(tmp_path: Path) -> None:
    data = _mapping()
    data["mappings"][0]["relation"] = "overlaps"
    path = _write(tmp_path, "rel.yaml", data)
    _raises(
        UnknownRelationError,
        lambda: validate_mapping_file(path, catalogues=_catalogues(tmp_path)),
        str(path),
        "mapping #1",
        P + "1.1",
        "overlaps",
    )


def test_dangling_mapping_endpoint(tmp_path: Path) -> None:
    data = _mapping()
    data["mappings"][0]["target"] = "urn:medtrust:req:other:7"
    path = _write(tmp_path, "end.yaml", data)
    _raises(
        DanglingReferenceError,
        lambda: validate_mapping_file(path, catalogues=_catalogues(tmp_path)),
        str(path),
        "urn:medtrust:req:other:7",
    )


def test_endpoint_in_the_wrong_framework(tmp_path: Path) -> None:
    data = _mapping()
    data["mappings"][0]["target"] = P + "1.2"
    path = _write(tmp_path, "wrong.yaml", data)
    _raises(
        DanglingReferenceError,
        lambda: validate_mapping_file(path, catalogues=_catalogues(tmp_path)),
        "not a node of framework 'other'",
    )


def test_unknown_framework(tmp_path: Path) -> None:
    data = _mapping()
    data["target_framework"] = "nowhere"
    path = _write(tmp_path, "fw.yaml", data)
    _raises(
        DanglingReferenceError,
        lambda: validate_mapping_file(path, catalogues=_catalogues(tmp_path)),
        "nowhere",
    )


def test_duplicate_mapping_pair(tmp_path: Path) -> None:
    data = _mapping()
    data["mappings"].append(copy.deepcopy(data["mappings"][0]))
    path = _write(tmp_path, "twice.yaml", data)
    _raises(
        DuplicateUrnError,
        lambda: validate_mapping_file(path, catalogues=_catalogues(tmp_path)),
        "mapping #2",
    )


def test_user_mapping_against_packaged_catalogues(tmp_path: Path) -> None:
    data = _mapping()
    data["source_framework"] = "nis2"
    data["target_framework"] = "gdpr"
    data["mappings"][0]["source"] = "urn:medtrust:req:nis2:21.2.h"
    data["mappings"][0]["target"] = "urn:medtrust:req:gdpr:32.1.a"
    data["mappings"][0]["relation"] = "intersect"
    mapping_set = validate_mapping_file(_write(tmp_path, "user.yaml", data))
    assert mapping_set.mappings[0].target == "urn:medtrust:req:gdpr:32.1.a"
