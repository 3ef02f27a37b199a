"""Reporting regimes as domain objects, loaded from ``catalog/data/regimes``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from importlib.resources.abc import Traversable

from medtrust.incidents.datafiles import packaged_dir, read_model, yaml_files
from medtrust.incidents.errors import RegimeDataError
from medtrust.incidents.obligation import Stage
from medtrust.incidents.regime_file import RegimeFile, RuleModel
from medtrust.incidents.timing import Due, after_days, after_hours, after_months, at_instant


@dataclass(frozen=True, slots=True)
class Limit:
    """A time limit of a rule."""

    unit: str
    value: int | None
    text: str

    def apply(self, anchor: datetime, zone: tzinfo | None) -> Due | None:
        """The due moment counted from ``anchor``; None for limits without a fixed period."""
        if self.unit == "hours" and self.value is not None:
            return after_hours(anchor, self.value, zone)
        if self.unit == "days" and self.value is not None:
            return after_days(anchor, self.value, zone)
        if self.unit == "months" and self.value is not None:
            return after_months(anchor, self.value, zone)
        if self.unit == "before":
            return at_instant(anchor, zone)
        return None

    def describe(self) -> str:
        """Short form, e.g. ``24 h``, ``15 days``, ``1 month`` or the legal phrase."""
        if self.unit == "hours":
            return f"{self.value} h"
        if self.unit == "days":
            return f"{self.value} days" if self.value != 1 else "1 day"
        if self.unit == "months":
            return f"{self.value} months" if self.value != 1 else "1 month"
        return self.text


@dataclass(frozen=True, slots=True)
class Recipient:
    """Recipient spec: an authority role key in the directory, or a named party."""

    authority: str | None
    party: str | None
    also: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    """One reporting stage of a regime."""

    id: str
    regime: str
    stage: Stage
    article: str
    actor: str
    recipient: Recipient
    anchor_event: str
    anchor_stage: Stage | None
    anchor_label: str
    limit: Limit
    condition: str | None
    summary: str
    min_risk: str | None = None
    replaces: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """A not-applicable reason with its article."""

    code: str
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class Regime:
    """A reporting regime."""

    code: str
    reports_as: str
    name: str
    instrument: str
    celex: str | None
    proposal: bool
    enabled_by_default: bool
    country: str | None
    device_regulations: tuple[str, ...]
    applies_from: date | None
    applies_from_article: str | None
    caveats: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    reasons: tuple[Reason, ...]
    rules: tuple[Rule, ...]

    def reason(self, code: str) -> Reason:
        """The reason with ``code``; a missing one is a data error."""
        for reason in self.reasons:
            if reason.code == code:
                return reason
        raise RegimeDataError(f"regime {self.code}: no not-applicable reason {code!r}")


@dataclass(frozen=True, slots=True)
class RegimeSet:
    """All loaded regimes plus the proposals switched on."""

    regimes: tuple[Regime, ...]
    enabled_proposals: frozenset[str] = field(default_factory=frozenset)

    def regime(self, code: str) -> Regime:
        """The regime with ``code``."""
        for regime in self.regimes:
            if regime.code == code:
                return regime
        raise RegimeDataError(f"no regime {code!r} in the regime data")

    def proposals(self) -> tuple[str, ...]:
        """Codes of the proposal rule sets that can be switched on."""
        return tuple(sorted(r.code for r in self.regimes if r.proposal))

    def with_proposals(self, codes: Iterable[str]) -> RegimeSet:
        """A copy with the named proposal rule sets switched on."""
        wanted = frozenset(codes)
        unknown = sorted(wanted - set(self.proposals()))
        if unknown:
            known = ", ".join(self.proposals()) or "none"
            raise RegimeDataError(f"unknown proposal {unknown[0]!r} (known: {known})")
        return RegimeSet(self.regimes, self.enabled_proposals | wanted)

    def active(self, regime: Regime) -> bool:
        """Whether a regime takes part in planning."""
        return regime.enabled_by_default or regime.code in self.enabled_proposals

    def rule(self, rule_id: str) -> Rule:
        """The effective rule: an enabled proposal's replacement, else the rule itself."""
        for regime in self.regimes:
            if regime.proposal and self.active(regime):
                for rule in regime.rules:
                    if rule.replaces == rule_id:
                        return rule
        for regime in self.regimes:
            for rule in regime.rules:
                if rule.id == rule_id:
                    return rule
        raise RegimeDataError(f"no rule {rule_id!r} in the regime data")

    def regime_of(self, rule: Rule) -> Regime:
        """The regime a rule belongs to."""
        return self.regime(rule.regime)

    def reported_codes(self) -> tuple[str, ...]:
        """Regime codes that obligations carry (``reports_as``), sorted."""
        return tuple(sorted({r.reports_as for r in self.regimes}))


def _rule(model: RuleModel, regime_code: str) -> Rule:
    return Rule(
        id=model.id,
        regime=regime_code,
        stage=model.stage,
        article=model.article,
        actor=model.actor,
        recipient=Recipient(model.recipient.authority, model.recipient.party, model.recipient.also),
        anchor_event=model.anchor.event,
        anchor_stage=model.anchor.stage,
        anchor_label=model.anchor.label,
        limit=Limit(model.limit.unit, model.limit.value, model.limit.text),
        condition=model.condition,
        summary=model.summary,
        min_risk=model.min_risk,
        replaces=model.replaces,
    )


def regime_from_file(model: RegimeFile) -> Regime:
    """Convert a validated file model into the domain object."""
    return Regime(
        code=model.code,
        reports_as=model.reports_as or model.code,
        name=model.name,
        instrument=model.instrument,
        celex=model.celex,
        proposal=model.status == "proposal",
        enabled_by_default=model.enabled_by_default,
        country=model.country,
        device_regulations=tuple(model.device_regulations),
        applies_from=model.applies_from,
        applies_from_article=model.applies_from_article,
        caveats=tuple(model.caveats),
        sources=tuple((s.title, s.url) for s in model.sources),
        reasons=tuple(
            sorted((Reason(r.code, r.article, r.text) for r in model.reasons), key=lambda r: r.code)
        ),
        rules=tuple(_rule(rule, model.code) for rule in model.rules),
    )


def load_regimes_from(directory: Traversable) -> RegimeSet:
    """Load every regime file of ``directory``; rule ids must be unique across files."""
    regimes = tuple(
        regime_from_file(read_model(entry, RegimeFile)) for entry in yaml_files(directory)
    )
    seen: set[str] = set()
    codes: set[str] = set()
    for regime in regimes:
        if regime.code in codes:
            raise RegimeDataError(f"duplicate regime code {regime.code!r}")
        codes.add(regime.code)
        for rule in regime.rules:
            if rule.id in seen:
                raise RegimeDataError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
    return RegimeSet(tuple(sorted(regimes, key=lambda r: r.code)))


@functools.cache
def load_regimes() -> RegimeSet:
    """The packaged regimes (cached). Proposals are off; use :meth:`RegimeSet.with_proposals`."""
    return load_regimes_from(packaged_dir("regimes"))
