"""Evidence: facts about a product (or organisation) stated against one requirement node.

An :class:`Evidence` item says *what* is known (an MDS2 answer, an SBOM and its quality score, a
declared process or certificate), *which requirement node it speaks to directly* (its
``subject``), and *which way it points* (:class:`Signal`). The assessment engine follows the
crosswalk from the subject to the requirements being assessed; evidence never names those
requirements itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Signal(StrEnum):
    """Which way a piece of evidence points for the requirement it speaks to."""

    #: supports the requirement (e.g. "Yes" to a question where yes protects)
    POSITIVE = "positive"
    #: shows the requirement is not met or not evidenced (e.g. "No", unanswered, no SBOM)
    NEGATIVE = "negative"
    #: points both ways or needs a human to read it (e.g. "See Note", low SBOM quality)
    REVIEW = "review"
    #: says the requirement does not apply to this product (e.g. "N/A")
    NOT_APPLICABLE = "not-applicable"
    #: describes the product without supporting or undermining anything (exposure questions)
    CONTEXT = "context"


class EvidenceKind(StrEnum):
    """Where a piece of evidence comes from (the kinds a gap can ask for)."""

    MDS2_ANSWER = "mds2-answer"
    SBOM = "sbom"
    PROCESS = "process"
    CERTIFICATE = "certificate"
    DECLARATION = "declaration"


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """One evidence statement about one requirement node.

    ``anchor`` is the node from which mappings are followed; it equals ``subject`` unless the
    subject has no mappings of its own (an MDS2 sub-question), in which case it is the nearest
    ancestor that has some and ``statement`` says so.
    """

    #: stable identifier, e.g. ``mds2:AUTH-1`` or ``sbom:urn:medtrust:req:cra:annex-i:part-ii:1``
    id: str
    kind: EvidenceKind
    subject: str
    signal: Signal
    #: one sentence a reader can check: what the input says
    statement: str
    #: where it was found: file, question, element
    source: str
    #: what would turn this item into positive evidence (empty for positive/context items)
    remedy: str = ""
    anchor: str = ""

    @property
    def start(self) -> str:
        """The node mappings are followed from."""
        return self.anchor or self.subject

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "subject": self.subject,
            "anchor": self.start,
            "signal": self.signal.value,
            "statement": self.statement,
            "source": self.source,
            "remedy": self.remedy,
        }
