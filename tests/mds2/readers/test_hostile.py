"""Hostile and broken inputs: every one gives a one-line MedtrustError, never another type."""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import (
    InputTooLargeError,
    Mds2Error,
    MedtrustError,
    UnsupportedFormatError,
)
from medtrust.mds2.readers import ReadLimits, read_mds2, read_mds2_file
from tests.mds2.readers.layouts import CellValue, SheetSpec, nema_workbook, write_workbook

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


@pytest.fixture(scope="module")
def small_form(catalogue: Mds2Catalogue) -> bytes:
    return nema_workbook(catalogue, SheetSpec(answers={"DOC-8": "Yes", "DOC-9": "No"}))


E = TypeVar("E", bound=MedtrustError)


def _raises(kind: type[E], call: Callable[[], object], match: str) -> E:
    with pytest.raises(kind, match=match) as info:
        call()
    assert "\n" not in str(info.value)
    return info.value


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name in sorted(set(replace) - set(source.namelist())):
            target.writestr(name, replace[name])
    return out.getvalue()


def test_declared_gigabyte_entry_is_refused(small_form: bytes) -> None:
    """A forged central directory declaring a 1 GB sheet: refused from the directory alone."""
    data = bytearray(small_form)
    name = b"xl/worksheets/sheet1.xml"
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + name_length]) == name:
            struct.pack_into("<I", data, offset + 24, 1024 * MiB)
            break
        offset = data.find(b"PK\x01\x02", offset + 4)
    assert offset != -1
    _raises(InputTooLargeError, lambda: read_mds2(bytes(data), filename="forged.xlsx"), "inflate")


def test_zip_bomb_ratio(small_form: bytes) -> None:
    bomb = _rezip(small_form, {"xl/sharedStrings.xml": b"<sst>" + b" " * (40 * MiB) + b"</sst>"})
    assert len(bomb) < MiB
    _raises(InputTooLargeError, lambda: read_mds2(bomb, filename="bomb.xlsx"), "zip bomb")


def test_understated_size_fails_the_crc(small_form: bytes) -> None:
    """A directory that understates a part's size: zipfile stops early and the CRC fails."""
    data = bytearray(small_form)
    name = b"xl/worksheets/sheet1.xml"
    for header in (b"PK\x01\x02", b"PK\x03\x04"):
        offset = data.find(header)
        while offset != -1:
            if header == b"PK\x01\x02":
                length, at, size_at = struct.unpack_from("<H", data, offset + 28)[0], 46, 24
            else:
                length, at, size_at = struct.unpack_from("<H", data, offset + 26)[0], 30, 22
            if bytes(data[offset + at : offset + at + length]) == name:
                struct.pack_into("<I", data, offset + size_at, 10)
            offset = data.find(header, offset + 4)
    _raises(Mds2Error, lambda: read_mds2(bytes(data), filename="short.xlsx"), "corrupt")


def test_encrypted_ole2_workbook() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(1).randbytes(4096)
    _raises(Mds2Error, lambda: read_mds2(data, filename="locked.xlsx"), "password-protected")


def test_random_bytes() -> None:
    data = random.Random(2).randbytes(64 * 1024)
    _raises(UnsupportedFormatError, lambda: read_mds2(data, filename="noise.bin"), "binary")
    _raises(Mds2Error, lambda: read_mds2(data, format="text"), "not a text document")
    _raises(Mds2Error, lambda: read_mds2(data, format="nema-xlsx"), "not an xlsx")
    _raises(UnsupportedFormatError, lambda: read_mds2(b"  \n"), "empty")


