"""SBOM documents and their components, independent of the format they were read from.

Identifiers are held in canonical form: ``purl`` is a canonical Package URL string (purl
specification, "canonical form"), ``cpe`` is a CPE 2.3 formatted string (NISTIR 7695, section
6.2). Readers convert what they can (CPE 2.2 URIs become 2.3 formatted strings) and record what
they could not as :class:`SbomIssue` values, so a document always explains what was dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from medtrust.domain.location import Location
from medtrust.domain.vex import VexStatement


class SbomFormat(StrEnum):
    """SBOM standard a document follows."""

    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"


class SbomEncoding(StrEnum):
    """Serialisation of a document."""

    JSON = "json"
    XML = "xml"
    TAG_VALUE = "tag-value"


class ComponentType(StrEnum):
    """Kind of component; CycloneDX ``component.type`` values (1.6), SPDX purposes mapped on."""

    APPLICATION = "application"
    FRAMEWORK = "framework"
    LIBRARY = "library"
    CONTAINER = "container"
    PLATFORM = "platform"
    OPERATING_SYSTEM = "operating-system"
    DEVICE = "device"
    DEVICE_DRIVER = "device-driver"
    FIRMWARE = "firmware"
    FILE = "file"
    MACHINE_LEARNING_MODEL = "machine-learning-model"
    DATA = "data"
    CRYPTOGRAPHIC_ASSET = "cryptographic-asset"
    OTHER = "other"


class IssueSeverity(StrEnum):
    """How much an issue found while reading matters."""

    ERROR = "error"  # a value was unusable and dropped
    WARNING = "warning"  # a value was kept but is doubtful, or was repaired
    INFO = "info"  # something was converted or ignored on purpose


@dataclass(frozen=True, slots=True)
class SbomIssue:
    """A per-item problem met while reading (the document as a whole was still readable)."""

    severity: IssueSeverity
    code: str
    message: str
    location: Location | None = None
    component_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Hash:
    """A digest of a component; ``algorithm`` upper-case with dash (``SHA-256``), hex lower."""

    algorithm: str
    value: str


@dataclass(frozen=True, slots=True)
class Component:
    """One component of an SBOM (software, firmware, operating system, hardware ...).

    ``bom_ref`` is the document's own reference (CycloneDX ``bom-ref``, SPDX ``SPDXID``); when the
    document gives none, the reader assigns the component's path in the document (for example
    ``components/3/components/0``) so that nesting and findings can still point at it.
    ``parent`` is the ``bom_ref`` of the enclosing component for nested CycloneDX components.
    """

    bom_ref: str
    type: ComponentType
    name: str
    version: str | None = None
    group: str | None = None
    supplier: str | None = None
    purl: str | None = None
    cpe: str | None = None
    swid_tag_id: str | None = None
    hashes: tuple[Hash, ...] = ()
    licenses: tuple[str, ...] = ()
    parent: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    location: Location | None = None

    @property
    def display_name(self) -> str:
        """``group/name@version`` as far as known, for messages."""
        name = f"{self.group}/{self.name}" if self.group else self.name
        return f"{name}@{self.version}" if self.version else name


@dataclass(frozen=True, slots=True)
class Dependency:
    """``ref`` depends on (or, for SPDX ``CONTAINS``, includes) each of ``depends_on``."""

    ref: str
    depends_on: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SbomDocument:
    """A whole SBOM as read from one file.

    ``components`` are in document order (nested components follow their parent, depth
    first). ``subject`` is the described product: CycloneDX ``metadata.component`` (not repeated
    in ``components``) or the SPDX package the document DESCRIBES when there is exactly one (also
    present in ``components``). ``all_components`` yields every component once.
    """

    source: str
    format: SbomFormat
    encoding: SbomEncoding
    spec_version: str | None
    serial: str | None = None
    bom_version: int | None = None
    name: str | None = None
    subject: Component | None = None
    authors: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    timestamp: datetime | None = None
    components: tuple[Component, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    vex: tuple[VexStatement, ...] = ()
    issues: tuple[SbomIssue, ...] = ()
    file_count: int = 0
    _index: dict[str, Component] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def all_components(self) -> Iterator[Component]:
        """The subject (if any and not already listed) followed by ``components``."""
        if self.subject is not None and not any(
            c.bom_ref == self.subject.bom_ref for c in self.components
        ):
            yield self.subject
        yield from self.components

    def component(self, ref: str) -> Component | None:
        """The component with this ``bom_ref`` (subject included), or None."""
        if not self._index:
            for comp in self.all_components():
                self._index.setdefault(comp.bom_ref, comp)
        return self._index.get(ref)
