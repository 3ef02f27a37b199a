"""Synthetic but coherent MDS2 forms, for the demo, benchmarks and tests.

Answers respect the catalogue's conditional rules (gated questions become N/A) and lean towards
the protective answer with probability ``strength``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import (
    Answer,
    AnswerKind,
    AnswerValue,
    FormNote,
    Mds2Form,
    Polarity,
    Question,
)


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """The DOC block of a synthetic form."""

    manufacturer: str
    model: str
    description: str
    document_id: str
    contact: str
    intended_use: str
    release_date: date


def _choice(question: Question, rng: random.Random, strength: float) -> str:
    if question.polarity is Polarity.NEUTRAL:
        return rng.choice((AnswerValue.YES, AnswerValue.NO)).value
    protective = rng.random() < strength
    if question.polarity is Polarity.YES_PROTECTS:
        return (AnswerValue.YES if protective else AnswerValue.NO).value
    return (AnswerValue.NO if protective else AnswerValue.YES).value


def synthesise_form(
    catalogue: Mds2Catalogue,
    identity: DeviceIdentity,
    *,
    seed: int,
    strength: float = 0.6,
    note_rate: float = 0.05,
) -> Mds2Form:
    """A complete form for ``identity`` whose answers follow the catalogue's rules."""
    rng = random.Random(seed)  # noqa: S311 - not for security
    doc_text = {
        "DOC-1": identity.manufacturer,
        "DOC-2": identity.description,
        "DOC-3": identity.model,
        "DOC-4": identity.document_id,
        "DOC-5": identity.contact,
        "DOC-6": identity.intended_use,
    }
    gated_by: dict[str, list[tuple[str, frozenset[AnswerValue]]]] = {}
    for rule in catalogue.rules:
        for target in rule.targets:
            gated_by.setdefault(target, []).append((rule.question, rule.when_values))
    closing = {rule.question: rule.when_values for rule in catalogue.rules}
    values: dict[str, str | None] = {}
    answers: dict[str, Answer] = {}
    notes: list[FormNote] = []
    for q in catalogue.questions:
        note = None
        if q.kind is AnswerKind.TEXT:
            value: str | None = doc_text.get(q.id, "")
        elif q.kind is AnswerKind.DATE:
            value = identity.release_date.isoformat()
        elif any(
            values.get(gate) in {v.value for v in when} for gate, when in gated_by.get(q.id, [])
        ):
            value = AnswerValue.NA.value
        elif q.id in closing and rng.random() < 0.85:
            # gates mostly open their section, as in real forms
            opening = [v for v in (AnswerValue.YES, AnswerValue.NO) if v not in closing[q.id]]
            value = (opening or [AnswerValue.YES])[0].value
        else:
            value = _choice(q, rng, strength)
            if rng.random() < note_rate:
                label = f"Note {len(notes) + 1}"
                notes.append(FormNote(label, f"Details for {q.id}: {q.description.lower()}."))
                note = f"See {label}"
        values[q.id] = value
        answers[q.id] = Answer(question_id=q.id, value=value, note=note, raw=value)
    return Mds2Form(
        answers=answers,
        notes=tuple(notes),
        other_considerations="None.",
        source_format="synthetic",
    )


def demo_identities(count: int, *, seed: int = 7) -> list[DeviceIdentity]:
    """Plausible device identities for the demo."""
    rng = random.Random(seed)  # noqa: S311 - not for security
    makers = ("Acme Medical", "Northwind Imaging", "Helix Diagnostics", "Borealis Care")
    kinds = (
        ("Infusion pump", "Delivers fluids and drugs at programmed rates; sends logs to the PDMS"),
        ("Patient monitor", "Bedside vital-signs monitor streaming to the central station"),
        ("Ultrasound system", "Diagnostic imaging; stores studies to PACS over DICOM"),
        ("Blood gas analyser", "Point-of-care analyser reporting results to the LIS"),
        ("Anaesthesia workstation", "Ventilation and monitoring; exports records to the AIMS"),
    )
    out = []
    for index in range(count):
        maker = makers[index % len(makers)]
        kind, use = kinds[index % len(kinds)]
        model = f"{kind.split()[0][:4].upper()}-{100 + index * 7}"
        out.append(
            DeviceIdentity(
                manufacturer=maker,
                model=model,
                description=kind,
                document_id=f"MDS2-{model}-{rng.randint(1, 9)}",
                contact=f"psirt@{maker.split()[0].lower()}.example",
                intended_use=use,
                release_date=date(2024, 1, 15) + timedelta(days=rng.randint(0, 600)),
            )
        )
    return out
