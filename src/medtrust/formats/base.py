"""The output-format Protocol for scan results."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from medtrust.matching.scan import ScanResult


class ScanFormat(Protocol):
    """Renders a :class:`ScanResult` as text (JSON, a table, a VEX document ...)."""

    @property
    def name(self) -> str:
        """Stable registry key (lowercase kebab)."""
        ...

    @property
    def media_type(self) -> str:
        """The IANA media type of the output."""
        ...

    def render(self, result: ScanResult, *, generated_at: datetime) -> str:
        """The whole output; ``generated_at`` stamps documents that need a time."""
        ...
