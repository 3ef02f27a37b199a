"""Reader for MDS2 forms pasted as plain text or markdown.

Manufacturers paste the 2019 form into documents as lines such as ``DOC-1:Question:Answer`` or
``MPII-1,Question: Answer`` with inline notes (``Yes,optional``, ``N/A: No default accounts``),
as markdown tables (``| ID | Question | Answer | Note |``) or bullet lists. The question text
may itself contain ``:``, ``,`` and ``?``, so the answer is found by trying the places where it
can start (after a ``?`` first, then at the start, after a ``:``, after a ``,``) and taking the
first whose text reads as an answer. A question whose answer is on the next line (text copied
from a PDF wraps) is completed from the following line.

Most lines of a real form have one shape, ``ID<sep>question?<sep>answer`` for a yes/no question.
Those take a fast path: one precompiled regex per line and a set lookup for the ID. Every other
line, and every fast-path candidate whose answer does not read as one of the four answers, goes
through the careful path. The fast path only accepts lines on which the careful path gives the
same result; ``TextReader(fast=False)`` turns it off, and a differential property test checks
that both give identical forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import AnswerKind, Mds2Form
from medtrust.errors import Mds2Error
from medtrust.mds2.answers import SEPARATORS, is_choice_answer, normalise_choice_answer
from medtrust.mds2.readers.base import display_name
from medtrust.mds2.readers.builder import (
    FormBuilder,
    NormalisedItem,
    catalogue_index,
    id_shape,
)
from medtrust.mds2.readers.encoding import decode_text, looks_binary
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.table import NOTE_LINE, TableColumns, note_label

_LEADING = SEPARATORS.replace(".", "") + " \t|)"
_ID_AT_START = re.compile(
    r"^(?P<id>(?P<prefix>[A-Za-z]{3,4})\s?[-\u2010-\u2015\u2212]\s?\d{1,3}(?:\.\d{1,3}){0,2})"
    r"(?!\d|\.\d)"
    r"(?P<rest>.*)$",
    re.S,
)
_BULLET = re.compile(r"^(?:[-*+\u2022]\s+|\d{1,3}[.)]\s+(?=[A-Za-z]{3,4}\s?-\s?\d))")
_NOTES_LABEL = re.compile(r"^notes?\s*:?$", re.I)
_HEADING_CODE = re.compile(r"\(\s*([A-Za-z]{3,4})\s*\)\s*:?$")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_TRAILING_ANSWER = re.compile(r"(?:^|\s)(yes|no|n/a|see notes?)\s*[.,]?\s*$", re.I)
_MAX_WRAPPED_LINES = 3
_ID_SEPARATORS = frozenset(":,\t")
_SNIFF_TEXT_BYTES = 2048
#: first characters of lines that need markdown clean-up (bullets, headings, tables, lists)
_MARKUP_START = frozenset("-*+\u2022#|0123456789")
#: the leading separators of an answer as regex character-class content (tabs never reach it)
_LEADING_CHARS = re.escape(_LEADING.replace("\t", ""))
#: A plain yes/no line: ``ID<anything but ?>?<leading separators>answer``. The ID part may be
#: looser than :data:`_ID_AT_START` (the reader then requires it to be a canonical choice ID),
#: but where it captures such an ID it captures what the careful path would: possessive, and
#: not followed by a digit of any script. The answer is cut as :func:`split_answer` cuts it:
#: first character neither whitespace nor a leading separator, last one not whitespace.
#: ``[^?]*`` and ``.*`` are single-character tests in the regex engine, much faster than a
#: character set, so tabs and ``**`` are checked outside the regex.
_FAST_CHOICE_LINE = re.compile(
    r"([A-Z]{3,4}-[0-9.]++)(?!\d)"
    r"[^?]*+\?"
    rf"[{_LEADING_CHARS}]*+"
    rf"([^\s{_LEADING_CHARS}](?:.*\S)?)\s*"
)


@dataclass(slots=True)
class _Pending:
    """An ID line whose answer was not found yet (it may be on the next line)."""

    question_id: str
    kind: AnswerKind
    rest: str
    location: Location
    lines: int = 1


def split_answer(rest: str, kind: AnswerKind) -> tuple[str | None, bool]:
    """Find the answer in the text after an ID; returns (answer text, confident)."""
    rest = rest.strip().lstrip(_LEADING).strip()
    if kind is not AnswerKind.CHOICE:
        # free text may hold ":" and "?" itself (URLs): the earliest one ends the question;
        # commas are left alone, they are common inside names ("Acme Medical, Inc.")
        ends = [i for i in (rest.find("?"), rest.find(":")) if i >= 0]
        if ends:
            tail = _tail(rest, min(ends) + 1)
            return tail, tail is not None
        return (rest or None), bool(rest)
    mark = rest.find("?")
    if mark >= 0:  # fast path: the answer right after the first "?"
        tail = _tail(rest, mark + 1)
        if tail is not None and is_choice_answer(tail):
            return tail, True
    return _search_answer(rest)


def _search_answer(rest: str) -> tuple[str | None, bool]:
    questions, colons, commas = (_ends(rest, mark) for mark in "?:,")
    for position in (*questions, 0, *colons, *commas):
        tail = _tail(rest, position)
        if tail is not None and is_choice_answer(tail):
            return tail, True
    if questions:
        return _tail(rest, questions[-1]), False
    trailing = _TRAILING_ANSWER.search(rest)
    if trailing:
        return trailing.group(1), False
    for positions in (colons, commas):
        if positions:
            return _tail(rest, positions[-1]), False
    return (rest or None), False


def _ends(text: str, mark: str) -> list[int]:
    """The positions just after each occurrence of ``mark`` in ``text``."""
    ends: list[int] = []
    index = text.find(mark)
    while index >= 0:
        ends.append(index + 1)
        index = text.find(mark, index + 1)
    return ends


def _tail(text: str, position: int) -> str | None:
    tail = text[position:].lstrip(_LEADING).strip()
    return tail or None


@lru_cache(maxsize=65536)
def line_location(number: int) -> Location:
    """The (shared, immutable) location of a line."""
    return Location(LocationKind.LINE, str(number))


def parse_lines(builder: FormBuilder, lines: list[str], *, fast: bool = True) -> int:
    """Read ``lines`` into ``builder``; return how many of them took the fast path.

    With ``fast=False`` every line takes the careful path: that is the reference the fast path
    is tested against.
    """
    parser = _LineParser(builder)
    taken = parser.read_lines(lines) if fast else parser.read_lines_carefully(lines)
    parser.finish()
    return taken


def _heading_code(line: str) -> str | None:
    """The code in a heading such as ``AUTOMATIC LOGOFF (ALOF)``, upper case; else None."""
    match = _HEADING_CODE.search(line)
    return match.group(1).upper() if match else None


def _all_caps(line: str) -> bool:
    """A heading without a code: at least 8 letters, all upper case, and no ``:``."""
    if ":" in line:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 8 and all(ch.isupper() for ch in letters)


class TextReader:
    """MDS2 form as pasted text or markdown."""

    name = "text"

    def __init__(self, *, fast: bool = True) -> None:
        """``fast=False`` sends every line through the careful path (the reference)."""
        self.fast = fast

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """Any head that decodes to text."""
        try:
            text, _ = decode_text(head[:_SNIFF_TEXT_BYTES], name=display_name(filename))
        except Mds2Error:
            return False
        return not looks_binary(text)

    def read(
        self,
        data: bytes,
        *,
        filename: str | None,
        catalogue: Mds2Catalogue,
        limits: ReadLimits | None = None,
    ) -> Mds2Form:
        """Read every line; raise :class:`Mds2Error` when no question ID is found."""
        name = display_name(filename)
        text, _encoding = decode_text(data, name=name)
        builder = FormBuilder(catalogue, source_format=self.name, source_name=filename)
        parse_lines(builder, text.split("\n"), fast=self.fast)
        if builder.count == 0:
            raise Mds2Error(f"{name}: no MDS2 question IDs found in the text")
        return builder.build()


class _LineParser:
    def __init__(self, builder: FormBuilder) -> None:
        self.builder = builder
        self.catalogue = builder.catalogue
        self.index = catalogue_index(self.catalogue)
        self.section_codes = self.index.section_codes
        self.heading_codes = self.section_codes | {"OTHR"}
        self.pending: _Pending | None = None
        self.last: str | None = None  # "answer" | "note" | "other" | None
        self.in_other = False
        self.columns: TableColumns | None = None
        self.prefixes = self.index.prefixes
        self.taken = 0  # lines that took the fast path

    def finish(self) -> None:
        self._flush()

    def read_lines_carefully(self, lines: list[str]) -> int:
        """Every line through :meth:`line`; returns 0 (no line took the fast path)."""
        handle = self.line
        for number, line in enumerate(lines, start=1):
            handle(line, number)
        return 0

    def read_lines(self, lines: list[str]) -> int:
        """Read the lines, plain yes/no lines on the fast path; returns how many took it.

        A line takes the fast path when :data:`_FAST_CHOICE_LINE` matches it whole, it has no
        tab (the careful path would split it into cells) and no ``**`` (markdown bold), its ID
        is a yes/no question and its answer reads as one of the four answers. The careful path
        would find the same ID and answer there, and would then do what is done here: end any
        pending line, leave OTHR, record the answer. Consecutive fast lines are handed to the
        builder as one run; the next careful line sees the state the run left.
        """
        match_line, choice_ids = _FAST_CHOICE_LINE.fullmatch, self.index.choice_ids
        handle, normalise = self.line, normalise_choice_answer
        run: list[NormalisedItem] = []
        for number, line in enumerate(lines, start=1):
            match = match_line(line)
            if match is not None and "\t" not in line and "**" not in line:
                question_id, answer = match.groups()
                if question_id in choice_ids:
                    # cached; and for stripped text, .ok is exactly is_choice_answer(answer)
                    result = normalise(answer)
                    if result.ok:
                        if not run:  # a run starts: what line() does before recording
                            if self.pending is not None:
                                self._flush()
                            self.in_other = False
                        location = line_location(number)
                        run.append((question_id, answer, result, result.note, location, None))
                        continue
            if run:
                self._add_run(run)
            handle(line, number)
        if run:
            self._add_run(run)
        return self.taken

    def _add_run(self, run: list[NormalisedItem]) -> None:
        added = self.builder.add_normalised_many(run)
        self.last = "answer" if added else None
        self.taken += len(run)
        run.clear()

    def line(self, raw_line: str, number: int) -> None:
        line = raw_line.strip()
        if not line:
            if self.pending is not None:
                self._flush()
            self.last = "other" if self.in_other else None
            return
        if line[0] in _MARKUP_START or "**" in line:
            line = _BULLET.sub("", line.replace("**", "").replace("`", "")).strip()
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                self._heading(title, _heading_code(title))
                return
            if line.startswith("|"):
                self._table_row(line, line_location(number))
                return
        id_match = _ID_AT_START.match(line)
        if id_match is not None:
            id_text, prefix, rest = id_match.group("id", "prefix", "rest")
            # known prefixes always; others ("SHA-256 ...") only when a separator follows
            if prefix.upper() in self.prefixes or rest[:1] in _ID_SEPARATORS:
                if self.pending is not None:
                    self._flush()
                self._id_line(id_text, rest, line_location(number))
                return
        if self._note_line(line, number):
            return
        code = _heading_code(line)
        if (code is not None and code in self.heading_codes) or _all_caps(line):
            self._heading(line, code)
            return
        self._continuation(line)

    def _id_line(self, id_text: str, rest: str, location: Location) -> None:
        question_id = self.builder.resolve(id_text, location)
        self.in_other = False
        if question_id is None:
            self.last = None
            return
        question = self.catalogue.get(question_id)
        kind = question.kind if question else AnswerKind.TEXT
        if "\t" in rest.strip():
            cells = [c.strip() for c in rest.strip().split("\t")]
            self._add(
                question_id,
                cells[1] if len(cells) > 1 else cells[0],
                cells[2] if len(cells) > 2 else None,
                location,
            )
            return
        answer, confident = split_answer(rest, kind)
        if confident:
            self._add(question_id, answer, None, location)
        else:
            self.pending = _Pending(question_id, kind, rest, location)
            self.last = "pending"

    def _add(
        self, question_id: str, answer: str | None, note: str | None, location: Location
    ) -> None:
        added = self.builder.add_answer(question_id, answer, extra_note=note, location=location)
        self.last = "answer" if added else None

    def _flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            answer, _ = split_answer(pending.rest, pending.kind)
            self._add(pending.question_id, answer, None, pending.location)

    def _note_line(self, line: str, number: int) -> bool:
        match = NOTE_LINE.match(line)
        if match:
            self._flush()
            label = note_label(match.group(1))
            self.builder.add_note(label, match.group(2), line_location(number))
            self.last, self.in_other = "note", False
            return True
        if _NOTES_LABEL.match(line):
            self._flush()
            self.last, self.in_other = None, False
            return True
        return False

    def _heading(self, line: str, code: str | None) -> None:
        if self.pending is not None:
            self._flush()
        self.in_other = code == "OTHR"
        self.last = "other" if self.in_other else None
        if code is not None and code in self.section_codes:
            self.builder.headings.setdefault(code, line)

    def _continuation(self, line: str) -> None:
        pending = self.pending
        if pending is not None:
            pending.rest = f"{pending.rest} {line}"
            pending.lines += 1
            answer, confident = split_answer(pending.rest, pending.kind)
            if confident or pending.lines >= _MAX_WRAPPED_LINES:
                self.pending = None
                self._add(pending.question_id, answer, None, pending.location)
            return
        if self.in_other:
            self.builder.add_other(line)
        elif self.last == "answer":
            self.builder.append_to_last_answer(line)
        elif self.last == "note":
            self.builder.append_to_last_note(line)

    def _table_row(self, line: str, location: Location) -> None:
        self._flush()
        if _TABLE_RULE.match(line):
            return
        cells = [c.strip() for c in _CELL_SEPARATOR.split(line.strip().strip("|"))]
        header = TableColumns.from_header(cells)
        if header is not None:
            self.columns = header
            return
        columns = self.columns or TableColumns.positional(cells)
        id_text = columns.get(cells, columns.id)
        if id_text is None:
            return
        note_match = NOTE_LINE.match(id_text)
        if note_match and id_shape(id_text) is None:
            text = columns.get(cells, columns.question) or columns.get(cells, columns.answer)
            self.builder.add_note(note_label(note_match.group(1)), text or "", location)
            self.last = "note"
            return
        question_id = self.builder.resolve(id_text, location)
        if question_id is not None:
            answer = columns.get(cells, columns.answer)
            note = columns.get(cells, columns.note)
            self._add(question_id, answer, note, location)
