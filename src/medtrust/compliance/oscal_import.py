"""OSCAL catalog import: validate a user's OSCAL catalog, then turn it into a medtrust catalogue.

Validation comes first and is strict: the JSON must parse, must be an OSCAL 1.x ``catalog``
document valid against the OSCAL bindings (``oscal-bindings``, generated from NIST's OSCAL
JSON Schema), and the resulting catalogue must pass the same tree checks as packaged catalogues
(unique ids, resolving parents). Any problem raises one :class:`UserFileError` whose message
names the file and the element, e.g. ``cat.json: catalog.groups[0].controls[2].id: String should
match pattern ...`` (CLI exit 2).

Catalogs exported by medtrust come back exactly (URNs, identifiers, flags, notes are in props in
the ``urn:medtrust:oscal`` namespace); other catalogs get URNs
``urn:medtrust:req:<framework-id>:<control-id>``, with groups as headings and controls as
assessable requirements.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from medtrust.compliance.errors import CatalogueFileError
from medtrust.compliance.files import FRAMEWORK_ID_PATTERN
from medtrust.compliance.loader import parse_framework
from medtrust.compliance.model import URN_PREFIX, Framework
from medtrust.compliance.oscal import MEDTRUST_NS, oscal_path
from medtrust.compliance.user_input import UserFileError, parse_json_bytes
from medtrust.validation_text import one_line

_SLUG = re.compile(r"[^a-z0-9]+")


def validate_oscal_catalog(data: object, name: str) -> dict[str, Any]:
    """Check a decoded document is a valid OSCAL catalog; return its ``catalog`` object."""
    import oscal_bindings

    if not isinstance(data, dict) or "catalog" not in data:
        found = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        raise UserFileError(name, "(document)", f"not an OSCAL catalog (top level: {found})")
    try:
        oscal_bindings.CatalogDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UserFileError(name, oscal_path(tuple(first["loc"])), one_line(first["msg"])) from None
    catalog: dict[str, Any] = data["catalog"]
    return catalog


def _props(item: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(props in medtrust's namespace, props without a namespace), by name."""
    props = item.get("props", [])
    ours = {p["name"]: p["value"] for p in props if p.get("ns") == MEDTRUST_NS}
    plain = {p["name"]: p["value"] for p in props if "ns" not in p}
    return ours, plain


def _prose(parts: list[dict[str, Any]], name: str) -> str:
    texts: list[str] = []
    for part in parts:
        if part.get("name") == name:
            texts.append(part.get("prose", ""))
            texts.extend(p.get("prose", "") for p in part.get("parts", []))
    return " ".join(t.strip() for t in texts if t and t.strip())


def _node(
    item: dict[str, Any], path: str, framework_id: str, parent: str | None, heading: bool
) -> dict[str, Any]:
    ours, plain = _props(item)
    label = plain.get("label")
    urn = ours.get("urn") or f"{URN_PREFIX}{framework_id}:{item.get('id') or path}"
    description = _prose(item.get("parts", []), "statement") or item["title"]
    entry: dict[str, Any] = {
        "sort-id": plain.get("sort-id", ""),
        "urn": urn,
        "ref_id": label or item.get("id") or item["title"],
        "name": item["title"],
        "description": description if len(description) >= 3 else f"{description} (no statement)",
        "parent": parent,
        "assessable": ours.get("assessable", "false" if heading else "true") == "true",
        "verified": ours.get("verified", "true") == "true",
    }
    if "source" in ours:
        entry["source"] = ours["source"]
    note = _prose(item.get("parts", []), "guidance")
    if note:
        entry["note"] = note
    return entry


def _walk(
    items: list[dict[str, Any]],
    key: str,
    framework_id: str,
    parent: str | None,
    heading: bool,
    out: list[dict[str, Any]],
) -> None:
    for index, item in enumerate(items):
        path = f"{key}[{index}]"
        entry = _node(item, path, framework_id, parent, heading)
        out.append(entry)
        _walk(item.get("groups", []), f"{path}.groups", framework_id, entry["urn"], True, out)
        _walk(item.get("controls", []), f"{path}.controls", framework_id, entry["urn"], False, out)


def _published(metadata: dict[str, Any]) -> str:
    stamp = metadata.get("published") or metadata["last-modified"]
    return date.fromisoformat(str(stamp)[:10]).isoformat()


def oscal_to_framework_data(
    catalog: dict[str, Any], name: str, framework_id: str | None = None
) -> dict[str, Any]:
    """The medtrust catalogue file content (``kind: medtrust-framework``) of an OSCAL catalog."""
    metadata = catalog["metadata"]
    ours, _ = _props(metadata)
    chosen = framework_id or ours.get("framework-id") or _SLUG.sub("-", metadata["title"].lower())
    chosen = chosen.strip("-")[:48] or "imported"
    if not re.match(FRAMEWORK_ID_PATTERN, chosen):
        raise UserFileError(name, "metadata.title", f"cannot derive a framework id from {chosen!r}")
    nodes: list[dict[str, Any]] = []
    _walk(catalog.get("groups", []), "groups", chosen, None, True, nodes)
    _walk(catalog.get("controls", []), "controls", chosen, None, False, nodes)
    if not nodes:
        raise UserFileError(name, "catalog", "the catalog has no groups or controls")
    if all(n["sort-id"] for n in nodes):
        nodes.sort(key=lambda n: str(n["sort-id"]))
    for node in nodes:
        del node["sort-id"]
    return {
        "kind": "medtrust-framework",
        "id": chosen,
        "urn": ours.get("framework-urn", f"urn:medtrust:framework:{chosen}"),
        "ref_id": ours.get("ref-id", metadata["title"]),
        "name": metadata["title"],
        "version": metadata["version"],
        "publication_date": _published(metadata),
        "licence": ours.get("licence", f"as stated by the OSCAL source {name}"),
        "source": ours.get("source", f"OSCAL catalog {name} (uuid {catalog['uuid']})"),
        "provider": ours.get("provider", "unknown (imported from OSCAL)"),
        "note": metadata.get("remarks"),
        "nodes": nodes,
    }


def import_oscal_catalog(
    data: bytes, name: str, framework_id: str | None = None
) -> tuple[Framework, dict[str, Any]]:
    """Validate an OSCAL catalog and build the framework; returns it and its file content."""
    catalog = validate_oscal_catalog(parse_json_bytes(data, name), name)
    content = oscal_to_framework_data(catalog, name, framework_id)
    try:
        return parse_framework(content, name), content
    except CatalogueFileError as exc:
        raise UserFileError(name, exc.item, exc.problem) from None
