"""The pasted-text reader's fast path against its careful path (the reference).

The fast path takes plain ``ID<sep>question?<sep>answer`` lines of yes/no questions with one
regex; every other line goes through the careful path. These tests check, on generated lines
and documents, that reading with the fast path gives exactly the form the careful path gives
(answers, notes, locations, issues, OTHR text, headings), and that the fast path really is taken
for the common shapes, so that the comparison is not vacuous.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import example, given, settings
from hypothesis import strategies as st

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.mds2 import AnswerKind, Mds2Form
from medtrust.mds2.answers import normalise_choice_answer
from medtrust.mds2.readers.builder import FormBuilder, NormalisedItem
from medtrust.mds2.readers.encoding import _looks_binary_decoded, looks_binary
from medtrust.mds2.readers.text import TextReader, _ends, line_location, parse_lines
from tests.mds2.readers.test_text import MESSY_ANSWERS, QUESTION_SHAPES, pasted_form


@cache
def _catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


@cache
def _choice_ids() -> tuple[str, ...]:
    return tuple(q.id for q in _catalogue().questions if q.kind is AnswerKind.CHOICE)


def read_both(lines: list[str]) -> tuple[Mds2Form, Mds2Form, int]:
    """The form read with the fast path, the form read carefully, and the fast-path count."""
    fast = FormBuilder(_catalogue(), source_format="text", source_name="t.txt")
    taken = parse_lines(fast, lines, fast=True)
    careful = FormBuilder(_catalogue(), source_format="text", source_name="t.txt")
    assert parse_lines(careful, lines, fast=False) == 0
    return fast.build(), careful.build(), taken


# -- generated lines ---------------------------------------------------------------------------

#: IDs as written: canonical choice IDs, free-text/date IDs, an alias, unknown IDs, IDs with
#: spaces, lower case, typographic dashes, zero padding, extra digits (ASCII and Arabic-Indic)
ID_SPELLINGS = st.one_of(
    st.sampled_from(_choice_ids()),
    st.sampled_from(
        (
            "DOC-1",
            "DOC-7",
            "SAHD-15",
            "SHAD-15",
            "XYZW-1",
            "mpii-1",
            "MPII - 1",
            "MPII\u20111",
            "AUDT-01",
            "MPII-2.12",
            "MPII-2.1\u0663",
            "MPII-2.1.",
            "MPII-2.1.5.7",
            "SHA-256",
        )
    ),
)
#: fragments that matter to either path: separators, markup, whitespace of several kinds,
#: digits, question marks, note labels and heading shapes
FRAGMENTS = st.sampled_from(
    (
        ":",
        ",",
        ";",
        "-",
        "\u2013",
        "\u2014",
        "!",
        ".",
        "|",
        ")",
        "(",
        "?",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u2003",
        "\x0b",
        "\x1c",
        "*",
        "**",
        "`",
        "#",
        "- ",
        "1. ",
        "1",
        "\u0663",
        ".5",
        "_",
        "____",
        "Note 1:",
        "Notes:",
        "(ALOF)",
        "(OTHR)",
        "AUTOMATIC LOGOFF",
        "Does the device, as shipped, support it",
        "e.g., by default",
        "see the manual: part 2",
    )
)
ANSWERS = st.sampled_from(
    (
        *(raw for raw, _, _ in MESSY_ANSWERS),
        "Yes",
        "No",
        "N/A",
        "See Note",
        "See Notes",
        "YES.",
        "n / a",
        "Not applicable",
        "Maybe",
        "Nothing",
        "Yesterday",
        "NAS",
        "Y E S",
        "2019-10-09",
        "Yes? No",
        "Yes\tNo",
        "**Yes**",
        "",
    )
)
SPECIAL_LINES = st.sampled_from(
    (
        "",
        "OTHER SECURITY CONSIDERATIONS (OTHR)",
        "AUTOMATIC LOGOFF (ALOF)",
        "Note 2: text",
        "Notes:",
        "continuation text",
        "| ID | Question | Answer |",
        "MPII-2,Personal data kept",
    )
)
ANY_TEXT = st.text(st.characters(exclude_characters="\n\r", codec="utf-8"))


def _pieces(parts: list[str]) -> str:
    return "".join(parts)


#: lines built like answer lines, each part optionally replaced by noise
ANSWER_LINES = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(("", "", " ", "\t", "- ", "**", "| ")),
    ID_SPELLINGS,
    st.lists(FRAGMENTS, max_size=3).map(_pieces),
    st.sampled_from(("", "Does the device support it", "Item (see 2: details), e.g. x")),
    st.sampled_from(("?", "?", "", "??", ":", "?:")),
    st.lists(FRAGMENTS, max_size=2).map(_pieces),
    ANSWERS,
    st.lists(FRAGMENTS, max_size=2).map(_pieces),
    st.sampled_from(("", "", " ", "\t", "\u2003")),
)
LINES = st.one_of(
    ANSWER_LINES,
    st.lists(FRAGMENTS, max_size=6).map(_pieces),
    SPECIAL_LINES,
    ANY_TEXT,
)


@settings(max_examples=1000, deadline=None)
@given(ANSWER_LINES)
@example("MPII-2.1\u0663,Kept?: Yes")
@example("MPII-2.1,Kept?:\u2003Yes")
@example("MPII-2.1,Kept?: **Yes**")
@example("SAHD-15,Hardened?: Yes")
@example("MPII-1 ,Personal data? : Yes ")
@example("MPII-1,Personal data?: Yes, **bold** and `code`")
@example("MPII-1,Personal data?: Yes\tonly in RAM")
def test_fast_path_equals_careful_path_on_one_line(line: str) -> None:
    fast, careful, _ = read_both([line])
    assert fast == careful


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12))
@example(["OTHER SECURITY CONSIDERATIONS (OTHR)", "MPII-1,Personal data?: Yes", "continued"])
@example(["MPII-1,Personal data? The device", "MPII-2,Kept?: No", "wraps"])
@example(["MPII-1,Kept?: Yes", "MPII-1,Kept?: No", "after a duplicate"])
@example(["Note 1: text", "MPII-1,Kept?: Yes", "more"])
def test_fast_path_equals_careful_path_on_documents(lines: list[str]) -> None:
    fast, careful, _ = read_both(lines)
    assert fast == careful


# -- the fast path is taken where it should be -------------------------------------------------

PLAIN_ANSWERS = ("Yes", "No", "N/A", "See Note", "See Notes", "Yes,optional", "____", "No,")


@settings(max_examples=300, deadline=None)
@given(
    question_id=st.sampled_from(_choice_ids()),
    separator=st.sampled_from((":", ",", ", ", " ", ": ")),
    question=st.sampled_from(
        ("Does the device, as shipped, support it", "Capability: can it (e.g., IT) do so", "")
    ),
    gap=st.sampled_from(("", " ", ":", ": ", " - ", ",")),
    answer=st.sampled_from(PLAIN_ANSWERS),
)
def test_plain_answer_lines_take_the_fast_path(
    question_id: str, separator: str, question: str, gap: str, answer: str
) -> None:
    line = f"{question_id}{separator}{question}?{gap}{answer}"
    fast, careful, taken = read_both([line])
    assert taken == 1
    assert fast == careful
    assert fast.answers[question_id].raw == answer  # raw keeps "No," and "____" as written


def test_pasted_form_mostly_takes_the_fast_path() -> None:
    text, _ = pasted_form(_catalogue())
    lines = text.split("\n")
    fast, careful, taken = read_both(lines)
    assert fast == careful
    assert len(fast.answers) == 240
    # yes/no lines with the two question shapes that hold one "?" take it (see QUESTION_SHAPES),
    # and so does DOC-8 (its own line; a "?" in the note after the answer does not matter); the
    # shape with two "?" and the one without any, free text and dates are read carefully
    single_mark = [
        q.id
        for index, q in enumerate(_catalogue().questions)
        if q.kind is AnswerKind.CHOICE and q.id != "DOC-8" and index % len(QUESTION_SHAPES) < 2
    ]
    assert QUESTION_SHAPES[0].count("?") == QUESTION_SHAPES[1].count("?") == 1
    assert taken == len(single_mark) + 1


def test_reader_fast_and_careful_give_the_same_form() -> None:
    text, _ = pasted_form(_catalogue())
    data = text.encode("utf-8")
    catalogue = _catalogue()
    fast = TextReader().read(data, filename="p.txt", catalogue=catalogue)
    careful = TextReader(fast=False).read(data, filename="p.txt", catalogue=catalogue)
    assert fast == careful


def test_duplicates_and_order_on_the_fast_path() -> None:
    lines = ["ALOF-2,Configurable?: No", "ALOF-1,Logoff?: Yes", "ALOF-1,Again?: No"]
    fast, careful, taken = read_both(lines)
    assert taken == 3
    assert fast == careful
    assert list(fast.answers) == ["ALOF-1", "ALOF-2"]  # catalogue order, not line order
    assert [(i.code, str(i.location)) for i in fast.read_issues] == [("duplicate-id", "line 3")]


# -- decoding: the byte-counting binary check equals the text one ------------------------------


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(("utf-8", "cp1252", "latin-1")))
def test_byte_count_of_controls_equals_text_count(body: bytes, encoding: str) -> None:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        return
    assert _looks_binary_decoded(body, text, encoding) == looks_binary(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(max_codepoint=0x2FF)))
def test_looks_binary_counts_controls_like_the_regex(text: str) -> None:
    sample = text[:65536]
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f]", sample))
    expected = "\x00" in text or (bool(sample) and controls > 0.01 * len(sample))
    assert looks_binary(text) == expected


@given(st.text(alphabet="ab?:, "), st.sampled_from("?:,"))
def test_ends_lists_the_positions_after_each_mark(text: str, mark: str) -> None:
    assert _ends(text, mark) == [m.end() for m in re.finditer(re.escape(mark), text)]


# -- the builder's batch entry point behaves like one call per answer ---------------------------


def test_batch_of_answers_equals_answers_one_by_one() -> None:
    catalogue = _catalogue()
    raws = [("ALOF-2", "No"), ("ALOF-1", "Yes,optional"), ("ALOF-1", "No"), ("AUDT-1", "Maybe")]
    one_by_one = FormBuilder(catalogue, source_format="text", source_name=None)
    last = [
        one_by_one.add_answer(qid, raw, location=line_location(n))
        for n, (qid, raw) in enumerate(raws, 1)
    ][-1]
    batched = FormBuilder(catalogue, source_format="text", source_name=None)
    items: list[NormalisedItem] = [
        (qid, raw, normalise_choice_answer(raw), normalise_choice_answer(raw).note, loc, None)
        for qid, raw, loc in ((q, r, line_location(n)) for n, (q, r) in enumerate(raws, 1))
    ]
    assert last is True  # the last one, AUDT-1, is recorded (with an unparseable answer)
    assert batched.add_normalised_many(items) is True
    assert batched.build() == one_by_one.build()
    assert batched.last_question == one_by_one.last_question == "AUDT-1"


def test_after_a_duplicate_nothing_is_appended_to_an_answer() -> None:
    builder = FormBuilder(_catalogue(), source_format="text", source_name=None)
    result = normalise_choice_answer("Yes")
    item: NormalisedItem = ("ALOF-1", "Yes", result, None, line_location(1), None)
    assert builder.add_normalised_many([item, item]) is False
    assert builder.append_to_last_answer("more text") is False
    assert builder.build().answers["ALOF-1"].note is None