def test_truncated_workbook(small_form: bytes) -> None:
    for cut in (len(small_form) // 2, len(small_form) - 30, 200):
        data = small_form[:cut]
        _raises(Mds2Error, functools.partial(read_mds2, data, filename="cut.xlsx"), "corrupt")


def test_upload_over_the_limit(tmp_path: Path) -> None:
    limits = ReadLimits(max_bytes=20 * MiB)
    big = tmp_path / "big.xlsx"
    with big.open("wb") as stream:
        stream.truncate(25 * MiB)  # sparse: the size check must come before any reading
    _raises(InputTooLargeError, lambda: read_mds2_file(big, limits=limits), "over the upload")
    data = b"DOC-1:Manufacturer:Acme\n" * (25 * MiB // 24)
    _raises(InputTooLargeError, lambda: read_mds2(data, limits=limits), "20,971,520")


def test_missing_file(tmp_path: Path) -> None:
    _raises(Mds2Error, lambda: read_mds2_file(tmp_path / "absent.xlsx"), "cannot read")


def test_xml_entity_expansion(small_form: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(small_form))
    sheet = source.read("xl/worksheets/sheet1.xml")
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )
    hostile = _rezip(small_form, {"xl/worksheets/sheet1.xml": laughs + sheet.split(b"?>", 1)[-1]})
    _raises(Mds2Error, lambda: read_mds2(hostile, filename="lol.xlsx"), "DTD")


def test_utf16_xml_part(small_form: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(small_form))
    sheet = source.read("xl/worksheets/sheet1.xml").decode("utf-8")
    hostile = _rezip(small_form, {"xl/worksheets/sheet1.xml": sheet.encode("utf-16")})
    _raises(Mds2Error, lambda: read_mds2(hostile, filename="u16.xlsx"), "not UTF-8")


def test_dense_range_bomb() -> None:
    sheet: list[list[CellValue]] = [["DOC-8", "q", "Yes"]]
    data = write_workbook([("mds2-form", sheet)])
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    hostile = _rezip(
        data, {"xl/worksheets/sheet1.xml": xml.replace(b"</sheetData>", far + b"</sheetData>")}
    )
    _raises(InputTooLargeError, lambda: read_mds2(hostile, filename="dense.xlsx"), "spans")


def test_workbook_without_required_part(small_form: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("hello.txt", "not a workbook")
    _raises(Mds2Error, lambda: read_mds2(out.getvalue(), filename="x.xlsx"), "xl/workbook.xml")


def test_utf16_text_reads() -> None:
    text = "DOC-8:Coordinated disclosure?:Yes, via PSIRT\nDOC-9:ISAO member?:No\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        form = read_mds2(text.encode(encoding), filename="u16.txt")
        assert form.value("DOC-8") == "Yes" and form.value("DOC-9") == "No", encoding


def test_xlsx_name_with_csv_content(catalogue: Mds2Catalogue) -> None:
    csv_data = b"Question ID,Answer\nDOC-8,Yes\n"
    form = read_mds2(csv_data, filename="export.xlsx")  # content decides
    assert (form.source_format, form.value("DOC-8")) == ("csv", "Yes")
    _raises(
        Mds2Error,
        lambda: read_mds2(csv_data, filename="export.xlsx", format="nema-xlsx"),
        "not an xlsx",
    )
    _raises(
        Mds2Error,
        lambda: read_mds2(b"Name,Value\nfoo,bar\n", filename="export.xlsx"),
        "no MDS2 question IDs",
    )


def _read_or_error(
    data: bytes, *, filename: str | None = None, format: str | None = None
) -> Mds2Form | None:
    try:
        return read_mds2(data, filename=filename, format=format)
    except MedtrustError as exc:
        assert "\n" not in str(exc)
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    _read_or_error(data)
    _read_or_error(data, format="text")
    _read_or_error(data, format="csv")
    _read_or_error(data, format="json")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8)
)
def test_corrupted_workbook_never_crashes(small_form: bytes, flips: list[tuple[int, int]]) -> None:
    data = bytearray(small_form)
    for position, value in flips:
        data[position % len(data)] = value
    _read_or_error(bytes(data), filename="flipped.xlsx")
