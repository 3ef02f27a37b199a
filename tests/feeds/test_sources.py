"""Opening files, directories and archives, including hostile ones."""

from __future__ import annotations

import gzip
import io
import json
import random
import tarfile
import zipfile
from pathlib import Path

import pytest

from medtrust.domain.vulnerability import Skipped, Vulnerability
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.errors import FeedError, FeedTooLargeError
from medtrust.feeds.sources import Member, SourceLimits, iter_members, unsafe_name

OSV_RECORD = {"id": "TEST-1", "modified": "2024-01-01T00:00:00Z", "affected": []}


def _osv(record_id: str) -> bytes:
    return json.dumps({**OSV_RECORD, "id": record_id}).encode()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _tar(path: Path, build: list[tarfile.TarInfo | tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for item in build:
            if isinstance(item, tarfile.TarInfo):
                archive.addfile(item)
            else:
                _add(archive, *item)
    return path


def _skips(items: list[Member | Skipped]) -> list[tuple[str, str]]:
    return [
        (item.origin.rsplit("!", 1)[-1], item.reason) for item in items if isinstance(item, Skipped)
    ]


def test_tar_streams_members_and_refuses_hostile_ones(tmp_path: Path) -> None:
    link = tarfile.TarInfo("link.json")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    hard = tarfile.TarInfo("hard.json")
    hard.type = tarfile.LNKTYPE
    hard.linkname = "a.json"
    device = tarfile.TarInfo("dev.json")
    device.type = tarfile.CHRTYPE
    path = _tar(
        tmp_path / "bundle.tar.gz",
        [
            ("a.json", _osv("A-1")),
            ("../escape.json", _osv("A-2")),
            ("/abs.json", _osv("A-3")),
            link,
            hard,
            device,
            ("a.json.sha512", b"0" * 128),
            ("b.json", _osv("A-4")),
        ],
    )
    items = list(iter_members(path))
    members = [item for item in items if isinstance(item, Member)]
    assert [member.origin.rsplit("!", 1)[-1] for member in members] == ["a.json", "b.json"]
    assert _skips(items) == [
        ("../escape.json", "unsafe-member"),
        ("/abs.json", "unsafe-member"),
        ("link.json", "unsafe-member"),
        ("hard.json", "unsafe-member"),
        ("dev.json", "unsafe-member"),
        ("a.json.sha512", "non-record-file"),
    ]


def test_truncated_tar_gz_keeps_what_was_read_and_counts_the_damage(tmp_path: Path) -> None:
    padding = [random.Random(index).randbytes(60000).hex().encode() for index in range(20)]
    whole = _tar(
        tmp_path / "whole.tar.gz",
        [
            (f"r{index}.json", _osv(f"T-{index}")[:-1] + b', "details": "' + pad + b'"}')
            for index, pad in enumerate(padding)
        ],
    )
    data = whole.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    summary = FeedSummary()
    records = list(read_all([truncated], summary=summary))
    read = [record for record in records if isinstance(record, Vulnerability)]
    assert 0 < len(read) < 20
    assert summary.skipped[("sources", "corrupt-archive")] == 1
    assert isinstance(records[-1], Skipped)
    assert records[-1].reason == "corrupt-archive"
    assert "\n" not in records[-1].detail


def test_not_an_archive_at_all(tmp_path: Path) -> None:
    fake = tmp_path / "fake.tgz"
    fake.write_bytes(b"this is not gzip data at all")
    assert [(item.reason) for item in iter_members(fake) if isinstance(item, Skipped)] == [
        "corrupt-archive"
    ]


def test_zip_bomb_member_is_skipped_by_size_and_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ok.json", _osv("Z-1"))
        archive.writestr("bomb.json", b"\0" * (8 * 1024 * 1024))
        archive.writestr("../up.json", _osv("Z-2"))
    small = SourceLimits(max_member_bytes=4 * 1024 * 1024)
    assert _skips(list(iter_members(path, small))) == [
        ("../up.json", "unsafe-member"),
        ("bomb.json", "member-too-large"),
    ]
    ratio = SourceLimits(max_ratio=100)
    assert ("bomb.json", "suspicious-compression") in _skips(list(iter_members(path, ratio)))


def test_zip_symlink_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("link.json")
        info.external_attr = (0o120777 << 16) | 0
        archive.writestr(info, "/etc/passwd")
    assert _skips(list(iter_members(path))) == [("link.json", "unsafe-member")]


def test_total_size_limit_raises_one_line_error(tmp_path: Path) -> None:
    path = _tar(tmp_path / "many.tar.gz", [(f"{i}.json", _osv(f"M-{i}")) for i in range(10)])
    with pytest.raises(FeedTooLargeError) as caught:
        list(iter_members(path, SourceLimits(max_total_bytes=300)))
    assert "\n" not in str(caught.value)
    with pytest.raises(FeedTooLargeError):
        list(iter_members(path, SourceLimits(max_members=3)))


def test_directory_walk_is_sorted_skips_symlinks_and_opens_nested_archives(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.json").write_bytes(_osv("D-3"))
    (tmp_path / "a.json").write_bytes(_osv("D-1"))
    (tmp_path / "index.txt").write_text("a.json\n")
    (tmp_path / "link.json").symlink_to(tmp_path / "a.json")
    with gzip.open(tmp_path / "c.json.gz", "wb") as handle:
        handle.write(_osv("D-2"))
    _tar(tmp_path / "d.tar.gz", [("inner.json", _osv("D-4"))])
    records = list(read_all([tmp_path]))
    assert [r.id for r in records if isinstance(r, Vulnerability)] == ["D-1", "D-3", "D-2", "D-4"]
    assert sorted(r.reason for r in records if isinstance(r, Skipped)) == [
        "non-record-file",
        "symlink",
    ]


def test_gzip_bomb_single_file(tmp_path: Path) -> None:
    path = tmp_path / "bomb.json.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b" " * (3 * 1024 * 1024))
    items = list(iter_members(path, SourceLimits(max_member_bytes=1024 * 1024)))
    assert [(item.reason) for item in items if isinstance(item, Skipped)] == ["member-too-large"]


def test_missing_path_raises_feed_error(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no such file"):
        list(read_all([tmp_path / "absent.json"]))


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [
        ("a/b.json", False),
        ("./a/b.json", False),
        ("../a.json", True),
        ("a/../../b.json", True),
        ("/etc/passwd", True),
        ("C:\\x.json", True),
        ("a\\..\\..\\b.json", True),
        ("nul\x00.json", True),
    ],
)
def test_unsafe_names(name: str, unsafe: bool) -> None:
    assert (unsafe_name(name) is not None) is unsafe


@pytest.mark.parametrize(
    ("mode", "suffix"), [("w:xz", ".tar.xz"), ("w:bz2", ".tar.bz2"), ("w", ".tar")]
)
def test_other_tar_compressions(tmp_path: Path, mode: str, suffix: str) -> None:
    path = tmp_path / f"bundle{suffix}"
    with tarfile.open(path, mode) as archive:  # type: ignore[call-overload]
        _add(archive, "a.json", _osv("C-1"))
    assert [r.id for r in read_all([path]) if isinstance(r, Vulnerability)] == ["C-1"]
