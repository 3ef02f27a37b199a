"""The on-disk knowledge base: versioned snapshot directories and an atomic ``CURRENT`` pointer.

Layout (see ``docs/kb.md``)::

    <kb dir>/CURRENT                 name of the live snapshot, replaced atomically
    <kb dir>/<snapshot>/manifest.json
    <kb dir>/<snapshot>/<table>.parquet

A writer builds a complete new snapshot beside the live one, then swaps ``CURRENT`` with
``os.replace`` (atomic on POSIX and Windows). A reader that opened the old snapshot keeps a
consistent view; an import interrupted at any point leaves the live snapshot untouched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from medtrust.kb.errors import KbUnavailableError
from medtrust.kb.schema import SCHEMA_VERSION, SORT_KEYS, empty, schemas, table_names

POINTER = "CURRENT"
MANIFEST = "manifest.json"
_PREFIX = "snapshot-"


def file_digest(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A read-only view of one KB snapshot."""

    root: Path
    snapshot: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, root: Path) -> KnowledgeBase:
        """Open the live snapshot; raise :class:`KbUnavailableError` when there is none."""
        hint = "run 'medtrust feeds import' first"
        pointer = root / POINTER
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise KbUnavailableError(f"no knowledge base at {root}: {hint}") from None
        except OSError as exc:
            raise KbUnavailableError(f"knowledge base at {root} is unreadable: {exc}") from None
        snapshot = root / name
        try:
            manifest = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KbUnavailableError(
                f"knowledge base at {root} is damaged ({exc}): {hint}"
            ) from None
        if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
            raise KbUnavailableError(
                f"knowledge base at {root} has another schema version: {hint} again"
            )
        return cls(root, snapshot, manifest)

    def path(self, table: str) -> Path:
        """The Parquet file of a table."""
        return self.snapshot / f"{table}.parquet"

    def scan(self, table: str) -> pl.LazyFrame:
        """A lazy scan of a table (an empty frame if the file is missing)."""
        path = self.path(table)
        if not path.exists():
            return empty(table).lazy()
        return pl.scan_parquet(path)

    def read(self, table: str, columns: list[str] | None = None) -> pl.DataFrame:
        """A whole table (or some columns)."""
        try:
            frame = self.scan(table)
            if columns:
                frame = frame.select(columns)
            return frame.collect()
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise KbUnavailableError(f"knowledge base table {table} is unreadable: {exc}") from None


def live_snapshot(root: Path) -> KnowledgeBase | None:
    """The live snapshot, or None when the directory holds no KB yet."""
    if not (root / POINTER).exists():
        return None
    return KnowledgeBase.open(root)


class SnapshotWriter:
    """Build a new snapshot in a fresh directory; :meth:`commit` makes it live atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.name = f"{_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"
        self.directory = root / f".tmp-{self.name}"
        self.directory.mkdir()

    def write(self, table: str, frame: pl.DataFrame | pl.LazyFrame) -> int:
        """Write one table, cast to its schema and sorted; return its row count."""
        schema = schemas()[table]
        lazy = frame.lazy().select([pl.col(c).cast(t) for c, t in schema.items()])
        data = lazy.sort(list(SORT_KEYS[table]), nulls_last=True, maintain_order=True).collect()
        # LZ4: about twice as fast to read as zstd (each scan reads the link and interval
        # tables), for files about a third larger
        data.write_parquet(self.directory / f"{table}.parquet", compression="lz4", statistics=True)
        return data.height

    def commit(self, manifest: dict[str, Any]) -> Path:
        """Write the manifest (with file digests), rename into place, swap ``CURRENT``."""
        for table in table_names():
            if not (self.directory / f"{table}.parquet").exists():
                self.write(table, empty(table))
        files = {
            path.name: {"sha256": file_digest(path), "bytes": path.stat().st_size}
            for path in sorted(self.directory.glob("*.parquet"))
        }
        body = {**manifest, "schema_version": SCHEMA_VERSION, "files": files}
        (self.directory / MANIFEST).write_text(
            json.dumps(body, indent=2, sort_keys=True, default=str), encoding="utf-8"
        )
        final = self.root / self.name
        previous = _pointer(self.root)
        self.directory.rename(final)
        pointer_tmp = self.root / f".{POINTER}.{self.name}"
        pointer_tmp.write_text(self.name + "\n", encoding="utf-8")
        pointer_tmp.replace(self.root / POINTER)  # atomic rename (os.replace)
        self._remove_old(keep={self.name, previous or ""})
        return final

    def abort(self) -> None:
        """Remove the unfinished snapshot."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def _remove_old(self, keep: set[str]) -> None:
        """Remove snapshots older than the previous one (a reader may still use that)."""
        for entry in self.root.iterdir():
            if entry.name.startswith(_PREFIX) and entry.name not in keep and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def _pointer(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
