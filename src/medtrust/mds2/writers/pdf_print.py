"""The MDS2 print view as PDF, drawn with fpdf2 (pure Python, no system libraries).

A4 landscape, one table per section with the answer, note and the three mapping columns. Text
uses DejaVu Sans when it is installed under ``/usr/share/fonts`` (characters the font lacks,
e.g. CJK, become ``?``); otherwise the PDF core font Helvetica with text reduced to latin-1.
Either way non-latin text never makes the writer fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.fonts import FontFace

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.mds2.writers.print_view import PrintSection, PrintView, build_print_view

FONT_ROOT = Path("/usr/share/fonts")
#: widths in mm of ID, description, answer, note and each mapping column (277 mm usable)
COLUMN_WIDTHS = (20.0, 78.0, 26.0, 51.0, 34.0, 34.0, 34.0)
#: a table row cannot span pages, so very long cell text is cut (the notes block is not)
MAX_CELL_CHARS = 1200
_TRUNCATED = " [...] (cut in the PDF; full text in the JSON/xlsx)"
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LATIN1_FALLBACKS = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "*"}
)


@cache
def find_unicode_font() -> tuple[Path, Path | None] | None:
    """Regular and bold DejaVu Sans under /usr/share/fonts, or None when not installed."""
    if not FONT_ROOT.is_dir():
        return None
    regular = next(iter(sorted(FONT_ROOT.rglob("DejaVuSans.ttf"))), None)
    if regular is None:
        return None
    bold = regular.with_name("DejaVuSans-Bold.ttf")
    return regular, bold if bold.is_file() else None


def pdf_font(pdf: FPDF, *, unicode: bool = True) -> tuple[str, Callable[[str], str]]:
    """The font family to write ``pdf`` in and the cleaner its text must pass.

    With ``unicode`` and DejaVu Sans installed, the font is embedded (regular and bold) and
    the cleaner replaces characters it has no glyph for; otherwise the core Helvetica and
    :func:`to_latin1`. Either way control characters are dropped and tabs become spaces.
    """
    fonts = find_unicode_font() if unicode else None
    if fonts is None:
        return "helvetica", to_latin1
    regular, bold = fonts
    pdf.add_font("dejavu", "", str(regular))
    pdf.add_font("dejavu", "B", str(bold or regular))
    return "dejavu", _unicode_cleaner(getattr(pdf.fonts["dejavu"], "cmap", {}))


def to_latin1(text: str) -> str:
    """Reduce text to what the PDF core fonts can show (accents kept where latin-1 has them).

    Control characters are dropped, tabs become spaces, other characters outside latin-1
    become their unaccented base letter where one exists, else ``?``.
    """
    out: list[str] = []
    for char in _drop_controls(text.translate(_LATIN1_FALLBACKS)):
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base if base.strip() else "?")
    return "".join(out)


def _drop_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\t", " "))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + _TRUNCATED


class _Document(FPDF):
    """FPDF with a page-number footer."""

    footer_text = ""
    font_family_name = "helvetica"
    clean: Callable[[str], str] = staticmethod(to_latin1)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.font_family_name, size=7)
        self.cell(0, 5, self.clean(f"{self.footer_text}  -  page {self.page_no()}/{{nb}}"))


class PdfPrintWriter:
    """Writes the print view as a PDF that keeps the mapping columns."""

    name = "pdf"
    media_type = "application/pdf"
    suffix = ".pdf"

    def __init__(self, *, font: Literal["auto", "core"] = "auto", compress: bool = True) -> None:
        """``font="core"`` forces the latin-1 core font; ``compress=False`` eases inspection."""
        self.font = font
        self.compress = compress

    def write(self, form: Mds2Form, *, catalogue: Mds2Catalogue) -> bytes:
        """Render the print view of ``form`` as PDF."""
        view = build_print_view(form, catalogue)
        pdf = self._document()
        pdf.footer_text = pdf.clean(view.title)
        pdf.add_page()
        self._front(pdf, view)
        for section in view.sections:
            self._section(pdf, section, view.standards)
        self._closing(pdf, view)
        return bytes(pdf.output())

    def _document(self) -> _Document:
        pdf = _Document(orientation="L", unit="mm", format="A4")
        pdf.set_compression(self.compress)
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(auto=True, margin=14)
        pdf.alias_nb_pages()
        pdf.set_title("MDS2 print view")
        pdf.set_creator("medtrust")
        pdf.font_family_name, pdf.clean = pdf_font(pdf, unicode=self.font == "auto")
        return pdf

    @staticmethod
    def _front(pdf: _Document, view: PrintView) -> None:
        family, clean = pdf.font_family_name, pdf.clean
        pdf.set_font(family, "B", 14)
        pdf.multi_cell(0, 7, clean(view.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 7)
        pdf.multi_cell(0, 4, clean(view.notice), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for label, value in view.header:
            pdf.set_font(family, "B", 9)
            pdf.cell(30, 5, clean(label))
            pdf.set_font(family, "", 9)
            pdf.multi_cell(0, 5, clean(_cut(value)), new_x="LMARGIN", new_y="NEXT")

    @staticmethod
    def _section(pdf: _Document, section: PrintSection, standards: Sequence[str]) -> None:
        family, clean = pdf.font_family_name, pdf.clean
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(family, "B", 10)
        pdf.set_fill_color(217, 217, 217)
        pdf.cell(0, 6, clean(section.heading), fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.set_fill_color(255, 255, 255)
        if section.description:
            pdf.set_font(family, "", 8)
            pdf.multi_cell(0, 4, clean(section.description), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 7)
        headings = ("Question ID", "Question (medtrust description)", "Answer", "Note", *standards)
        with pdf.table(
            col_widths=COLUMN_WIDTHS[: len(headings)],
            width=sum(COLUMN_WIDTHS[: len(headings)]),
            text_align="LEFT",
            v_align="TOP",
            line_height=3.4,
            headings_style=FontFace(emphasis="BOLD", fill_color=(240, 240, 240)),
            repeat_headings=1,
        ) as table:
            table.row([clean(h) for h in headings])
            for row in section.rows:
                indent = "   " * (row.depth - 1)
                cells = (
                    row.question_id,
                    indent + row.description,
                    row.answer,
                    row.note,
                    *row.mappings,
                )
                table.row([clean(_cut(text)) for text in cells])

    @staticmethod
    def _closing(pdf: _Document, view: PrintView) -> None:
        family, clean = pdf.font_family_name, pdf.clean
        pdf.set_fill_color(217, 217, 217)
        pdf.ln(4)
        pdf.set_font(family, "B", 10)
        pdf.cell(0, 6, clean(view.other_heading), fill=True, new_x="LMARGIN", new_y="NEXT")
        if view.other_description:
            pdf.set_font(family, "", 8)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, 4, clean(view.other_description), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, "", 8)
        text = clean(view.other_considerations or "-")
        pdf.multi_cell(0, 4, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font(family, "B", 10)
        pdf.cell(0, 6, "Notes", fill=True, new_x="LMARGIN", new_y="NEXT")
        if not view.notes:
            pdf.set_font(family, "", 8)
            pdf.cell(0, 5, "No notes.", new_x="LMARGIN", new_y="NEXT")
        for note in view.notes:
            pdf.set_font(family, "B", 8)
            pdf.cell(20, 4, clean(note.label[:40]))
            pdf.set_font(family, "", 8)
            pdf.multi_cell(0, 4, clean(note.text), align="L", new_x="LMARGIN", new_y="NEXT")


def _unicode_cleaner(cmap: object) -> Callable[[str], str]:
    """Replace characters the embedded font has no glyph for (and control characters)."""
    known = cmap if isinstance(cmap, dict) else {}

    def clean(text: str) -> str:
        return "".join(
            char if char == "\n" or ord(char) in known else "?" for char in _drop_controls(text)
        )

    return clean
