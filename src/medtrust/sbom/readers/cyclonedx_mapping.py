"""Map a CycloneDX document (as a dict in the JSON layout) onto the domain types.

Shared by the JSON reader and the XML reader (which first turns the XML into the same layout).
Field names follow the CycloneDX 1.6 JSON schema; 1.2–1.5 documents use a subset of them.
Embedded VEX (``vulnerabilities[].analysis``) becomes :class:`VexStatement` values; the mapping
of CycloneDX analysis states onto the CISA statuses follows CycloneDX's VEX guidance:
``exploitable`` → affected, ``resolved``/``resolved_with_pedigree`` → fixed, ``in_triage`` →
under_investigation, ``not_affected``/``false_positive`` → not_affected.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from medtrust.domain.component import (
    Component,
    ComponentType,
    Dependency,
    Hash,
    IssueSeverity,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.domain.vex import VexStatement, VexStatus, VexVersionStatus
from medtrust.sbom.readers.normalise import (
    IssueLog,
    as_dict,
    as_list,
    field_location,
    normalise_cpe,
    normalise_hash,
    normalise_purl,
    parse_timestamp,
    text,
)

MAX_NESTING = 64
TESTED_SPEC_VERSIONS = ("1.4", "1.5", "1.6")
_STATE_TO_STATUS = {
    "exploitable": VexStatus.AFFECTED,
    "resolved": VexStatus.FIXED,
    "resolved_with_pedigree": VexStatus.FIXED,
    "in_triage": VexStatus.UNDER_INVESTIGATION,
    "not_affected": VexStatus.NOT_AFFECTED,
    "false_positive": VexStatus.NOT_AFFECTED,
}
_TYPES = {t.value: t for t in ComponentType}


def _licenses(raw: Any) -> tuple[str, ...]:
    found: list[str] = []
    for entry in as_list(raw):
        entry_dict = as_dict(entry)
        expression = text(entry_dict.get("expression"))
        if expression:
            found.append(expression)
            continue
        lic = as_dict(entry_dict.get("license"))
        value = text(lic.get("id")) or text(lic.get("name"))
        if value:
            found.append(value)
    return tuple(found)


def _party_name(raw: Any) -> str | None:
    if isinstance(raw, str):
        return text(raw)
    return text(as_dict(raw).get("name"))


class _Builder:
    def __init__(self, source: str, log: IssueLog) -> None:
        self.source = source
        self.log = log
        self.refs: set[str] = set()

    def component(self, raw: Any, path: str, parent: str | None) -> Component | None:
        loc = field_location(path)
        if not isinstance(raw, dict):
            self.log.add(
                IssueSeverity.ERROR, "invalid-component", "component is not an object", loc
            )
            return None
        ref = text(raw.get("bom-ref")) or path
        if ref in self.refs:
            self.log.add(
                IssueSeverity.WARNING,
                "duplicate-bom-ref",
                f"bom-ref {ref!r} is used more than once; references to it are ambiguous",
                loc,
                ref,
            )
        self.refs.add(ref)
        raw_type = text(raw.get("type"))
        ctype = _TYPES.get(raw_type or "")
        if ctype is None:
            self.log.add(
                IssueSeverity.WARNING,
                "unknown-component-type",
                f"component type {raw_type!r} is not a CycloneDX type; read as 'other'",
                loc,
                ref,
            )
            ctype = ComponentType.OTHER
        name = text(raw.get("name")) or ""
        supplier = _party_name(raw.get("supplier")) or _party_name(raw.get("manufacturer"))
        if supplier is None:
            fallback = _party_name(raw.get("publisher")) or _party_name(raw.get("author"))
            if fallback:
                supplier = fallback
                self.log.add(
                    IssueSeverity.INFO,
                    "supplier-from-publisher",
                    f"no supplier; publisher/author {fallback!r} used as supplier",
                    loc,
                    ref,
                )
        hashes: list[Hash] = []
        for i, entry in enumerate(as_list(raw.get("hashes"))):
            entry_dict = as_dict(entry)
            digest = normalise_hash(
                entry_dict.get("alg"),
                entry_dict.get("content"),
                ref=ref,
                location=field_location(f"{path}/hashes/{i}"),
                log=self.log,
            )
            if digest is not None:
                hashes.append(digest)
        properties = tuple(
            (text(p.get("name")) or "", text(p.get("value")) or "")
            for p in (as_dict(x) for x in as_list(raw.get("properties")))
            if text(p.get("name"))
        )
        return Component(
            bom_ref=ref,
            type=ctype,
            name=name,
            version=text(raw.get("version")),
            group=text(raw.get("group")),
            supplier=supplier,
            purl=normalise_purl(
                raw.get("purl"), ref=ref, location=field_location(f"{path}/purl"), log=self.log
            ),
            cpe=normalise_cpe(
                raw.get("cpe"), ref=ref, location=field_location(f"{path}/cpe"), log=self.log
            ),
            swid_tag_id=text(as_dict(raw.get("swid")).get("tagId")),
            hashes=tuple(hashes),
            licenses=_licenses(raw.get("licenses")),
            parent=parent,
            properties=properties,
            location=loc,
        )

    def components(self, raw: Any) -> list[Component]:
        out: list[Component] = []
        items = as_list(raw)
        pending: list[tuple[Any, str, str | None, int]] = [
            (item, f"components/{i}", None, 1) for i, item in enumerate(items)
        ]
        pending.reverse()
        while pending:
            item, path, parent, depth = pending.pop()
            comp = self.component(item, path, parent)
            if comp is None:
                continue
            out.append(comp)
            children = as_list(as_dict(item).get("components"))
            if not children:
                continue
            if depth >= MAX_NESTING:
                self.log.add(
                    IssueSeverity.ERROR,
                    "nesting-too-deep",
                    f"components nested deeper than {MAX_NESTING} levels were not read",
                    field_location(path),
                    comp.bom_ref,
                )
                continue
            nested = [
                (child, f"{path}/components/{j}", comp.bom_ref, depth + 1)
                for j, child in enumerate(children)
            ]
            pending.extend(reversed(nested))
        return out


def _dependencies(raw: Any, known: set[str], log: IssueLog) -> tuple[Dependency, ...]:
    merged: dict[str, set[str]] = {}
    for i, entry in enumerate(as_list(raw)):
        entry_dict = as_dict(entry)
        ref = text(entry_dict.get("ref"))
        loc = field_location(f"dependencies/{i}")
        if ref is None:
            log.add(IssueSeverity.WARNING, "invalid-dependency", "dependency without ref", loc)
            continue
        targets = {t for t in (text(x) for x in as_list_of_any(entry_dict.get("dependsOn"))) if t}
        for name in sorted({ref} | targets):
            if name not in known:
                log.add(
                    IssueSeverity.WARNING,
                    "unknown-dependency-ref",
                    f"dependency graph refers to unknown bom-ref {name!r}",
                    loc,
                    name,
                )
        merged.setdefault(ref, set()).update(targets)
    return tuple(Dependency(ref, tuple(sorted(deps))) for ref, deps in sorted(merged.items()))


def as_list_of_any(value: Any) -> list[Any]:
    """A list of scalars: the list itself, or a one-element list for a scalar."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _bom_link_ref(ref: str) -> str:
    if ref.startswith("urn:cdx:") and "#" in ref:
        return unquote(ref.split("#", 1)[1])
    return ref


