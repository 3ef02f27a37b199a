"""Column detection for tabular MDS2 forms (CSV files and markdown tables)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medtrust.catalog.mds2 import normalise_id_text

ID_HEADERS = frozenset(
    {"id", "question id", "questionid", "question_id", "qid", "mds2 id", "question no", "ref"}
)
ANSWER_HEADERS = frozenset(
    {
        "answer",
        "answers",
        "response",
        "value",
        "reply",
        "yes, no, n/a, or see note",
        "yes/no/n/a/see note",
    }
)
NOTE_HEADERS = frozenset(
    {"note", "notes", "see note", "note #", "note#", "note no", "comment", "comments", "remarks"}
)
QUESTION_HEADERS = frozenset({"question", "question text", "description", "text"})
#: a ``Note N`` entry: label, then optional separator and text
NOTE_LINE = re.compile(
    r"^(note\s*(?:#|no\.?)?\s*\d+)\s*(?:[:.)\-\u2013]\s*|\s+|$)(.*)$", re.I | re.S
)


def note_label(text: str) -> str:
    """``Note N`` for a label such as ``note #3`` or ``NOTE 3``."""
    return "Note " + re.sub(r"\D", "", text)


def header_key(cell: str) -> str:
    """A header cell in comparable form: lower case, single spaces, no trailing colon."""
    return re.sub(r"\s+", " ", cell.replace("\ufeff", "")).strip().rstrip(":").strip().lower()


@dataclass(frozen=True, slots=True)
class TableColumns:
    """Positions of the ID, answer, note and question columns (0-based)."""

    id: int
    answer: int | None
    note: int | None = None
    question: int | None = None

    @classmethod
    def from_header(cls, cells: Sequence[str]) -> TableColumns | None:
        """Recognise a header row; None unless it has an ID column and no ID-shaped cell."""
        keys = [header_key(c) for c in cells]
        if any(normalise_id_text(c) is not None for c in cells):
            return None
        id_col = _first(keys, ID_HEADERS)
        if id_col is None:
            return None
        question = _first(keys, QUESTION_HEADERS)
        answer = _first(keys, ANSWER_HEADERS)
        if (
            answer is None
            and question is not None
            and question + 1 < len(keys)
            and keys[question + 1] not in NOTE_HEADERS
        ):
            answer = question + 1  # the NEMA layout leaves the answer column's header blank
        note = _first(keys, NOTE_HEADERS)
        return cls(id=id_col, answer=answer, note=note, question=question)

    @classmethod
    def positional(cls, cells: Sequence[str]) -> TableColumns:
        """Columns of a row without a header: ID, question, answer, note (or ID, answer)."""
        id_col = next((i for i, c in enumerate(cells) if normalise_id_text(c) is not None), 0)
        if len(cells) - id_col == 2:
            return cls(id=id_col, answer=id_col + 1)
        return cls(id=id_col, answer=id_col + 2, note=id_col + 3, question=id_col + 1)

    @staticmethod
    def get(cells: Sequence[str], index: int | None) -> str | None:
        """The stripped cell at ``index``; None when absent or empty."""
        if index is None or index >= len(cells):
            return None
        value = cells[index].strip()
        return value or None


def _first(keys: Sequence[str], names: frozenset[str]) -> int | None:
    return next((i for i, key in enumerate(keys) if key in names), None)
