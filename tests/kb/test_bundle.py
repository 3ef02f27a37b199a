"""Offline bundles: round trip, and every kind of bad bundle refused with nothing imported."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from medtrust.kb.bundle import export_bundle, import_bundle
from medtrust.kb.errors import BundleError
from medtrust.kb.ingest import import_feeds
from medtrust.kb.schema import table_names
from medtrust.kb.store import POINTER, KnowledgeBase
from tests.shared_data import shared_file


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    root = tmp_path / "source-kb"
    import_feeds([shared_file("nvd2"), shared_file("kev")], root=root)
    out = tmp_path / "kb.tar"
    export_bundle(KnowledgeBase.open(root), out)
    return out


def _tables(root: Path) -> dict[str, object]:
    kb = KnowledgeBase.open(root)
    return {table: kb.read(table) for table in table_names()}


def test_round_trip(bundle: Path, tmp_path: Path) -> None:
    target = tmp_path / "air-gapped-kb"
    manifest = import_bundle(bundle, target)
    assert set(manifest["files"]) == {f"{t}.parquet" for t in table_names()}
    source, copy = _tables(tmp_path / "source-kb"), _tables(target)
    for table in table_names():
        assert copy[table].equals(source[table]), table  # type: ignore[attr-defined]
    status = KnowledgeBase.open(target).manifest
    assert status["imported_from_bundle"]["file"] == "kb.tar"
    assert status["rows"]["targets"] > 0


def _rewrite(bundle: Path, out: Path, change: str) -> Path:
    with tarfile.open(bundle) as source, tarfile.open(out, "w") as sink:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if change == "flip" and member.name == "targets.parquet":
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            if change == "drop" and member.name == "links.parquet":
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            sink.addfile(info, io.BytesIO(data))
        if change == "extra":
            info = tarfile.TarInfo("../evil.sh")
            info.size = 3
            sink.addfile(info, io.BytesIO(b"rm\n"))
        if change == "symlink":
            info = tarfile.TarInfo("aliases.parquet")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            sink.addfile(info)
    return out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("flip", "SHA-256"),
        ("drop", "missing"),
        ("extra", "unexpected member"),
        ("symlink", "twice|not a regular file"),
    ],
)
def test_tampered_bundle_is_refused_and_nothing_changes(
    bundle: Path, tmp_path: Path, change: str, message: str
) -> None:
    target = tmp_path / "live"
    import_bundle(bundle, target)
    pointer = (target / POINTER).read_text()
    bad = _rewrite(bundle, tmp_path / f"{change}.tar", change)
    with pytest.raises(BundleError, match=message) as raised:
        import_bundle(bad, target)
    assert "\n" not in str(raised.value)
    assert (target / POINTER).read_text() == pointer
    assert sorted(p.name for p in target.iterdir()) == sorted([POINTER, pointer.strip()])


def test_not_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"\x1f\x8b this is not an archive")
    with pytest.raises(BundleError, match="not a readable bundle"):
        import_bundle(junk, tmp_path / "kb")
    manifest_only = tmp_path / "m.tar"
    with tarfile.open(manifest_only, "w") as tar:
        body = json.dumps({"format": "other"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    with pytest.raises(BundleError, match="not a medtrust"):
        import_bundle(manifest_only, tmp_path / "kb")
    assert not (tmp_path / "kb" / POINTER).exists()
