"""CSAF VEX product statuses -> :class:`VexStatement` values.

Mapping (CSAF 2.0 profile 4.5 "VEX", section 3.2.3.9 product status; CISA "Minimum
Requirements for VEX", 2023): ``known_not_affected`` -> not_affected (justification from the
product's flag label, detail from its ``impact`` threat); ``known_affected``, ``first_affected``
and ``last_affected`` -> affected (detail from the product's remediations, the action
statement); ``fixed`` and ``first_fixed`` -> fixed; ``under_investigation`` ->
under_investigation. ``recommended`` is not a VEX status and gives no statement.

Products are grouped so that one statement covers every product of a vulnerability with the
same status, justification and detail. A relationship product without its own purl takes the
purls of its ``product_reference`` (the component the statement is really about).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from medtrust.domain.advisory import Advisory, ProductStatusKind
from medtrust.domain.vex import VexStatement, VexStatus

_STATUS = {
    ProductStatusKind.KNOWN_NOT_AFFECTED: VexStatus.NOT_AFFECTED,
    ProductStatusKind.KNOWN_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.FIRST_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.LAST_AFFECTED: VexStatus.AFFECTED,
    ProductStatusKind.FIXED: VexStatus.FIXED,
    ProductStatusKind.FIRST_FIXED: VexStatus.FIXED,
    ProductStatusKind.UNDER_INVESTIGATION: VexStatus.UNDER_INVESTIGATION,
}

_Key = tuple[str, ProductStatusKind, str | None, str | None]


def vex_statements(advisory: Advisory) -> Iterator[VexStatement]:
    """The VEX statements a CSAF (VEX) advisory makes, in document order of vulnerabilities."""
    justification: dict[tuple[str, str], str] = {}
    for entry in advisory.flags:
        for product_id in entry.product_ids:
            justification.setdefault((entry.vulnerability_id, product_id), entry.label)
    impact: dict[tuple[str, str], list[str]] = defaultdict(list)
    for threat in advisory.threats:
        if threat.category == "impact":
            for product_id in threat.product_ids:
                impact[(threat.vulnerability_id, product_id)].append(threat.details.strip())
    actions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for remediation in advisory.remediations:
        for product_id in remediation.product_ids:
            actions[(remediation.vulnerability_id, product_id)].append(
                f"{remediation.category}: {remediation.details.strip()}".strip(": ")
            )
    groups: dict[_Key, list[str]] = defaultdict(list)
    for status in advisory.product_statuses:
        if status.status not in _STATUS:
            continue
        pair = (status.vulnerability_id, status.product_id)
        vex_status = _STATUS[status.status]
        reason = justification.get(pair) if vex_status is VexStatus.NOT_AFFECTED else None
        if vex_status is VexStatus.NOT_AFFECTED:
            detail = "\n".join(impact.get(pair, [])) or None
        elif vex_status is VexStatus.AFFECTED:
            detail = "\n".join(actions.get(pair, [])) or None
        else:
            detail = None
        groups[(status.vulnerability_id, status.status, reason, detail)].append(status.product_id)
    purls = _purl_index(advisory)
    order = {
        vulnerability.id: index for index, vulnerability in enumerate(advisory.vulnerabilities)
    }
    for key in sorted(
        groups, key=lambda k: (order.get(k[0], 0), k[0], k[1].value, k[2] or "", k[3] or "")
    ):
        vulnerability_id, bucket, reason, detail = key
        refs = tuple(sorted(set(groups[key])))
        yield VexStatement(
            vulnerability_id=vulnerability_id,
            status=_STATUS[bucket],
            source_status=bucket.value,
            justification=reason,
            detail=detail,
            refs=refs,
            purls=tuple(sorted({purl for ref in refs for purl in purls.get(ref, ())})),
            source=advisory.id,
        )


def _purl_index(advisory: Advisory) -> dict[str, tuple[str, ...]]:
    """Product id -> purls, relationship products falling back to their component's purls."""
    index = {product.product_id: product.purls for product in advisory.products}
    for relationship in advisory.relationships:
        if not index.get(relationship.product_id):
            index[relationship.product_id] = index.get(relationship.product_reference, ())
    return index
