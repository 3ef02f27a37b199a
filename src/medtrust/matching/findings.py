"""Hits -> evidence -> findings: configurations, alias merge, status, enrichment.

Shared by both engines. A hit on a target becomes one piece of evidence per vulnerable link of
the target; a link that belongs to a configuration counts only when the configuration's tree
holds for the targets hit in the same SBOM (so firmware matched without its hardware does not
count). Evidence of one component is grouped by the primary id of the vulnerability's alias
group: duplicates across OSV, NVD, CVE 5 and CSAF become one finding listing every source.

Status before VEX: a CSAF product status (the vendor's word on its own product) wins over the
feeds' "affected"; among several CSAF statuses the most specific match wins (confidence, then a
version-specific statement before an every-version one); a tie goes to ``affected``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from medtrust.domain.vex import VexStatus
from medtrust.matching.components import ComponentView
from medtrust.matching.meta import VulnMeta
from medtrust.matching.model import (
    CONFIDENCE_RANK,
    Cvss,
    Evidence,
    Finding,
    Hit,
    MatchMethod,
)
from medtrust.matching.tables import KbSlice, evaluate_tree, hits_by_group, tree_targets

_STATUS_ORDER = {
    VexStatus.AFFECTED: 0,
    VexStatus.UNDER_INVESTIGATION: 1,
    VexStatus.FIXED: 2,
    VexStatus.NOT_AFFECTED: 3,
}


@dataclass(frozen=True, slots=True)
class _Link:
    vuln_id: str
    status: VexStatus
    vulnerable: bool
    config_id: int | None
    method: MatchMethod
    source: str
    document: str
    record_key: str


def _matched_on(method: MatchMethod, component: ComponentView) -> str:
    ref = component.ref
    if method is MatchMethod.PURL:
        return f"purl {ref.purl}"
    if method is MatchMethod.CPE:
        return f"cpe {ref.cpe}"
    return f"name {ref.name!r}"


def _target_method(kind: str) -> MatchMethod:
    return (
        MatchMethod.PURL
        if kind == "purl"
        else (MatchMethod.CPE if kind == "cpe" else MatchMethod.CSAF_PRODUCT)
    )


def collect_evidence(
    hits: Sequence[Hit], components: Sequence[ComponentView], kb: KbSlice
) -> dict[int, list[Evidence]]:
    """Component index -> evidence, configurations applied."""
    # only the targets that were hit, plus the other members of their configurations
    wanted = {hit.target_id for hit in hits}
    config_ids = (
        kb.links.filter(
            pl.col("target_id").is_in(pl.Series(sorted(wanted), dtype=pl.Int64).implode())
        )["config_id"]
        .drop_nulls()
        .unique()
        .to_list()
    )
    for config_id in config_ids:
        tree = kb.trees.get(config_id)
        if tree is not None:
            wanted.update(tree_targets(tree))
    ids = pl.Series(sorted(wanted), dtype=pl.Int64).implode()
    targets = {
        target_id: (kind, identifier, range_text)
        for target_id, kind, identifier, range_text in kb.targets.filter(
            pl.col("target_id").is_in(ids)
        )
        .select("target_id", "kind", "identifier", "range_text")
        .iter_rows()
    }
    statuses = {s.value: s for s in VexStatus}
    methods = {m.value: m for m in MatchMethod}
    links: dict[int, list[_Link]] = defaultdict(list)
    for row in (
        kb.links.filter(pl.col("target_id").is_in(ids))
        .select(
            "target_id",
            "vuln_id",
            "status",
            "vulnerable",
            "config_id",
            "method",
            "source",
            "document",
            "record_key",
        )
        .iter_rows()
    ):
        target_id, vuln_id, status, vulnerable, config_id, method, source, document, key = row
        links[target_id].append(
            _Link(
                vuln_id,
                statuses[status],
                bool(vulnerable),
                config_id,
                methods[method],
                source,
                document,
                key,
            )
        )
    group_hits = hits_by_group(list(hits), list(components))
    trees = (
        kb.trees if any(link.config_id is not None for ls in links.values() for link in ls) else {}
    )
    found: dict[int, list[Evidence]] = defaultdict(list)
    for hit in hits:
        component = components[hit.component]
        if component.context:
            continue
        kind, identifier, range_text = targets[hit.target_id]
        for link in links.get(hit.target_id, ()):
            if not link.vulnerable:
                continue
            platform = None
            if link.config_id is not None:
                tree = trees.get(link.config_id)
                matched = group_hits.get(component.group, set())
                if tree is None or not evaluate_tree(tree, matched):
                    continue
                platform = _platform(tree, matched, hit.target_id, targets)
            found[hit.component].append(
                Evidence(
                    vulnerability_id=link.vuln_id,
                    status=link.status,
                    method=link.method,
                    confidence=hit.confidence,
                    identifier=identifier,
                    matched_on=_matched_on(_target_method(kind), component),
                    version=hit.version,
                    range_text=range_text,
                    source=link.source,
                    document=link.document,
                    record_key=link.record_key,
                    broad=hit.broad,
                    platform=platform,
                )
            )
    return found


def _platform(
    tree: dict[str, Any], matched: set[int], own: int, targets: dict[int, tuple[str, str, str]]
) -> str | None:
    others = {
        targets[t][1] for t in tree_targets(tree) if t in matched and t != own and t in targets
    }
    return ", ".join(sorted(others)) or None


def build_findings(
    evidence: dict[int, list[Evidence]], components: Sequence[ComponentView], meta: VulnMeta
) -> list[Finding]:
    """One finding per (component, alias group), sorted."""
    findings: list[Finding] = []
    facts: dict[str, _Facts] = {}
    for index in sorted(evidence):
        component = components[index]
        groups: dict[str, list[Evidence]] = defaultdict(list)
        for item in evidence[index]:
            groups[meta.primary_of(item.vulnerability_id)].append(item)
        for primary, items in groups.items():
            unique = items if len(items) == 1 else sorted(items, key=Evidence.sort_key)
            known = facts.get(primary)
            if known is None:
                known = facts[primary] = _facts(primary, meta)
            findings.append(_finding(component, primary, unique, known))
    return sorted(findings, key=Finding.sort_key)


@dataclass(frozen=True, slots=True)
class _Facts:
    """Enrichment of one alias group, computed once per scan."""

    aliases: tuple[str, ...]
    cvss: Cvss | None
    cwes: tuple[str, ...]
    summary: str
    kev: bool
    kev_date: str | None
    epss: float | None
    percentile: float | None


def _facts(primary: str, meta: VulnMeta) -> _Facts:
    ids = meta.members(primary)
    cvss, cwes, summary = meta.group_facts(ids)
    kev, kev_date = meta.kev_of(ids)
    epss, percentile = meta.epss_of(ids)
    aliases = tuple(i for i in ids if i != primary)
    return _Facts(aliases, cvss, cwes, summary, kev, kev_date, epss, percentile)


def _finding(
    component: ComponentView, primary: str, items: list[Evidence], facts: _Facts
) -> Finding:
    csaf = [e for e in items if e.method is MatchMethod.CSAF_PRODUCT]
    if csaf:
        decisive = min(
            csaf,
            key=lambda e: (CONFIDENCE_RANK[e.confidence], int(e.broad), _STATUS_ORDER[e.status]),
        )
        status, status_source = decisive.status, f"{decisive.source}:{decisive.document}"
    else:
        status, status_source = VexStatus.AFFECTED, f"{items[0].source}:{items[0].document}"
    return Finding(
        component=component.ref,
        vulnerability=primary,
        aliases=facts.aliases,
        status=status,
        status_source=status_source,
        evidence=tuple(items),
        cvss=facts.cvss,
        kev=facts.kev,
        kev_date_added=facts.kev_date,
        epss=facts.epss,
        epss_percentile=facts.percentile,
        cwes=facts.cwes,
        summary=facts.summary,
    )
