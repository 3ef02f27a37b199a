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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
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
class VulnerableLink:
    """A vulnerable link of a target."""

    vuln_id: str
    status: VexStatus
    config_id: int | None
    method: MatchMethod
    source: str
    document: str
    record_key: str


def matched_text(method: MatchMethod, component: ComponentView) -> str:
    """What of the component matched (``Evidence.matched_on``)."""
    ref = component.ref
    if method is MatchMethod.PURL:
        return f"purl {ref.purl}"
    if method is MatchMethod.CPE:
        return f"cpe {ref.cpe}"
    return f"name {ref.name!r}"


def target_method(kind: str) -> MatchMethod:
    """The match method of a target kind."""
    return (
        MatchMethod.PURL
        if kind == "purl"
        else (MatchMethod.CPE if kind == "cpe" else MatchMethod.CSAF_PRODUCT)
    )


class LinkIndex:
    """What explaining a set of hits needs: targets, vulnerable links and configurations.

    Covers the targets that were hit plus the other members of their links' configurations
    (a platform is named by its identifier). The rows are kept as frames; :attr:`targets` and
    :attr:`links` are their dictionary form, built on first use.
    """

    def __init__(self, kb: KbSlice, hit_targets: Iterable[int]) -> None:
        wanted = set(hit_targets)
        hit_ids = pl.Series(sorted(wanted), dtype=pl.Int64).implode()
        config_ids = (
            kb.links.filter(pl.col("target_id").is_in(hit_ids))["config_id"]
            .drop_nulls()
            .unique()
            .to_list()
        )
        all_trees = kb.trees if config_ids else {}
        #: configuration id -> tree, for the configurations of the hit targets' links
        self.trees: dict[int, dict[str, Any]] = {}
        for config_id in config_ids:
            tree = all_trees.get(config_id)
            if tree is not None:
                self.trees[config_id] = tree
                wanted.update(tree_targets(tree))
        #: every target some relevant configuration mentions
        self.tree_targets = frozenset(t for tree in self.trees.values() for t in tree_targets(tree))
        self._members: dict[int, frozenset[int]] = {}
        ids = pl.Series(sorted(wanted), dtype=pl.Int64).implode()
        #: target_id, kind, identifier, range_text of the targets
        self.target_rows = kb.targets.filter(pl.col("target_id").is_in(ids)).select(
            "target_id", "kind", "identifier", "range_text"
        )
        #: the targets' vulnerable links in KB row order (``link_order``)
        self.link_rows = (
            kb.links.with_row_index("link_order")
            .filter(pl.col("target_id").is_in(ids) & pl.col("vulnerable"))
            .select(
                "target_id",
                "vuln_id",
                "status",
                "config_id",
                "method",
                "source",
                "document",
                "record_key",
                "link_order",
            )
        )

    @cached_property
    def targets(self) -> dict[int, tuple[str, str, str]]:
        """Target id -> (kind, identifier, range text)."""
        return {
            target_id: (kind, identifier, range_text)
            for target_id, kind, identifier, range_text in self.target_rows.iter_rows()
        }

    @cached_property
    def links(self) -> dict[int, list[VulnerableLink]]:
        """Target id -> its vulnerable links, in row order."""
        return self.links_of(self.link_rows)

    @staticmethod
    def links_of(rows: pl.DataFrame) -> dict[int, list[VulnerableLink]]:
        """Target id -> links, from some of :attr:`link_rows` (in their order)."""
        statuses = {s.value: s for s in VexStatus}
        methods = {m.value: m for m in MatchMethod}
        found: dict[int, list[VulnerableLink]] = defaultdict(list)
        for row in rows.iter_rows():
            target_id, vuln_id, status, config_id, method, source, document, key, _ = row
            found[target_id].append(
                VulnerableLink(
                    vuln_id, statuses[status], config_id, methods[method], source, document, key
                )
            )
        return found

    @cached_property
    def _tree_identifiers(self) -> dict[int, tuple[str, str, str]]:
        """:attr:`targets` of the configurations' targets only."""
        members = sorted(self.tree_targets)
        return {
            target_id: (kind, identifier, range_text)
            for target_id, kind, identifier, range_text in self.target_rows.filter(
                pl.col("target_id").is_in(members)
            ).iter_rows()
        }

    def configuration_holds(self, config_id: int, matched: set[int] | frozenset[int]) -> bool:
        """Whether a configuration's tree holds for the targets hit in one group."""
        tree = self.trees.get(config_id)
        return tree is not None and evaluate_tree(tree, matched)

    def platform(self, config_id: int, matched: set[int] | frozenset[int], own: int) -> str | None:
        """The other targets of a configuration that are present (``Evidence.platform``)."""
        return _platform(self.trees[config_id], matched, own, self._tree_identifiers)

    def configuration_targets(self, config_id: int) -> frozenset[int]:
        """The targets of a configuration (none for an unknown one)."""
        found = self._members.get(config_id)
        if found is None:
            tree = self.trees.get(config_id)
            found = self._members[config_id] = frozenset(tree_targets(tree) if tree else ())
        return found

    def holds(self, link: VulnerableLink, matched: set[int] | frozenset[int]) -> bool:
        """Whether the link's configuration holds for the targets hit in one group."""
        tree = self.trees.get(link.config_id) if link.config_id is not None else None
        return tree is not None and evaluate_tree(tree, matched)

    def evidence(
        self,
        hit: Hit,
        component: ComponentView,
        link: VulnerableLink,
        matched: set[int] | frozenset[int] = frozenset(),
    ) -> Evidence:
        """The hit explained by one of its target's links (``matched``: for the platform)."""
        kind, identifier, range_text = self.targets[hit.target_id]
        platform = None
        if link.config_id is not None:
            platform = _platform(self.trees[link.config_id], matched, hit.target_id, self.targets)
        return Evidence(
            link.vuln_id,
            link.status,
            link.method,
            hit.confidence,
            identifier,
            matched_text(target_method(kind), component),
            hit.version,
            range_text,
            link.source,
            link.document,
            link.record_key,
            hit.broad,
            platform,
        )


