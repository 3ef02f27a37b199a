"""The CSAF 2.0 product tree -> :class:`CsafProduct` and :class:`CsafRelationship` values.

CSAF 2.0 section 3.2.2: nested ``branches`` (each with a ``category`` such as ``vendor``,
``product_name``, ``product_version``, ``product_version_range``) end in a ``product``;
``full_product_names`` list products outside branches; ``relationships`` define combined
products; ``product_groups`` name sets of product ids. Identification helpers: section 3.1.3.3.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from medtrust.domain.advisory import CsafProduct, CsafRelationship
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    obj,
    objects,
    text,
    texts,
    unique,
)

#: branch nesting guard (real advisories use 3-5 levels)
MAX_BRANCH_DEPTH = 30

#: branch categories that fill a CsafProduct field
_BRANCH_FIELDS = {
    "vendor": "vendor",
    "product_family": "product_family",
    "product_name": "product",
    "product_version": "version",
    "product_version_range": "version_range",
    "architecture": "architecture",
}


@dataclass(slots=True)
class ProductTree:
    """Products, relationships and groups of one document, plus notes on odd entries."""

    products: dict[str, CsafProduct] = field(default_factory=dict)
    relationships: list[CsafRelationship] = field(default_factory=list)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def expand(self, holder: JsonObject) -> tuple[str, ...]:
        """``product_ids`` plus the members of ``group_ids`` of an element, sorted, unique."""
        ids = set(texts(holder, "product_ids")) | set(texts(holder, "products"))
        for group in texts(holder, "group_ids"):
            members = self.groups.get(group)
            if members is None:
                self.notes.append(f"unknown product group {group!r}")
            else:
                ids.update(members)
        return tuple(sorted(ids))


def read_product_tree(tree: JsonObject) -> ProductTree:
    """Collect every product of a CSAF ``product_tree``."""
    result = ProductTree()
    for branch in objects(tree, "branches"):
        for product in _walk(branch, {}, 0):
            _add(result, product)
    for raw in objects(tree, "full_product_names"):
        listed = _product(raw, {})
        if listed is not None:
            _add(result, listed)
    for raw in objects(tree, "relationships"):
        full = obj(raw, "full_product_name")
        relationship = CsafRelationship(
            category=text(raw, "category") or "",
            product_reference=text(raw, "product_reference") or "",
            relates_to_product_reference=text(raw, "relates_to_product_reference") or "",
            product_id=text(full, "product_id") or "",
            name=text(full, "name") or "",
        )
        result.relationships.append(relationship)
        combined = _product(full, {})
        if combined is not None:
            _add(result, combined)
    for group in objects(tree, "product_groups"):
        group_id = text(group, "group_id")
        if group_id:
            result.groups[group_id] = tuple(sorted(set(texts(group, "product_ids"))))
    return result


def _add(tree: ProductTree, product: CsafProduct) -> None:
    if product.product_id in tree.products:
        tree.notes.append(f"product id {product.product_id!r} defined more than once")
        return
    tree.products[product.product_id] = product


def _walk(branch: JsonObject, context: Mapping[str, str], depth: int) -> Iterator[CsafProduct]:
    if depth > MAX_BRANCH_DEPTH:
        raise RecordError("too-deep", f"product tree nested deeper than {MAX_BRANCH_DEPTH}")
    category = text(branch, "category") or ""
    name = text(branch, "name")
    scope = dict(context)
    if category in _BRANCH_FIELDS and name is not None:
        scope[_BRANCH_FIELDS[category]] = name
    leaf = branch.get("product")
    if isinstance(leaf, Mapping):
        product = _product(leaf, scope)
        if product is not None:
            yield product
    for child in objects(branch, "branches"):
        yield from _walk(child, scope, depth + 1)


def _product(raw: JsonObject, scope: Mapping[str, str]) -> CsafProduct | None:
    product_id = text(raw, "product_id")
    if not product_id:
        return None
    helper = obj(raw, "product_identification_helper")
    return CsafProduct(
        product_id=product_id,
        name=text(raw, "name") or "",
        vendor=scope.get("vendor"),
        product_family=scope.get("product_family"),
        product=scope.get("product"),
        version=scope.get("version"),
        version_range=scope.get("version_range"),
        architecture=scope.get("architecture"),
        purls=unique([*texts(helper, "purl"), *texts(helper, "purls")]),
        cpes=texts(helper, "cpe"),
        model_numbers=texts(helper, "model_numbers"),
        serial_numbers=texts(helper, "serial_numbers"),
        skus=texts(helper, "skus"),
        sbom_urls=texts(helper, "sbom_urls"),
        x_generic_uris=tuple(
            text(uri, "uri") or "" for uri in objects(helper, "x_generic_uris") if text(uri, "uri")
        ),
        hashes=tuple(
            f"{text(digest, 'algorithm')}:{text(digest, 'value')}"
            for entry in objects(helper, "hashes")
            for digest in objects(entry, "file_hashes")
            if text(digest, "algorithm") and text(digest, "value")
        ),
    )
