"""Evidence and findings computed once per component identity and shared across a portfolio.

A portfolio repeats the same component in many SBOMs. Hits, evidence and findings depend only
on a component's *identity*, the fields matching reads (purl, CPE, name and the join keys and
versions derived from them with version, supplier and group), with one exception:
configurations (AND trees: firmware running on hardware) hold or not depending on what else
the component's SBOM holds. So:

* the engine matches one representative view per identity (:class:`Identities`; with
  :class:`~medtrust.matching.components.DocumentViews` only the representatives' views are
  built);
* hits and links are joined as tables and each piece of evidence is built once per identity,
  and so are the finding "templates" (a finding without its component);
* an identity whose hits touch a configuration gets one evidence list per distinct set of its
  configurations' targets present in an SBOM, in the order
  :func:`~medtrust.matching.findings.collect_evidence` gives it;
* each component then gets its own :class:`Finding` objects, differing only in ``component``
  (built column-wise, :func:`~medtrust.matching.columns.build_all`).

:func:`shared_findings` returns exactly what
``build_findings(collect_evidence(hits of every component, ...), ...)`` returns, in the same
order (``tests/matching/test_shared.py`` checks this on generated portfolios).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, ParamSpec, TypeVar

import polars as pl

from medtrust.domain.vex import VexStatus
from medtrust.matching.columns import build_all
from medtrust.matching.components import ComponentView, DocumentViews
from medtrust.matching.findings import (
    GroupFacts,
    LinkIndex,
    Template,
    finding_templates,
    matched_text,
    target_method,
)
from medtrust.matching.meta import VulnMeta
from medtrust.matching.model import ComponentRef, Confidence, Evidence, Finding, MatchMethod
from medtrust.matching.tables import KbSlice

#: what evidence and findings of a component depend on (besides its SBOM's configurations)
Identity = tuple[object, ...]
P = ParamSpec("P")
R = TypeVar("R")


def identity(component: ComponentView) -> Identity:
    """The matching-relevant fields of a view: equal identities give equal hits and evidence."""
    ref = component.ref
    return (
        ref.purl,
        ref.cpe,
        ref.name,
        component.package_key,
        component.purl_version,
        component.cpe_key,
        component.cpe_version,
        component.name_version,
        component.name_keys,
        component.context,
    )


@dataclass(frozen=True, slots=True)
class Identities:
    """The distinct identities of some views: one representative view each."""

    representatives: list[ComponentView]
    #: view position -> identity number (a position in ``representatives``)
    of: list[int]

    @classmethod
    def of_views(cls, components: Sequence[ComponentView]) -> Identities:
        """Group views by identity; the first view of each identity represents it.

        :class:`DocumentViews` are grouped by their components' own fields, so only the
        representatives' views are built.
        """
        if isinstance(components, DocumentViews):
            of, positions = components.identity_numbers()
            return cls(components.views(positions), of)
        seen: dict[Identity, int] = {}
        positions = []
        of = []
        for position, key in enumerate(map(identity, components)):
            number = seen.get(key)
            if number is None:
                number = seen[key] = len(positions)
                positions.append(position)
            of.append(number)
        representatives = [components[position] for position in positions]
        return cls(representatives, of)


def refs_of(components: Sequence[ComponentView], positions: list[int]) -> list[ComponentRef]:
    """The refs of some positions, without building lazy views."""
    if isinstance(components, DocumentViews):
        return components.refs(positions)
    return [components[position].ref for position in positions]


@dataclass(frozen=True, slots=True)
class SharedEvidence:
    """Distinct evidence lists, and which one each component has."""

    #: distinct evidence lists (one per identity, more where configurations differ)
    evidence: list[list[Evidence]]
    #: view position -> index in ``evidence``
    of: list[int]

    def vulnerability_ids(self) -> set[str]:
        """Every vulnerability id some evidence names."""
        return {e.vulnerability_id for items in self.evidence for e in items}


#: a configuration link's evidence before its configuration is evaluated: configuration id,
#: target id and the arguments of :class:`Evidence` but the platform
_Pending = tuple[int, int, tuple[Any, ...]]
#: a piece of evidence, or one whose configuration is still to be evaluated per SBOM
_Part = Evidence | _Pending

_EVIDENCE_COLUMNS = (
    "vuln_id",
    "status",
    "method",
    "confidence",
    "identifier",
    "matched_on",
    "version",
    "range_text",
    "source",
    "document",
    "record_key",
    "broad",
)


def share_evidence(
    hits: pl.DataFrame,
    components: Sequence[ComponentView],
    identities: Identities,
    kb: KbSlice,
) -> SharedEvidence:
    """Evidence of every component from the hits of the identities' representatives.

    ``hits`` is the engines' output as a table (``tables.hit_table``, ``bulk.hit_frame``).
    Hits and links are joined column-wise and each piece of evidence is built once per
    identity. An identity with a configuration link gets one evidence list per distinct set
    of its configurations' targets hit in a component's SBOM.
    """
    index = LinkIndex(kb, hits["target_id"].unique().to_list())
    representatives = identities.representatives
    numbers = pl.DataFrame(
        {
            "component": [c.index for c in representatives],
            "identity": range(len(representatives)),
            "context": [c.context for c in representatives],
        },
        schema={"component": pl.Int64, "identity": pl.Int64, "context": pl.Boolean},
    )
    table = hits.with_row_index("hit_order").join(numbers, on="component")
    rows = (  # every (hit, vulnerable link), in the order collect_evidence appends them
        table.filter(~pl.col("context"))
        .join(index.link_rows, on="target_id")
        .join(index.target_rows, on="target_id")
    )
    if rows.is_empty():
        return SharedEvidence([[] for _ in representatives], identities.of)
    texts = pl.DataFrame(  # what of the component matched, per identity and target kind
        [
            (number, kind, matched_text(target_method(kind), representatives[number]))
            for number, kind in rows.select("identity", "kind").unique().iter_rows()
        ],
        schema={"identity": pl.Int64, "kind": pl.Utf8, "matched_on": pl.Utf8},
        orient="row",
    )
    rows = rows.join(texts, on=["identity", "kind"]).sort("hit_order", "link_order")
    plain = rows.filter(pl.col("config_id").is_null())
    made = _evidence_objects(plain)
    evidence: list[list[Evidence]] = [[] for _ in representatives]
    start = 0
    for number, count in plain.group_by("identity", maintain_order=True).len().iter_rows():
        evidence[number] = made[start : start + count]
        start += count
    configured = rows.filter(pl.col("config_id").is_not_null())["identity"].unique()
    if configured.is_empty():
        return SharedEvidence(evidence, identities.of)
    # per configured identity: its evidence and pending configuration links in order
    parts: dict[int, list[_Part]] = {}
    relevant: dict[int, frozenset[int]] = {}
    pending = rows.with_columns(
        (pl.col("config_id").is_null().cum_sum() - 1).alias("made")  # index into ``made``
    ).filter(pl.col("identity").is_in(configured.implode()))
    for number, config_id, position, target_id, *fields_ in pending.select(
        "identity", "config_id", "made", "target_id", *_EVIDENCE_COLUMNS
    ).iter_rows():
        mixed = parts.setdefault(number, [])
        if config_id is None:
            mixed.append(made[position])
            continue
        vuln_id, status, method, confidence, *rest = fields_
        arguments = (vuln_id, _STATUS[status], _METHOD[method], _CONFIDENCE[confidence], *rest)
        mixed.append((config_id, target_id, arguments))
        configured_targets = index.configuration_targets(config_id)
        relevant[number] = relevant.get(number, frozenset()) | configured_targets
    # configuration targets hit per group (SBOM), context components included
    groups = pl.DataFrame(
        {"identity": identities.of, "group": _group_column(components)},
        schema={"identity": pl.Int64, "group": pl.Utf8},
    ).with_row_index("position")
    tree_hits = table.filter(pl.col("target_id").is_in(sorted(index.tree_targets))).select(
        "identity", "target_id"
    )
    matched: dict[str, set[int]] = {}
    for group, target_id in (
        groups.join(tree_hits, on="identity").select("group", "target_id").unique().iter_rows()
    ):
        matched.setdefault(group, set()).add(target_id)
    of = list(identities.of)
    variants: dict[tuple[int, frozenset[int]], int] = {}
    for position, number, group in (
        groups.filter(pl.col("identity").is_in(configured.implode()))
        .select("position", "identity", "group")
        .iter_rows()
    ):
        present = relevant[number].intersection(matched.get(group, ()))
        variant = variants.get((number, present))
        if variant is None:
            variant = variants[(number, present)] = len(evidence)
            evidence.append(_evaluate(parts[number], index, present))
        of[position] = variant
    return SharedEvidence(evidence, of)


_STATUS = {s.value: s for s in VexStatus}
_METHOD = {m.value: m for m in MatchMethod}
_CONFIDENCE = {c.value: c for c in Confidence}


def _evidence_objects(rows: pl.DataFrame) -> list[Evidence]:
    """One :class:`Evidence` per row (no platform), built column-wise."""
    if rows.is_empty():
        return []
    return build_all(
        Evidence,
        [
            rows["vuln_id"].to_list(),
            list(map(_STATUS.__getitem__, rows["status"].to_list())),
            list(map(_METHOD.__getitem__, rows["method"].to_list())),
            list(map(_CONFIDENCE.__getitem__, rows["confidence"].to_list())),
            *(rows[name].to_list() for name in _EVIDENCE_COLUMNS[4:]),
            repeat(None, rows.height),
        ],
    )


def _group_column(components: Sequence[ComponentView]) -> list[str]:
    """Every position's group (SBOM), without building lazy views."""
    if isinstance(components, DocumentViews):
        return components.groups()
    return [c.group for c in components]


