"""OSCAL export: catalogues as OSCAL catalogs, mapping sets as OSCAL mapping collections.

Output follows the NIST OSCAL 1.2 JSON format (``catalog`` and ``mapping-collection`` models) and
is checked with the typed OSCAL bindings (``oscal-bindings``, generated from NIST's OSCAL 1.2.3
JSON Schema) before it is returned, so a document that does not validate is never written.

Shape of a catalog: a top-level heading of our catalogue (not assessable, with children) becomes
a ``group``; every other node becomes a ``control`` nested under its parent. Each control carries
the source's identifier as the ``label`` prop, medtrust's paraphrase as the ``statement`` part,
the caveat note as a ``guidance`` part, the catalogue order as ``sort-id``, and, in the medtrust
namespace, its URN, source citation,
``assessable`` and ``verified`` flags, so an import restores the catalogue exactly.
Identifiers are deterministic (UUID v5 from URNs), so exports diff cleanly.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from medtrust.compliance.library import Library
from medtrust.compliance.model import URN_PREFIX, Framework, MappingSet, Node
from medtrust.compliance.relation import Relation
from medtrust.errors import MedtrustError
from medtrust.validation_text import DOCUMENT, format_location, one_line

OSCAL_VERSION = "1.2.3"
#: namespace of medtrust's own props (a URI, as OSCAL requires)
MEDTRUST_NS = "urn:medtrust:oscal"
_TOKEN_BAD = re.compile(r"[^A-Za-z0-9._-]")
#: an OSCAL key; other location parts are pydantic's union tags
_KEY = re.compile(r"^[a-z$][a-z0-9-]*$")
_EPOCH = date(1970, 1, 1)

#: our relation -> the OSCAL / NIST IR 8477 set-theory relationship
RELATIONSHIP = {
    Relation.EQUAL: "equal-to",
    Relation.SUBSET: "subset-of",
    Relation.SUPERSET: "superset-of",
    Relation.INTERSECT: "intersects-with",
}


class OscalExportError(MedtrustError):
    """An export did not validate against the OSCAL models (a bug, never the user's input)."""

    code = "oscal-export-invalid"


def control_id(urn: str) -> str:
    """OSCAL token id of a node: its URN path with ``:`` as ``.`` (``mdr.annex-i.17.2``)."""
    path = urn.removeprefix(URN_PREFIX).replace(":", ".")
    token = _TOKEN_BAD.sub("_", path)
    return token if token[:1].isalpha() or token[:1] == "_" else f"_{token}"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(parts)))


def _stamp(day: date | None) -> str:
    return datetime.combine(day or _EPOCH, datetime.min.time(), tzinfo=UTC).isoformat()


def _clean(text: str) -> str:
    return " ".join(text.split())


def _prop(name: str, value: str, *, ns: bool = True) -> dict[str, str]:
    prop = {"name": name, "value": _clean(value)}
    if ns:
        prop["ns"] = MEDTRUST_NS
    return prop


def _control(node: Node, children: dict[str | None, list[Node]]) -> dict[str, Any]:
    cid = control_id(node.urn)
    props = [
        _prop("label", node.ref_id, ns=False),
        _prop("sort-id", f"{node.order:06d}", ns=False),
        _prop("urn", node.urn),
        _prop("source", node.source),
        _prop("assessable", "true" if node.assessable else "false"),
    ]
    if not node.verified:
        props.append(_prop("verified", "false"))
    parts: list[dict[str, Any]] = [
        {"id": f"{cid}_smt", "name": "statement", "prose": _clean(node.description)}
    ]
    if node.note:
        parts.append({"id": f"{cid}_gdn", "name": "guidance", "prose": _clean(node.note)})
    control: dict[str, Any] = {
        "id": cid,
        "title": _clean(node.name),
        "props": props,
        "parts": parts,
    }
    if not node.assessable:
        control["class"] = "heading"
    nested = [_control(child, children) for child in children.get(node.urn, [])]
    if nested:
        control["controls"] = nested
    return control


