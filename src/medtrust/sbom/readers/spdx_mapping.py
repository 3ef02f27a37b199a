"""Map an SPDX 2.2/2.3 document (as a dict in the SPDX JSON layout) onto the domain types.

Shared by the JSON, tag-value and XML readers. SPDX packages become components; SPDX files are
counted (``SbomDocument.file_count``) but not turned into components: firmware SBOMs list
hundreds of source files that carry no identity for vulnerability matching. Dependency-like
relationships between packages (``DEPENDS_ON``, ``CONTAINS``, ``*_DEPENDENCY_OF``, links, …) become
:class:`Dependency` edges, written from the depending/containing side.
"""

from __future__ import annotations

from typing import Any

from medtrust.domain.component import (
    Component,
    ComponentType,
    Dependency,
    Hash,
    IssueSeverity,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
    SbomIssue,
)
from medtrust.domain.location import Location, LocationKind
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

TESTED_SPEC_VERSIONS = ("SPDX-2.2", "SPDX-2.3")
NOASSERTION = {"NOASSERTION", "NONE"}
_PURPOSES = {
    "APPLICATION": ComponentType.APPLICATION,
    "FRAMEWORK": ComponentType.FRAMEWORK,
    "LIBRARY": ComponentType.LIBRARY,
    "CONTAINER": ComponentType.CONTAINER,
    "OPERATING-SYSTEM": ComponentType.OPERATING_SYSTEM,
    "OPERATING_SYSTEM": ComponentType.OPERATING_SYSTEM,
    "DEVICE": ComponentType.DEVICE,
    "FIRMWARE": ComponentType.FIRMWARE,
    "FILE": ComponentType.FILE,
}
# relationship type -> True when the edge reads "element depends on/contains related"
_FORWARD = {"DEPENDS_ON", "CONTAINS", "STATIC_LINK", "DYNAMIC_LINK", "HAS_PREREQUISITE"}
_REVERSE = {
    "DEPENDENCY_OF",
    "CONTAINED_BY",
    "BUILD_DEPENDENCY_OF",
    "DEV_DEPENDENCY_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "PROVIDED_DEPENDENCY_OF",
    "RUNTIME_DEPENDENCY_OF",
    "TEST_DEPENDENCY_OF",
    "PREREQUISITE_FOR",
}


def _strip_party(value: Any) -> str | None:
    raw = text(value)
    if raw is None or raw.upper() in NOASSERTION:
        return None
    for prefix in ("Organization:", "Person:", "Tool:"):
        if raw.startswith(prefix):
            raw = raw[len(prefix) :].strip()
    # SPDX writes "Name (email)"; an empty "()" carries nothing
    raw = raw.removesuffix("()").strip()
    return raw or None


def _location(pkg: dict[str, Any], path: str) -> Location:
    line = pkg.get("__line__")
    if isinstance(line, int):
        return Location(LocationKind.LINE, str(line))
    return field_location(path)


def _package(pkg: dict[str, Any], path: str, log: IssueLog) -> Component:
    loc = _location(pkg, path)
    ref = text(pkg.get("SPDXID")) or path
    name = text(pkg.get("name")) or ""
    version = text(pkg.get("versionInfo"))
    if version is not None and version.upper() in NOASSERTION:
        version = None
    supplier = _strip_party(pkg.get("supplier"))
    if supplier is None:
        originator = _strip_party(pkg.get("originator"))
        if originator:
            supplier = originator
            log.add(
                IssueSeverity.INFO,
                "supplier-from-originator",
                f"no supplier; originator {originator!r} used as supplier",
                loc,
                ref,
            )
    purl: str | None = None
    cpe: str | None = None
    for i, ext in enumerate(as_dict(e) for e in as_list(pkg.get("externalRefs"))):
        ref_type = (text(ext.get("referenceType")) or "").lower()
        locator = ext.get("referenceLocator")
        ext_loc = (
            loc if loc.kind is LocationKind.LINE else field_location(f"{path}/externalRefs/{i}")
        )
        if ref_type == "purl":
            value = normalise_purl(locator, ref=ref, location=ext_loc, log=log)
            if value and purl is None:
                purl = value
            elif value:
                log.add(
                    IssueSeverity.INFO,
                    "extra-purl",
                    f"additional purl {value} ignored",
                    ext_loc,
                    ref,
                )
        elif ref_type in ("cpe23type", "cpe22type"):
            value = normalise_cpe(locator, ref=ref, location=ext_loc, log=log)
            if value and cpe is None:
                cpe = value
            elif value:
                log.add(
                    IssueSeverity.INFO, "extra-cpe", f"additional CPE {value} ignored", ext_loc, ref
                )
    hashes: list[Hash] = []
    for i, entry in enumerate(as_dict(c) for c in as_list(pkg.get("checksums"))):
        digest = normalise_hash(
            entry.get("algorithm"),
            entry.get("checksumValue"),
            ref=ref,
            location=loc
            if loc.kind is LocationKind.LINE
            else field_location(f"{path}/checksums/{i}"),
            log=log,
        )
        if digest is not None:
            hashes.append(digest)
    licenses = tuple(
        lic
        for lic in (text(pkg.get("licenseConcluded")), text(pkg.get("licenseDeclared")))
        if lic and lic.upper() not in NOASSERTION
    )
    purpose = (text(pkg.get("primaryPackagePurpose")) or "").upper()
    return Component(
        bom_ref=ref,
        type=_PURPOSES.get(purpose, ComponentType.OTHER),
        name=name,
        version=version,
        supplier=supplier,
        purl=purl,
        cpe=cpe,
        hashes=tuple(hashes),
        licenses=tuple(dict.fromkeys(licenses)),
        location=loc,
    )


