"""Import feed files into the knowledge base: streamed, idempotent, incremental and atomic.

For each record read by :func:`medtrust.feeds.batch.read_all`: a record whose key and content
digest are already in the live snapshot is unchanged and costs nothing more; a new or changed
record is turned into rows. If anything changed, a new snapshot is written: every table keeps
its old rows except those of the changed records, plus the new rows; the alias table is
recomputed over all vulnerabilities. Nothing is written when nothing changed. A record seen twice
in one import keeps its first occurrence (the second is counted as ``duplicate-in-import``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.domain.vulnerability import Skipped
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.sources import SourceLimits
from medtrust.kb.rows import TableRows, digest, record_key
from medtrust.kb.schema import empty, table_names
from medtrust.kb.store import KnowledgeBase, SnapshotWriter, live_snapshot
from medtrust.matching.aliases import merge_aliases

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass(slots=True)
class ImportReport:
    """What an import did: records new, changed and unchanged; skips and problems with reasons."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    written: bool = False
    summary: FeedSummary = field(default_factory=FeedSummary)
    problems: Counter[str] = field(default_factory=Counter)
    alias_refused: int = 0
    table_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    write_seconds: float = 0.0
    #: record keys (``<source>:<record id>``) of the new and changed records, sorted
    changed_records: list[str] = field(default_factory=list)
    #: vulnerability ids those records name, before and after the import, sorted: the ids and
    #: aliases of their vulnerability rows, the CVEs of their KEV and EPSS rows and the
    #: vulnerabilities of their VEX statements
    changed_vulns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A stable, human-readable report."""
        out = [
            f"records: {self.new} new, {self.changed} changed, {self.unchanged} unchanged"
            + (f", {self.duplicates} duplicate" if self.duplicates else ""),
            "knowledge base "
            + ("updated" if self.written else "unchanged")
            + f" in {self.seconds:.1f} s (writing {self.write_seconds:.1f} s)",
        ]
        out += self.summary.lines()
        out += [f"not matchable {reason}: {n}" for reason, n in sorted(self.problems.items())]
        if self.alias_refused:
            out.append(f"alias links refused (would merge two CVEs): {self.alias_refused}")
        out += [f"table {name}: {rows} rows" for name, rows in sorted(self.table_rows.items())]
        return out


def _existing_digests(kb: KnowledgeBase | None) -> dict[str, str]:
    if kb is None:
        return {}
    frame = kb.read("provenance", ["record_key", "digest"])
    return dict(zip(frame["record_key"].to_list(), frame["digest"].to_list(), strict=True))


@dataclass(slots=True)
class UnitResult:
    """What converting one input (or all, sequentially) produced.

    ``entries`` lists ``(key, source, outcome)`` in input order, outcome ``new``, ``changed``,
    ``unchanged`` or ``duplicate``; ``frames`` hold the rows of the new and changed records.
    """

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    summary: FeedSummary = field(default_factory=FeedSummary)
    problems: Counter[str] = field(default_factory=Counter)
    records: int = 0


def convert(
    paths: Iterable[Path],
    known: dict[str, str],
    imported_at: datetime,
    *,
    limits: SourceLimits | None = None,
    progress: Progress | None = None,
) -> UnitResult:
    """Read the inputs and turn every new or changed record into rows (no writing)."""
    result = UnitResult()
    rows = TableRows()
    seen: set[str] = set()
    csaf_documents: set[str] = set()
    for record in read_all(paths, summary=result.summary, limits=limits):
        result.records += 1
        if progress is not None and result.records % 1000 == 0:
            progress(result.records, "records")
        if isinstance(record, Skipped):
            continue
        if isinstance(record, Advisory):
            csaf_documents.add(record.id)
        if isinstance(record, VexStatement) and record.source in csaf_documents:
            continue  # CSAF VEX statuses are matched as CSAF products (see docs/kb.md)
        identity = record_key(record)
        if identity is None:
            continue
        key, source, record_id = identity
        if key in seen:
            result.entries.append((key, source, "duplicate"))
            continue
        seen.add(key)
        content_digest = digest(record)
        previous = known.get(key)
        if previous == content_digest:
            result.entries.append((key, source, "unchanged"))
            continue
        result.entries.append((key, source, "new" if previous is None else "changed"))
        origin = getattr(record, "origin", "") or getattr(record, "source", "")
        rows.provenance(key, source, record_id, record, str(origin), imported_at, content_digest)
        rows.add_record(record, key, imported_at)
    result.problems = rows.problems
    result.frames = {table: rows.frame(table) for table in table_names() if table != "aliases"}
    return result


def _merge(
    results: Iterable[UnitResult], report: ImportReport, progress: Progress | None
) -> tuple[dict[str, list[pl.DataFrame]], set[str]]:
    """Combine unit results in input order (first occurrence of a key wins)."""
    seen: set[str] = set()
    replaced: set[str] = set()
    changed: list[str] = []
    frames: dict[str, list[pl.DataFrame]] = {t: [] for t in table_names() if t != "aliases"}
    records = 0
    for result in results:
        records += result.records
        dropped: list[str] = []
        for key, source, outcome in result.entries:
            if outcome == "duplicate" or key in seen:
                report.duplicates += 1
                report.summary.skipped[(source, "duplicate-in-import")] += 1
                if outcome in ("new", "changed"):
                    dropped.append(key)
                continue
            seen.add(key)
            if outcome == "unchanged":
                report.unchanged += 1
            elif outcome == "new":
                report.new += 1
                changed.append(key)
            else:
                report.changed += 1
                replaced.add(key)
                changed.append(key)
        _add_summary(report.summary, result.summary)
        report.problems.update(result.problems)
        drop = pl.Series("k", dropped, pl.Utf8).implode()
        for table, frame in result.frames.items():
            if frame.height:
                frames[table].append(
                    frame.filter(~pl.col("record_key").is_in(drop)) if dropped else frame
                )
        if progress is not None:
            progress(records, "records")
    report.changed_records = sorted(changed)
    return frames, replaced


#: table -> the columns naming vulnerabilities (lists are flattened)
_VULN_COLUMNS = {
    "vulnerabilities": ("vuln_id", "aliases"),
    "kev": ("cve_id",),
    "epss": ("cve_id",),
    "vex": ("vulnerability_id",),
}


def _changed_vulns(
    frames: dict[str, list[pl.DataFrame]], kb: KnowledgeBase | None, replaced: set[str]
) -> list[str]:
    """Vulnerability ids of the new rows, and of the replaced records' old rows."""
    found: set[str] = set()
    dropped = pl.Series("record_key", sorted(replaced), pl.Utf8).implode()
    for table, columns in _VULN_COLUMNS.items():
        parts = list(frames.get(table, []))
        if kb is not None and replaced:
            parts.append(kb.scan(table).filter(pl.col("record_key").is_in(dropped)).collect())
        for frame in parts:
            for column in columns:
                values = frame[column]
                if values.dtype == pl.List(pl.Utf8):
                    values = values.explode()
                found.update(v for v in values.drop_nulls().to_list() if v)
    return sorted(found)


