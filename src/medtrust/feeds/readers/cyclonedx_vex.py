"""CycloneDX VEX (``vulnerabilities[].analysis``) -> :class:`VexStatement`.

Source: CycloneDX 1.4-1.6 ``vulnerabilities`` object (https://cyclonedx.org/docs/1.6/json/):
``analysis.state`` (resolved, resolved_with_pedigree, exploitable, in_triage, false_positive,
not_affected), ``analysis.justification``, ``analysis.response[]``, ``analysis.detail`` and
``affects[]`` (``ref`` to a bom-ref or BOM-Link, optional ``versions[]``). A vulnerability
without ``analysis`` states no VEX status and is counted as skipped. Component refs are
resolved to purls through the document's own components where possible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vex import VexStatement, VexStatus, VexVersionStatus
from medtrust.domain.vulnerability import FeedKind, Skipped
from medtrust.feeds.readers.base import FeedRecord, skipped_document
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    as_object,
    load_json,
    obj,
    objects,
    text,
    texts,
    unique,
)

_DETECT = re.compile(rb'"bomFormat"\s*:\s*"CycloneDX"')
_STATES = {
    "resolved": VexStatus.FIXED,
    "resolved_with_pedigree": VexStatus.FIXED,
    "exploitable": VexStatus.AFFECTED,
    "in_triage": VexStatus.UNDER_INVESTIGATION,
    "false_positive": VexStatus.NOT_AFFECTED,
    "not_affected": VexStatus.NOT_AFFECTED,
}
#: nesting guard for ``components[].components``
_MAX_DEPTH = 50


class CycloneDxVexReader:
    """Reads VEX statements from CycloneDX JSON documents."""

    name = "cyclonedx-vex"
    kind = FeedKind.CYCLONEDX_VEX

    def detect(self, origin: str, head: bytes) -> bool:
        """Any CycloneDX JSON document (one without vulnerabilities yields a ``Skipped``)."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one statement per analysed vulnerability entry."""
        try:
            bom = as_object(load_json(data), "CycloneDX document")
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        entries = list(objects(bom, "vulnerabilities"))
        if not entries:
            yield Skipped(self.name, origin, "no-vulnerabilities", "CycloneDX BOM without VEX data")
            return
        purls: dict[str, str] = {}
        _index_components(bom, purls)
        source = text(bom, "serialNumber") or origin
        for index, entry in enumerate(entries):
            where = f"{origin}#/vulnerabilities/{index}"
            try:
                yield _statement(entry, purls, source)
            except RecordError as exc:
                yield Skipped(self.name, where, exc.reason, exc.detail)


def _index_components(holder: JsonObject, purls: dict[str, str], depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        raise RecordError("too-deep", f"components nested deeper than {_MAX_DEPTH}")
    metadata_component = obj(obj(holder, "metadata"), "component")
    for component in [metadata_component, *objects(holder, "components")]:
        ref, purl = text(component, "bom-ref"), text(component, "purl")
        if ref and purl:
            purls.setdefault(ref, purl)
        if component is not metadata_component:
            _index_components(component, purls, depth + 1)


def _statement(entry: JsonObject, purls: dict[str, str], source: str) -> VexStatement:
    vulnerability_id = text(entry, "id")
    if not vulnerability_id:
        raise RecordError("missing-id", "vulnerability entry has no 'id'")
    analysis = obj(entry, "analysis")
    state = text(analysis, "state")
    if state is None:
        raise RecordError(
            "no-analysis", f"{vulnerability_id}: no analysis.state (not a VEX statement)"
        )
    status = _STATES.get(state)
    if status is None:
        raise RecordError("unknown-state", f"{vulnerability_id}: analysis.state {state!r}")
    refs: list[str] = []
    versions: list[VexVersionStatus] = []
    for affect in objects(entry, "affects"):
        ref = text(affect, "ref")
        if not ref:
            continue
        refs.append(ref)
        versions.extend(
            VexVersionStatus(
                ref=ref,
                version=text(item, "version"),
                range=text(item, "range"),
                status=text(item, "status") or "",
            )
            for item in objects(affect, "versions")
        )
    resolved = [purls.get(ref) or (ref if ref.startswith("pkg:") else "") for ref in refs]
    return VexStatement(
        vulnerability_id=vulnerability_id,
        status=status,
        source_status=state,
        justification=text(analysis, "justification"),
        detail=text(analysis, "detail") or None,
        responses=texts(analysis, "response"),
        refs=unique(refs),
        purls=tuple(sorted(set(unique(resolved)))),
        versions=tuple(versions),
        source=source,
    )
