"""Safe spreadsheet cells for text that came from a user (answers, notes, labels).

Spreadsheet programs treat text starting with ``=``, ``+``, ``-`` or ``@`` (and, after a tab or
carriage return, the same) as a formula when a user edits or re-imports it ("CSV/formula
injection", OWASP). Such text is stored as an explicit string cell with Excel's quote prefix so
it stays text. Characters XML 1.0 forbids are removed, carriage returns become line feeds and
text is cut at Excel's cell limit.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell, MergedCell

#: Excel's maximum number of characters in one cell
MAX_CELL_CHARS = 32_767

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# characters XML 1.0 or UTF-8 cannot carry (tab, LF and CR are allowed)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Remove characters an xlsx file cannot hold and cut the text at the cell limit.

    Carriage returns become line feeds: XML parsers turn a literal CR into LF anyway, so this
    makes what is written equal to what any reader gets back.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", text)[:MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (also after leading spaces)."""
    return text.startswith(_FORMULA_TRIGGERS) or text.lstrip().startswith(_FORMULA_TRIGGERS)


def put_text(cell: Cell | MergedCell, text: str | None) -> None:
    """Store user text in ``cell`` as a plain string, never as a formula."""
    if not isinstance(cell, Cell):
        raise TypeError(f"cannot write text into merged cell {cell.coordinate}")
    if text is None:
        cell.value = None
        return
    cleaned = clean_text(text)
    cell.value = cleaned
    if looks_like_formula(cleaned):
        cell.data_type = "s"
        cell.quotePrefix = True