def _add_summary(total: FeedSummary, part: FeedSummary) -> None:
    total.records.update(part.records)
    total.skipped.update(part.skipped)
    total.files.update(part.files)
    total.bytes_read += part.bytes_read


#: digests of the live snapshot, shared with forked workers without pickling
_KNOWN: dict[str, str] = {}


def _convert_unit(args: tuple[Path, datetime, SourceLimits | None]) -> UnitResult:
    path, imported_at, limits = args
    return convert([path], _KNOWN, imported_at, limits=limits)


def _units(paths: Iterable[Path]) -> list[Path] | None:
    """The files of the inputs, in the order a sequential read visits them; None if unsure."""
    units: list[Path] = []
    for path in paths:
        if path.is_file():
            units.append(path)
        elif path.is_dir() and not path.is_symlink():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                base = Path(folder)
                units += [
                    base / name
                    for name in sorted(files)
                    if not name.startswith(".") and not (base / name).is_symlink()
                ]
        else:
            return None  # let the sequential reader report it
    return units


def import_feeds(
    paths: Iterable[Path],
    *,
    root: Path,
    progress: Progress | None = None,
    limits: SourceLimits | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import feed files/directories/archives into the KB at ``root`` (see the module doc).

    With several input files and ``workers`` > 1 (default: the CPU count), files are
    converted in worker processes and merged in input order, with the same result.
    """
    started = time.perf_counter()
    report = ImportReport()
    kb = live_snapshot(root)
    known = _existing_digests(kb)
    imported_at = datetime.now(UTC)
    paths = list(paths)
    count = workers if workers is not None else (os.cpu_count() or 1)
    units = _units(paths) if count > 1 else None
    if units is not None and len(units) >= 2 * count and _can_fork():
        _KNOWN.clear()
        _KNOWN.update(known)
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
        try:
            results = pool.map(_convert_unit, [(u, imported_at, limits) for u in units])
            frames, replaced = _merge(results, report, progress)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # an interrupt stops the work now
            raise
        finally:
            pool.shutdown()
            _KNOWN.clear()
    else:
        result = convert(paths, known, imported_at, limits=limits, progress=progress)
        frames, replaced = _merge([result], report, progress)
    report.summary.seconds = time.perf_counter() - started
    if report.new or report.changed:
        report.changed_vulns = _changed_vulns(frames, kb, replaced)
        _write(root, kb, frames, replaced, report)
    report.seconds = time.perf_counter() - started
    report.write_seconds = report.seconds - report.summary.seconds
    return report


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _write(
    root: Path,
    kb: KnowledgeBase | None,
    parts: dict[str, list[pl.DataFrame]],
    replaced: set[str],
    report: ImportReport,
) -> None:
    writer = SnapshotWriter(root)
    try:
        dropped = pl.Series("record_key", sorted(replaced), dtype=pl.Utf8)
        frames: dict[str, pl.DataFrame] = {}
        for table in table_names():
            if table == "aliases":
                continue
            pieces = parts[table] or [empty(table)]
            new = pl.concat(pieces, how="vertical")
            if kb is not None:
                old = (
                    kb.scan(table).filter(~pl.col("record_key").is_in(dropped.implode())).collect()
                )
                new = pl.concat([old, new], how="vertical")
            frames[table] = new
            report.table_rows[table] = writer.write(table, new)
        report.table_rows["aliases"] = writer.write(
            "aliases", alias_table(frames["vulnerabilities"], report)
        )
        manifest = {
            "kind": "medtrust-knowledge-base",
            "updated_at": datetime.now(UTC).isoformat(),
            "rows": dict(sorted(report.table_rows.items())),
            "sources": _source_counts(frames["provenance"]),
        }
        writer.commit(manifest)
        report.written = True
    except BaseException:
        writer.abort()
        raise


def alias_table(vulnerabilities: pl.DataFrame, report: ImportReport | None = None) -> pl.DataFrame:
    """``vuln_id -> primary_id`` over every vulnerability record and its aliases."""
    pairs = vulnerabilities.select("vuln_id", "aliases").sort("vuln_id", maintain_order=True)
    groups, refused = merge_aliases(
        (vuln_id, aliases or ()) for vuln_id, aliases in pairs.iter_rows()
    )
    if report is not None:
        report.alias_refused = refused
    return pl.DataFrame(
        {"vuln_id": list(groups), "primary_id": list(groups.values())},
        schema={"vuln_id": pl.Utf8, "primary_id": pl.Utf8},
    )


def _source_counts(provenance: pl.DataFrame) -> dict[str, int]:
    counts = provenance.group_by("source").len().sort("source")
    return {str(s): int(n) for s, n in counts.iter_rows()}
