"""The pasted-text/markdown reader on a complete form written by the test."""

from __future__ import annotations

import pytest

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import AnswerKind, Question
from medtrust.errors import Mds2Error
from medtrust.mds2.readers import read_mds2

# (answer as pasted, expected value, expected note)
MESSY_ANSWERS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Yes,optional", "Yes", "optional"),
    ("Yes, Optional", "Yes", "Optional"),
    ('Yes,"PACS, NAS"', "Yes", "PACS, NAS"),
    ("Yes,LDAP", "Yes", "LDAP"),
    ("No,Option to disable all removable media", "No", "Option to disable all removable media"),
    ("N/A: No default accounts", "N/A", "No default accounts"),
    ("No: No end-of-life components", "No", "No end-of-life components"),
    ("____", None, None),
    ("No,", "No", None),
    ("N/A,", "N/A", None),
    ("See Note 2", "See Note", "See Note 2"),
    ("yes", "Yes", None),
    ("n/a", "N/A", None),
    ("No", "No", None),
    ("See Notes", "See Note", None),
    ("Yes - configurable by the administrator", "Yes", "configurable by the administrator"),
)
# our own question wordings, with the punctuation that makes splitting hard
QUESTION_SHAPES = (
    "Does the device, as shipped, support {id}?",
    "Capability {id}: can the owner/operator (e.g., IT, biomed) configure it?",
    "Is {id} documented? If yes, is the documentation, including annexes, available?",
    "Item {id} (see the guidance, part 2: details)",
)
TEXT_ANSWERS = {
    "DOC-1": "Acme Medical, Inc. (contact: psirt@acme.example)",
    "DOC-2": "Infusion pump, with docking station",
    "DOC-3": "AP-100, AP-200",
    "DOC-4": "MDS2-AP-2024:rev3",
    "DOC-5": "https://acme.example/contact?topic=security",
    "DOC-6": "Sends infusion records to the EMR over HL7",
}


def _question_text(question: Question, index: int) -> str:
    if question.kind is not AnswerKind.CHOICE:
        return f"Document field {question.id.lower()}"
    return QUESTION_SHAPES[index % len(QUESTION_SHAPES)].format(id=question.id.lower())


def pasted_form(catalogue: Mds2Catalogue) -> tuple[str, dict[str, tuple[str | None, str | None]]]:
    """A complete pasted form and the (value, note) expected for each ID."""
    lines = ["Manufacturer Disclosure Statement for Medical Device Security -- MDS2", ""]
    expected: dict[str, tuple[str | None, str | None]] = {}
    section = "DOC"
    for index, question in enumerate(catalogue.questions):
        if question.section != section:
            section = question.section
            heading = (catalogue.section(section) or catalogue.sections[0]).title
            lines += ["", heading, f"What {section} covers, in short.", ""]
        sep = ":" if question.section == "DOC" else ","
        text = _question_text(question, index)
        if question.id == "DOC-7":
            lines.append(f"DOC-7:{text}:2019-10-09")
            expected[question.id] = ("2019-10-09", None)
        elif question.id in TEXT_ANSWERS:
            lines.append(f"{question.id}:{text}:{TEXT_ANSWERS[question.id]}")
            expected[question.id] = (TEXT_ANSWERS[question.id], None)
        elif question.id == "DOC-8":
            answer = "Yes, Acme discloses vulnerabilities at https://acme.example/psirt?lang=en"
            lines.append(f"DOC-8:Coordinated disclosure: does the maker run a programme?:{answer}")
            expected[question.id] = (
                "Yes",
                "Acme discloses vulnerabilities at https://acme.example/psirt?lang=en",
            )
        else:
            raw, value, note = MESSY_ANSWERS[index % len(MESSY_ANSWERS)]
            joiner = ": " if index % 2 else ":"
            lines.append(f"{question.id}{sep}{text}{joiner}{raw}")
            expected[question.id] = (value, note)
    lines += [
        "",
        "OTHER SECURITY CONSIDERATIONS (OTHR)",
        "The device is used on an isolated clinical network.",
        "Notes:",
        "Note 1: First note, with a comma.",
        "Note 2: Second note",
        "continued on a second line.",
    ]
    return "\n".join(lines) + "\n", expected


