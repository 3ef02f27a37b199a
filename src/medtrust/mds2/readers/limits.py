"""Size limits, and the safety checks an xlsx container passes before any parser sees it.

An xlsx workbook is a zip archive of XML parts (ECMA-376 Part 2, Open Packaging Conventions).
Hostile workbooks try three things, all refused here with one-line errors:

* **zip bombs**: tiny archives that inflate to gigabytes; the central directory's declared
  sizes are checked (total, entry count, compression ratio) and the XML parts are inflated
  through :mod:`zipfile`, which stops at the declared size and verifies the CRC;
* **XML entity expansion** ("billion laughs") and external entities: any ``<!DOCTYPE`` or
  ``<!ENTITY`` in an XML part is refused (a workbook never needs a DTD);
* **dense-range bombs**: a sheet with one cell in A1 and one in XFD1048576 makes the
  spreadsheet library allocate the whole rectangle; cell references are bounded.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from operator import itemgetter

from medtrust.errors import InputTooLargeError, Mds2Error
from medtrust.settings import Settings

_DEFAULT_MAX_BYTES: int = Settings.model_fields["max_upload_bytes"].default
_DEFAULT_MAX_UNCOMPRESSED: int = Settings.model_fields["max_uncompressed_bytes"].default
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: entries smaller than this are not held to the compression-ratio limit
_RATIO_EXEMPT_BYTES = 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
_REF = re.compile(rb" r=[\"']([A-Z]{0,3})(\d{1,7})[\"']")


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Limits applied while reading an uploaded document.

    Defaults come from :class:`medtrust.settings.Settings` (``max_upload_bytes``,
    ``max_uncompressed_bytes``); build from live settings with :meth:`from_settings`.
    """

    max_bytes: int = _DEFAULT_MAX_BYTES
    max_uncompressed_bytes: int = _DEFAULT_MAX_UNCOMPRESSED
    max_zip_entries: int = 1000
    max_compression_ratio: float = 200.0
    #: largest rectangle (rows x columns) a worksheet may span
    max_sheet_cells: int = 2_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        """Limits from runtime settings."""
        return cls(
            max_bytes=settings.max_upload_bytes,
            max_uncompressed_bytes=settings.max_uncompressed_bytes,
        )


@dataclass(frozen=True, slots=True)
class XlsxContainer:
    """What the container check learned about a workbook."""

    #: the workbook uses the 1904 date system (``<workbookPr date1904="1">``)
    date1904: bool
    part_names: tuple[str, ...]


def check_size(size: int, *, name: str, limits: ReadLimits) -> None:
    """Refuse a document larger than ``limits.max_bytes``."""
    if size > limits.max_bytes:
        raise InputTooLargeError(
            f"{name}: {size:,} bytes is over the upload limit of {limits.max_bytes:,} bytes"
        )


def check_xlsx_container(data: bytes, *, name: str, limits: ReadLimits) -> XlsxContainer:
    """Check an xlsx container before a spreadsheet library touches it."""
    check_size(len(data), name=name, limits=limits)
    if data.startswith(OLE2_MAGIC):
        raise Mds2Error(
            f"{name}: password-protected (encrypted) or legacy .xls workbook: "
            "save it as an unencrypted .xlsx"
        )
    if not data.startswith(ZIP_MAGIC):
        raise Mds2Error(f"{name}: not an xlsx workbook (no zip container)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Mds2Error(f"{name}: corrupt xlsx workbook (unreadable zip: {exc})") from exc
    _check_directory(infos, name=name, limits=limits)
    names = tuple(info.filename for info in infos)
    if "xl/workbook.xml" not in names:
        raise Mds2Error(f"{name}: not an xlsx workbook (no xl/workbook.xml part)")
    date1904 = False
    for info in infos:
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        part = _read_part(archive, info, name=name)
        _check_xml_part(part, info.filename, name=name, limits=limits)
        if info.filename == "xl/workbook.xml":
            date1904 = _DATE1904.search(part) is not None
    return XlsxContainer(date1904=date1904, part_names=names)


def _check_directory(infos: list[zipfile.ZipInfo], *, name: str, limits: ReadLimits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise InputTooLargeError(
            f"{name}: the workbook has {len(infos):,} zip entries, over the limit of "
            f"{limits.max_zip_entries:,}"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise InputTooLargeError(
            f"{name}: the workbook would inflate to {total:,} bytes, over the limit of "
            f"{limits.max_uncompressed_bytes:,} bytes"
        )
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise Mds2Error(f"{name}: corrupt xlsx workbook (duplicate part {info.filename})")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise Mds2Error(
                f"{name}: password-protected (encrypted) workbook: save it as an unencrypted .xlsx"
            )
        if info.file_size > _RATIO_EXEMPT_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise InputTooLargeError(
                    f"{name}: part {info.filename} compresses {ratio:,.0f}:1, over the limit "
                    f"of {limits.max_compression_ratio:,.0f}:1 (zip bomb?)"
                )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, name: str) -> bytes:
    try:
        with archive.open(info) as stream:
            # zipfile stops at the declared size and checks the CRC, so a part cannot
            # inflate beyond what the (already checked) central directory says
            return stream.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise Mds2Error(
            f"{name}: corrupt xlsx workbook (part {info.filename}: {exc})".replace("\n", " ")
        ) from exc
    except NotImplementedError as exc:
        raise Mds2Error(
            f"{name}: unsupported compression in xlsx part {info.filename}: {exc}"
        ) from exc


def _check_xml_part(part: bytes, part_name: str, *, name: str, limits: ReadLimits) -> None:
    if part.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00", b"\x00\x00")):
        raise Mds2Error(f"{name}: workbook part {part_name} is not UTF-8 XML; refusing it")
    if _DTD.search(part) is not None:
        raise Mds2Error(
            f"{name}: workbook part {part_name} declares an XML DTD or entity; refusing it "
            "(possible entity-expansion attack)"
        )
    if part_name.startswith("xl/worksheets/"):
        _check_sheet_extent(part, part_name, name=name, limits=limits)


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _check_sheet_extent(part: bytes, part_name: str, *, name: str, limits: ReadLimits) -> None:
    refs = _REF.findall(part)  # (column letters, row number) of rows and cells
    row_tags = part.count(b"<row")
    max_row = max(max(map(int, set(map(itemgetter(1), refs))), default=0), row_tags)
    letters = set(map(itemgetter(0), refs))
    max_col = max((_column_number(col) for col in letters if col), default=0)
    cell_tags = part.count(b"<c ") + part.count(b"<c>") + part.count(b"<c/>")
    if cell_tags > len(refs) - row_tags:  # cells without a reference sit one after another
        max_col = max(max_col, cell_tags)
    extent = max_row * max(max_col, 1)
    if extent > limits.max_sheet_cells:
        raise InputTooLargeError(
            f"{name}: sheet part {part_name} spans {max_row:,} rows x {max_col:,} columns, "
            f"over the limit of {limits.max_sheet_cells:,} cells"
        )
