"""The feed cache: downloaded files plus a manifest that makes later runs incremental.

Layout under the cache root::

    manifest.json   one entry per cached file (URL, ETag, Last-Modified, fetched_at, sha256)
                    and per-source state (e.g. the end of the last NVD window)
    data/           what the offline readers import: ``medtrust feeds import <root>/data``
    meta/           documents kept only for conditional requests (CSAF provider metadata,
                    ROLIE feeds, OSV ``modified_id.csv``); never imported
    tmp/            downloads in progress; emptied when the cache is opened

Writes are atomic: a download goes to ``tmp/`` and is moved into place with
:func:`os.replace` only after it was received and checked completely, so a failed download
leaves the previous file (and the manifest) unchanged. The manifest itself is rewritten with
the same temp-and-rename step.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from medtrust.feeds.fetchers.errors import CacheError

MANIFEST_VERSION = 1
DATA = "data"
META = "meta"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class CacheEntry(BaseModel):
    """Provenance of one cached file; ``updated`` is the source's own date for it, if any."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    fetched_at: datetime
    sha256: str
    size: int
    etag: str | None = None
    last_modified: str | None = None
    updated: str | None = None


class Manifest(BaseModel):
    """The manifest file: entries keyed by path relative to the cache root, state per source."""

    model_config = ConfigDict(extra="forbid")

    version: int = MANIFEST_VERSION
    entries: dict[str, CacheEntry] = {}
    state: dict[str, dict[str, str]] = {}


def check_key(key: str) -> str:
    """Validate a cache key: a relative POSIX path under ``data/`` or ``meta/``, no ``..``."""
    pure = PurePosixPath(key)
    if (
        pure.is_absolute()
        or len(pure.parts) < 2
        or pure.parts[0] not in (DATA, META)
        or any(part in ("", ".", "..") for part in pure.parts)
        or "\\" in key
    ):
        raise ValueError(f"invalid cache key {key!r}")
    return pure.as_posix()


def safe_name(text: str) -> str:
    """A file-system-safe name for one path part (``Debian:12`` -> ``Debian_12``)."""
    name = _UNSAFE.sub("_", text)[:200]
    return name if name.strip(".") else "_" + name


def url_key(prefix: str, url: str) -> str:
    """The cache key of a URL under ``prefix``: ``<prefix>/<host[_port]>/<path parts>``."""
    parts = urlsplit(url)
    host = safe_name(parts.hostname or "unknown-host")
    if parts.port:
        host += f"_{parts.port}"
    segments = [safe_name(unquote(part)) for part in parts.path.split("/") if part]
    return check_key("/".join([prefix, host, *(segments or ["index"])]))


class FeedCache:
    """A cache directory and its manifest. Open with :meth:`open`; call :meth:`save`."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest
        self.dirty = False

    @classmethod
    def open(cls, root: Path) -> FeedCache:
        """Open (creating if needed) the cache at ``root``; leftovers in ``tmp/`` are removed."""
        manifest_path = root / "manifest.json"
        manifest = Manifest()
        if manifest_path.exists():
            try:
                manifest = Manifest.model_validate_json(manifest_path.read_bytes())
            except (ValidationError, OSError) as exc:
                first = str(exc).strip().splitlines()[0]
                raise CacheError(
                    f"{manifest_path}: feed cache manifest is unreadable ({first});"
                    " delete it to download everything again"
                ) from None
            if manifest.version != MANIFEST_VERSION:
                raise CacheError(
                    f"{manifest_path}: manifest version {manifest.version} is not supported"
                    f" (expected {MANIFEST_VERSION}); delete it to download everything again"
                )
        root.mkdir(parents=True, exist_ok=True)
        cache = cls(root, manifest)
        shutil.rmtree(cache.tmp_dir, ignore_errors=True)
        cache.tmp_dir.mkdir(parents=True, exist_ok=True)
        (root / DATA).mkdir(exist_ok=True)
        return cache

    @property
    def data_dir(self) -> Path:
        """The importable part of the cache."""
        return self.root / DATA

    @property
    def tmp_dir(self) -> Path:
        """Where downloads in progress live (same file system, so renames are atomic)."""
        return self.root / "tmp"

    def path(self, key: str) -> Path:
        """The file of a cache key."""
        return self.root / check_key(key)

    def entry(self, key: str) -> CacheEntry | None:
        """The manifest entry of ``key`` when its file is still present, else ``None``."""
        entry = self.manifest.entries.get(check_key(key))
        if entry is None or not self.path(key).is_file():
            return None
        return entry

    @contextmanager
    def staging(self, suffix: str = "") -> Iterator[Path]:
        """A fresh temporary path; it is removed afterwards unless it was committed."""
        staged = self.tmp_dir / f"{uuid.uuid4().hex}{suffix}"
        try:
            yield staged
        finally:
            if staged.is_dir():
                shutil.rmtree(staged, ignore_errors=True)
            else:
                staged.unlink(missing_ok=True)

    def commit(self, key: str, staged: Path, entry: CacheEntry) -> Path:
        """Move a staged file into place and record it."""
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(final)
        self.manifest.entries[check_key(key)] = entry
        self.dirty = True
        return final

    def commit_tree(self, prefix: str, staged: Path, entries: dict[str, CacheEntry]) -> Path:
        """Move a staged directory to ``prefix`` (which must not exist) and record its files.

        ``entries`` are keyed by path relative to the directory.
        """
        final = self.path(prefix)
        final.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(final)
        for relative, entry in entries.items():
            self.manifest.entries[check_key(f"{prefix}/{relative}")] = entry
        self.dirty = True
        return final

    def record(self, key: str, entry: CacheEntry) -> None:
        """Replace the entry of an existing file (e.g. a new ``fetched_at`` after a 304)."""
        self.manifest.entries[check_key(key)] = entry
        self.dirty = True

    def forget(self, prefix: str, *, keep: str | None = None) -> int:
        """Delete the files and entries under ``prefix`` (except ``keep``); how many entries."""
        prefix = check_key(prefix)
        keep = check_key(keep) if keep else None
        gone = [
            key
            for key in self.manifest.entries
            if (key == prefix or key.startswith(prefix + "/"))
            and not (keep and (key == keep or key.startswith(keep + "/")))
        ]
        for key in gone:
            del self.manifest.entries[key]
        base = self.path(prefix)
        if base.is_dir() and not keep:
            shutil.rmtree(base)
        elif base.is_dir():
            for child in sorted(base.iterdir()):
                if keep and self.path(keep) == child:
                    continue
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        elif base.exists() and not keep:
            base.unlink()
        self.dirty = self.dirty or bool(gone)
        return len(gone)

    def state(self, source: str) -> dict[str, str]:
        """A copy of the stored state of ``source``."""
        return dict(self.manifest.state.get(source, {}))

    def set_state(self, source: str, **values: str) -> None:
        """Update the stored state of ``source``."""
        self.manifest.state.setdefault(source, {}).update(values)
        self.dirty = True

    def save(self) -> None:
        """Write the manifest atomically (sorted keys, stable diffs) if anything changed."""
        if not self.dirty:
            return
        document = self.manifest.model_dump(mode="json", exclude_none=True)
        text = json.dumps(document, indent=1, sort_keys=True) + "\n"
        tmp = self.tmp_dir / f"manifest-{uuid.uuid4().hex}.json"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.root / "manifest.json")
        self.dirty = False