def _relationships(
    raw: dict[str, Any], packages: set[str], files: set[str], log: IssueLog
) -> tuple[tuple[Dependency, ...], list[str]]:
    doc_id = text(raw.get("SPDXID")) or "SPDXRef-DOCUMENT"
    described = [
        t for t in (text(x) for x in as_list_of_scalars(raw.get("documentDescribes"))) if t
    ]
    edges: dict[str, set[str]] = {}
    known = packages | files | {doc_id}
    for i, rel in enumerate(as_dict(r) for r in as_list(raw.get("relationships"))):
        element = text(rel.get("spdxElementId"))
        related = text(rel.get("relatedSpdxElement"))
        kind = (text(rel.get("relationshipType")) or "").upper()
        if element is None or related is None:
            continue
        if kind == "DESCRIBES" and element == doc_id:
            described.append(related)
            continue
        if kind == "DESCRIBED_BY" and related == doc_id:
            described.append(element)
            continue
        if kind in _FORWARD:
            src, dst = element, related
        elif kind in _REVERSE:
            src, dst = related, element
        else:
            continue
        if src in packages and dst in packages:
            edges.setdefault(src, set()).add(dst)
            continue
        for ref in (src, dst):
            external = ref.startswith("DocumentRef-") or ref.upper() in NOASSERTION
            if ref not in known and not external:
                log.add(
                    IssueSeverity.WARNING,
                    "unknown-relationship-ref",
                    f"relationship {kind} refers to unknown element {ref!r}",
                    rel_location(rel, i),
                )
    deps = tuple(Dependency(src, tuple(sorted(dst))) for src, dst in sorted(edges.items()))
    return deps, list(dict.fromkeys(described))


def rel_location(rel: dict[str, Any], index: int) -> Location:
    """Line (tag-value) or field location of a relationship."""
    line = rel.get("__line__")
    if isinstance(line, int):
        return Location(LocationKind.LINE, str(line))
    return field_location(f"relationships/{index}")


def as_list_of_scalars(value: Any) -> list[Any]:
    """A list of scalars: the list itself, or a one-element list for a scalar."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def build_spdx(
    raw: dict[str, Any],
    *,
    source: str,
    encoding: SbomEncoding,
    read_issues: tuple[SbomIssue, ...] = (),
) -> SbomDocument:
    """Build the domain document from an SPDX 2.x dict in JSON layout."""
    log = IssueLog(list(read_issues))
    spec = text(raw.get("spdxVersion"))
    if spec not in TESTED_SPEC_VERSIONS:
        log.add(
            IssueSeverity.INFO,
            "spec-version",
            f"spdxVersion {spec!r} is not SPDX-2.2 or SPDX-2.3; read on a best-effort basis",
            field_location("spdxVersion"),
        )
    components: list[Component] = []
    seen: set[str] = set()
    for i, pkg in enumerate(as_list(raw.get("packages"))):
        if not isinstance(pkg, dict):
            log.add(
                IssueSeverity.ERROR,
                "invalid-component",
                "package is not an object",
                field_location(f"packages/{i}"),
            )
            continue
        comp = _package(pkg, f"packages/{i}", log)
        if comp.bom_ref in seen:
            log.add(
                IssueSeverity.WARNING,
                "duplicate-bom-ref",
                f"SPDXID {comp.bom_ref!r} is used more than once",
                comp.location,
                comp.bom_ref,
            )
        seen.add(comp.bom_ref)
        components.append(comp)
    files = {
        ref for ref in (text(as_dict(f).get("SPDXID")) for f in as_list(raw.get("files"))) if ref
    }
    deps, described = _relationships(raw, seen, files, log)
    described_pkgs = [ref for ref in described if ref in seen]
    subject = None
    if len(described_pkgs) == 1:
        subject = next(c for c in components if c.bom_ref == described_pkgs[0])
    elif not described and len(components) == 1:
        # no DESCRIBES relationship: a one-package document can only describe that package
        subject = components[0]
        log.add(
            IssueSeverity.INFO,
            "implicit-describes",
            f"no DESCRIBES relationship; the only package {subject.bom_ref!r} is taken as the "
            "described product",
            field_location("relationships"),
        )
    creation = as_dict(raw.get("creationInfo"))
    authors: list[str] = []
    tools: list[str] = []
    for creator in (text(c) for c in as_list_of_scalars(creation.get("creators"))):
        if creator is None:
            continue
        name = _strip_party(creator)
        if name is None:
            continue
        (tools if creator.startswith("Tool:") else authors).append(name)
    return SbomDocument(
        source=source,
        format=SbomFormat.SPDX,
        encoding=encoding,
        spec_version=spec,
        serial=text(raw.get("documentNamespace")),
        name=text(raw.get("name")),
        subject=subject,
        authors=tuple(authors),
        tools=tuple(tools),
        timestamp=parse_timestamp(
            creation.get("created"), location=field_location("creationInfo/created"), log=log
        ),
        components=tuple(components),
        dependencies=deps,
        issues=log.frozen(),
        file_count=len(as_list(raw.get("files"))),
    )
