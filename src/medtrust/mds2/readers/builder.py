"""Collecting answers, notes and problems into an :class:`Mds2Form`.

Every reader feeds the same builder, so unknown IDs, duplicates, unparseable answers and date
problems are detected and worded the same way whatever the input format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from medtrust.catalog.mds2 import Mds2Catalogue, normalise_id_text
from medtrust.domain.location import Location
from medtrust.domain.mds2 import Answer, AnswerKind, FormNote, Issue, Mds2Form, Severity
from medtrust.mds2.answers import NormalisedAnswer, clean_note, normalise_answer

#: joins an inline note found in the answer with a separate note cell/column
NOTE_JOINER = " | "
_CHOICES = "Yes, No, N/A or See Note"
#: an answer ready to record: (question ID, stripped raw text, normalised result, note,
#: location of the answer, location of the ID when it is elsewhere)
NormalisedItem = tuple[
    str, str | None, NormalisedAnswer, str | None, Location | None, Location | None
]


@lru_cache(maxsize=4096)
def id_shape(text: str) -> str | None:
    """Cached :func:`normalise_id_text`: the canonical spelling of an ID-shaped text."""
    return normalise_id_text(text)


@dataclass(frozen=True, slots=True)
class CatalogueIndex:
    """Per-question facts that readers look up for every answer, built once per catalogue."""

    #: canonical ID -> (answer kind, position in the form)
    questions: Mapping[str, tuple[AnswerKind, int]]
    #: canonical IDs of the yes/no questions
    choice_ids: frozenset[str]
    #: letter prefixes of the IDs and their aliases (``DOC``, ``MPII``, ... ``SHAD``, ``SAHD``)
    prefixes: frozenset[str]
    #: section codes (``DOC`` ... ``SAHD``)
    section_codes: frozenset[str]


_INDEX_CACHE: dict[int, tuple[Mds2Catalogue, CatalogueIndex]] = {}


def catalogue_index(catalogue: Mds2Catalogue) -> CatalogueIndex:
    """The :class:`CatalogueIndex` of ``catalogue``.

    Cached by identity (the catalogue holds mappings, so it is not hashable); the catalogue is
    kept alongside so that a recycled ``id()`` is never mistaken for it.
    """
    cached = _INDEX_CACHE.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        questions = catalogue.questions
        aliases = (a for q in questions for a in q.aliases)
        index = CatalogueIndex(
            questions={q.id: (q.kind, q.order) for q in questions},
            choice_ids=frozenset(q.id for q in questions if q.kind is AnswerKind.CHOICE),
            prefixes=frozenset(i.split("-", 1)[0] for i in (*(q.id for q in questions), *aliases)),
            section_codes=frozenset(s.code for s in catalogue.sections),
        )
        cached = (catalogue, index)
        _INDEX_CACHE[id(catalogue)] = cached
    return cached[1]


def join_notes(*parts: str | None) -> str | None:
    """Join the non-empty notes with :data:`NOTE_JOINER`; None when there are none."""
    present = [p for p in parts if p]
    return NOTE_JOINER.join(present) if present else None


class FormBuilder:
    """Mutable collector used while one document is read; :meth:`build` gives the form."""

    def __init__(
        self, catalogue: Mds2Catalogue, *, source_format: str, source_name: str | None
    ) -> None:
        self.catalogue = catalogue
        self._questions = catalogue_index(catalogue).questions
        self.source_format = source_format
        self.source_name = source_name
        self._answers: dict[str, Answer] = {}
        self._in_order = True
        self._last_order = -1
        self._id_locations: dict[str, Location | None] = {}
        self._issues: list[Issue] = []
        self._notes: list[FormNote] = []
        self._other: list[str] = []
        self.headings: dict[str, str] = {}
        self.last_question: str | None = None

    # -- identifiers -------------------------------------------------------------------

    def resolve(self, id_text: str, location: Location | None) -> str | None:
        """Canonical ID for ``id_text``; records an ``unknown-id`` error when it is unknown.

        Text that is not shaped like an ID at all returns None without an issue.
        """
        if id_text in self.catalogue:  # the common case: written exactly
            return id_text
        canonical = self.catalogue.resolve_id(id_text)
        if canonical is not None:
            return canonical
        shaped = id_shape(id_text)
        if shaped is not None:
            where = f" at {location}" if location else ""
            self.issue(
                Severity.ERROR,
                "unknown-id",
                f"{id_text.strip()!r}{where} is not a question ID of the MDS2 2019 form",
                question_id=None,
                location=location,
            )
        return None

    @property
    def count(self) -> int:
        """Number of distinct questions recorded so far."""
        return len(self._answers)

    # -- answers -----------------------------------------------------------------------

    def add_answer(
        self,
        question_id: str,
        raw: str | None,
        *,
        extra_note: str | None = None,
        location: Location | None = None,
        id_location: Location | None = None,
    ) -> bool:
        """Record the answer to a (canonical) question; False when it is a duplicate."""
        known = self._questions.get(question_id)
        kind = AnswerKind.TEXT if known is None else known[0]
        if raw is not None:
            raw = raw.strip() or None
        result = normalise_answer(raw, kind)
        note = result.note
        if extra_note is not None:
            extra = clean_note(extra_note)
            if extra:
                note = f"{note}{NOTE_JOINER}{extra}" if note else extra
        return self.add_normalised(
            question_id, raw, result, note, location=location, id_location=id_location
        )

    def add_normalised(
        self,
        question_id: str,
        raw: str | None,
        result: NormalisedAnswer,
        note: str | None,
        *,
        location: Location | None,
        id_location: Location | None = None,
    ) -> bool:
        """Record an answer that is already normalised; False when it is a duplicate.

        ``raw`` is stripped (or None), ``result`` is ``normalise_answer(raw, kind)`` for the
        question's kind and ``note`` the note to keep. :meth:`add_answer` does all that; a
        reader calls this directly only when it has done the same work already.
        """
        return self.add_normalised_many(((question_id, raw, result, note, location, id_location),))

    def add_normalised_many(self, items: Iterable[NormalisedItem]) -> bool:
        """:meth:`add_normalised` for each item in turn; True when the last one was recorded.

        A reader with a run of answers ready (the text reader's fast path) hands them over in
        one call, which saves a call and the attribute look-ups per answer.
        """
        answers, questions = self._answers, self._questions
        last_order, in_order, last_question = self._last_order, self._in_order, self.last_question
        added = False
        for question_id, raw, result, note, location, id_location in items:
            if question_id in answers:
                self._duplicate(question_id, id_location or location)
                added, last_question = False, None
                continue
            known = questions.get(question_id)
            if known is not None:
                order = known[1]
                if order < last_order:
                    in_order = False
                last_order = order
            if not result.ok or result.remark is not None:
                kind = AnswerKind.TEXT if known is None else known[0]
                self._answer_issues(question_id, kind, raw, result, location)
            answers[question_id] = Answer(question_id, result.value, note, raw, location)
            if id_location is not None:  # else the ID is where the answer is
                self._id_locations[question_id] = id_location
            added, last_question = True, question_id
        self._last_order, self._in_order, self.last_question = last_order, in_order, last_question
        return added

    def _duplicate(self, question_id: str, here: Location | None) -> None:
        first = self._id_locations.get(question_id, self._answers[question_id].location)
        places = " and ".join(str(p) for p in (first, here) if p is not None)
        self.issue(
            Severity.ERROR,
            "duplicate-id",
            f"{question_id} appears more than once ({places}); the first is kept",
            question_id=question_id,
            location=here,
        )
        self.last_question = None

    def _answer_issues(
        self,
        question_id: str,
        kind: AnswerKind,
        raw: str | None,
        result: NormalisedAnswer,
        location: Location | None,
    ) -> None:
        where = f" at {location}" if location else ""
        if not result.ok and kind is AnswerKind.CHOICE:
            self.issue(
                Severity.ERROR,
                "unparseable-answer",
                f"{question_id}: answer {raw!r}{where} is not one of {_CHOICES}",
                question_id=question_id,
                location=location,
            )
        elif not result.ok:
            self.issue(
                Severity.WARNING,
                "unparseable-date",
                f"{question_id}: {raw!r}{where} is not a date we can read; kept as text",
                question_id=question_id,
                location=location,
            )
        if result.remark:
            self.issue(
                Severity.WARNING,
                "ambiguous-date",
                f"{question_id}: {result.remark}",
                question_id=question_id,
                location=location,
            )

    def append_to_last_answer(self, text: str) -> bool:
        """Append a continuation line to the note of the answer read last."""
        if self.last_question is None:
            return False
        answer = self._answers[self.last_question]
        addition = text.strip()
        if addition:
            note = f"{answer.note} {addition}" if answer.note else addition
            self._answers[self.last_question] = replace(answer, note=note)
        return True

    # -- notes, OTHR, headings -----------------------------------------------------------

    def add_note(self, label: str, text: str, location: Location | None = None) -> None:
        """Record a ``Note N`` entry from the notes block."""
        self._notes.append(FormNote(label=label.strip(), text=text.strip(), location=location))
        self.last_question = None

    def append_to_last_note(self, text: str) -> bool:
        """Append a continuation line to the last note; False when there is none."""
        if not self._notes:
            return False
        last = self._notes[-1]
        joined = f"{last.text} {text.strip()}".strip()
        self._notes[-1] = FormNote(label=last.label, text=joined, location=last.location)
        return True

    def add_other(self, text: str) -> None:
        """Add a line of OTHR (other security considerations) free text."""
        if text.strip():
            self._other.append(text.strip())

    def issue(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        question_id: str | None = None,
        location: Location | None = None,
    ) -> None:
        """Record a read issue."""
        self._issues.append(Issue(severity, code, message, question_id, location))

    # -- result --------------------------------------------------------------------------

    def _order(self, question_id: str) -> int:
        known = self._questions.get(question_id)
        return known[1] if known else 10**6

    def build(self) -> Mds2Form:
        """The form: answers in catalogue order, issues in their stable order."""
        answers = self._answers
        if not self._in_order:
            answers = {qid: answers[qid] for qid in sorted(answers, key=self._order)}
        return Mds2Form(
            answers=dict(answers),
            form_version=self.catalogue.form_version,
            notes=tuple(self._notes),
            other_considerations="\n".join(self._other) if self._other else None,
            read_issues=tuple(sorted(self._issues, key=Issue.sort_key)),
            source_format=self.source_format,
            source_name=self.source_name,
            headings=dict(self.headings),
        )
