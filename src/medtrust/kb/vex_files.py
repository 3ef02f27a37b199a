"""Read VEX documents given to a scan (``--vex``): CycloneDX VEX, OpenVEX and CSAF (VEX).

CycloneDX and OpenVEX statements name components by bom-ref/BOM-Link or purl and are used as
read. CSAF statements name *product ids* of their own product tree, which an SBOM does not
know; so a CSAF document is matched like a CSAF advisory in the knowledge base (its products
become targets, matched by the reference matcher against the scanned components) and each
product status that holds for a component becomes a statement on that component's bom-ref,
with the justification and detail the CSAF VEX reader derived for that product.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.errors import InputError
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.readers.csaf_vex import vex_statements
from medtrust.kb.from_csaf import csaf_targets
from medtrust.kb.rows import TableRows, stable_id
from medtrust.kb.targets import RecordTargets
from medtrust.matching.components import ComponentView
from medtrust.matching.findings import collect_evidence
from medtrust.matching.reference import ReferenceMatcher
from medtrust.matching.tables import KbSlice


class VexFileError(InputError):
    """A ``--vex`` file holds no VEX statements or cannot be read."""

    code = "vex-unreadable"


def _csaf_statements(advisory: Advisory, components: Sequence[ComponentView]) -> list[VexStatement]:
    targets = RecordTargets()
    csaf_targets(advisory, targets)
    key = f"vex-file:{advisory.id}"
    rows = TableRows()
    rows.add_targets(targets, key, "csaf", advisory.id)
    kb = KbSlice(
        targets=rows.frame("targets"),
        name_keys=rows.frame("name_keys"),
        intervals=rows.frame("intervals"),
        links=rows.frame("links"),
        configs=rows.frame("configs"),
    )
    product_of = {
        stable_id(f"{key}#t{index}"): spec.product_id for index, spec in enumerate(targets.targets)
    }
    original = list(vex_statements(advisory))
    hits = ReferenceMatcher(kb).match(components)
    evidence = collect_evidence(hits, components, kb)
    found: list[VexStatement] = []
    target_of_hit = {(h.component, h.target_id) for h in hits}
    for index in sorted(evidence):
        component = components[index]
        products = {product_of[t] for c, t in target_of_hit if c == index}
        for item in evidence[index]:
            source = next(
                (
                    s
                    for s in original
                    if s.vulnerability_id == item.vulnerability_id
                    and s.status is item.status
                    and products & set(s.refs)
                ),
                None,
            )
            found.append(
                VexStatement(
                    vulnerability_id=item.vulnerability_id,
                    status=item.status,
                    source_status=source.source_status if source else item.status.value,
                    justification=source.justification if source else None,
                    detail=source.detail if source else None,
                    refs=(component.ref.bom_ref,),
                    source=advisory.id,
                )
            )
    return found


def read_vex_file(path: Path, components: Sequence[ComponentView]) -> list[VexStatement]:
    """Every statement of one VEX file, CSAF resolved against ``components``."""
    summary = FeedSummary()
    statements: list[VexStatement] = []
    csaf_ids: set[str] = set()
    for record in read_all([path], summary=summary):
        if isinstance(record, Advisory):
            csaf_ids.add(record.id)
            statements += _csaf_statements(record, components)
        elif isinstance(record, VexStatement) and record.source not in csaf_ids:
            statements.append(record)
    if not statements and not csaf_ids:
        raise VexFileError(f"{path.name}: no VEX statements found")
    return statements
