"""The protocol every SBOM reader implements."""

from __future__ import annotations

from typing import Protocol

from medtrust.domain.component import SbomDocument


class SbomReader(Protocol):
    """Reads one SBOM format/encoding into an :class:`SbomDocument`.

    ``detect`` looks only at the first bytes of the input (and the file name) and must be cheap;
    ``read`` gets the whole input. ``read`` raises :class:`medtrust.sbom.errors.SbomError` for a
    file it cannot read at all and records per-item problems in ``SbomDocument.issues``.
    """

    name: str
    description: str

    def detect(self, head: bytes, filename: str) -> bool:
        """True when the input looks like this reader's format."""
        ...

    def read(self, data: bytes, source: str) -> SbomDocument:
        """Read the whole input; ``source`` names it in messages (usually the file name)."""
        ...
