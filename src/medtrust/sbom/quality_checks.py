"""Individual SBOM quality checks: one function per concern, each yielding findings.

The NTIA minimum elements are from NTIA, "The Minimum Elements For a Software Bill of
Materials (SBOM)", 12 July 2021, section IV ("Data Fields"): supplier name, component name,
version of the component, other unique identifiers, dependency relationship, author of SBOM
data, timestamp. Identifier checks follow the purl specification and NISTIR 7695 (CPE 2.3).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from medtrust.domain.component import Component, IssueSeverity, SbomDocument, SbomFormat
from medtrust.domain.location import Location
from medtrust.sbom import cpe as cpe_mod
from medtrust.sbom.purl import PurlError, canonicalise

PLACEHOLDERS = frozenset(
    {
        "",
        "unknown",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "undefined",
        "noassertion",
        "tbd",
        "todo",
        "vendor",
        "supplier",
        "default",
        "redacted",
        "-",
        "*",
        "?",
    }
)
_LEGAL_FORMS = frozenset(
    {"inc", "llc", "ltd", "gmbh", "corp", "corporation", "limited", "ag", "bv", "plc", "sarl"}
)
_VPREFIX_RE = re.compile(r"^v(?=\d)", re.IGNORECASE)


class NtiaElement(StrEnum):
    """The seven NTIA minimum data fields (NTIA 2021, section IV)."""

    SUPPLIER = "supplier"
    NAME = "component-name"
    VERSION = "version"
    IDENTIFIER = "unique-identifier"
    DEPENDENCY = "dependency-relationship"
    AUTHOR = "author"
    TIMESTAMP = "timestamp"


@dataclass(frozen=True, slots=True)
class QualityFinding:
    """One quality problem with a concrete fix. ``component_ref`` is None for the document."""

    code: str
    severity: IssueSeverity
    message: str
    fix: str
    component_ref: str | None = None
    component: str | None = None
    location: Location | None = None
    element: NtiaElement | None = None


def is_placeholder(value: str | None) -> bool:
    """True for empty or placeholder text such as ``unknown``, ``n/a`` or ``*``."""
    return value is None or value.strip().lower() in PLACEHOLDERS


def _field(doc: SbomDocument, cyclonedx: str, spdx: str) -> str:
    return spdx if doc.format is SbomFormat.SPDX else cyclonedx


def comparable_version(version: str) -> str:
    """Lower-case and without a leading ``v`` before a digit, for loose comparison."""
    return _VPREFIX_RE.sub("", version.strip().lower())


def _finding(
    comp: Component,
    code: str,
    severity: IssueSeverity,
    message: str,
    fix: str,
    element: NtiaElement | None = None,
) -> QualityFinding:
    return QualityFinding(
        code=code,
        severity=severity,
        message=message,
        fix=fix,
        component_ref=comp.bom_ref,
        component=comp.display_name,
        location=comp.location,
        element=element,
    )


def ntia_component_checks(
    doc: SbomDocument, comp: Component, in_graph: bool
) -> Iterator[QualityFinding]:
    """Missing NTIA elements of one component."""
    warn = IssueSeverity.WARNING
    if is_placeholder(comp.supplier):
        what = "no supplier" if comp.supplier is None else f"placeholder supplier {comp.supplier!r}"
        yield _finding(
            comp,
            "missing-supplier",
            warn,
            f"component has {what}",
            f"set {_field(doc, 'supplier.name', 'PackageSupplier')} to the organisation that "
            "supplies the component",
            NtiaElement.SUPPLIER,
        )
    if not comp.name:
        yield _finding(
            comp,
            "missing-name",
            IssueSeverity.ERROR,
            "component has no name",
            f"set {_field(doc, 'name', 'PackageName')}",
            NtiaElement.NAME,
        )
    if is_placeholder(comp.version):
        hint = _version_hint(comp)
        yield _finding(
            comp,
            "missing-version",
            warn,
            "component has no version",
            f"set {_field(doc, 'version', 'PackageVersion')}" + (f" to {hint!r}" if hint else ""),
            NtiaElement.VERSION,
        )
    if not (comp.purl or comp.cpe or comp.swid_tag_id):
        yield _finding(
            comp,
            "missing-identifier",
            warn,
            "component has no purl, CPE or SWID tag id",
            "add a purl (for example pkg:generic/<name>@<version>) or a CPE 2.3 name",
            NtiaElement.IDENTIFIER,
        )
    if not in_graph:
        yield _finding(
            comp,
            "missing-dependency",
            warn,
            "component appears in no dependency relationship",
            f"add it to {_field(doc, 'dependencies', 'a DEPENDS_ON/CONTAINS relationship')}",
            NtiaElement.DEPENDENCY,
        )


def _version_hint(comp: Component) -> str | None:
    if comp.purl:
        try:
            version = canonicalise(comp.purl).version
        except PurlError:
            version = None
        if version:
            return version
    if comp.cpe:
        return cpe_mod.parse(comp.cpe).literal("version")
    return None


def identifier_checks(comp: Component) -> Iterator[QualityFinding]:
    """Version agreement between component, purl and CPE; suspicious CPE vendors."""
    warn = IssueSeverity.WARNING
    purl_version: str | None = None
    if comp.purl:
        try:
            purl_version = canonicalise(comp.purl).version
        except PurlError:
            purl_version = None
        if purl_version is None and comp.version:
            yield _finding(
                comp,
                "purl-without-version",
                warn,
                f"purl {comp.purl} has no version but the component is {comp.version}",
                f"use {comp.purl.split('?')[0].split('#')[0]}@{comp.version}",
                NtiaElement.IDENTIFIER,
            )
    cpe = cpe_mod.parse(comp.cpe) if comp.cpe else None
    cpe_version = cpe.literal("version") if cpe else None
    if cpe is not None and cpe_version is None and comp.version:
        yield _finding(
            comp,
            "cpe-without-version",
            warn,
            f"CPE {comp.cpe} has no version but the component is {comp.version}",
            "put the component version in the CPE version attribute",
            NtiaElement.IDENTIFIER,
        )
    if cpe is not None and cpe_version and _VPREFIX_RE.match(cpe_version):
        fixed = cpe_mod.Cpe(
            *(
                cpe_mod.quote_literal(comparable_version(cpe_version)) if i == 3 else v
                for i, v in enumerate(cpe.values())
            )
        )
        yield _finding(
            comp,
            "cpe-version-prefix",
            warn,
            f"CPE version {cpe_version!r} has a 'v' prefix; NVD CPE versions do not",
            f"use {fixed.format()}",
        )
    versions = {
        "component": comp.version,
        "purl": purl_version,
        "CPE": cpe_version,
    }
    known = {k: v for k, v in versions.items() if v and not is_placeholder(v)}
    if len({comparable_version(v) for v in known.values()}) > 1:
        listing = ", ".join(f"{k} {v!r}" for k, v in known.items())
        yield _finding(
            comp,
            "version-mismatch",
            warn,
            f"versions disagree: {listing}",
            "make the component version, purl version and CPE version the same release",
        )
    if cpe is not None:
        yield from _vendor_checks(comp, cpe)


def _vendor_checks(comp: Component, cpe: cpe_mod.Cpe) -> Iterator[QualityFinding]:
    vendor = cpe.literal("vendor")
    product = cpe.literal("product")
    if vendor is None or is_placeholder(vendor):
        yield _finding(
            comp,
            "placeholder-vendor",
            IssueSeverity.WARNING,
            f"CPE vendor is {vendor or cpe.vendor!r}: it matches any vendor's product of that name",
            "use the vendor name from the NVD CPE dictionary",
        )
        return
    tokens = [t for t in re.split(r"[_\s.,]+", vendor) if t]
    if any(t in _LEGAL_FORMS for t in tokens) or vendor[-1] in ".,":
        yield _finding(
            comp,
            "generated-vendor",
            IssueSeverity.WARNING,
            f"CPE vendor {vendor!r} looks generated from a company name (legal form, punctuation)",
            "check the vendor against the NVD CPE dictionary; NVD vendors are short slugs",
        )
    if product and vendor == product:
        yield _finding(
            comp,
            "vendor-equals-product",
            IssueSeverity.INFO,
            f"CPE vendor equals product ({vendor!r}); right for some projects, guessed for many",
            "confirm the vendor/product pair exists in the NVD CPE dictionary",
        )
