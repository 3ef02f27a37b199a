"""Reader for MDS2 forms as CSV: a header row names the ID, answer and note columns.

The delimiter (``,`` ``;`` or tab) is chosen from the header line; encodings as for pasted
text (BOM-aware UTF-8/16, UTF-8, cp1252 as written by spreadsheet programs in Western Europe).
Rows whose ID cell reads ``Note N`` become form notes; an ``OTHR`` row gives the other security
considerations.
"""

from __future__ import annotations

import csv
import io
import re

from medtrust.catalog.mds2 import Mds2Catalogue, normalise_id_text
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import Mds2Error
from medtrust.mds2.readers.base import display_name, one_line
from medtrust.mds2.readers.builder import FormBuilder
from medtrust.mds2.readers.encoding import decode_text
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.table import NOTE_LINE, TableColumns, note_label

DELIMITERS = (",", ";", "\t")
_HEADER_SEARCH_LINES = 20
_SNIFF_TEXT_BYTES = 4096
#: a cell reading "ID" or "Question ID" between delimiters (cheap pre-check of a header line)
_ID_HEADER = re.compile(r"(?:^|[,;\t])\s*\"?\s*(?:question[ _]?)?id\s*\"?\s*(?:$|[,;\t])", re.I)


def find_header(lines: list[str]) -> tuple[int, str, TableColumns] | None:
    """The index, delimiter and columns of the header line among the first lines."""
    for index, line in enumerate(lines[:_HEADER_SEARCH_LINES]):
        if _ID_HEADER.search(line) is None:
            continue
        by_count = sorted(DELIMITERS, key=line.count, reverse=True)
        for delimiter in by_count:
            if delimiter not in line:
                continue
            cells = next(csv.reader([line], delimiter=delimiter))
            columns = TableColumns.from_header(cells)
            if columns is not None:
                return index, delimiter, columns
    return None


class CsvReader:
    """MDS2 form as a CSV table with a header row."""

    name = "csv"

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """A header line with an ID column and a delimiter among the first lines."""
        try:
            text, _ = decode_text(head[:_SNIFF_TEXT_BYTES], name=display_name(filename))
        except Mds2Error:
            return False
        return find_header(text.split("\n")[:-1] or [text]) is not None

    def read(
        self,
        data: bytes,
        *,
        filename: str | None,
        catalogue: Mds2Catalogue,
        limits: ReadLimits | None = None,
    ) -> Mds2Form:
        """Read the table; raise :class:`Mds2Error` without a usable header."""
        name = display_name(filename)
        text, _encoding = decode_text(data, name=name)
        lines = text.split("\n")
        found = find_header(lines)
        if found is None:
            raise Mds2Error(f"{name}: no CSV header row with an ID column (ID or Question ID)")
        start, delimiter, columns = found
        if columns.answer is None:
            raise Mds2Error(
                f"{name}: the CSV header has no answer column (Answer, Response or Value)"
            )
        builder = FormBuilder(catalogue, source_format=self.name, source_name=filename)
        body = io.StringIO("\n".join(lines[start + 1 :]))
        reader = csv.reader(body, delimiter=delimiter)
        try:
            for offset, cells in enumerate(reader, start=2):
                self._row(builder, columns, cells, Location(LocationKind.ROW, str(offset)))
        except csv.Error as exc:
            raise Mds2Error(
                f"{name}: unreadable CSV near row {reader.line_num + 1}: {one_line(exc)}"
            ) from exc
        if builder.count == 0:
            raise Mds2Error(f"{name}: no MDS2 question IDs found in the CSV")
        return builder.build()

    @staticmethod
    def _row(
        builder: FormBuilder, columns: TableColumns, cells: list[str], location: Location
    ) -> None:
        id_text = columns.get(cells, columns.id)
        if id_text is None:
            return
        answer = columns.get(cells, columns.answer)
        note_match = NOTE_LINE.match(id_text)
        if note_match and normalise_id_text(id_text) is None:
            builder.add_note(note_label(note_match.group(1)), answer or "", location)
            return
        if id_text.strip().upper() == "OTHR":
            if answer:
                builder.add_other(answer)
            return
        question_id = builder.resolve(id_text, location)
        if question_id is not None:
            note = columns.get(cells, columns.note)
            builder.add_answer(question_id, answer, extra_note=note, location=location)
