"""OpenVEX documents -> :class:`VexStatement`.

Source: OpenVEX specification v0.2.0 (https://github.com/openvex/spec): a document
(``@context``, ``@id``, ``author``, ``timestamp``) with ``statements[]`` naming a
``vulnerability`` (object with ``name``/``@id``/``aliases``, or a plain string in v0.0.x),
``products[]`` (objects with ``@id``, ``identifiers`` and ``subcomponents``, or strings),
``status``, ``justification``, ``impact_statement``, ``action_statement`` and ``status_notes``.

One statement is produced per product. When a product lists subcomponents the statement is
about those components inside the product: ``refs`` is the product, ``purls`` the subcomponents'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vex import VexStatement, VexStatus
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
)

_DETECT = re.compile(rb'"@context"\s*:\s*"https?://openvex\.dev/ns')
_STATUSES = {status.value: status for status in VexStatus}


class OpenVexReader:
    """Reads OpenVEX documents."""

    name = "openvex"
    kind = FeedKind.OPENVEX

    def detect(self, origin: str, head: bytes) -> bool:
        """An ``@context`` in the openvex.dev namespace."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield the statements of the document."""
        try:
            document = as_object(load_json(data), "OpenVEX document")
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        source = text(document, "@id") or origin
        statements = document.get("statements")
        if not isinstance(statements, list) or not statements:
            yield Skipped(self.name, origin, "no-statements", "OpenVEX document without statements")
            return
        for index, raw in enumerate(statements):
            where = f"{origin}#/statements/{index}"
            if not isinstance(raw, dict):
                yield Skipped(
                    self.name, where, "not-an-object", f"statement is {type(raw).__name__}"
                )
                continue
            try:
                yield from _statements(raw, source)
            except RecordError as exc:
                yield Skipped(self.name, where, exc.reason, exc.detail)


def _vulnerability_id(raw: JsonObject) -> str:
    value = raw.get("vulnerability")
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        name = text(value, "name") or text(value, "@id")
        if name and name.strip():
            return name.strip()
    raise RecordError("missing-vulnerability", "statement names no vulnerability")


def _product_purls(product: object) -> tuple[str, tuple[str, ...]]:
    """(product ref, purls of the product or of its subcomponents)."""
    if isinstance(product, str):
        return product, ((product,) if product.startswith("pkg:") else ())
    if not isinstance(product, dict):
        return "", ()
    ref = text(product, "@id") or text(obj(product, "identifiers"), "purl") or ""
    subcomponents = list(objects(product, "subcomponents"))
    holders = subcomponents or [product]
    purls: list[str] = []
    for holder in holders:
        purl = text(obj(holder, "identifiers"), "purl")
        identifier = text(holder, "@id") or ""
        purls.append(purl or (identifier if identifier.startswith("pkg:") else ""))
    return ref, tuple(sorted({purl for purl in purls if purl}))


def _statements(raw: JsonObject, source: str) -> Iterator[VexStatement]:
    vulnerability_id = _vulnerability_id(raw)
    status_text = text(raw, "status") or ""
    status = _STATUSES.get(status_text.strip().lower())
    if status is None:
        raise RecordError("unknown-status", f"{vulnerability_id}: status {status_text!r}")
    if status is VexStatus.NOT_AFFECTED:
        detail = text(raw, "impact_statement") or text(raw, "status_notes")
    elif status is VexStatus.AFFECTED:
        detail = text(raw, "action_statement") or text(raw, "status_notes")
    else:
        detail = text(raw, "status_notes") or text(raw, "action_statement")
    products = raw.get("products")
    if not isinstance(products, list) or not products:
        raise RecordError("no-products", f"{vulnerability_id}: statement names no products")
    for product in products:
        ref, purls = _product_purls(product)
        if not ref:
            continue
        yield VexStatement(
            vulnerability_id=vulnerability_id,
            status=status,
            source_status=status_text,
            justification=text(raw, "justification"),
            detail=detail or None,
            refs=(ref,),
            purls=purls,
            source=source,
        )