def _evaluate(parts: list[_Part], index: LinkIndex, present: frozenset[int]) -> list[Evidence]:
    """Evidence in order, configuration links kept when they hold for ``present``."""
    items: list[Evidence] = []
    for part in parts:
        if isinstance(part, Evidence):
            items.append(part)
            continue
        config_id, target_id, arguments = part
        if index.configuration_holds(config_id, present):
            platform: Any = index.platform(config_id, present, target_id)
            items.append(Evidence(*(*arguments, platform)))
    return items


def evidence_templates(shared: SharedEvidence, meta: VulnMeta) -> list[list[Template]]:
    """Per distinct evidence list: its findings without the component, by vulnerability."""
    facts: dict[str, GroupFacts] = {}
    return [
        sorted(finding_templates(items, meta, facts), key=_FIRST) if items else []
        for items in shared.evidence
    ]


def shared_findings(
    shared: SharedEvidence, components: Sequence[ComponentView], meta: VulnMeta
) -> list[Finding]:
    """One finding per (component, alias group), sorted as ``build_findings`` sorts them."""
    templates = evidence_templates(shared, meta)
    of = shared.of
    positions = [position for position, number in enumerate(of) if templates[number]]
    refs = refs_of(components, positions)
    keys = pl.DataFrame(
        {
            "sbom": [ref.sbom for ref in refs],
            "bom_ref": [ref.bom_ref for ref in refs],
            "name": [ref.name for ref in refs],
            "at": range(len(refs)),
        },
        schema={"sbom": pl.Utf8, "bom_ref": pl.Utf8, "name": pl.Utf8, "at": pl.Int64},
    )
    # Finding.sort_key order (UTF-8 byte order is code point order); position breaks ties
    ordered = keys.sort("sbom", "bom_ref", "name", "at").with_columns(
        pl.struct("sbom", "bom_ref", "name").rle_id().alias("run")
    )
    if ordered["run"].n_unique() == ordered.height:  # no ties (the usual case): concatenate
        found = [templates[of[positions[at]]] for at in ordered["at"].to_list()]
        owners = [refs[at] for at in ordered["at"].to_list()]
        return _findings(
            list(chain.from_iterable(map(repeat, owners, map(len, found)))),
            list(chain.from_iterable(found)),
        )
    refs_out: list[ComponentRef] = []  # per finding, in output order
    templates_of: list[Template] = []
    run: list[tuple[ComponentRef, list[Template]]] = []
    previous = -1
    for at, number in ordered.select("at", "run").iter_rows():
        if number != previous and run:
            _add_run(run, refs_out, templates_of)
        previous = number
        run.append((refs[at], templates[of[positions[at]]]))
    if run:
        _add_run(run, refs_out, templates_of)
    return _findings(refs_out, templates_of)