def _vex(
    raw: Any, doc_refs: dict[str, Component], source: str, log: IssueLog
) -> tuple[VexStatement, ...]:
    statements: list[VexStatement] = []
    skipped = 0
    for i, entry in enumerate(as_list(raw)):
        vuln = as_dict(entry)
        loc = field_location(f"vulnerabilities/{i}")
        vuln_id = text(vuln.get("id"))
        analysis = as_dict(vuln.get("analysis"))
        state = text(analysis.get("state"))
        if vuln_id is None or state is None:
            skipped += 1
            continue
        status = _STATE_TO_STATUS.get(state)
        if status is None:
            log.add(
                IssueSeverity.WARNING,
                "unknown-vex-state",
                f"{vuln_id}: analysis state {state!r} is not a CycloneDX state; statement skipped",
                loc,
            )
            continue
        refs: list[str] = []
        versions: list[VexVersionStatus] = []
        for target in (as_dict(a) for a in as_list(vuln.get("affects"))):
            ref = text(target.get("ref"))
            if ref is None:
                continue
            refs.append(ref)
            for ver in (as_dict(v) for v in as_list(target.get("versions"))):
                versions.append(
                    VexVersionStatus(
                        ref=ref,
                        version=text(ver.get("version")),
                        range=text(ver.get("range")),
                        status=text(ver.get("status")) or "affected",
                    )
                )
        purls = sorted(
            {
                comp.purl
                for comp in (doc_refs.get(_bom_link_ref(r)) for r in refs)
                if comp is not None and comp.purl
            }
        )
        statements.append(
            VexStatement(
                vulnerability_id=vuln_id,
                status=status,
                source_status=state,
                justification=text(analysis.get("justification")),
                detail=text(analysis.get("detail")),
                responses=tuple(
                    t for t in (text(r) for r in as_list_of_any(analysis.get("response"))) if t
                ),
                refs=tuple(refs),
                purls=tuple(purls),
                versions=tuple(versions),
                source=source,
            )
        )
    if skipped:
        log.add(
            IssueSeverity.INFO,
            "vulnerability-without-analysis",
            f"{skipped} vulnerabilities have no id or analysis state (VDR entries, not VEX)",
            field_location("vulnerabilities"),
        )
    return tuple(statements)


