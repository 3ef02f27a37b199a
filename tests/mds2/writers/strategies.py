"""Hypothesis strategies for filled MDS2 forms built from the packaged catalogue."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import strategies as st

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Answer, AnswerKind, AnswerValue, FormNote, Mds2Form, Question

CHOICES = [v.value for v in AnswerValue]

#: printable text without surrogates or control characters (those have their own tests)
free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
)
#: text as readers return it unchanged: stripped, starting and ending with a letter or digit
#: (readers drop leading separators and wrapping quotes from notes, and ``__`` placeholders)
clean_text = free_text.map(str.strip).filter(
    lambda t: bool(t) and t[0].isalnum() and t[-1].isalnum()
)


def _answer(question: Question, rng: random.Random, pool: list[str]) -> Answer | None:
    """An answer for ``question`` or None (question absent from the form)."""
    if rng.random() < 0.1:
        return None
    note = rng.choice([None, None, *pool])
    if question.kind is AnswerKind.CHOICE:
        value = rng.choice([None, *CHOICES])
    elif question.kind is AnswerKind.DATE:
        day = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 40_000))
        value = rng.choice([None, day.isoformat()])
    else:
        value = rng.choice([None, *pool])
    return Answer(question.id, value, note=note, raw=value)


@st.composite
def forms(draw: st.DrawFn, text: st.SearchStrategy[str] = free_text) -> Mds2Form:
    """A random form: answers in form order, some questions missing, notes and OTHR text.

    Hypothesis draws a pool of texts and a seed; the seed spreads the pool over the 240
    questions (drawing 240 answers one by one would make every example slow).
    """
    catalogue = load_mds2_catalogue()
    pool = draw(st.lists(text, min_size=1, max_size=6))
    rng = random.Random(draw(st.integers(0, 2**32)))
    collected: dict[str, Answer] = {}
    for question in catalogue.questions:
        answer = _answer(question, rng, pool)
        if answer is not None:
            collected[question.id] = answer
    notes = tuple(
        FormNote(f"Note {n}", text) for n, text in enumerate(draw(st.lists(text, max_size=4)), 1)
    )
    return Mds2Form(answers=collected, notes=notes, other_considerations=draw(st.none() | text))


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