def _add_run(
    run: list[tuple[ComponentRef, list[Template]]],
    refs_out: list[ComponentRef],
    templates_of: list[Template],
) -> None:
    """Findings of components with equal sort keys: by vulnerability, then position."""
    if len(run) == 1:
        ref, found = run[0]
        refs_out += [ref] * len(found)
        templates_of += found
    else:
        pairs = sorted(((ref, t) for ref, found in run for t in found), key=_pair_vulnerability)
        refs_out += [ref for ref, _ in pairs]
        templates_of += [t for _, t in pairs]
    run.clear()


def _pair_vulnerability(pair: tuple[ComponentRef, Template]) -> str:
    return pair[1][0]


def _findings(refs: list[ComponentRef], templates: list[Template]) -> list[Finding]:
    """``[Finding(ref, *template) ...]``, built column-wise (:func:`build_all`)."""
    if not refs:
        return []
    return build_all(Finding, [refs, *zip(*templates, strict=True)])


_FIRST = itemgetter(0)  # a template's vulnerability


def with_paused_gc(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside :func:`paused_gc`."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)

    return run


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Findings, evidence and views hold no reference cycles, so nothing is missed; without the
    pause the collector repeatedly traverses every live object of a portfolio scan.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                # move what was made meanwhile to the oldest generation (two list splices):
                # otherwise the first young collection after this walks every new object
                gc.freeze()
                gc.unfreeze()
            gc.enable()
