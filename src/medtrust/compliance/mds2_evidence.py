"""Evidence from a filled MDS2 form: one statement per choice question (pure, no I/O).

The answer and the question's polarity give the :class:`~medtrust.compliance.evidence.Signal`
(``catalog/data/evidence/mds2-answers.yaml``): with the packaged rules, "Yes" to a question where
yes protects is positive evidence, "No" or no answer is a gap signal, "N/A" says not applicable,
"See Note" needs review, and answers to exposure or descriptive questions are context only.

Each item's subject is the question's node in the ``mds2-2019`` catalogue. A sub-question without
mappings of its own is anchored at its nearest ancestor (parent question or section) that has
some, so the assessment can still follow the crosswalk to IEC TR 80001-2-2 and beyond.
"""

from __future__ import annotations

from medtrust.compliance.evidence import Evidence, EvidenceKind, Signal
from medtrust.compliance.evidence_files import AnswerKey, Mds2EvidenceFile
from medtrust.compliance.inference import infer_in
from medtrust.compliance.library import Library
from medtrust.compliance.mds2_adapter import TR_FRAMEWORK_ID, Mds2CatalogueLike, node_urn
from medtrust.domain.mds2 import AnswerKind, AnswerValue, Mds2Form, Question

_NOTE_CHARS = 160


def anchor_of(urn: str, library: Library) -> str:
    """The node itself if it has mappings, else its nearest ancestor that has (else itself)."""
    current: str | None = urn
    while current is not None:
        if library.mappings_from(current):
            return current
        current = library.node(current).parent
    return urn


def _answer_key(value: str | None) -> AnswerKey:
    if value is None:
        return AnswerKey.UNANSWERED
    try:
        return AnswerKey(AnswerValue(value).value)
    except ValueError:
        return AnswerKey.UNANSWERED


def _capability(anchor: str, library: Library, fallback: str) -> str:
    if library.node(anchor).framework == TR_FRAMEWORK_ID:
        node = library.node(anchor)
        return f"{node.ref_id} ({node.name})"
    for result in infer_in(library, anchor, TR_FRAMEWORK_ID, max_hops=1):
        node = library.node(result.target)
        return f"{node.ref_id} ({node.name})"
    return fallback


def question_evidence(
    question: Question,
    value: str | None,
    note: str | None,
    *,
    rules: Mds2EvidenceFile,
    library: Library,
    source: str,
    where: str | None = None,
) -> Evidence:
    """The evidence stated by one answer to one choice question."""
    key = _answer_key(value)
    signal = rules.signals[question.polarity][key]
    subject = node_urn(question.id)
    anchor = anchor_of(subject, library)
    section = library.node(node_urn(question.section)).name
    fields = {
        "question": question.id,
        "description": question.description.rstrip("."),
        "answer": "nothing (unanswered)" if key is AnswerKey.UNANSWERED else f"'{key.value}'",
        "capability": _capability(anchor, library, f"of section {question.section} ({section})"),
        "note": f": {note.strip()[:_NOTE_CHARS]}" if note and note.strip() else "",
    }
    statement = rules.statements[signal].format(**fields)
    if anchor != subject:
        statement += f" Mapped through {library.node(anchor).ref_id}, which has the mappings."
    remedy = (
        rules.remedies.get(signal, "").format(**fields) if signal is not Signal.POSITIVE else ""
    )
    location = f", {where}" if where else ""
    return Evidence(
        id=f"mds2:{question.id}",
        kind=EvidenceKind.MDS2_ANSWER,
        subject=subject,
        signal=signal,
        statement=statement,
        source=f"{source}, question {question.id}{location}",
        remedy=remedy,
        anchor=anchor,
    )


def mds2_evidence(
    form: Mds2Form,
    catalogue: Mds2CatalogueLike,
    *,
    rules: Mds2EvidenceFile,
    library: Library,
    source: str | None = None,
) -> tuple[Evidence, ...]:
    """Evidence for every choice question of the catalogue, in form order."""
    name = source or form.source_name or "MDS2 form"
    out: list[Evidence] = []
    for question in sorted(catalogue.questions, key=lambda q: q.order):
        if question.kind is not AnswerKind.CHOICE:
            continue
        answer = form.answers.get(question.id)
        out.append(
            question_evidence(
                question,
                answer.value if answer else None,
                answer.note if answer else None,
                rules=rules,
                library=library,
                source=f"MDS2 {name}",
                where=str(answer.location) if answer and answer.location else None,
            )
        )
    return tuple(out)
