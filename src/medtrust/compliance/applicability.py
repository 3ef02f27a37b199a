"""Which frameworks apply to a product or organisation, and why (rules are data).

Facts (``product.medical_device: false``, ``organisation.employees: 300`` ...) are tested by the
rules in ``catalog/data/applicability/eu.yaml``. Per framework the rules are tried in order and
the first that holds decides, citing its articles. Logic is three-valued: a test of a fact nobody
gave is *unknown*. A rule that holds decides only if every earlier unknown rule would give the
same verdict (the role may then stay open, e.g. "essential or important entity"); otherwise the
framework is *undetermined*, and the result names the facts that would decide it.
Example: non-device health software on the EU market -> CRA applies (Art. 2(1)), MDR does not
(Art. 1(1), 2(1)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from medtrust.compliance.applicability_files import (
    AllOf,
    AnyOf,
    ApplicabilityFile,
    Condition,
    FactDefinition,
    FactTest,
    FactType,
    FrameworkRules,
    NotOf,
    ResultTest,
    Rule,
    Verdict,
)
from medtrust.compliance.data_files import APPLICABILITY_DIR, load_packaged
from medtrust.compliance.errors import DanglingReferenceError, DuplicateUrnError
from medtrust.compliance.library import packaged_library
from medtrust.compliance.user_input import UserFileError, parse_yaml_bytes

FactValue = bool | float | str
_WHERE = f"catalog/data/{APPLICABILITY_DIR}/eu.yaml"


@dataclass(frozen=True, slots=True)
class ApplicabilityResult:
    """The verdict for one framework, the rule and articles behind it, and what is missing."""

    framework: str
    name: str
    scope: str
    verdict: Verdict
    because: str
    rule: str | None = None
    cites: tuple[str, ...] = ()
    role: str | None = None
    obligations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: facts that would decide an undetermined verdict
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "framework": self.framework,
            "name": self.name,
            "scope": self.scope,
            "verdict": self.verdict.value,
            "rule": self.rule,
            "because": self.because,
            "cites": list(self.cites),
            "role": self.role,
            "obligations": list(self.obligations),
            "notes": list(self.notes),
            "missing_facts": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class ApplicabilityReport:
    """Verdicts for every framework the rules know, in rule-file order."""

    facts: tuple[tuple[str, FactValue], ...]
    results: tuple[ApplicabilityResult, ...]

    def applicable(self, scope: str | None = None) -> tuple[str, ...]:
        """Framework ids whose verdict is ``applies`` (optionally of one scope)."""
        return tuple(
            r.framework
            for r in self.results
            if r.verdict is Verdict.APPLIES and (scope is None or r.scope == scope)
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "facts": dict(self.facts),
            "results": [r.as_dict() for r in self.results],
            "applicable": list(self.applicable()),
        }


def _tests(condition: Condition) -> list[FactTest | ResultTest]:
    if isinstance(condition, FactTest | ResultTest):
        return [condition]
    if isinstance(condition, AllOf):
        return [t for part in condition.all for t in _tests(part)]
    if isinstance(condition, AnyOf):
        return [t for part in condition.any for t in _tests(part)]
    return _tests(condition.not_)


def check_rules(rules: ApplicabilityFile, where: str, frameworks: Mapping[str, object]) -> None:
    """Every fact, choice, framework and result reference must resolve; ids must be unique."""
    facts: dict[str, FactDefinition] = {}
    for fact in rules.facts:
        if fact.id in facts:
            raise DuplicateUrnError(where, f"fact {fact.id}", "fact defined twice")
        facts[fact.id] = fact
    seen_frameworks: set[str] = set()
    seen_rules: set[str] = set()
    for entry in rules.frameworks:
        if entry.framework not in frameworks:
            raise DanglingReferenceError(where, f"framework {entry.framework}", "unknown framework")
        if entry.framework in seen_frameworks:
            raise DuplicateUrnError(where, f"framework {entry.framework}", "listed twice")
        for rule in entry.rules:
            if rule.id in seen_rules:
                raise DuplicateUrnError(where, f"rule {rule.id}", "rule id used twice")
            seen_rules.add(rule.id)
            conditions = [rule.when, *(n.when for n in rule.notes)]
            for test in (t for c in conditions for t in _tests(c)):
                _check_test(test, facts, seen_frameworks, where, rule.id)
        seen_frameworks.add(entry.framework)


def _check_test(
    test: FactTest | ResultTest,
    facts: Mapping[str, FactDefinition],
    earlier: set[str],
    where: str,
    rule: str,
) -> None:
    if isinstance(test, ResultTest):
        if test.result not in earlier:
            raise DanglingReferenceError(
                where,
                f"rule {rule}",
                f"result {test.result!r} is not decided by an earlier framework",
            )
        return
    definition = facts.get(test.fact)
    if definition is None:
        raise DanglingReferenceError(where, f"rule {rule}", f"unknown fact {test.fact!r}")
    numeric = (test.at_least, test.at_most, test.above, test.below)
    if definition.type is FactType.BOOL and test.equals is None:
        raise DanglingReferenceError(where, f"rule {rule}", f"{test.fact} is a bool: use equals")
    if definition.type is FactType.NUMBER and all(v is None for v in numeric):
        raise DanglingReferenceError(where, f"rule {rule}", f"{test.fact} is a number: compare it")
    if definition.type is FactType.CHOICE:
        unknown = sorted(set(test.in_ or []) - set(definition.choices or []))
        if test.in_ is None or unknown:
            raise DanglingReferenceError(
                where,
                f"rule {rule}",
                f"{test.fact} is a choice: use in with known values {unknown}",
            )


@cache
def applicability_rules() -> ApplicabilityFile:
    """The packaged applicability rules (references checked)."""
    rules = load_packaged(ApplicabilityFile, APPLICABILITY_DIR, "eu.yaml")
    check_rules(rules, _WHERE, packaged_library().frameworks)
    return rules


def parse_facts(
    data: object, name: str, rules: ApplicabilityFile | None = None
) -> dict[str, FactValue]:
    """Validate ``{product: {...}, organisation: {...}}`` against the fact vocabulary."""
    vocabulary = {f.id: f for f in (rules or applicability_rules()).facts}
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserFileError(name, None, "expected a mapping with 'product' and/or 'organisation'")
    out: dict[str, FactValue] = {}
    for group, values in data.items():
        if group not in ("product", "organisation"):
            raise UserFileError(name, str(group), "unknown section (use product, organisation)")
        if values is None:
            continue
        if not isinstance(values, dict):
            raise UserFileError(name, str(group), "expected a mapping of facts")
        for key, value in values.items():
            fact_id = f"{group}.{key}"
            definition = vocabulary.get(fact_id)
            if definition is None:
                known = ", ".join(sorted(k for k in vocabulary if k.startswith(f"{group}.")))
                raise UserFileError(name, fact_id, f"unknown fact (known: {known})")
            if value is not None:
                out[fact_id] = _coerce(definition, value, name)
    return dict(sorted(out.items()))


def _coerce(definition: FactDefinition, value: object, name: str) -> FactValue:
    if definition.type is FactType.BOOL:
        if isinstance(value, bool):
            return value
        raise UserFileError(name, definition.id, f"expected true or false, got {value!r}")
    if definition.type is FactType.NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
        raise UserFileError(name, definition.id, f"expected a non-negative number, got {value!r}")
    text = str(value)
    if text not in (definition.choices or []):
        raise UserFileError(
            name,
            definition.id,
            f"expected one of {', '.join(definition.choices or [])}, got {text!r}",
        )
    return text


def read_facts(data: bytes, name: str) -> dict[str, FactValue]:
    """Parse and validate a facts YAML file (raises :class:`UserFileError`)."""
    return parse_facts(parse_yaml_bytes(data, name), name)


def _test_fact(test: FactTest, value: FactValue) -> bool:
    if test.equals is not None:
        return value is test.equals
    if test.in_ is not None:
        return value in test.in_
    number = float(value)
    return (
        (test.at_least is None or number >= test.at_least)
        and (test.at_most is None or number <= test.at_most)
        and (test.above is None or number > test.above)
        and (test.below is None or number < test.below)
    )


def evaluate(
    condition: Condition,
    facts: Mapping[str, FactValue],
    decided: Mapping[str, ApplicabilityResult],
    missing: set[str],
) -> bool | None:
    """Three-valued truth of a condition; facts it needed but lacked are added to ``missing``."""
    if isinstance(condition, FactTest):
        value = facts.get(condition.fact)
        if value is None:
            missing.add(condition.fact)
            return None
        return _test_fact(condition, value)
    if isinstance(condition, ResultTest):
        earlier = decided.get(condition.result)
        if earlier is None or earlier.verdict is Verdict.UNDETERMINED:
            missing.update(earlier.missing if earlier else (f"verdict for {condition.result}",))
            return None
        return earlier.verdict in condition.verdict
    if isinstance(condition, NotOf):
        inner = evaluate(condition.not_, facts, decided, missing)
        return None if inner is None else not inner
    members = condition.all if isinstance(condition, AllOf) else condition.any
    parts = [evaluate(p, facts, decided, missing) for p in members]
    if isinstance(condition, AllOf):
        return False if False in parts else (None if None in parts else True)
    return True if True in parts else (None if None in parts else False)


def _decide(
    entry: FrameworkRules,
    facts: Mapping[str, FactValue],
    decided: Mapping[str, ApplicabilityResult],
    name: str,
) -> ApplicabilityResult:
    missing: set[str] = set()
    open_rules: list[Rule] = []
    for rule in entry.rules:
        holds = evaluate(rule.when, facts, decided, missing)
        if holds is None:
            open_rules.append(rule)
            continue
        if not holds:
            continue
        if any(r.verdict != rule.verdict for r in open_rules):
            break
        notes = [n.text for n in rule.notes if evaluate(n.when, facts, decided, set()) is True]
        role = rule.role
        roles = sorted({r.role or "" for r in (*open_rules, rule)})
        if len(roles) > 1:
            role = " or ".join(r for r in roles if r) or None
            notes.append(f"The role depends on facts not given: {', '.join(sorted(missing))}.")
        return ApplicabilityResult(
            framework=entry.framework,
            name=name,
            scope=entry.scope,
            verdict=Verdict(rule.verdict),
            because=rule.because,
            rule=rule.id,
            cites=tuple(rule.cites),
            role=role,
            obligations=tuple(rule.obligations),
            notes=tuple(notes),
            missing=tuple(sorted(missing)) if len(roles) > 1 else (),
        )
    if missing:
        return ApplicabilityResult(
            framework=entry.framework,
            name=name,
            scope=entry.scope,
            verdict=Verdict.UNDETERMINED,
            because=f"Cannot decide without: {', '.join(sorted(missing))}.",
            missing=tuple(sorted(missing)),
        )
    return ApplicabilityResult(
        framework=entry.framework,
        name=name,
        scope=entry.scope,
        verdict=entry.otherwise.verdict,
        because=entry.otherwise.because,
    )


def decide_applicability(
    facts: Mapping[str, FactValue], rules: ApplicabilityFile | None = None
) -> ApplicabilityReport:
    """Verdicts for every framework in the rules, in their order (later rules may test earlier
    verdicts)."""
    active = rules or applicability_rules()
    library = packaged_library()
    decided: dict[str, ApplicabilityResult] = {}
    results: list[ApplicabilityResult] = []
    for entry in active.frameworks:
        framework = library.frameworks.get(entry.framework)
        name = framework.name if framework is not None else entry.framework
        result = _decide(entry, facts, decided, name)
        decided[entry.framework] = result
        results.append(result)
    return ApplicabilityReport(facts=tuple(sorted(facts.items())), results=tuple(results))
