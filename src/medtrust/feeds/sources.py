"""Open feed inputs safely and stream their files as ``(origin, bytes)`` members.

An input path may be a file, a directory (walked recursively in sorted order, symlinks not
followed), a ``.zip``, a tar archive (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.xz``,
``.tar.bz2``) or a single compressed file (``.gz``, ``.xz``, ``.bz2``). Nothing is extracted to
disk and tar archives are read as a stream, one member at a time, so a 44k-member bundle never
sits in memory at once.

Hostile inputs become counted ``Skipped`` values: members with absolute or ``..`` names,
symlinks, hard links and device files; members larger than the per-member limit or with a
suspicious compression ratio (zip bombs); encrypted zip members; truncated or corrupt archives
(the members read before the damage are kept). Exceeding the total uncompressed size or the
member count of one input raises :class:`FeedTooLargeError`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from medtrust.domain.vulnerability import Skipped
from medtrust.feeds.errors import FeedError, FeedTooLargeError

MIB = 1024 * 1024

_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2")
_COMPRESSED: dict[str, type[gzip.GzipFile | lzma.LZMAFile | bz2.BZ2File]] = {
    ".gz": gzip.GzipFile,
    ".xz": lzma.LZMAFile,
    ".bz2": bz2.BZ2File,
}
#: files that accompany feed records but are not records (signatures, hashes, indexes)
NON_RECORD_SUFFIXES = (".sha256", ".sha512", ".asc", ".sig", ".md5")
NON_RECORD_NAMES = frozenset({"index.txt", "changes.csv", ".id-allocator"})
_CORRUPT = (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)
SOURCE = "sources"
#: read buffer in front of a decompressor (tarfile's stream mode makes many 512-byte reads)
_BUFFER = 256 * 1024
_MAGIC: tuple[tuple[bytes, type[gzip.GzipFile | lzma.LZMAFile | bz2.BZ2File]], ...] = (
    (b"\x1f\x8b", gzip.GzipFile),
    (b"\xfd7zXZ\x00", lzma.LZMAFile),
    (b"BZh", bz2.BZ2File),
)


@dataclass(frozen=True, slots=True)
class SourceLimits:
    """Safety limits applied to one input path."""

    max_member_bytes: int = 512 * MIB
    max_total_bytes: int = 16 * 1024 * MIB
    max_members: int = 2_000_000
    #: uncompressed/compressed size above which a zip member is treated as a bomb
    max_ratio: int = 1000


@dataclass(frozen=True, slots=True)
class Member:
    """One file's content: ``origin`` says where it came from (``archive!member``)."""

    origin: str
    data: bytes


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Budget:
    """Running totals of one input, raising when a limit is exceeded."""

    def __init__(self, path: Path, limits: SourceLimits) -> None:
        self.path = path
        self.limits = limits
        self.members = 0
        self.total = 0

    def take(self, size: int) -> None:
        self.members += 1
        self.total += size
        if self.members > self.limits.max_members:
            raise FeedTooLargeError(
                f"{self.path}: more than {self.limits.max_members} members; refusing to read on"
            )
        if self.total > self.limits.max_total_bytes:
            raise FeedTooLargeError(
                f"{self.path}: more than {self.limits.max_total_bytes} bytes uncompressed;"
                " refusing to read on"
            )


def iter_members(path: Path, limits: SourceLimits | None = None) -> Iterator[Member | Skipped]:
    """Stream the members of one input path (see the module documentation)."""
    limits = limits or SourceLimits()
    if not path.exists() and not path.is_symlink():
        raise FeedError(f"{path}: no such file or directory")
    budget = _Budget(path, limits)
    if path.is_dir():
        yield from _directory(path, budget)
    else:
        yield from _file(path, budget)


def skip_reason(name: str) -> str | None:
    """Why a file name is not a feed record (signature, hash, index), else ``None``."""
    base = PurePosixPath(name).name
    if base in NON_RECORD_NAMES or base.lower().endswith(NON_RECORD_SUFFIXES):
        return f"{base} accompanies feed records but is not one"
    return None


def unsafe_name(name: str) -> str | None:
    """Why an archive member name is unsafe (absolute, ``..``, NUL), else ``None``."""
    if "\x00" in name:
        return "member name contains NUL"
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return f"absolute member name {name!r}"
    if ".." in pure.parts:
        return f"member name escapes the archive: {name!r}"
    return None


