"""Reading and validating catalogue and mapping files (packaged or supplied by a user)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from medtrust.compliance.errors import (
    CatalogueReadError,
    CatalogueSchemaError,
    DanglingReferenceError,
    DuplicateUrnError,
    ParentCycleError,
    UnknownRelationError,
)
from medtrust.compliance.files import FrameworkFile, MappingFile, NodeEntry
from medtrust.compliance.model import Framework, MappingSet, Node
from medtrust.compliance.model import Mapping as CrossMapping
from medtrust.validation_text import format_location, one_line

#: files larger than this are refused before parsing
MAX_FILE_BYTES = 8 * 1024 * 1024

_Model = TypeVar("_Model", bound=BaseModel)


def parse_yaml_text(text: str, where: str) -> object:
    """Parse YAML safely; a syntax error becomes :class:`CatalogueReadError`."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise CatalogueReadError(where, None, f"larger than {MAX_FILE_BYTES} bytes")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise CatalogueReadError(where, None, f"not valid YAML ({first_line})") from exc


def read_yaml_file(path: Path) -> object:
    """Read and parse a YAML file from disk."""
    where = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CatalogueReadError(where, None, f"larger than {MAX_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueReadError(where, None, f"cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CatalogueReadError(where, None, "not UTF-8 text") from exc
    return parse_yaml_text(text, where)


def _item_name(data: object, loc: tuple[int | str, ...]) -> str | None:
    """Name the node or mapping a validation error points at (its URN when it has one)."""
    if len(loc) < 2 or loc[0] not in ("nodes", "mappings") or not isinstance(loc[1], int):
        return format_location(loc) or None
    items = data.get(loc[0]) if isinstance(data, dict) else None
    entry: Any = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
    field = format_location(loc[2:])
    if loc[0] == "nodes":
        label = entry.get("urn") if isinstance(entry, dict) else None
        name = f"node {label}" if isinstance(label, str) else f"nodes[{loc[1]}]"
    else:
        pair = (entry.get("source"), entry.get("target")) if isinstance(entry, dict) else None
        name = f"mapping #{loc[1] + 1}"
        if pair is not None:
            name += f" ({pair[0]} -> {pair[1]})"
    return f"{name} field {field}" if field else name


def _validate(model: type[_Model], data: object, where: str) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        item = _item_name(data, loc)
        if loc and loc[-1] == "relation" and first["type"] == "enum":
            raise UnknownRelationError(
                where, item, f"unknown relation {first.get('input')!r}"
            ) from exc
        raise CatalogueSchemaError(where, item, one_line(first["msg"])) from exc


def build_framework(file: FrameworkFile, where: str) -> Framework:
    """Check a validated catalogue's tree (unique URNs, resolving parents, no cycles)."""
    entries: dict[str, NodeEntry] = {}
    for entry in file.nodes:
        if entry.urn in entries:
            raise DuplicateUrnError(where, f"node {entry.urn}", "URN used by more than one node")
        entries[entry.urn] = entry
    for entry in file.nodes:
        if entry.parent is not None and entry.parent not in entries:
            raise DanglingReferenceError(
                where, f"node {entry.urn}", f"parent {entry.parent} not found"
            )
    depths: dict[str, int] = {}
    for entry in file.nodes:
        depths[entry.urn] = _depth(entry, entries, where)
    nodes = tuple(
        Node(
            urn=e.urn,
            framework=file.id,
            ref_id=e.ref_id,
            name=e.name or e.ref_id,
            description=e.description,
            parent=e.parent,
            depth=depths[e.urn],
            order=index,
            assessable=e.assessable,
            source=e.source or f"{file.ref_id}, {e.ref_id}",
            note=e.note,
            verified=e.verified,
        )
        for index, e in enumerate(file.nodes, start=1)
    )
    return Framework(
        id=file.id,
        urn=file.urn,
        ref_id=file.ref_id,
        name=file.name,
        version=file.version,
        publication_date=file.publication_date,
        licence=file.licence,
        source=file.source,
        provider=file.provider,
        note=file.note,
        nodes=nodes,
        origin=where,
        _by_urn={n.urn: n for n in nodes},
    )


def _depth(entry: NodeEntry, entries: Mapping[str, NodeEntry], where: str) -> int:
    """Depth of a node (1 for top level); every parent is known to exist."""
    seen = {entry.urn}
    depth, parent = 1, entry.parent
    while parent is not None:
        if parent in seen:
            raise ParentCycleError(where, f"node {entry.urn}", f"parent links loop via {parent}")
        seen.add(parent)
        depth += 1
        parent = entries[parent].parent
    return depth


def parse_framework(data: object, where: str) -> Framework:
    """Validate decoded YAML as a catalogue and build the framework."""
    return build_framework(_validate(FrameworkFile, data, where), where)


def build_mapping_set(
    file: MappingFile, where: str, frameworks: Mapping[str, Framework]
) -> MappingSet:
    """Check that every endpoint of a validated mapping file resolves in the given frameworks."""
    for role, framework_id in (
        ("source", file.source_framework),
        ("target", file.target_framework),
    ):
        if framework_id not in frameworks:
            raise DanglingReferenceError(
                where, f"{role}_framework", f"unknown framework {framework_id!r}"
            )
    if file.source_framework == file.target_framework:
        raise CatalogueSchemaError(where, "target_framework", "must differ from source_framework")
    source_fw, target_fw = frameworks[file.source_framework], frameworks[file.target_framework]
    seen: set[tuple[str, str]] = set()
    mappings: list[CrossMapping] = []
    for index, entry in enumerate(file.mappings, start=1):
        item = f"mapping #{index} ({entry.source} -> {entry.target})"
        for urn, framework in ((entry.source, source_fw), (entry.target, target_fw)):
            if urn not in framework:
                raise DanglingReferenceError(
                    where, item, f"{urn} is not a node of framework {framework.id!r}"
                )
        if (entry.source, entry.target) in seen:
            raise DuplicateUrnError(where, item, "pair mapped more than once")
        seen.add((entry.source, entry.target))
        mappings.append(
            CrossMapping(
                source=entry.source,
                target=entry.target,
                relation=entry.relation,
                rationale=entry.rationale,
                mapping_set=file.id,
            )
        )
    return MappingSet(
        id=file.id,
        name=file.name,
        version=file.version,
        publication_date=file.publication_date,
        licence=file.licence,
        provider=file.provider,
        source_framework=file.source_framework,
        target_framework=file.target_framework,
        note=file.note,
        mappings=tuple(mappings),
        origin=where,
    )


def parse_mapping_set(data: object, where: str, frameworks: Mapping[str, Framework]) -> MappingSet:
    """Validate decoded YAML as a mapping set and resolve its endpoints."""
    return build_mapping_set(_validate(MappingFile, data, where), where, frameworks)


def validate_catalogue_file(path: Path | str) -> Framework:
    """Validate a user catalogue file; return the framework or raise a ``CatalogueFileError``."""
    file_path = Path(path)
    return parse_framework(read_yaml_file(file_path), str(file_path))


def validate_mapping_file(
    path: Path | str,
    *,
    catalogues: Iterable[Framework] = (),
    include_packaged: bool = True,
) -> MappingSet:
    """Validate a user mapping file against the packaged catalogues and any ``catalogues`` given.

    Returns the mapping set or raises a ``CatalogueFileError`` naming the file and mapping.
    """
    frameworks: dict[str, Framework] = {}
    if include_packaged:
        from medtrust.compliance.library import packaged_library

        frameworks.update(packaged_library().frameworks)
    for framework in catalogues:
        frameworks[framework.id] = framework
    file_path = Path(path)
    return parse_mapping_set(read_yaml_file(file_path), str(file_path), frameworks)
