"""Errors of the requirement catalogues and crosswalks.

Every problem in a catalogue or mapping file raises a subclass of :class:`CatalogueFileError`
whose one-line message names the file and, where there is one, the node or mapping at fault.
Look-ups of unknown frameworks or nodes raise subclasses of :class:`medtrust.errors.NotFoundError`.
"""

from __future__ import annotations

from medtrust.errors import CatalogError, NotFoundError


class CatalogueFileError(CatalogError):
    """A catalogue or mapping file is invalid; ``file`` and ``item`` say where."""

    code = "catalog-invalid"

    def __init__(self, file: str, item: str | None, problem: str) -> None:
        where = f"{file}: {item}" if item else file
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.item = item
        self.problem = problem


class CatalogueReadError(CatalogueFileError):
    """The file cannot be read or is not YAML."""

    code = "catalog-unreadable"


class CatalogueSchemaError(CatalogueFileError):
    """The file does not have the shape its schema requires."""

    code = "catalog-schema"


class DuplicateUrnError(CatalogueFileError):
    """Two nodes (or two frameworks, or two mappings) share one identifier."""

    code = "catalog-duplicate"


class DanglingReferenceError(CatalogueFileError):
    """A parent link or mapping endpoint names a node that does not exist."""

    code = "catalog-dangling-reference"


class ParentCycleError(CatalogueFileError):
    """Following parent links from a node leads back to it."""

    code = "catalog-parent-cycle"


class UnknownRelationError(CatalogueFileError):
    """A mapping names a relation outside equal / subset / superset / intersect."""

    code = "catalog-unknown-relation"


class ConflictingMappingError(CatalogueFileError):
    """Two mapping sets state different relations for the same pair of nodes."""

    code = "catalog-conflicting-mapping"


class UnknownFrameworkError(NotFoundError):
    """No framework has this id."""

    code = "unknown-framework"


class UnknownNodeError(NotFoundError):
    """No requirement node has this URN."""

    code = "unknown-node"
