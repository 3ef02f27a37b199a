"""The MDS2 2019 questionnaire as data: loading, cross-reference checks and ID resolution."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from pydantic import ValidationError

from medtrust.catalog.mds2_model import Mds2CatalogueFile, QuestionModel, RuleModel
from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.mds2 import AnswerValue, ConditionalRule, Question, Section
from medtrust.errors import CatalogError
from medtrust.validation_text import first_problem

CATALOGUE_FILE = "mds2/hn1-2019.yaml"

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_ID_SHAPE = re.compile(r"^([A-Z]{3,4})-(\d+(?:\.\d+){0,2})$")
_IEC_CELL = re.compile(r"Section\s+(\d+\.\d+)\s*,\s*([A-Z]{4})")


@dataclass(frozen=True, slots=True)
class MappingStandard:
    """A standard named by one of the form's mapping columns."""

    id: str
    title: str
    column: str


@dataclass(frozen=True)
class Mds2Catalogue:
    """The questionnaire: sections, questions in form order, conditional rules."""

    form: str
    form_version: str
    catalogue_version: str
    published: str
    source: str
    licence: str
    standards: tuple[MappingStandard, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    rules: tuple[ConditionalRule, ...]
    _by_id: Mapping[str, Question] = field(repr=False, default_factory=dict)
    _aliases: Mapping[str, str] = field(repr=False, default_factory=dict)
    _polarity_notes: Mapping[str, str] = field(repr=False, default_factory=dict)

    def get(self, question_id: str) -> Question | None:
        """Return the question with this canonical ID, or None."""
        return self._by_id.get(question_id)

    def polarity_note(self, question_id: str) -> str | None:
        """Why a question has its polarity, where the choice is not obvious (else None)."""
        return self._polarity_notes.get(question_id)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        """All canonical question IDs in form order."""
        return tuple(q.id for q in self.questions)

    def section(self, code: str) -> Section | None:
        """Return a section by its code."""
        return next((s for s in self.sections if s.code == code), None)

    def section_questions(self, code: str) -> tuple[Question, ...]:
        """Questions of one section, in form order."""
        return tuple(q for q in self.questions if q.section == code)

    def children(self, question_id: str) -> tuple[Question, ...]:
        """Direct sub-questions of a question."""
        return tuple(q for q in self.questions if q.parent == question_id)

    def resolve_id(self, text: str) -> str | None:
        """Map an ID as written in a document to its canonical form, or None if unknown.

        Tolerates surrounding and inner spaces, typographic dashes, lower case, zero-padded
        numbers (``AUDT-02``) and known aliases (``SAHD-15`` for the form's ``SHAD-15``).
        """
        candidate = normalise_id_text(text)
        if candidate is None:
            return None
        if candidate in self._by_id:
            return candidate
        return self._aliases.get(candidate)


def normalise_id_text(text: str) -> str | None:
    """Canonical spelling of something shaped like a question ID, or None if it is not one."""
    compact = _DASHES.sub("-", text).replace(" ", "").replace("\u00a0", "").upper()
    match = _ID_SHAPE.match(compact)
    if match is None:
        return None
    numbers = ".".join(str(int(part)) for part in match.group(2).split("."))
    return f"{match.group(1)}-{numbers}"


def normalise_mapping_cell(standard_id: str, cell: str | None) -> tuple[str, ...]:
    """Split a mapping cell into a sorted-by-appearance list of references.

    The form's cells are irregular (``AC-17(2)/IA-3``, ``AC-6,IA-2``, ``PE- 3(4) ``,
    ``A.12.5.1*``, ``None``). Cells are split on ``,`` and ``/``; spaces and ``*`` are removed;
    ``None`` and empty parts are dropped; duplicates are removed keeping first appearance. The
    IEC TR 80001-2-2 column (``Section 5.1, ALOF``) is reduced to its capability code.
    """
    if cell is None:
        return ()
    if standard_id.startswith("iec-tr-80001"):
        return tuple(dict.fromkeys(m.group(2) for m in _IEC_CELL.finditer(cell)))
    parts: list[str] = []
    for part in re.split(r"[,/]", cell):
        cleaned = part.replace("*", "").strip()
        if not cleaned or cleaned.lower() == "none":
            continue
        # "PE- 3(4)" -> "PE-3(4)"; keep inner spaces of names such as "ISO 27038"
        cleaned = re.sub(r"-\s+", "-", cleaned)
        parts.append(cleaned)
    return tuple(dict.fromkeys(parts))


def _expand_targets(rule: RuleModel, file: Mds2CatalogueFile) -> tuple[str, ...]:
    ids = [q.id for q in file.questions]
    parents = {q.id: q.parent for q in file.questions}
    sections = {q.id: q.section for q in file.questions}
    out: list[str] = []
    for target in rule.targets:
        if target.endswith(":*"):
            code = target[:-2]
            matched = [i for i in ids if sections[i] == code and i != rule.when.question]
        elif target.endswith(".*"):
            root = target[:-2]
            matched = [i for i in ids if _is_descendant(i, root, parents)]
        else:
            matched = [target] if target in parents else []
        if not matched:
            raise CatalogError(f"{CATALOGUE_FILE}: rule {rule.id}: target {target} matches nothing")
        if rule.when.question in matched:
            raise CatalogError(
                f"{CATALOGUE_FILE}: rule {rule.id}: target {target} includes the gating question"
            )
        out.extend(matched)
    return tuple(dict.fromkeys(out))


def _is_descendant(qid: str, root: str, parents: Mapping[str, str | None]) -> bool:
    current = parents.get(qid)
    while current is not None:
        if current == root:
            return True
        current = parents.get(current)
    return False


def _check_references(file: Mds2CatalogueFile) -> None:
    where = CATALOGUE_FILE
    standard_ids = {s.id for s in file.standards}
    section_codes = [s.code for s in file.sections]
    if len(set(section_codes)) != len(section_codes):
        raise CatalogError(f"{where}: duplicate section code")
    seen: set[str] = set()
    sections: dict[str, str] = {}
    for q in file.questions:
        if q.id in seen:
            raise CatalogError(f"{where}: duplicate question ID {q.id}")
        seen.add(q.id)
        if q.section not in section_codes:
            raise CatalogError(f"{where}: {q.id}: unknown section {q.section}")
        if q.parent is not None and q.parent not in seen:
            raise CatalogError(f"{where}: {q.id}: parent {q.parent} not defined before it")
        if q.parent is not None and sections[q.parent] != q.section:
            raise CatalogError(f"{where}: {q.id}: parent {q.parent} is in another section")
        prefixes = {name.split("-", 1)[0] for name in (q.id, *q.aliases)}
        if q.section not in prefixes:
            raise CatalogError(f"{where}: {q.id}: ID prefix does not match section {q.section}")
        sections[q.id] = q.section
        if set(q.mappings_raw) != standard_ids:
            raise CatalogError(f"{where}: {q.id}: mappings_raw must name exactly {standard_ids}")
    for q in file.questions:
        for alias in q.aliases:
            if alias in seen:
                raise CatalogError(f"{where}: {q.id}: alias {alias} is itself a question ID")
    rule_ids = [r.id for r in file.rules]
    if len(set(rule_ids)) != len(rule_ids):
        raise CatalogError(f"{where}: duplicate rule id")
    for rule in file.rules:
        if rule.when.question not in seen:
            raise CatalogError(f"{where}: rule {rule.id}: unknown question {rule.when.question}")


def _depth(question: QuestionModel, parents: Mapping[str, str | None]) -> int:
    depth, current = 1, question.parent
    while current is not None:
        depth += 1
        current = parents[current]
    return depth


def build_catalogue(file: Mds2CatalogueFile) -> Mds2Catalogue:
    """Check cross-references and build the domain catalogue from a validated file model."""
    _check_references(file)
    parents = {q.id: q.parent for q in file.questions}
    questions = tuple(
        Question(
            id=q.id,
            order=index,
            section=q.section,
            parent=q.parent,
            depth=_depth(q, parents),
            description=q.description,
            kind=q.kind,
            polarity=q.polarity,
            mappings={
                s.id: normalise_mapping_cell(s.id, q.mappings_raw[s.id]) for s in file.standards
            },
            mappings_raw={s.id: q.mappings_raw[s.id] for s in file.standards},
            aliases=tuple(q.aliases),
        )
        for index, q in enumerate(file.questions, start=1)
    )
    sections = tuple(
        Section(code=s.code, title=s.heading or "", description=s.description, order=index)
        for index, s in enumerate(file.sections, start=1)
    )
    rules = tuple(
        ConditionalRule(
            id=r.id,
            question=r.when.question,
            when_values=frozenset(AnswerValue(v) for v in r.when.values),
            targets=_expand_targets(r, file),
            explanation=r.explanation,
            source=r.source,
            gate_values=frozenset(AnswerValue(v) for v in r.gate_values),
        )
        for r in file.rules
    )
    by_id = {q.id: q for q in questions}
    aliases = {alias: q.id for q in questions for alias in q.aliases}
    return Mds2Catalogue(
        form=file.form,
        form_version=file.form_version,
        catalogue_version=file.catalogue_version,
        published=file.published,
        source=file.source,
        licence=file.licence,
        standards=tuple(MappingStandard(s.id, s.title, s.column) for s in file.standards),
        sections=sections,
        questions=questions,
        rules=rules,
        _by_id=by_id,
        _aliases=aliases,
        _polarity_notes={q.id: q.polarity_note for q in file.questions if q.polarity_note},
    )


def parse_catalogue_data(data: object) -> Mds2Catalogue:
    """Validate raw (YAML-decoded) data and build the catalogue."""
    try:
        file = Mds2CatalogueFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{CATALOGUE_FILE}: {first_problem(exc, sep='/')}") from exc
    return build_catalogue(file)


@cache
def load_mds2_catalogue() -> Mds2Catalogue:
    """The packaged HN 1-2019 questionnaire (parsed once per process)."""
    return parse_catalogue_data(read_packaged_yaml(CATALOGUE_FILE))