def catalog_document(framework: Framework) -> dict[str, Any]:
    """The OSCAL catalog document of a framework (validated)."""
    children: dict[str | None, list[Node]] = {}
    for node in sorted(framework.nodes, key=lambda n: n.order):
        children.setdefault(node.parent, []).append(node)
    groups: list[dict[str, Any]] = []
    controls: list[dict[str, Any]] = []
    for top in children.get(None, []):
        if top.assessable or not children.get(top.urn):
            controls.append(_control(top, children))
            continue
        heading = _control(top, children)
        heading.pop("class", None)
        groups.append(
            {
                "id": heading["id"],
                "title": heading["title"],
                "props": heading["props"],
                "parts": heading["parts"],
                "controls": heading["controls"],
            }
        )
    metadata: dict[str, Any] = {
        "title": _clean(framework.name),
        "last-modified": _stamp(framework.publication_date),
        "version": framework.version,
        "oscal-version": OSCAL_VERSION,
        "props": [
            _prop("framework-id", framework.id),
            _prop("framework-urn", framework.urn),
            _prop("ref-id", framework.ref_id),
            _prop("provider", framework.provider),
            _prop("source", framework.source),
            _prop("licence", framework.licence),
        ],
        "remarks": _clean(framework.note or framework.licence),
    }
    if framework.publication_date is not None:
        metadata["published"] = _stamp(framework.publication_date)
    catalog: dict[str, Any] = {"uuid": _uuid("catalog", framework.urn), "metadata": metadata}
    if controls:
        catalog["controls"] = controls
    if groups:
        catalog["groups"] = groups
    document = {"catalog": catalog}
    validate_catalog(document)
    return document


def catalog_file_name(framework_id: str) -> str:
    """The file name a mapping collection uses to refer to a framework's exported catalog."""
    return f"{framework_id}.oscal-catalog.json"


def mapping_document(mapping_set: MappingSet, library: Library) -> dict[str, Any]:
    """The OSCAL mapping-collection document of one mapping set (validated)."""
    maps = [
        {
            "uuid": _uuid("map", mapping_set.id, m.source, m.target),
            "relationship": RELATIONSHIP[m.relation],
            "sources": [{"type": "control", "id-ref": control_id(m.source)}],
            "targets": [{"type": "control", "id-ref": control_id(m.target)}],
            "remarks": _clean(m.rationale),
        }
        for m in mapping_set.mappings
    ]
    source = library.framework(mapping_set.source_framework)
    target = library.framework(mapping_set.target_framework)
    description = _clean(f"{mapping_set.name}. {mapping_set.note or ''}".strip())
    collection = {
        "uuid": _uuid("mapping-collection", mapping_set.id),
        "metadata": {
            "title": _clean(mapping_set.name),
            "last-modified": _stamp(mapping_set.publication_date),
            "version": mapping_set.version,
            "oscal-version": OSCAL_VERSION,
            "props": [
                _prop("mapping-set-id", mapping_set.id),
                _prop("provider", mapping_set.provider),
                _prop("licence", mapping_set.licence),
            ],
        },
        "provenance": {
            "method": "human",
            "matching-rationale": "semantic",
            "status": "complete",
            "mapping-description": description,
        },
        "mappings": [
            {
                "uuid": _uuid("mapping", mapping_set.id),
                "source-resource": {"type": "catalog", "href": catalog_file_name(source.id)},
                "target-resource": {"type": "catalog", "href": catalog_file_name(target.id)},
                "maps": maps,
            }
        ],
    }
    document = {"mapping-collection": collection}
    validate_mapping_collection(document)
    return document


def oscal_path(loc: tuple[int | str, ...]) -> str:
    """Element path with pydantic's union tags removed: ``catalog.groups[0].controls[1].id``."""
    kept = tuple(part for part in loc if isinstance(part, int) or _KEY.match(part))
    return format_location(kept) or DOCUMENT


def _validate(model_name: str, document: dict[str, Any]) -> None:
    import oscal_bindings

    model = getattr(oscal_bindings, model_name)
    try:
        model.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = oscal_path(tuple(first["loc"]))
        message = one_line(first["msg"])
        raise OscalExportError(f"OSCAL {model_name} invalid at {where}: {message}") from exc


def validate_catalog(document: dict[str, Any]) -> None:
    """Validate a catalog document against the OSCAL 1.2 bindings (dict validation)."""
    _validate("CatalogDocument", document)


def validate_mapping_collection(document: dict[str, Any]) -> None:
    """Validate a mapping-collection document against the OSCAL 1.2 bindings."""
    _validate("MappingCollectionDocument", document)


def dumps(document: dict[str, Any]) -> str:
    """Stable JSON text (two-space indent, key order as built, trailing newline)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
