"""FIRST EPSS score files (CSV) -> :class:`EpssScore`.

Source: FIRST "EPSS data and statistics" (https://www.first.org/epss/data_stats). Current files
start with a comment line ``#model_version:<v>,score_date:<timestamp>`` followed by the header
``cve,epss,percentile``; older files have no comment line. Bad rows become ``Skipped`` values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from medtrust.domain.vulnerability import EpssScore, FeedKind, Skipped
from medtrust.feeds.readers.base import FeedRecord
from medtrust.feeds.readers.values import timestamp

_DETECT = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:#[^\n]*\n)*\s*cve\s*,\s*epss\b", re.IGNORECASE)
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_HEADER = ("cve", "epss", "percentile")


class EpssReader:
    """Reads FIRST EPSS CSV files."""

    name = "epss"
    kind = FeedKind.EPSS

    def detect(self, origin: str, head: bytes) -> bool:
        """Optional ``#`` comment lines, then a ``cve,epss`` header."""
        return bool(_DETECT.match(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one :class:`EpssScore` per data row."""
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Skipped(self.name, origin, "invalid-encoding", str(exc))
            return
        meta: dict[str, str] = {}
        model_version = ""
        score_date: datetime | None = None
        columns: tuple[str, ...] | None = None
        for number, line in enumerate(content.splitlines(), start=1):
            row = line.strip()
            if not row:
                continue
            if row.startswith("#"):
                meta.update(_comment(row))
                model_version = meta.get("model_version", "")
                score_date = timestamp(meta.get("score_date"), "score_date", [])
                continue
            cells = tuple(cell.strip() for cell in row.split(","))
            if columns is None:
                columns = tuple(cell.lower() for cell in cells)
                if columns[:2] != _HEADER[:2]:
                    yield Skipped(self.name, origin, "invalid-header", f"header {row!r}")
                    return
                continue
            yield _score(f"{origin}:{number}", columns, cells, model_version, score_date)


def _comment(row: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in row.lstrip("#").split(","):
        key, sep, value = part.partition(":")
        if sep:
            found[key.strip()] = value.strip()
    return found


def _score(
    where: str,
    columns: tuple[str, ...],
    cells: tuple[str, ...],
    model_version: str,
    score_date: datetime | None,
) -> EpssScore | Skipped:
    values = dict(zip(columns, cells, strict=False))
    cve_id = values.get("cve", "").upper()
    if not _CVE.match(cve_id):
        return Skipped("epss", where, "invalid-cve-id", f"{values.get('cve', '')!r}")
    try:
        probability = float(values.get("epss", ""))
        percentile = float(values["percentile"]) if values.get("percentile") else None
    except ValueError:
        return Skipped("epss", where, "invalid-number", f"row {','.join(cells)!r}")
    in_range = 0.0 <= probability <= 1.0 and (percentile is None or 0.0 <= percentile <= 1.0)
    if not in_range:
        return Skipped("epss", where, "out-of-range", f"row {','.join(cells)!r}")
    return EpssScore(
        cve_id=cve_id,
        epss=probability,
        percentile=percentile,
        model_version=model_version,
        score_date=score_date,
        origin=where,
    )
