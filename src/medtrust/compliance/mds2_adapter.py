"""The MDS2 (ANSI/NEMA HN 1-2019) questionnaire presented as a requirement catalogue.

Nothing of the questionnaire is duplicated here: sections and questions come from the packaged
MDS2 catalogue (``catalog/data/mds2/hn1-2019.yaml``) and are turned into nodes with URNs
``urn:medtrust:req:mds2-2019:<ID>`` (sections: ``...:<CODE>``). The form's own mapping column for
IEC TR 80001-2-2:2012 (column E, "Section 5.n, CODE") becomes a derived mapping set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from medtrust.compliance.model import URN_PREFIX, Framework, MappingSet, Node
from medtrust.compliance.model import Mapping as CrossMapping
from medtrust.compliance.relation import Relation
from medtrust.domain.mds2 import Question, Section

FRAMEWORK_ID = "mds2-2019"
TR_FRAMEWORK_ID = "iec-tr-80001-2-2"
FORM_MAPPING_SET_ID = "mds2-2019-to-iec-tr-80001-2-2-form"
_TR_COLUMN_PREFIX = "iec-tr-80001-2-2"


class Mds2CatalogueLike(Protocol):
    """What the adapter needs of an MDS2 catalogue (``medtrust.catalog.mds2.Mds2Catalogue``)."""

    @property
    def questions(self) -> Sequence[Question]:
        """Questions in form order."""
        ...

    @property
    def sections(self) -> Sequence[Section]:
        """Sections in form order."""
        ...


def node_urn(identifier: str) -> str:
    """URN of an MDS2 section code or question ID."""
    return f"{URN_PREFIX}{FRAMEWORK_ID}:{identifier}"


def mds2_framework(
    catalogue: Mds2CatalogueLike,
    *,
    version: str = "derived",
    published: date | None = None,
) -> Framework:
    """Build the ``mds2-2019`` catalogue: one node per section, questions below their parents."""
    nodes: list[Node] = []
    for section in sorted(catalogue.sections, key=lambda s: s.order):
        nodes.append(
            Node(
                urn=node_urn(section.code),
                framework=FRAMEWORK_ID,
                ref_id=section.code,
                name=section.title or section.code,
                description=_text(section.description, f"MDS2 section {section.code}"),
                parent=None,
                depth=1,
                order=len(nodes) + 1,
                assessable=False,
                source=f"ANSI/NEMA HN 1-2019, MDS2 form, section {section.code}",
            )
        )
    for question in sorted(catalogue.questions, key=lambda q: q.order):
        parent = question.parent if question.parent is not None else question.section
        nodes.append(
            Node(
                urn=node_urn(question.id),
                framework=FRAMEWORK_ID,
                ref_id=question.id,
                name=question.id,
                description=_text(question.description, f"MDS2 question {question.id}"),
                parent=node_urn(parent),
                depth=question.depth + 1,
                order=len(nodes) + 1,
                assessable=True,
                source=f"ANSI/NEMA HN 1-2019, MDS2 form, question {question.id}",
            )
        )
    return Framework(
        id=FRAMEWORK_ID,
        urn=f"urn:medtrust:framework:{FRAMEWORK_ID}",
        ref_id="ANSI/NEMA HN 1-2019",
        name="Manufacturer Disclosure Statement for Medical Device Security (MDS2), 2019 form",
        version=version,
        publication_date=published,
        licence=(
            "Question IDs and section codes are facts taken from the form; descriptions are "
            "medtrust's own paraphrases (Apache-2.0). No NEMA question text is reproduced."
        ),
        source="ANSI/NEMA HN 1-2019, Section 5 (the MDS2 form)",
        provider="NEMA / MITA with HIMSS",
        note="Derived at load time from catalog/data/mds2/hn1-2019.yaml; not stored twice.",
        nodes=tuple(nodes),
        origin="derived:catalog/data/mds2/hn1-2019.yaml",
        _by_urn={n.urn: n for n in nodes},
    )


def _text(value: str, fallback: str) -> str:
    cleaned = value.strip()
    return fallback if not cleaned or cleaned.upper() == "TODO" else cleaned


def _capability_codes(question: Question) -> tuple[tuple[str, str | None], ...]:
    """(capability code, raw cell) pairs cited in the question's IEC TR 80001-2-2 column."""
    pairs: list[tuple[str, str | None]] = []
    for column, codes in sorted(question.mappings.items()):
        if column.startswith(_TR_COLUMN_PREFIX):
            raw = question.mappings_raw.get(column)
            pairs.extend((code, raw) for code in codes)
    return tuple(dict.fromkeys(pairs))


def mds2_form_mappings(catalogue: Mds2CatalogueLike, capabilities: Mapping[str, str]) -> MappingSet:
    """Mappings stated by the form's IEC TR 80001-2-2 column.

    ``capabilities`` maps a capability code (``ALOF``) to its node URN in the TR catalogue.
    Each citing question is a ``subset`` of the capability (it asks about one aspect of it); a
    section whose code is a capability code and whose questions cite that capability is
    ``equal`` to it (the 2019 form took its capability sections from the TR).
    """
    mappings: list[CrossMapping] = []
    sections_citing: dict[str, set[str]] = {}
    for question in sorted(catalogue.questions, key=lambda q: q.order):
        for code, raw in _capability_codes(question):
            target = capabilities.get(code)
            if target is None:
                continue
            sections_citing.setdefault(question.section, set()).add(code)
            mappings.append(
                CrossMapping(
                    source=node_urn(question.id),
                    target=target,
                    relation=Relation.SUBSET,
                    rationale=(
                        f"HN 1-2019 form, column 'IEC TR 80001-2-2:2012' cites {raw!r} for "
                        f"{question.id}; the question discloses one aspect of capability {code}."
                    ),
                    mapping_set=FORM_MAPPING_SET_ID,
                )
            )
    for section in sorted(catalogue.sections, key=lambda s: s.order):
        if section.code in capabilities and section.code in sections_citing.get(section.code, ()):
            mappings.append(
                CrossMapping(
                    source=node_urn(section.code),
                    target=capabilities[section.code],
                    relation=Relation.EQUAL,
                    rationale=(
                        f"The form's section {section.code} carries the capability's code and "
                        f"title and its questions cite IEC TR 80001-2-2 capability {section.code}."
                    ),
                    mapping_set=FORM_MAPPING_SET_ID,
                )
            )
    return MappingSet(
        id=FORM_MAPPING_SET_ID,
        name="MDS2 2019 questions to IEC TR 80001-2-2 capabilities (the form's own column)",
        version="derived",
        publication_date=None,
        licence="Facts from the HN 1-2019 form's mapping column; rationales are medtrust's.",
        provider="medtrust (derived from ANSI/NEMA HN 1-2019)",
        source_framework=FRAMEWORK_ID,
        target_framework=TR_FRAMEWORK_ID,
        note=(
            "Completed for CSUP, CONN, SBOM and RMOT by "
            "mappings/mds2-2019-to-iec-tr-80001-2-2.yaml."
        ),
        mappings=tuple(mappings),
        origin="derived:catalog/data/mds2/hn1-2019.yaml",
    )