def _directory(root: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    """Files under ``root`` in sorted order of their relative path parts."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for directory, _subdirs, files in os.walk(root, followlinks=False):
        for name in files:
            path = Path(directory) / name
            found.append((path.relative_to(root).parts, path))
    for _parts, path in sorted(found):
        if path.is_symlink():
            yield Skipped(SOURCE, str(path), "symlink", "symbolic links are not followed")
            continue
        yield from _file(path, budget)


def _file(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    origin = str(path)
    lowered = path.name.lower()
    reason = skip_reason(lowered)
    if reason:
        yield Skipped(SOURCE, origin, "non-record-file", reason)
        return
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            yield Skipped(SOURCE, origin, "not-a-regular-file", "devices, sockets and FIFOs")
            return
        if lowered.endswith(_TAR_SUFFIXES):
            yield from _tar(path, budget)
        elif lowered.endswith(".zip"):
            yield from _zip(path, budget)
        elif lowered.endswith(tuple(_COMPRESSED)):
            yield from _compressed(path, budget)
        else:
            size = path.stat().st_size
            if size > budget.limits.max_member_bytes:
                yield _too_large(origin, size, budget.limits)
                return
            budget.take(size)
            yield Member(origin, path.read_bytes())
    except PermissionError as exc:
        yield Skipped(SOURCE, origin, "unreadable", exc.strerror or "permission denied")


def _too_large(origin: str, size: int, limits: SourceLimits) -> Skipped:
    return Skipped(
        SOURCE, origin, "member-too-large", f"{size} bytes > limit {limits.max_member_bytes}"
    )


def _read_capped(handle: _Readable, limit: int) -> bytes | None:
    """Read at most ``limit`` bytes; ``None`` when there is more."""
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def _compressed(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    opener = next(fn for suffix, fn in _COMPRESSED.items() if path.name.lower().endswith(suffix))
    try:
        with opener(path, "rb") as handle:
            data = _read_capped(handle, budget.limits.max_member_bytes)
    except _CORRUPT as exc:
        yield Skipped(SOURCE, str(path), "corrupt-archive", _one_line(exc))
        return
    if data is None:
        yield Skipped(SOURCE, str(path), "member-too-large", "decompresses beyond the limit")
        return
    budget.take(len(data))
    yield Member(str(path), data)


def _tar(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    limits = budget.limits
    try:
        with _decompressed(path) as stream, tarfile.open(fileobj=stream, mode="r|") as archive:
            for info in archive:
                origin = f"{path}!{info.name}"
                if info.isdir():
                    continue
                unsafe = unsafe_name(info.name)
                if unsafe:
                    yield Skipped(SOURCE, origin, "unsafe-member", unsafe)
                    continue
                if not info.isfile():
                    yield Skipped(SOURCE, origin, "unsafe-member", _tar_kind(info))
                    continue
                budget.take(info.size)
                reason = skip_reason(info.name)
                if reason:
                    yield Skipped(SOURCE, origin, "non-record-file", reason)
                    continue
                if info.size > limits.max_member_bytes:
                    yield _too_large(origin, info.size, limits)
                    continue
                handle = archive.extractfile(info)
                if handle is None:  # pragma: no cover - isfile() members always have data
                    continue
                yield Member(origin, handle.read())
    except _CORRUPT as exc:
        yield Skipped(SOURCE, str(path), "corrupt-archive", _one_line(exc))


def _decompressed(path: Path) -> io.BufferedReader:
    """A buffered, decompressing (by magic number) binary stream over ``path``."""
    with path.open("rb") as probe:
        magic = probe.read(6)
    for prefix, opener in _MAGIC:
        if magic.startswith(prefix):
            return io.BufferedReader(opener(path, "rb"), _BUFFER)
    return io.BufferedReader(io.FileIO(path, "rb"), _BUFFER)


def _tar_kind(info: tarfile.TarInfo) -> str:
    if info.issym():
        return f"symbolic link to {info.linkname!r}"
    if info.islnk():
        return f"hard link to {info.linkname!r}"
    if info.isdev():
        return "device or FIFO member"
    return f"unsupported tar member type {info.type!r}"


def _zip(path: Path, budget: _Budget) -> Iterator[Member | Skipped]:
    limits = budget.limits
    try:
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda item: item.filename):
                origin = f"{path}!{info.filename}"
                if info.is_dir():
                    continue
                unsafe = unsafe_name(info.filename)
                if unsafe is None and stat.S_ISLNK(info.external_attr >> 16):
                    unsafe = "symbolic link member"
                if unsafe:
                    yield Skipped(SOURCE, origin, "unsafe-member", unsafe)
                    continue
                reason = skip_reason(info.filename)
                if reason:
                    yield Skipped(SOURCE, origin, "non-record-file", reason)
                    continue
                if info.file_size > limits.max_member_bytes:
                    yield _too_large(origin, info.file_size, limits)
                    continue
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MIB and ratio > limits.max_ratio:
                    yield Skipped(SOURCE, origin, "suspicious-compression", f"ratio {ratio:.0f}:1")
                    continue
                budget.take(info.file_size)
                try:
                    with archive.open(info) as handle:
                        data = _read_capped(handle, limits.max_member_bytes)
                except RuntimeError as exc:  # encrypted member
                    yield Skipped(SOURCE, origin, "encrypted-member", _one_line(exc))
                    continue
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                    yield Skipped(SOURCE, origin, "corrupt-member", _one_line(exc))
                    continue
                if data is None:
                    yield _too_large(origin, info.file_size, limits)
                    continue
                yield Member(origin, data)
    except _CORRUPT as exc:
        yield Skipped(SOURCE, str(path), "corrupt-archive", _one_line(exc))


def _one_line(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0]}" if message else type(exc).__name__