def collect_evidence(
    hits: Sequence[Hit], components: Sequence[ComponentView], kb: KbSlice
) -> dict[int, list[Evidence]]:
    """Component index -> evidence, configurations applied (one component at a time)."""
    index = LinkIndex(kb, (hit.target_id for hit in hits))
    group_hits = hits_by_group(list(hits), list(components)) if index.trees else {}
    found: dict[int, list[Evidence]] = defaultdict(list)
    for hit in hits:
        component = components[hit.component]
        if component.context:
            continue
        for link in index.links.get(hit.target_id, ()):
            matched: set[int] = set()
            if link.config_id is not None:
                matched = group_hits.get(component.group, set())
                if not index.holds(link, matched):
                    continue
            found[hit.component].append(index.evidence(hit, component, link, matched))
    return found


def _platform(
    tree: dict[str, Any],
    matched: set[int] | frozenset[int],
    own: int,
    targets: dict[int, tuple[str, str, str]],
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
    facts: dict[str, GroupFacts] = {}
    for index in sorted(evidence):
        ref = components[index].ref
        findings += [
            Finding(ref, *template) for template in finding_templates(evidence[index], meta, facts)
        ]
    return sorted(findings, key=Finding.sort_key)


#: a finding without its component: the arguments of :class:`Finding` after ``component``
Template = tuple[
    str,  # vulnerability (primary id)
    tuple[str, ...],  # aliases
    VexStatus,  # status
    str,  # status_source
    tuple[Evidence, ...],  # evidence, best first
    None,  # justification (set by VEX only)
    None,  # detail (set by VEX only)
    Cvss | None,  # cvss
    bool,  # kev
    str | None,  # kev_date_added
    float | None,  # epss
    float | None,  # epss_percentile
    tuple[str, ...],  # cwes
    str,  # summary
]


def finding_templates(
    items: Sequence[Evidence], meta: VulnMeta, facts: dict[str, GroupFacts]
) -> list[Template]:
    """The findings one component's evidence gives, without the component (``Finding(ref, *t)``).

    In order of each alias group's first piece of evidence; ``facts`` caches each group's
    enrichment across calls.
    """
    groups: dict[str, list[Evidence]] = {}
    primary_of = meta.primary.get
    for item in items:
        vuln_id = item.vulnerability_id
        primary = primary_of(vuln_id, vuln_id)
        found = groups.get(primary)
        if found is None:
            groups[primary] = [item]
        else:
            found.append(item)
    templates: list[Template] = []
    for primary, found in groups.items():
        unique = found if len(found) == 1 else sorted(found, key=Evidence.sort_key)
        known = facts.get(primary)
        if known is None:
            known = facts[primary] = _facts(primary, meta)
        status, status_source = _status(unique)
        templates.append(
            (primary, known.aliases, status, status_source, tuple(unique), *known.tail)
        )
    return templates


#: :class:`Finding`'s fields from ``justification`` on, before VEX
FactsTail = tuple[None, None, Cvss | None, bool, str | None, float | None, float | None,
                  tuple[str, ...], str]  # fmt: skip


@dataclass(frozen=True, slots=True)
class GroupFacts:
    """Enrichment of one alias group (aliases, CVSS, CWE, KEV, EPSS), computed once per scan."""

    aliases: tuple[str, ...]
    tail: FactsTail


def _facts(primary: str, meta: VulnMeta) -> GroupFacts:
    ids, cvss, cwes, summary, kev, kev_date, epss, percentile = meta.group_of(primary)
    aliases = tuple(i for i in ids if i != primary)
    return GroupFacts(aliases, (None, None, cvss, kev, kev_date, epss, percentile, cwes, summary))


def _status(items: Sequence[Evidence]) -> tuple[VexStatus, str]:
    """Status before VEX and the document that decides it."""
    if len(items) == 1 and items[0].method is not MatchMethod.CSAF_PRODUCT:
        return VexStatus.AFFECTED, f"{items[0].source}:{items[0].document}"
    csaf = [e for e in items if e.method is MatchMethod.CSAF_PRODUCT]
    if csaf:
        decisive = min(
            csaf,
            key=lambda e: (CONFIDENCE_RANK[e.confidence], int(e.broad), _STATUS_ORDER[e.status]),
        )
        return decisive.status, f"{decisive.source}:{decisive.document}"
    return VexStatus.AFFECTED, f"{items[0].source}:{items[0].document}"
