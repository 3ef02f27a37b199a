"""The content of the HTML and PDF print views, built once from a form and the catalogue.

Both views show every section with its heading, medtrust's descriptions, the answer, the note
and the three standard-mapping cells (which the official template's print area A:D drops),
followed by OTHR and the notes block, under a header naming DOC-1/DOC-3/DOC-4/DOC-7.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import FormNote, Mds2Form
from medtrust.mds2.compare import section_heading

TITLE = "Manufacturer Disclosure Statement for Medical Device Security (MDS2)"
OTHR_CODE = "OTHR"
OTHR_HEADING = "OTHER SECURITY CONSIDERATIONS (OTHR)"
#: header fields: label -> question
HEADER_FIELDS = (
    ("Manufacturer", "DOC-1"),
    ("Model", "DOC-3"),
    ("Document ID", "DOC-4"),
    ("Release date", "DOC-7"),
)


@dataclass(frozen=True, slots=True)
class PrintRow:
    """One question as printed."""

    question_id: str
    description: str
    depth: int
    answer: str
    note: str
    #: raw mapping cells, one per standard, in column order (E, F, G)
    mappings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrintSection:
    """One section as printed."""

    code: str
    heading: str
    description: str
    rows: tuple[PrintRow, ...]


@dataclass(frozen=True, slots=True)
class PrintView:
    """Everything the print views show, in print order."""

    title: str
    notice: str
    header: tuple[tuple[str, str], ...]
    standards: tuple[str, ...]
    sections: tuple[PrintSection, ...]
    other_heading: str
    other_description: str
    other_considerations: str
    notes: tuple[FormNote, ...]


def _answer_text(form: Mds2Form, question_id: str) -> str:
    answer = form.answers.get(question_id)
    if answer is None:
        return ""
    shown = answer.value if answer.value is not None else answer.raw
    return shown or ""


def build_print_view(form: Mds2Form, catalogue: Mds2Catalogue) -> PrintView:
    """Assemble the print view of ``form``."""
    ordered = sorted(catalogue.standards, key=lambda s: s.column)
    sections: list[PrintSection] = []
    for section in catalogue.sections:
        if section.code == OTHR_CODE:
            continue
        rows = tuple(
            PrintRow(
                question_id=q.id,
                description=q.description,
                depth=q.depth,
                answer=_answer_text(form, q.id),
                note=(form.answers[q.id].note or "") if q.id in form.answers else "",
                mappings=tuple(q.mappings_raw.get(s.id) or "" for s in ordered),
            )
            for q in catalogue.section_questions(section.code)
        )
        sections.append(
            PrintSection(section.code, section_heading(section), section.description, rows)
        )
    other = catalogue.section(OTHR_CODE)
    source = f" from {form.source_name}" if form.source_name else ""
    return PrintView(
        title=TITLE,
        notice=(
            f"Print view produced by medtrust{source}. Answers and notes are the manufacturer's;"
            " question descriptions are medtrust's own summaries, not the form's question text."
        ),
        header=tuple((label, _answer_text(form, qid)) for label, qid in HEADER_FIELDS),
        standards=tuple(s.title for s in ordered),
        sections=tuple(sections),
        other_heading=other.title if other is not None and other.title else OTHR_HEADING,
        other_description=other.description if other is not None else "",
        other_considerations=form.other_considerations or "",
        notes=form.notes,
    )


@cache
def template_environment() -> Environment:
    """Jinja environment for the standalone MDS2 documents (autoescaping always on)."""
    return Environment(
        loader=PackageLoader("medtrust.mds2", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
