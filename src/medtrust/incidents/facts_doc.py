"""The stored facts document: validation, JSON merge patches, submissions and log replay (pure).

An incident's facts are kept as a facts-file document (the shape ``medtrust incident plan``
reads), normalised to JSON. Recorded events change it in exactly two ways: a JSON merge patch
(RFC 7396; ``null`` removes a key, lists are replaced whole) for facts and decisions, and an
appended ``submissions`` entry for a submission. Replaying the log therefore rebuilds the document,
which is how ``verify`` checks that the stored facts match the log.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import yaml
from pydantic import ValidationError

from medtrust.incidents.chain import LogRecord, canonical_json
from medtrust.incidents.datafiles import describe_validation_error
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.facts import CraTrack, IncidentFacts
from medtrust.incidents.facts_file import FactsFile, parse_facts
from medtrust.incidents.obligation import Obligation
from medtrust.incidents.records import LogKind

MAX_PATCH_DEPTH = 8


def jsonable(value: Any) -> Any:
    """``value`` with dates and datetimes turned into ISO 8601 strings (as YAML may yield them)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def normalise(document: Mapping[str, Any]) -> tuple[dict[str, Any], IncidentFacts]:
    """Validate a facts document; return its normalised JSON form and the domain facts."""
    plain = jsonable(document)
    facts = parse_facts(canonical_json(plain), is_json=True, source="facts")
    try:
        model = FactsFile.model_validate(plain)
    except ValidationError as exc:  # pragma: no cover - parse_facts validated the same input
        raise IncidentFactsError(f"facts: {describe_validation_error(exc)}") from exc
    return model.model_dump(mode="json", exclude_none=True), facts


def read_document(text: str, *, source: str = "facts") -> dict[str, Any]:
    """A facts document from YAML or JSON text (not yet validated)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise IncidentFactsError(f"{source}: not valid YAML or JSON ({detail})") from exc
    if not isinstance(raw, dict):
        raise IncidentFactsError(f"{source}: the facts must be a mapping")
    plain: dict[str, Any] = jsonable(raw)
    return plain


def merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a JSON merge patch (RFC 7396) to a copy of ``target``."""
    return _merge(copy.deepcopy(dict(target)), patch, 0)


def _merge(target: dict[str, Any], patch: Mapping[str, Any], depth: int) -> dict[str, Any]:
    if depth > MAX_PATCH_DEPTH:
        raise IncidentFactsError("patch: nested too deeply")
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping):
            current = target.get(key)
            base = dict(current) if isinstance(current, Mapping) else {}
            target[key] = _merge(base, value, depth + 1)
        else:
            target[key] = copy.deepcopy(value)
    return target


def patch_from_assignments(assignments: Iterable[str]) -> dict[str, Any]:
    """``["incident.significant=true", "personal_data_breach.risk=high"]`` as a merge patch.

    Values are read as YAML scalars (``true``, ``12``, ``null``, timestamps stay text).
    """
    patch: dict[str, Any] = {}
    for assignment in assignments:
        path, sep, raw = assignment.partition("=")
        parts = [p.strip() for p in path.split(".")]
        if not sep or not all(parts):
            raise IncidentFactsError(f"--set {assignment!r}: use dotted.path=value")
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError as exc:
            raise IncidentFactsError(f"--set {assignment!r}: value is not readable") from exc
        node = patch
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise IncidentFactsError(f"--set {assignment!r}: {part} is already a value")
            node = child
        node[parts[-1]] = jsonable(value)
    return patch


def submission_entry(facts: IncidentFacts, obligation: Obligation, at: datetime) -> dict[str, Any]:
    """The ``submissions`` entry that records ``obligation`` as sent at ``at``.

    The subject names the device or product (the engine matches on it); for the CRA the track
    comes from the rule (``cra.incident.*`` / ``cra.vulnerability.*``) or the subject's label.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise IncidentFactsError("submission time: timestamp without a time zone is refused")
    entry: dict[str, Any] = {
        "regime": obligation.regime,
        "stage": obligation.stage.value,
        "at": at.isoformat(),
        "subject": obligation.subject,
    }
    for product in facts.cra_products:
        if obligation.regime == "CRA" and obligation.subject.startswith(f"{product.name} ("):
            entry["subject"] = product.name
            entry["track"] = cra_track(obligation).value
    return entry


def cra_track(obligation: Obligation) -> CraTrack:
    """The CRA Art. 14 track of a CRA obligation."""
    if obligation.rule_id.startswith("cra.incident."):
        return CraTrack.INCIDENT
    if obligation.rule_id.startswith("cra.vulnerability."):
        return CraTrack.VULNERABILITY
    return CraTrack.INCIDENT if "incident" in obligation.subject else CraTrack.VULNERABILITY


def with_submission(document: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the document with ``entry`` appended to ``submissions``."""
    out = copy.deepcopy(dict(document))
    out["submissions"] = [*out.get("submissions", []), dict(entry)]
    return out


def replay_facts(records: Sequence[LogRecord]) -> dict[str, Any] | None:
    """Rebuild the facts document from the log (None when the log has no opening entry)."""
    document: dict[str, Any] | None = None
    for record in records:
        if record.kind == LogKind.OPENED:
            document = copy.deepcopy(dict(record.payload["facts"]))
        elif document is None:
            continue
        elif record.kind in (LogKind.FACT, LogKind.DECISION):
            document = merge_patch(document, record.payload["patch"])
            document = normalise(document)[0]
        elif record.kind == LogKind.SUBMISSION:
            document = with_submission(document, record.payload["entry"])
            document = normalise(document)[0]
    return document


def decision_patch(
    document: Mapping[str, Any],
    *,
    significant: bool,
    suspected_malicious: bool,
    cross_border: bool,
    breach_risk: str | None,
    breach_aware_at: datetime,
) -> dict[str, Any]:
    """The merge patch of the web decision form: only what differs from the current facts.

    ``breach_risk`` None removes a recorded personal data breach; a risk level records one (aware
    since ``breach_aware_at`` unless one is already recorded, whose awareness time is kept).
    """
    patch: dict[str, Any] = {}
    incident = document.get("incident")
    current = incident if isinstance(incident, Mapping) else {}
    wanted = {
        "significant": significant,
        "suspected_malicious": suspected_malicious,
        "cross_border": cross_border,
    }
    changed = {k: v for k, v in wanted.items() if current.get(k, False) != v}
    if changed:
        patch["incident"] = changed
    breach = document.get("personal_data_breach")
    if breach_risk is None:
        if breach is not None:
            patch["personal_data_breach"] = None
    elif not isinstance(breach, Mapping):
        patch["personal_data_breach"] = {
            "aware_at": breach_aware_at.isoformat(),
            "risk": breach_risk,
        }
    elif breach.get("risk") != breach_risk:
        patch["personal_data_breach"] = {"risk": breach_risk}
    return patch
