"""File models of catalogue and mapping YAML files.

These pydantic models validate the files under ``catalog/data/frameworks`` and
``catalog/data/mappings`` (and user files of the same shape) and generate the committed JSON
Schemas ``catalog/schemas/framework.schema.json`` and ``mapping.schema.json``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from medtrust.compliance.relation import Relation

FRAMEWORK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
#: ``urn:<namespace>:<anything without spaces>``
URN_PATTERN = r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NodeEntry(_Strict):
    """One requirement node; the tree is given by ``parent`` links in a flat list."""

    urn: str = Field(pattern=URN_PATTERN, description="Stable identifier of the node.")
    ref_id: str = Field(min_length=1, description="Identifier exactly as the source writes it.")
    name: str | None = Field(
        default=None, description="Short title: a fact (e.g. a control name) or our own label."
    )
    description: str = Field(
        min_length=3, description="medtrust's own short paraphrase; never the source's text."
    )
    parent: str | None = Field(
        default=None, pattern=URN_PATTERN, description="URN of the parent node in the same file."
    )
    source: str | None = Field(
        default=None,
        description="Where it is stated; defaults to the framework's ref_id and the node's ref_id.",
    )
    assessable: bool = Field(
        default=True, description="False for headings that group requirements."
    )
    verified: bool = Field(
        default=True,
        description="False when identifier or structure could not be checked against the source.",
    )
    note: str | None = Field(default=None, description="Caveats, uncertainty, numbering notes.")


class FrameworkFile(_Strict):
    """A requirement catalogue (regulation, guidance or standard)."""

    kind: Literal["medtrust-framework"]
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN, description="Short stable id, e.g. ``mdr``.")
    urn: str = Field(pattern=URN_PATTERN)
    ref_id: str = Field(min_length=1, description="Official designation of the source.")
    name: str = Field(min_length=1)
    version: str = Field(min_length=1, description="Version of this data file.")
    publication_date: date = Field(description="Publication date of the source version encoded.")
    licence: str = Field(min_length=3, description="Licence and copyright note.")
    source: str = Field(min_length=3, description="Primary source citation.")
    provider: str = Field(min_length=1, description="Body that publishes the source.")
    note: str | None = None
    nodes: list[NodeEntry] = Field(min_length=1)


class MappingEntry(_Strict):
    """One mapping from a source node to a target node."""

    source: str = Field(pattern=URN_PATTERN)
    target: str = Field(pattern=URN_PATTERN)
    relation: Relation
    rationale: str = Field(min_length=3, description="Why the relation holds (our own words).")


class MappingFile(_Strict):
    """A set of mappings from one framework to another (inverses are derived, not written)."""

    kind: Literal["medtrust-mapping-set"]
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    publication_date: date = Field(description="Date this mapping set was published.")
    licence: str = Field(min_length=3)
    provider: str = Field(min_length=1)
    source_framework: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    target_framework: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    note: str | None = None
    mappings: list[MappingEntry] = Field(min_length=1)