@pytest.fixture(scope="module")
def catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_complete_pasted_form(catalogue: Mds2Catalogue, encoding: str) -> None:
    text, expected = pasted_form(catalogue)
    form = read_mds2(text.encode(encoding), filename="pasted.txt")
    assert form.source_format == "text"
    assert form.read_issues == ()
    assert list(form.answers) == list(catalogue.ids)
    for qid, (value, note) in expected.items():
        answer = form.answers[qid]
        assert (answer.value, answer.note) == (value, note), (qid, answer.raw)
    assert form.other_considerations == "The device is used on an isolated clinical network."
    assert [(n.label, n.text) for n in form.notes] == [
        ("Note 1", "First note, with a comma."),
        ("Note 2", "Second note continued on a second line."),
    ]
    assert form.headings["ALOF"] == "AUTOMATIC LOGOFF (ALOF)"


def test_raw_answer_and_line_locations(catalogue: Mds2Catalogue) -> None:
    text, _ = pasted_form(catalogue)
    form = read_mds2(text.encode(), filename="pasted.txt")
    lines = text.split("\n")
    for answer in form.answers.values():
        assert answer.location is not None and answer.location.kind is LocationKind.LINE
        line = lines[int(answer.location.ref) - 1]
        assert line.startswith(answer.question_id)
        if answer.raw is not None:
            assert line.endswith(answer.raw)


def test_continuation_wrapping_tabs_and_problems() -> None:
    text = "\n".join(
        [
            "- **MPII-1**,Can the device display, transmit, store, or modify personally",
            "identifiable information?: Yes",
            "MPII-2\tKeeps personal data?\tNo\tonly in volatile memory",
            "MPII-2.1,Kept temporarily?: Yes, until power-off",
            "SHA-256 checks, as the service manual explains.",
            "",
            "This line is not attached to anything.",
            "MPII-2.2,Stored persistently?: Maybe",
            "XYZW-1,Not a question of the form?: Yes",
            "MPII-2.1,Asked twice?: No",
            "MPII-2.3,Can be erased? Y E S",
        ]
    )
    form = read_mds2(text.encode(), filename="messy.md")
    assert form.answers["MPII-1"].value == "Yes"
    assert form.answers["MPII-1"].location == Location(LocationKind.LINE, "1")
    assert (form.answers["MPII-2"].value, form.answers["MPII-2"].note) == (
        "No",
        "only in volatile memory",
    )
    assert (
        form.answers["MPII-2.1"].note
        == "until power-off SHA-256 checks, as the service manual explains."
    )
    assert (form.answers["MPII-2.2"].value, form.answers["MPII-2.2"].raw) == (None, "Maybe")
    issues = {(i.code, i.question_id, str(i.location)) for i in form.read_issues}
    assert issues == {
        ("unparseable-answer", "MPII-2.2", "line 8"),
        ("unknown-id", None, "line 9"),
        ("duplicate-id", "MPII-2.1", "line 10"),
        ("unparseable-answer", "MPII-2.3", "line 11"),
    }


def test_markdown_table() -> None:
    text = "\n".join(
        [
            "| Question ID | Question | Answer | Note |",
            "|---|---|---|---|",
            "| DOC-7 | Release date | 10.09.2019 | |",
            "| ALOF-1 | Re-authentication after inactivity? | Yes, optional | See Note 1 |",
            "| ALOF-2 | Period configurable? | N/A | __ |",
            "| Note 1 | Timeout set by the administrator. | | |",
        ]
    )
    form = read_mds2(text.encode(), filename="table.md")
    assert form.source_format == "text"
    assert form.answers["DOC-7"].value == "2019-09-10"  # day.month.year
    assert (form.answers["ALOF-1"].value, form.answers["ALOF-1"].note) == (
        "Yes",
        "optional | See Note 1",
    )
    assert (form.answers["ALOF-2"].value, form.answers["ALOF-2"].note) == ("N/A", None)
    assert [(n.label, n.text) for n in form.notes] == [
        ("Note 1", "Timeout set by the administrator.")
    ]
    assert form.answers["ALOF-2"].location == Location(LocationKind.LINE, "5")


def test_text_without_ids() -> None:
    with pytest.raises(Mds2Error, match="no MDS2 question IDs") as info:
        read_mds2(b"Dear customer,\nplease find our statement attached.\n", format="text")
    assert "\n" not in str(info.value)