def build_cyclonedx(raw: dict[str, Any], *, source: str, encoding: SbomEncoding) -> SbomDocument:
    """Build the domain document from a CycloneDX dict in JSON layout."""
    log = IssueLog()
    spec = text(raw.get("specVersion"))
    if spec not in TESTED_SPEC_VERSIONS:
        log.add(
            IssueSeverity.INFO,
            "spec-version",
            f"CycloneDX specVersion {spec!r} is outside 1.4-1.6; read on a best-effort basis",
            field_location("specVersion"),
        )
    builder = _Builder(source, log)
    metadata = as_dict(raw.get("metadata"))
    subject = None
    if "component" in metadata:
        subject = builder.component(metadata["component"], "metadata/component", None)
    components = builder.components(raw.get("components"))
    authors = tuple(
        name for name in (_party_name(a) for a in as_list(metadata.get("authors"))) if name
    )
    tools_raw = metadata.get("tools")
    tool_entries = (
        as_list(as_dict(tools_raw).get("components")) + as_list(as_dict(tools_raw).get("services"))
        if isinstance(tools_raw, dict)
        else as_list(tools_raw)
    )
    tools = tuple(
        " ".join(p for p in (text(t.get("name")), text(t.get("version"))) if p)
        for t in (as_dict(x) for x in tool_entries)
        if text(t.get("name"))
    )
    serial = text(raw.get("serialNumber"))
    version = raw.get("version")
    index = {c.bom_ref: c for c in components}
    if subject is not None:
        index.setdefault(subject.bom_ref, subject)
    dependencies = _dependencies(raw.get("dependencies"), set(index), log)
    vex = _vex(raw.get("vulnerabilities"), index, serial or source, log)
    return SbomDocument(
        source=source,
        format=SbomFormat.CYCLONEDX,
        encoding=encoding,
        spec_version=spec,
        serial=serial,
        bom_version=version if isinstance(version, int) and not isinstance(version, bool) else None,
        name=subject.name if subject is not None and subject.name else None,
        subject=subject,
        authors=authors,
        tools=tools,
        timestamp=parse_timestamp(
            metadata.get("timestamp"), location=field_location("metadata/timestamp"), log=log
        ),
        components=tuple(components),
        dependencies=dependencies,
        vex=vex,
        issues=log.frozen(),
    )
