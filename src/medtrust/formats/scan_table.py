"""``table``: findings as a terminal table (rich), one row per finding, then a summary."""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console
from rich.table import Table

from medtrust.matching.scan import ScanResult


class TableFormat:
    """A human-readable table; ``width`` None means the terminal's (or 160 when piped)."""

    name = "table"
    media_type = "text/plain"

    def __init__(self, width: int | None = None) -> None:
        self.width = width

    def render(self, result: ScanResult, *, generated_at: datetime) -> str:
        """The table and a one-line summary per status."""
        buffer = io.StringIO()
        console = Console(file=buffer, width=self.width or 160, no_color=True, highlight=False)
        table = Table(show_lines=False)
        for column in ("component", "vulnerability", "severity", "status", "kev", "epss", "match"):
            table.add_column(column, overflow="fold")
        for finding in result.findings:
            score = f" {finding.cvss.score:.1f}" if finding.cvss else ""
            match = finding.match
            table.add_row(
                finding.component.name
                + (f" {finding.component.version}" if finding.component.version else ""),
                finding.vulnerability,
                finding.severity + score,
                finding.status.value,
                "yes" if finding.kev else "",
                "" if finding.epss is None else f"{finding.epss:.3f}",
                f"{match.method.value} ({match.confidence.value}): "
                f"{match.identifier} [{match.range_text}]",
            )
        documents = ", ".join(f"{d.source} ({d.components} components)" for d in result.documents)
        console.print(f"Scanned {documents} against the knowledge base of {result.kb_updated_at}.")
        if result.findings:
            console.print(table)
        counts = ", ".join(f"{n} {status}" for status, n in result.status_counts().items())
        console.print(f"{len(result.findings)} findings" + (f": {counts}" if counts else "."))
        return buffer.getvalue()
