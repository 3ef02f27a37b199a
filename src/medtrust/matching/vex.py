"""Apply VEX statements to findings, per component (never per CVE alone). Pure: no I/O.

A statement applies to a finding when its vulnerability is in the finding's alias group and it
names the finding's component:

* a ref equal to the component's ``bom-ref``, or a CycloneDX BOM-Link
  ``urn:cdx:<serial>/<version>#<bom-ref>`` whose fragment is the ``bom-ref`` (and whose serial is
  the SBOM's, when both are known); or
* a purl of the same package (type, namespace, name) whose version, if it has one, equals the
  component's.

CycloneDX ``affects[].versions`` refine a statement: when present for the matching ref, the
component's version must equal an entry's ``version`` or fall in its ``range`` (a ``vers``
string); an ``unaffected`` entry makes the status not_affected.

Several applicable statements: the one with the highest rank wins (later ``--vex`` files over
earlier ones, over VEX embedded in the SBOM, over VEX imported into the knowledge base); equal
ranks: the later statement wins. The finding keeps its evidence and shows the statement's
document as ``status_source`` with its justification and detail.

A statement that says ``affected`` or ``under_investigation`` about a component that has no
finding for that vulnerability creates one (method ``vex``): the document is the evidence.
"""

from __future__ import annotations

from bisect import insort_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote

from medtrust.domain.vex import VexStatement, VexStatus, VexVersionStatus
from medtrust.matching.components import ComponentView
from medtrust.matching.meta import VulnMeta
from medtrust.matching.model import (
    ACTIVE_STATUSES,
    Confidence,
    Evidence,
    Finding,
    MatchMethod,
)
from medtrust.matching.normalise import purl_parts
from medtrust.versioning.base import VersionError
from medtrust.versioning.vers import contains as vers_contains


@dataclass(frozen=True, slots=True)
class RankedStatement:
    """A statement with its precedence (higher wins) and where it came from."""

    statement: VexStatement
    rank: int
    origin: str  # "kb", "sbom" or the --vex file name
    scope: str | None = None  # only components of this SBOM (statements embedded in it)

    def status_for(self, component: ComponentView) -> VexStatus | None:
        """:func:`applies`, within the statement's scope."""
        if self.scope is not None and component.ref.sbom != self.scope:
            return None
        return applies(self.statement, component)


def _serial_id(serial: str | None) -> str | None:
    if not serial:
        return None
    return serial.removeprefix("urn:uuid:").lower()


def ref_matches(ref: str, component: ComponentView) -> bool:
    """Whether a statement ref names the component (bom-ref or BOM-Link)."""
    bom_ref = component.ref.bom_ref
    if ref == bom_ref:
        return True
    if not ref.startswith("urn:cdx:") or "#" not in ref:
        return False
    head, _, fragment = ref.partition("#")
    if unquote(fragment) != bom_ref:
        return False
    serial = _serial_id(component.ref.serial)
    linked = head.removeprefix("urn:cdx:").split("/", 1)[0].lower()
    return serial is None or linked == serial


def purl_matches(purl: str, component: ComponentView) -> bool:
    """Whether a statement purl names the component's package (and version, if it has one)."""
    if component.package_key is None:
        return False
    parts = purl_parts(purl)
    if parts is None or parts[0] != component.package_key:
        return False
    return parts[1] is None or parts[1] == component.purl_version


def _version_status(
    versions: Sequence[VexVersionStatus], component: ComponentView, refs: set[str]
) -> str | None:
    """The matching ``affects[].versions`` status, "" when none applies, None when no list."""
    relevant = [v for v in versions if v.ref in refs]
    if not relevant:
        return None
    version = component.ref.version or component.purl_version
    if version is None:
        return ""
    for entry in relevant:
        if entry.version is not None and entry.version == version:
            return entry.status
        if entry.range:
            try:
                if vers_contains(entry.range, version):
                    return entry.status
            except VersionError:
                continue
    return ""


def applies(statement: VexStatement, component: ComponentView) -> VexStatus | None:
    """The status a statement gives the component, or None when it does not name it."""
    refs = {ref for ref in statement.refs if ref_matches(ref, component)}
    if not refs and not any(purl_matches(p, component) for p in statement.purls):
        return None
    refined = _version_status(statement.versions, component, refs)
    if refined is None:
        return statement.status
    if refined == "unaffected":
        return VexStatus.NOT_AFFECTED
    if refined == "affected":
        return statement.status
    return None


