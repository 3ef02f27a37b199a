from __future__ import annotations

import re

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Answer, FormNote, Mds2Form
from medtrust.mds2.readers.registry import read_mds2
from medtrust.mds2.writers.html_print import HtmlPrintWriter
from medtrust.mds2.writers.pdf_print import PdfPrintWriter, to_latin1
from tests.mds2.writers.strategies import form_of
from tests.shared_data import shared_file

HOSTILE = '<script>alert("x")</script>'
NON_LATIN = "Σημείωση: κρυπτογράφηση AES · 注意：仅限管理员 · ☃"


def _html(form: Mds2Form) -> str:
    return HtmlPrintWriter().write(form, catalogue=load_mds2_catalogue()).decode("utf-8")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _nema() -> Mds2Form:
    data = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    return read_mds2(data, filename="nema-example-mds2-2019.xlsx")


def test_html_has_every_section_description_and_mapping_column() -> None:
    catalogue = load_mds2_catalogue()
    html = _html(Mds2Form(answers={}))
    assert html.startswith("<!DOCTYPE html>")
    assert "size: A4 landscape" in html
    for section in catalogue.sections:
        if section.title:
            assert f"<h2>{section.title}</h2>" in html.replace("&amp;", "&")
    for standard in catalogue.standards:
        assert f"<th>{standard.title}</th>" in html
    for question in catalogue.questions:
        assert f'<td class="id">{question.id}</td>' in html
    # the raw mapping cells are printed
    mapped = next(q for q in catalogue.questions if q.mappings_raw.get("nist-sp-800-53-r4"))
    assert f"<td>{mapped.mappings_raw['nist-sp-800-53-r4']}</td>" in html


def test_html_header_names_the_document_fields() -> None:
    form = form_of(
        {"DOC-1": "Acme Medical", "DOC-3": "Pump 9", "DOC-4": "MDS2-77", "DOC-7": "2024-02-01"}
    )
    html = _html(form)
    for label, value in (
        ("Manufacturer", "Acme Medical"),
        ("Model", "Pump 9"),
        ("Document ID", "MDS2-77"),
        ("Release date", "2024-02-01"),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html


def test_html_escapes_hostile_text_everywhere() -> None:
    form = Mds2Form(
        answers={
            "ALOF-1": Answer("ALOF-1", "Yes", note=HOSTILE, raw="Yes"),
            "DOC-1": Answer("DOC-1", HOSTILE, raw=HOSTILE),
        },
        notes=(FormNote(HOSTILE, HOSTILE),),
        other_considerations=HOSTILE,
        source_name=HOSTILE,
    )
    html = _html(form)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 6


def test_html_of_the_nema_example_shows_answers_and_notes() -> None:
    html = _html(_nema())
    assert "See Note 1" in html
    assert "Note 8" in html
    assert "2019-10-09" in html


def test_pdf_is_a_multi_page_document_with_the_answers() -> None:
    form = _nema()
    pdf = PdfPrintWriter(font="core", compress=False).write(form, catalogue=load_mds2_catalogue())
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) > 1
    # with the core font and no compression, text is written as literal strings
    assert b"(Hidden)" in pdf
    assert b"(See Note 1)" in pdf
    assert b"(2019-10-09)" in pdf
    assert b"(IEC TR 80001-2-2:2012)" in pdf
    assert b"(Section 5.1, ALOF)" in pdf


def test_pdf_never_fails_on_non_latin_or_huge_text() -> None:
    form = Mds2Form(
        answers={
            "DOC-1": Answer("DOC-1", NON_LATIN, raw=NON_LATIN),
            "ALOF-1": Answer("ALOF-1", "Yes", note=NON_LATIN + "\x00\x07\t", raw="Yes"),
            "ALOF-2": Answer("ALOF-2", "No", note="long " * 5_000, raw="No"),
        },
        notes=(FormNote("Note 1", NON_LATIN * 50), FormNote("Σ", "x" * 20_000)),
        other_considerations=NON_LATIN,
    )
    for font in ("auto", "core"):
        pdf = PdfPrintWriter(font=font).write(form, catalogue=load_mds2_catalogue())
        assert pdf.startswith(b"%PDF")
        assert _pages(pdf) > 1


def test_latin1_fallback_keeps_what_it_can() -> None:
    assert to_latin1("Café – “ok” ≥ Σ\x07") == 'Café - "ok" ? ?'
