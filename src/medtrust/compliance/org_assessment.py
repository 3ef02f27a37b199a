"""Organisation self-assessment: NIS2 Art. 21 answers reused for ISO/IEC 27001 and GDPR Art. 32.

A hospital answers the measures of Directive (EU) 2022/2555 Art. 21(1)-(2)(j) once (status,
evidence, owner). :func:`project_answers` carries each answer along the packaged mapping sets
(``nis2-to-iso-27001-2022``, ``nis2-to-gdpr``) onto ISO/IEC 27001:2022 Annex A controls and GDPR
Art. 32 items, so nothing is answered twice. A direct answer on a target requirement always wins
over a projected one. Every projected status names the answers it comes from and the mapping
path, so it can be checked.

Projection rules (conservative; stated in :data:`PROJECTION_RULES`):

* an *implemented* answer carries over as *implemented* only through ``equal`` or ``superset``
  (the NIS2 measure contains the control's subject); through ``intersect``/``subset`` it carries
  over as *partly*, because the overlap is not the whole control;
* *partly* stays *partly*, *not implemented* stays *not implemented*;
* *not applicable* is never carried over (applicability is decided per requirement);
* several contributions: all *implemented* gives *implemented*, all *not implemented* gives
  *not implemented*, anything else *partly*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from medtrust.compliance.inference import infer_in
from medtrust.compliance.library import Library
from medtrust.compliance.model import InferredMapping, Node
from medtrust.compliance.relation import Relation

#: The framework the hospital answers.
SOURCE_FRAMEWORK = "nis2"
#: Frameworks the answers are projected onto, in display order.
TARGET_FRAMEWORKS = ("iso-27001-2022", "gdpr")
#: Only direct mappings are followed: a two-hop route through another NIS2 item would reuse an
#: answer for a measure it was never given for.
PROJECTION_HOPS = 1

PROJECTION_RULES = (
    "A direct answer on a requirement wins over a projected one.",
    "Implemented carries over as implemented through equal/superset mappings, else as partly.",
    "Partly stays partly; not implemented stays not implemented; not applicable is not carried.",
    "Several answers: all implemented -> implemented, all not implemented -> not implemented, "
    "otherwise partly.",
)


class AnswerStatus(StrEnum):
    """What an organisation says about one requirement."""

    IMPLEMENTED = "implemented"
    PARTLY = "partly"
    NOT_IMPLEMENTED = "not-implemented"
    NOT_APPLICABLE = "not-applicable"

    @property
    def label(self) -> str:
        """Human-readable status."""
        return self.value.replace("-", " ")


@dataclass(frozen=True, slots=True)
class Answer:
    """One self-assessment answer of an organisation."""

    urn: str
    status: AnswerStatus
    evidence: str = ""
    owner: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One answer reaching a target requirement through a mapping path."""

    answer: Answer
    mapping: InferredMapping
    carried: AnswerStatus

    def explain(self) -> str:
        """Which answer, which path, and what it carries over as."""
        return (
            f"{self.answer.urn} answered {self.answer.status.label}, carried as "
            f"{self.carried.label} via {self.mapping.explain()}"
        )


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """The status of one requirement: answered directly, projected, or open."""

    node: Node
    status: AnswerStatus | None
    origin: str  # "direct", "projected" or "open"
    direct: Answer | None
    contributions: tuple[Contribution, ...]

    @property
    def explanation(self) -> str:
        """Why the requirement has this status."""
        if self.direct is not None:
            return f"answered directly: {self.direct.status.label}"
        if not self.contributions:
            return "no answer reaches this requirement; answer it directly"
        return "; ".join(c.explain() for c in self.contributions)


@dataclass(frozen=True, slots=True)
class FrameworkProjection:
    """All assessable requirements of one framework with their statuses."""

    framework_id: str
    framework_name: str
    requirements: tuple[RequirementStatus, ...]

    def counts(self) -> dict[str, int]:
        """How many requirements have each status (``open`` for none), keys sorted."""
        out: dict[str, int] = {s.value: 0 for s in AnswerStatus}
        out["open"] = 0
        for item in self.requirements:
            out[item.status.value if item.status else "open"] += 1
        return dict(sorted(out.items()))


def carried_status(status: AnswerStatus, relation: Relation) -> AnswerStatus | None:
    """What one answer carries over as through a path with the composed ``relation``."""
    if status is AnswerStatus.NOT_APPLICABLE:
        return None
    if status is AnswerStatus.IMPLEMENTED:
        strong = relation in (Relation.EQUAL, Relation.SUPERSET)
        return AnswerStatus.IMPLEMENTED if strong else AnswerStatus.PARTLY
    return status


def combine(statuses: Iterable[AnswerStatus]) -> AnswerStatus | None:
    """Combine carried statuses (see the module rules); None when there are none."""
    listed = set(statuses)
    if not listed:
        return None
    if listed == {AnswerStatus.IMPLEMENTED}:
        return AnswerStatus.IMPLEMENTED
    if listed == {AnswerStatus.NOT_IMPLEMENTED}:
        return AnswerStatus.NOT_IMPLEMENTED
    return AnswerStatus.PARTLY


def source_requirements(library: Library) -> tuple[Node, ...]:
    """The NIS2 measures a hospital answers, in catalogue order."""
    return library.framework(SOURCE_FRAMEWORK).assessable()


def project_framework(
    library: Library, answers: Mapping[str, Answer], framework_id: str
) -> FrameworkProjection:
    """Statuses of every assessable requirement of ``framework_id`` from ``answers`` (by URN)."""
    framework = library.framework(framework_id)
    reached: dict[str, list[Contribution]] = {}
    for urn in sorted(answers):
        answer = answers[urn]
        if not library.has_node(urn) or library.node(urn).framework == framework_id:
            continue
        for mapping in infer_in(library, urn, framework_id, PROJECTION_HOPS):
            carried = carried_status(answer.status, mapping.relation)
            if carried is not None:
                reached.setdefault(mapping.target, []).append(
                    Contribution(answer, mapping, carried)
                )
    rows = []
    for node in framework.assessable():
        direct = answers.get(node.urn)
        contributions = tuple(reached.get(node.urn, ()))
        if direct is not None:
            rows.append(RequirementStatus(node, direct.status, "direct", direct, contributions))
            continue
        status = combine(c.carried for c in contributions)
        origin = "projected" if status is not None else "open"
        rows.append(RequirementStatus(node, status, origin, None, contributions))
    return FrameworkProjection(framework.id, framework.name, tuple(rows))


def project_answers(library: Library, answers: Iterable[Answer]) -> tuple[FrameworkProjection, ...]:
    """The NIS2 catalogue itself plus every target framework, in :data:`TARGET_FRAMEWORKS` order."""
    by_urn = {a.urn: a for a in answers}
    return tuple(
        project_framework(library, by_urn, fid) for fid in (SOURCE_FRAMEWORK, *TARGET_FRAMEWORKS)
    )
