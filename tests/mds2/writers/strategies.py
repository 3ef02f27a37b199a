"""Hypothesis strategies for filled MDS2 forms built from the packaged catalogue."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Answer, AnswerKind, AnswerValue, FormNote, Mds2Form, Question

CHOICES = [v.value for v in AnswerValue]

#: printable text without surrogates or control characters (those have their own tests)
free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
)
#: text as readers return it: stripped, not blank, not an underscore placeholder
clean_text = free_text.map(str.strip).filter(lambda t: bool(t) and set(t) != {"_"})


@st.composite
def answers(draw: st.DrawFn, question: Question, text: st.SearchStrategy[str]) -> Answer | None:
    """An answer for ``question`` or None (question absent from the form)."""
    if draw(st.integers(0, 9)) == 0:
        return None
    note = draw(st.none() | text)
    if question.kind is AnswerKind.CHOICE:
        value = draw(st.none() | st.sampled_from(CHOICES))
    elif question.kind is AnswerKind.DATE:
        day = draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
        value = day.isoformat() if day else None
    else:
        value = draw(st.none() | text)
    return Answer(question.id, value, note=note, raw=value)


@st.composite
def forms(draw: st.DrawFn, text: st.SearchStrategy[str] = free_text) -> Mds2Form:
    """A random form: answers in form order, some questions missing, notes and OTHR text."""
    catalogue = load_mds2_catalogue()
    collected: dict[str, Answer] = {}
    for question in catalogue.questions:
        answer = draw(answers(question, text))
        if answer is not None:
            collected[question.id] = answer
    count = draw(st.integers(0, 4))
    notes = tuple(FormNote(f"Note {n}", draw(text)) for n in range(1, count + 1))
    return Mds2Form(
        answers=collected, notes=notes, other_considerations=draw(st.none() | text)
    )


def form_of(values: dict[str, str | None], *, notes: dict[str, str] | None = None) -> Mds2Form:
    """A small form with the given values (raw = value) and optional per-question notes."""
    notes = notes or {}
    ids = [q.id for q in load_mds2_catalogue().questions if q.id in values or q.id in notes]
    return Mds2Form(
        answers={
            qid: Answer(qid, values.get(qid), note=notes.get(qid), raw=values.get(qid))
            for qid in ids
        }
    )
