"""Offline bundles: one file that carries a whole KB snapshot into an air-gapped site.

A bundle is an uncompressed POSIX tar (the Parquet tables are already compressed) holding
``manifest.json`` first, then one ``<table>.parquet`` per table. The manifest lists every file
with its SHA-256 and size, the KB schema version and the snapshot's own manifest.

Import is all-or-nothing: members are streamed into a fresh staging directory (only regular
files with the expected names, each size-limited); then every digest and size is checked
against the manifest, no file may be missing or extra, and every table must open as Parquet
with its expected columns. Only then does the staging directory become the live snapshot (the
same atomic ``CURRENT`` swap as an import). Any problem raises :class:`BundleError` with one
line and leaves the live KB untouched. A bundle replaces the KB: it is a snapshot, not a delta.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from medtrust.kb.errors import BundleError
from medtrust.kb.schema import SCHEMA_VERSION, schemas, table_names
from medtrust.kb.store import KnowledgeBase, SnapshotWriter, file_digest

BUNDLE_FORMAT = "medtrust-kb-bundle"
BUNDLE_VERSION = 1
MANIFEST = "manifest.json"
#: largest member accepted (defence against a hostile bundle filling the disk)
MAX_MEMBER_BYTES = 16 * 1024**3
_MAX_MANIFEST_BYTES = 1024**2
_CHUNK = 1 << 20


def _expected_names() -> set[str]:
    return {MANIFEST} | {f"{table}.parquet" for table in table_names()}


def export_bundle(kb: KnowledgeBase, out: Path) -> dict[str, Any]:
    """Write the snapshot to ``out`` (atomically: ``out.part`` then rename); return the manifest."""
    files = {}
    for table in table_names():
        path = kb.path(table)
        if not path.exists():
            raise BundleError(f"knowledge base table {table} is missing; re-import the feeds")
        files[path.name] = {"sha256": file_digest(path), "bytes": path.stat().st_size}
    manifest = {
        "format": BUNDLE_FORMAT,
        "bundle_version": BUNDLE_VERSION,
        "schema_version": SCHEMA_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "files": files,
        "knowledge_base": {k: v for k, v in kb.manifest.items() if k != "files"},
    }
    body = json.dumps(manifest, indent=2, sort_keys=True, default=str).encode("utf-8")
    partial = out.with_name(out.name + ".part")
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(datetime.now(UTC).timestamp())
        tar.addfile(info, io.BytesIO(body))
        for name in files:
            tar.add(kb.snapshot / name, arcname=name, recursive=False)
    partial.replace(out)
    return manifest


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise BundleError(f"bundle member {member.name} cannot be read")
    written = 0
    with target.open("wb") as sink:
        for block in iter(lambda: source.read(_CHUNK), b""):
            written += len(block)
            if written > MAX_MEMBER_BYTES:
                raise BundleError(f"bundle member {member.name} is larger than allowed")
            sink.write(block)


def _extract(path: Path, staging: Path) -> dict[str, Any]:
    allowed = _expected_names()
    seen: set[str] = set()
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                name = member.name
                if name not in allowed:
                    raise BundleError(f"bundle holds an unexpected member {name!r}")
                if name in seen:
                    raise BundleError(f"bundle holds {name!r} twice")
                if not member.isfile():
                    raise BundleError(f"bundle member {name!r} is not a regular file")
                if member.size > (_MAX_MANIFEST_BYTES if name == MANIFEST else MAX_MEMBER_BYTES):
                    raise BundleError(f"bundle member {name!r} is larger than allowed")
                seen.add(name)
                _copy_member(tar, member, staging / name)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BundleError(f"{path.name} is not a readable bundle: {exc}") from None
    if MANIFEST not in seen:
        raise BundleError(f"{path.name} has no {MANIFEST}")
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path.name}: manifest is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise BundleError(f"{path.name}: manifest is not a JSON object")
    return manifest


def _verify(manifest: dict[str, Any], staging: Path, name: str) -> None:
    if manifest.get("format") != BUNDLE_FORMAT or manifest.get("bundle_version") != BUNDLE_VERSION:
        raise BundleError(f"{name} is not a medtrust knowledge-base bundle (version 1)")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise BundleError(
            f"{name} has knowledge-base schema {manifest.get('schema_version')},"
            f" this medtrust needs {SCHEMA_VERSION}"
        )
    files = manifest.get("files")
    expected = {f"{table}.parquet" for table in table_names()}
    if not isinstance(files, dict) or set(files) != expected:
        raise BundleError(f"{name}: manifest must list exactly the {len(expected)} tables")
    present = {p.name for p in staging.glob("*.parquet")}
    if present != expected:
        missing = ", ".join(sorted(expected - present)) or "none"
        raise BundleError(f"{name}: tables missing from the bundle: {missing}")
    for file_name in sorted(expected):
        entry = files[file_name]
        path = staging / file_name
        if not isinstance(entry, dict) or entry.get("bytes") != path.stat().st_size:
            raise BundleError(f"{name}: {file_name} has the wrong size (corrupt or tampered)")
        if entry.get("sha256") != file_digest(path):
            raise BundleError(f"{name}: {file_name} fails its SHA-256 check (corrupt or tampered)")
    for table in table_names():
        try:
            columns = pl.read_parquet_schema(staging / f"{table}.parquet")
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise BundleError(f"{name}: {table}.parquet is not readable Parquet ({exc})") from None
        if set(columns) != set(schemas()[table]):
            raise BundleError(f"{name}: {table}.parquet has unexpected columns")


def import_bundle(path: Path, root: Path) -> dict[str, Any]:
    """Verify a bundle completely, then make it the live KB at ``root``; return its manifest."""
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    writer = SnapshotWriter(root)
    try:
        manifest = _extract(path, writer.directory)
        _verify(manifest, writer.directory, path.name)
        (writer.directory / MANIFEST).unlink()
        knowledge_base = manifest.get("knowledge_base")
        kb_manifest = dict(knowledge_base) if isinstance(knowledge_base, dict) else {}
        kb_manifest["imported_from_bundle"] = {
            "file": path.name,
            "sha256": _sha256(path),
            "created_at": manifest.get("created_at"),
            "imported_at": datetime.now(UTC).isoformat(),
        }
        writer.commit(kb_manifest)
    except BaseException:
        writer.abort()
        raise
    return manifest


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            sha.update(block)
    return sha.hexdigest()
