"""The columnar view of the knowledge base that both engines read (no I/O here).

A :class:`KbSlice` holds the rows relevant to one scan: the targets whose keys some component
has, their intervals, links and configurations. ``kb.query.load_slice`` builds it from a
snapshot; tests build it from rows directly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from medtrust.matching.components import ComponentView
from medtrust.matching.model import Confidence, Hit


@dataclass(frozen=True)
class KbSlice:
    """Targets, name keys, intervals, links and configurations (``kb.schema`` columns)."""

    targets: pl.DataFrame
    name_keys: pl.DataFrame
    intervals: pl.DataFrame
    links: pl.DataFrame
    configs: pl.DataFrame

    @cached_property
    def trees(self) -> dict[int, dict[str, Any]]:
        """Configuration id -> parsed tree."""
        return {
            int(config_id): json.loads(tree)
            for config_id, tree in self.configs.select("config_id", "tree").iter_rows()
        }


def evaluate_tree(tree: dict[str, Any], matched: set[int] | frozenset[int]) -> bool:
    """Whether a configuration tree holds when the targets in ``matched`` are present."""
    values = [leaf in matched for leaf in tree.get("leaves", [])]
    values += [evaluate_tree(child, matched) for child in tree.get("children", [])]
    result = all(values) if tree.get("op") == "AND" else any(values)
    return (not result) if tree.get("negate") else result


def tree_targets(tree: dict[str, Any]) -> list[int]:
    """Every target id a configuration tree mentions."""
    found = [int(leaf) for leaf in tree.get("leaves", [])]
    for child in tree.get("children", []):
        found += tree_targets(child)
    return found


def hits_by_group(hits: list[Hit], components: list[ComponentView]) -> dict[str, set[int]]:
    """Group (SBOM) -> ids of the targets some component of the group hit."""
    found: dict[str, set[int]] = {}
    for hit in hits:
        found.setdefault(components[hit.component].group, set()).add(hit.target_id)
    return found


#: hits as a table: one row per :class:`Hit`, same fields
HIT_SCHEMA: dict[str, pl.DataType] = {
    "component": pl.Int64(),
    "target_id": pl.Int64(),
    "confidence": pl.Utf8(),
    "broad": pl.Boolean(),
    "version": pl.Utf8(),
}


def hit_table(hits: Sequence[Hit]) -> pl.DataFrame:
    """Hits as a table (:data:`HIT_SCHEMA`), in the same order."""
    return pl.DataFrame(
        [(h.component, h.target_id, h.confidence.value, h.broad, h.version) for h in hits],
        schema=HIT_SCHEMA,
        orient="row",
    )


def hits_from(frame: pl.DataFrame) -> list[Hit]:
    """The hits of a :data:`HIT_SCHEMA` table, in its order."""
    confidence = {c.value: c for c in Confidence}
    return [
        Hit(component, target_id, confidence[level], broad, version)
        for component, target_id, level, broad, version in frame.select(*HIT_SCHEMA).iter_rows()
    ]
