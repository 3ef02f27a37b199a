"""Generate synthetic filled MDS2 forms for the parsing benchmark.

Writes N forms twice: as xlsx workbooks in the NEMA 2019 layout (sheet ``mds2-form``, columns
A-G, section headings, DOC-7 as a real date cell, ``__`` note placeholders, Notes after OTHR),
written with openpyxl; and as pasted text in the shapes manufacturers use
(``DOC-1:Question:Answer``, ``MPII-1,Question: Answer``, inline notes such as ``Yes,optional``).
Answers come from :func:`medtrust.mds2.synth.synthesise_form` (coherent with the catalogue's
rules). Question text is our own placeholder wording, never NEMA's.

Usage: python bench/generate_mds2.py OUT_DIR [--count 1000]
"""

from __future__ import annotations

import argparse
import io
import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.mds2 import Answer, AnswerKind, Mds2Form, Question
from medtrust.mds2.synth import demo_identities, synthesise_form

INLINE_NOTES = ("optional", "Optional", '"PACS, NAS"', "LDAP", "configurable by the administrator")
STANDARD_HEADERS = ("IEC TR 80001-2-2:2012", "NIST SP 800-53 Rev. 4", "ISO 27002:2013")


def question_text(question: Question) -> str:
    """Placeholder question wording with the punctuation real questions have."""
    if question.kind is not AnswerKind.CHOICE:
        return f"Document field {question.id}"
    return f"Does the device, as shipped, provide capability {question.id} (e.g., by default)?"


def synthetic_forms(count: int, catalogue: Mds2Catalogue) -> list[Mds2Form]:
    """``count`` coherent synthetic forms."""
    identities = demo_identities(count)
    return [
        synthesise_form(catalogue, identity, seed=index, strength=0.3 + 0.6 * (index % 7) / 6)
        for index, identity in enumerate(identities)
    ]


def _xlsx_rows(form: Mds2Form, catalogue: Mds2Catalogue) -> list[list[object]]:
    rows: list[list[object]] = [
        ["THIS WORKSHEET WAS GENERATED FOR A BENCHMARK."],
        ["Manufacturer Disclosure Statement for Medical Device Security -- MDS2"],
        [form.value("DOC-1"), form.value("DOC-3"), form.value("DOC-4"), None],
        [],
        ["Question ID", "Question", None, "See note", *STANDARD_HEADERS],
    ]
    section = "DOC"
    for question in catalogue.questions:
        if question.section != section:
            section = question.section
            title = (catalogue.section(section) or catalogue.sections[0]).title
            rows += [[], [None, title, None, None, *STANDARD_HEADERS]]
            rows.append([None, f"Purpose of the {section} section."])
        answer = form.answers.get(question.id) or Answer(question.id, None)
        cell: object = answer.raw
        if question.kind is AnswerKind.DATE and answer.value:
            cell = date.fromisoformat(answer.value)
        mappings = [question.mappings_raw.get(s.id) for s in catalogue.standards]
        rows.append([question.id, question_text(question), cell, answer.note or "__", *mappings])
    rows += [[], [None, "OTHER SECURITY CONSIDERATIONS (OTHR)"]]
    rows.append([" ", form.other_considerations or "NONE"])
    rows += [[None, "Notes:"]]
    rows += [[note.label, note.text] for note in form.notes]
    return rows


def form_to_xlsx(form: Mds2Form, catalogue: Mds2Catalogue) -> bytes:
    """The form as a NEMA-layout workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("mds2-form")
    for row in _xlsx_rows(form, catalogue):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_to_text(form: Mds2Form, catalogue: Mds2Catalogue, *, seed: int) -> bytes:
    """The form as pasted text with inline notes on some answers."""
    rng = random.Random(seed)
    lines = ["Manufacturer Disclosure Statement for Medical Device Security -- MDS2", ""]
    section = "DOC"
    for question in catalogue.questions:
        if question.section != section:
            section = question.section
            lines += ["", (catalogue.section(section) or catalogue.sections[0]).title]
        answer = form.answers.get(question.id) or Answer(question.id, None)
        raw = answer.raw or "____"
        if question.kind is AnswerKind.CHOICE and answer.raw and rng.random() < 0.15:
            raw = f"{answer.raw},{rng.choice(INLINE_NOTES)}"
        separator = ":" if question.section == "DOC" else ","
        gap = ": " if question.section != "DOC" else ":"
        lines.append(f"{question.id}{separator}{question_text(question)}{gap}{raw}")
    lines += ["", "OTHER SECURITY CONSIDERATIONS (OTHR)", form.other_considerations or "NONE"]
    lines += ["Notes:"] + [f"{note.label}: {note.text}" for note in form.notes]
    return ("\n".join(lines) + "\n").encode("utf-8")


def generate(out_dir: Path, count: int) -> tuple[list[Path], list[Path]]:
    """Write ``count`` forms as ``form-NNNN.xlsx`` and ``form-NNNN.txt``; return the paths."""
    catalogue = load_mds2_catalogue()
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx_paths, text_paths = [], []
    for index, form in enumerate(synthetic_forms(count, catalogue)):
        xlsx_path = out_dir / f"form-{index:04d}.xlsx"
        xlsx_path.write_bytes(form_to_xlsx(form, catalogue))
        text_path = out_dir / f"form-{index:04d}.txt"
        text_path.write_bytes(form_to_text(form, catalogue, seed=index))
        xlsx_paths.append(xlsx_path)
        text_paths.append(text_path)
    return xlsx_paths, text_paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    xlsx_paths, _ = generate(args.out_dir, args.count)
    print(f"wrote {len(xlsx_paths)} xlsx and {len(xlsx_paths)} text forms to {args.out_dir}")


if __name__ == "__main__":
    main()