def apply_vex(
    findings: Sequence[Finding],
    components: Sequence[ComponentView],
    statements: Sequence[RankedStatement],
    meta: VulnMeta,
    *,
    presorted: bool = False,
) -> list[Finding]:
    """Findings with VEX statuses applied, plus findings stated only by VEX (sorted).

    ``presorted``: the findings are already in :meth:`Finding.sort_key` order (as
    ``build_findings`` returns them), so only the findings VEX adds are sorted in.
    """
    ordered = sorted(enumerate(statements), key=lambda pair: (pair[1].rank, pair[0]))
    by_vuln: dict[str, list[RankedStatement]] = {}
    for _, ranked in ordered:
        by_vuln.setdefault(meta.primary_of(ranked.statement.vulnerability_id), []).append(ranked)
    if not by_vuln:
        return list(findings) if presorted else sorted(findings, key=Finding.sort_key)
    views = {(c.ref.sbom, c.ref.bom_ref): c for c in components if not c.context}
    result: list[Finding] = []
    covered: set[tuple[str, str, str]] = set()  # only vulnerabilities some statement names
    for finding in findings:
        group = by_vuln.get(finding.vulnerability)
        if group is None:
            result.append(finding)
            continue
        key = (finding.component.sbom, finding.component.bom_ref)
        covered.add((*key, finding.vulnerability))
        component = views.get(key)
        decision = None
        if component is not None:
            for ranked in group:
                status = ranked.status_for(component)
                if status is not None:
                    decision = (ranked, status)  # later / higher rank overrides
        if decision is None:
            result.append(finding)
            continue
        ranked, status = decision
        result.append(
            replace(
                finding,
                status=status,
                status_source=f"vex:{ranked.statement.source or ranked.origin}",
                justification=ranked.statement.justification,
                detail=ranked.statement.detail,
            )
        )
    by_ref: dict[str, list[ComponentView]] = {}
    by_package: dict[str, list[ComponentView]] = {}
    for component in views.values():
        by_ref.setdefault(component.ref.bom_ref, []).append(component)
        if component.package_key:
            by_package.setdefault(component.package_key, []).append(component)
    added: list[Finding] = []
    for primary, group in sorted(by_vuln.items()):
        for component in _named(group, by_ref, by_package):
            key3 = (component.ref.sbom, component.ref.bom_ref, primary)
            if key3 in covered:
                continue
            decision = None
            for ranked in group:
                status = ranked.status_for(component)
                if status is not None:
                    decision = (ranked, status)
            if decision is None or decision[1] not in ACTIVE_STATUSES:
                continue
            covered.add(key3)
            added.append(_vex_finding(component, primary, decision[0], decision[1], meta))
    if not presorted:
        return sorted(result + added, key=Finding.sort_key)
    for finding in added:  # after equal keys: as a stable sort of result + added would
        insort_right(result, finding, key=Finding.sort_key)
    return result


def _named(
    group: Sequence[RankedStatement],
    by_ref: dict[str, list[ComponentView]],
    by_package: dict[str, list[ComponentView]],
) -> list[ComponentView]:
    """Components a group of statements may name (by bom-ref or package), in index order."""
    found: dict[int, ComponentView] = {}
    for ranked in group:
        for ref in ranked.statement.refs:
            fragment = unquote(ref.partition("#")[2]) if ref.startswith("urn:cdx:") else ref
            for component in by_ref.get(fragment, ()):
                found[component.index] = component
        for purl in ranked.statement.purls:
            parts = purl_parts(purl)
            for component in by_package.get(parts[0], ()) if parts else ():
                found[component.index] = component
    return [found[i] for i in sorted(found)]


def _vex_finding(
    component: ComponentView,
    primary: str,
    ranked: RankedStatement,
    status: VexStatus,
    meta: VulnMeta,
) -> Finding:
    statement = ranked.statement
    document = statement.source or ranked.origin
    identifier = ", ".join(statement.refs + statement.purls) or component.ref.bom_ref
    evidence = Evidence(
        vulnerability_id=statement.vulnerability_id,
        status=status,
        method=MatchMethod.VEX,
        confidence=Confidence.EXACT,
        identifier=identifier,
        matched_on=f"component {component.ref.bom_ref!r}",
        version=component.ref.version,
        range_text=f"VEX {statement.source_status}",
        source=f"vex-{ranked.origin}" if ranked.origin in ("kb", "sbom") else "vex",
        document=document,
        record_key=f"vex:{document}",
    )
    ids = meta.members(primary)
    cvss, cwes, summary = meta.group_facts(ids)
    kev, kev_date = meta.kev_of(ids)
    epss, percentile = meta.epss_of(ids)
    return Finding(
        component=component.ref,
        vulnerability=primary,
        aliases=tuple(i for i in ids if i != primary),
        status=status,
        status_source=f"vex:{document}",
        evidence=(evidence,),
        justification=statement.justification,
        detail=statement.detail,
        cvss=cvss,
        kev=kev,
        kev_date_added=kev_date,
        epss=epss,
        epss_percentile=percentile,
        cwes=cwes,
        summary=summary,
    )
