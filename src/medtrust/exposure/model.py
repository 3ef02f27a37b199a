"""Decision inputs and outcomes (values ordered from least to most urgent)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Exploitation(StrEnum):
    """Evidence of exploitation (SSVC decision point)."""

    NONE = "none"
    POC = "poc"
    ACTIVE = "active"


class Exposure(StrEnum):
    """How reachable the device is (SSVC "system exposure")."""

    SMALL = "small"
    CONTROLLED = "controlled"
    OPEN = "open"


class Automatable(StrEnum):
    """Whether an attacker can run the exploit without a person in the loop."""

    NO = "no"
    YES = "yes"


class Impact(StrEnum):
    """Human (clinical) impact of the device being compromised."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very-high"


class Decision(StrEnum):
    """CISA SSVC decision values."""

    TRACK = "track"
    TRACK_STAR = "track-star"
    ATTEND = "attend"
    ACT = "act"

    @property
    def label(self) -> str:
        """How people write it: Track, Track*, Attend, Act."""
        return "Track*" if self is Decision.TRACK_STAR else self.value.capitalize()

    @property
    def urgency(self) -> int:
        """0 (Track) .. 3 (Act)."""
        return _ORDER[self]


_ORDER = {d: i for i, d in enumerate(Decision)}
#: every input enum in order, for iteration and ranking
INPUT_ENUMS: dict[str, type[StrEnum]] = {
    "exploitation": Exploitation,
    "exposure": Exposure,
    "automatable": Automatable,
    "impact": Impact,
}


def rank(value: StrEnum) -> int:
    """Position of a value within its enum (higher is more urgent)."""
    return list(type(value)).index(value)


@dataclass(frozen=True, slots=True)
class Input:
    """One decision input with the reasons it has its value."""

    name: str
    value: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A decision, the rule that made it and every input it used."""

    decision: Decision
    rule: str
    rule_reason: str
    inputs: tuple[Input, ...]

    def explanation(self) -> str:
        """One line a reviewer can check."""
        parts = "; ".join(f"{i.name} {i.value} ({', '.join(i.reasons)})" for i in self.inputs)
        return f"{self.decision.label} by rule {self.rule}: {self.rule_reason}. Inputs: {parts}"
