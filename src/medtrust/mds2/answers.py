"""Normalising raw MDS2 answers as manufacturers write them.

The 2019 form's legend allows four answers for yes/no questions: ``Yes``, ``No``, ``N/A`` and
``See Note`` (ANSI/NEMA HN 1-2019 worksheet, legend row; the drop-down list spells the last one
``See Notes``). Real forms add inline notes after the answer (``Yes,optional``,
``N/A: No default accounts``, ``Yes,"PACS, NAS"``), trailing separators (``No,``) and
placeholders for unanswered items (``____``). This module turns such text into a normalised
value plus an optional note; it never raises on any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from medtrust.domain.mds2 import AnswerKind, AnswerValue

#: characters that separate an answer from its inline note (and trailing punctuation)
SEPARATORS = ",:;-\u2013\u2014.!"
_NOTE_LEADING = SEPARATORS + " \t"
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
_SPACES = re.compile(r"\s+")
_YES, _NO, _NA, _SEE_NOTE = (v.value for v in AnswerValue)

# The answer token at the start of the text, followed by a boundary (end, space, separator,
# quote or bracket). "Not sure", "Nothing", "NAS", "Yesterday" do not match.
_CHOICE = re.compile(
    r"""^(?:
        (?P<yes>yes)
      | (?P<no>no)
      | (?P<na>n\s*/\s*a|n\.a\.?|na|not\s+applicable)
      | (?P<see>see\s+(?:the\s+)?notes?
          (?:\s*(?:\#|no\.?|nr\.?)?\s*(?P<num>\d+(?:\s*(?:,|&|and)\s*\d+)*))?)
    )(?=$|[\s,:;\-\u2013\u2014.!?()\[\]"'\u201c\u201d])""",
    re.IGNORECASE | re.VERBOSE,
)

_EXCEL_EPOCH_1900 = date(1899, 12, 30)
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DOTTED = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s.-]+([a-z]+)\.?[\s,.-]+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")


@dataclass(frozen=True, slots=True)
class NormalisedAnswer:
    """The result of normalising one raw answer.

    ``ok`` is False when the text could not be understood: for choice questions ``value`` is
    then None; for date questions ``value`` keeps the text.
    """

    value: str | None
    note: str | None
    ok: bool
    #: why the answer needs attention even when ``ok`` (e.g. an ambiguous date)
    remark: str | None = None


def is_placeholder(text: str | None) -> bool:
    """True for empty text and for underscore placeholders such as ``__`` or ``______``."""
    return text is None or not text.replace("_", "").strip()


def is_choice_answer(text: str) -> bool:
    """True when ``text`` starts with one of the four answers (or is a placeholder)."""
    return _CHOICE.match(text) is not None or is_placeholder(text)


def clean_note(text: str | None) -> str | None:
    """Strip whitespace, leading separators and wrapping quotes from a note; None if empty."""
    if not text:
        return None
    stripped = text.strip().lstrip(_NOTE_LEADING).strip()
    if len(stripped) >= 2 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES:
        stripped = stripped[1:-1].strip()
    if is_placeholder(stripped):
        return None
    return stripped


def normalise_answer(raw: str | None, kind: AnswerKind) -> NormalisedAnswer:
    """Normalise a raw answer for a question of the given kind. Never raises.

    Results are cached (per kind, keyed by the text alone, which is cheaper than a key of two
    arguments): forms repeat a small vocabulary of answers, and the result is frozen.
    """
    if kind is AnswerKind.CHOICE:
        return normalise_choice_answer(raw)
    if kind is AnswerKind.DATE:
        return _normalise_date_answer(raw)
    return _normalise_text_answer(raw)


@lru_cache(maxsize=8192)
def normalise_choice_answer(raw: str | None) -> NormalisedAnswer:
    """:func:`normalise_answer` for a yes/no question."""
    if raw is None or is_placeholder(raw):
        return NormalisedAnswer(None, None, ok=True)
    return _normalise_choice(raw.strip())


@lru_cache(maxsize=1024)
def _normalise_date_answer(raw: str | None) -> NormalisedAnswer:
    if raw is None or is_placeholder(raw):
        return NormalisedAnswer(None, None, ok=True)
    return normalise_date_text(raw.strip())


@lru_cache(maxsize=1024)
def _normalise_text_answer(raw: str | None) -> NormalisedAnswer:
    if raw is None or is_placeholder(raw):
        return NormalisedAnswer(None, None, ok=True)
    return NormalisedAnswer(raw.strip(), None, ok=True)


def _normalise_choice(text: str) -> NormalisedAnswer:
    match = _CHOICE.match(text)
    if match is None:
        return NormalisedAnswer(None, None, ok=False)
    rest = text[match.end() :]
    note = clean_note(rest)
    if match.group("yes"):
        return NormalisedAnswer(_YES, note, ok=True)
    if match.group("no"):
        return NormalisedAnswer(_NO, note, ok=True)
    if match.group("na"):
        return NormalisedAnswer(_NA, note, ok=True)
    number = match.group("num")
    if number:
        reference = "See Note " + _SPACES.sub(" ", number)
        note = f"{reference}: {note}" if note else reference
    return NormalisedAnswer(_SEE_NOTE, note, ok=True)


def excel_serial_to_date(serial: float, *, date1904: bool = False) -> date | None:
    """Convert an Excel date serial to a date, or None when out of range.

    In the 1900 date system Excel counts 1900-02-29, a day that never existed (a bug kept for
    Lotus 1-2-3 compatibility): serial 60 is that phantom day, and serials from 61 on are one
    day ahead. Counting from 1899-12-30 is right for serials >= 61; serials 1..59 count from
    1899-12-31. Serial 60 has no real date and is reported as None. In the 1904 system
    (``date1904`` in workbook.xml) serial 0 is 1904-01-01.
    """
    if serial != serial or serial < 0 or serial > 2_958_465:  # NaN, negative, > 9999-12-31
        return None
    days = int(serial)
    if date1904:
        return _EXCEL_EPOCH_1904 + timedelta(days=days)
    if days == 0 or days == 60:
        return None
    if days < 60:
        return _EXCEL_EPOCH_1900 + timedelta(days=days + 1)
    return _EXCEL_EPOCH_1900 + timedelta(days=days)


def normalise_date_text(text: str) -> NormalisedAnswer:
    """Parse a date written as text into ISO ``YYYY-MM-DD``; keep the text when it cannot.

    Accepted: ISO dates (optionally with a time), ``M/D/YYYY`` (US order, as in the NEMA form;
    day first when the first number is above 12), ``D.M.YYYY``, ``9 October 2019``,
    ``October 9, 2019`` and a bare Excel serial such as ``43747`` (1900 date system).
    """
    value = text.strip()
    lowered = value.lower()
    parsed: date | None = None
    remark: str | None = None
    if match := _ISO.match(value):
        parsed = _make_date(int(match[1]), int(match[2]), int(match[3]))
    elif match := _SLASH.match(value):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        year = year + 2000 if year < 100 else year
        if first > 12:
            parsed = _make_date(year, second, first)
        else:
            parsed = _make_date(year, first, second)
            if parsed is not None and second <= 12 and first != second:
                remark = f"date {value!r} is ambiguous; read as month/day (US order)"
    elif match := _DOTTED.match(value):
        parsed = _make_date(int(match[3]), int(match[2]), int(match[1]))
    elif match := _DAY_MONTH_NAME.match(lowered):
        month = _MONTHS.get(match[2])
        parsed = _make_date(int(match[3]), month, int(match[1])) if month else None
    elif match := _MONTH_NAME_DAY.match(lowered):
        month = _MONTHS.get(match[1])
        parsed = _make_date(int(match[3]), month, int(match[2])) if month else None
    elif _SERIAL.match(value):
        parsed = excel_serial_to_date(float(value))
    if parsed is None:
        return NormalisedAnswer(value, None, ok=False)
    return NormalisedAnswer(parsed.isoformat(), None, ok=True, remark=remark)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
