"""Matching keys shared by components and knowledge-base targets.

A component and a target can only match when they share a key: the package key of a purl,
the (part, vendor, product) of a CPE, or a normalised (vendor, product) name pair. Storing the
keys of every stored SBOM lets an incremental evaluation find the product versions a changed
advisory can touch with one indexed lookup; the candidates are then evaluated in full, so the
keys only need to over-approximate.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from medtrust.matching.components import ComponentView


def component_keys(views: Iterable[ComponentView]) -> set[str]:
    """Every key of the components."""
    keys: set[str] = set()
    for v in views:
        if v.package_key:
            keys.add(f"purl|{v.package_key}")
        if v.cpe_key is not None:
            keys.add("cpe|" + "|".join(v.cpe_key[:3]))
        keys.update(f"name|{vendor}|{product}" for vendor, product in v.name_keys)
    return keys


def target_keys(targets: pl.DataFrame, name_keys: pl.DataFrame) -> set[str]:
    """Every key of some targets (``kb.schema`` columns of ``targets`` and ``name_keys``)."""
    keys = {
        f"purl|{p}"
        for p in targets.filter(pl.col("kind") == "purl")["package_key"].drop_nulls().to_list()
    }
    keys.update(
        f"cpe|{part}|{vendor}|{product}"
        for part, vendor, product in targets.filter(pl.col("kind") == "cpe")
        .select("part", "vendor", "product")
        .iter_rows()
    )
    keys.update(
        f"name|{vendor}|{product}"
        for vendor, product in name_keys.select("vendor_key", "product_key").iter_rows()
    )
    return keys
