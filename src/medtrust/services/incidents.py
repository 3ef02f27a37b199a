"""Incident workspace use cases: open, record, draft, attach, export, verify and remind.

Every mutation runs in one transaction that locks the incident row, re-plans the obligations with
the pure engine (so invalid facts or submissions raise before anything is written), appends a
hash-chained log entry and records an audit event, all scoped to the principal's organisation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session

from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    InputTooLargeError,
    NotFoundError,
)
from medtrust.incidents import load_directory, load_regimes, plan_obligations
from medtrust.incidents.chain import ChainVerdict, LogRecord, verify_chain
from medtrust.incidents.drafts import clean_values
from medtrust.incidents.facts_doc import (
    merge_patch,
    normalise,
    read_document,
    replay_facts,
    submission_entry,
    with_submission,
)
from medtrust.incidents.records import EvidenceItem, IncidentRecord, LogKind
from medtrust.incidents.report_document import ReportDocument, report_for
from medtrust.incidents.report_templates import load_templates
from medtrust.incidents.workspace import Workspace, build_workspace
from medtrust.services.accounts import principal_for_user
from medtrust.services.context import ServiceContext, require_role
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.accounts import UserRepository
from medtrust.storage.repositories.audit import AuditRepository
from medtrust.storage.repositories.incidents import IncidentRepository, NewEvidence

MAX_TITLE = 300
MAX_TEXT = 20_000
#: how far in the future a recorded time may lie (clock skew between people and server)
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Verification:
    """The log's chain verdict and whether the stored facts equal the log's replay."""

    chain: ChainVerdict
    facts_match: bool

    @property
    def ok(self) -> bool:
        """True when the log is intact and explains the stored facts."""
        return self.chain.ok and self.facts_match

    def describe(self) -> str:
        """One line for people."""
        if not self.chain.ok:
            return self.chain.describe()
        if not self.facts_match:
            return "log intact, but the stored facts differ from the log's replay (altered)"
        return self.chain.describe()


def plan_workspace(record: IncidentRecord, repo: IncidentRepository, now: datetime) -> Workspace:
    """The workspace of a stored incident, planned at ``now`` (inside a transaction)."""
    _doc, facts = normalise(record.facts)
    plan = plan_obligations(facts, regimes=load_regimes(), directory=load_directory(), now=now)
    return build_workspace(record, facts, plan, repo.states(record.id), repo.evidence(record.id))


class _Change:
    """One locked mutation of an incident: its workspace, log and audit trail."""

    def __init__(
        self, session: Session, principal: Principal, incident_id: int, now: datetime
    ) -> None:
        self.repo = IncidentRepository(session, principal.organisation_id)
        record = self.repo.get(incident_id, lock=True)
        if record is None:
            raise NotFoundError(f"no incident {incident_id}")
        self.record, self.principal, self.now = record, principal, now
        self.audit = AuditRepository(session, principal.organisation_id)

    def workspace(self) -> Workspace:
        return plan_workspace(self.record, self.repo, self.now)

    def log(self, kind: LogKind, payload: Mapping[str, Any], summary: str) -> None:
        self.repo.append(
            self.record.id, at=self.now, actor=self.principal.user.email, kind=kind, payload=payload
        )
        self.audit.record(
            actor_user_id=self.principal.user.id,
            action=f"incident.{kind.value}",
            object_type="incident",
            object_id=str(self.record.id),
            summary=f"incident {self.record.id}: {summary}"[:1000],
            detail={"kind": kind.value},
        )

    def set_facts(self, document: Mapping[str, Any]) -> Workspace:
        """Validate and plan the new facts, then store them; returns the new workspace."""
        normal, facts = normalise(document)
        plan_obligations(facts, regimes=load_regimes(), directory=load_directory(), now=self.now)
        self.repo.set_facts(self.record.id, normal, at=self.now)
        self.record = self.repo.get(self.record.id) or self.record
        return self.workspace()


@contextmanager
def _change(ctx: ServiceContext, principal: Principal, incident_id: int) -> Iterator[_Change]:
    require_role(principal, Role.EDITOR)
    with ctx.transaction() as session:
        yield _Change(session, principal, incident_id, utcnow())


def _text(value: str | None, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(f"{name} is required")
    if len(text) > limit:
        raise InputError(f"{name} is longer than {limit} characters")
    return text


def _moment(value: datetime | None, name: str, now: datetime) -> datetime:
    moment = value or now
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{name}: timestamp without a time zone is refused")
    if moment > now + FUTURE_TOLERANCE:
        raise InputError(f"{name}: {moment.isoformat()} is in the future")
    return moment


def acting_principal(ctx: ServiceContext, email: str) -> Principal:
    """The principal of an active user by e-mail (the CLI acts as a named user)."""
    with ctx.transaction() as session:
        found = UserRepository(session).get_with_hash(email)
    principal = principal_for_user(ctx, found[0].id) if found is not None else None
    if principal is None:
        raise AuthenticationError(f"no active user {email!r}; create one with medtrust admin")
    return principal


# reading -------------------------------------------------------------------------------------


def open_incident(
    ctx: ServiceContext, principal: Principal, *, title: str, facts: Mapping[str, Any] | str
) -> int:
    """Open an incident from a facts document (mapping or YAML/JSON text); returns its id."""
    require_role(principal, Role.EDITOR)
    name = _text(title, "title", required=True, limit=MAX_TITLE)
    document = read_document(facts) if isinstance(facts, str) else dict(facts)
    normal, parsed = normalise(document)
    now = utcnow()
    plan_obligations(parsed, regimes=load_regimes(), directory=load_directory(), now=now)
    with ctx.transaction() as session:
        repo = IncidentRepository(session, principal.organisation_id)
        incident_id = repo.add(title=name, facts=normal, created_by=principal.user.email, at=now)
        payload = {"title": name, "facts": normal}
        repo.append(
            incident_id, at=now, actor=principal.user.email, kind=LogKind.OPENED, payload=payload
        )
        AuditRepository(session, principal.organisation_id).record(
            actor_user_id=principal.user.id,
            action="incident.opened",
            object_type="incident",
            object_id=str(incident_id),
            summary=f"opened incident {incident_id}: {name}",
        )
    return incident_id


def list_incidents(
    ctx: ServiceContext, principal: Principal, *, now: datetime | None = None
) -> list[Workspace]:
    """Workspaces of the organisation's incidents, newest first."""
    moment = now or utcnow()
    with ctx.transaction() as session:
        repo = IncidentRepository(session, principal.organisation_id)
        return [plan_workspace(r, repo, moment) for r in repo.list()]


def get_workspace(
    ctx: ServiceContext, principal: Principal, incident_id: int, *, now: datetime | None = None
) -> Workspace:
    """One incident with its obligations ordered by urgency at ``now``."""
    with ctx.transaction() as session:
        repo = IncidentRepository(session, principal.organisation_id)
        record = repo.get(incident_id)
        if record is None:
            raise NotFoundError(f"no incident {incident_id}")
        return plan_workspace(record, repo, now or utcnow())


def timeline(ctx: ServiceContext, principal: Principal, incident_id: int) -> list[LogRecord]:
    """The incident's log, oldest first."""
    with ctx.transaction() as session:
        repo = IncidentRepository(session, principal.organisation_id)
        if repo.get(incident_id) is None:
            raise NotFoundError(f"no incident {incident_id}")
        return repo.log(incident_id)


def verify_incident(ctx: ServiceContext, principal: Principal, incident_id: int) -> Verification:
    """Recompute the hash chain and replay the facts from the log."""
    with ctx.transaction() as session:
        repo = IncidentRepository(session, principal.organisation_id)
        record = repo.get(incident_id)
        if record is None:
            raise NotFoundError(f"no incident {incident_id}")
        log = repo.log(incident_id)
    verdict = verify_chain(log)
    try:
        replayed = replay_facts(log) if verdict.ok else None
    except (InputError, KeyError, TypeError):
        replayed = None
    return Verification(verdict, replayed is not None and replayed == dict(record.facts))


def get_report(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    key: str,
    *,
    now: datetime | None = None,
) -> ReportDocument:
    """One report (or manufacturer notice) with its effective, pre-filled values."""
    ws = get_workspace(ctx, principal, incident_id, now=now)
    log = timeline(ctx, principal, incident_id)
    return report_for(
        ws, key, templates=load_templates(), organisation_name=principal.organisation.name, log=log
    )


def get_evidence(
    ctx: ServiceContext, principal: Principal, incident_id: int, evidence_id: int
) -> tuple[EvidenceItem, bytes | None]:
    """A piece of evidence and its stored bytes (None for links)."""
    with ctx.transaction() as session:
        found = IncidentRepository(session, principal.organisation_id).evidence_content(
            incident_id, evidence_id
        )
    if found is None:
        raise NotFoundError(f"no evidence {evidence_id} in incident {incident_id}")
    return found


# recording -----------------------------------------------------------------------------------


def record_facts(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    patch: Mapping[str, Any],
    grounds: str | None = None,
    decision: bool = False,
    decided_at: datetime | None = None,
) -> None:
    """Change facts with a JSON merge patch; a decision needs grounds (who decided is the actor)."""
    if not patch:
        raise InputError("nothing to record: the patch is empty")
    reason = _text(grounds, "grounds", required=decision)
    with _change(ctx, principal, incident_id) as change:
        when = _moment(decided_at, "decided_at", change.now) if decision else None
        change.set_facts(merge_patch(change.record.facts, patch))
        payload: dict[str, Any] = {"patch": dict(patch), "grounds": reason}
        if when is not None:
            payload["decided_at"] = when.isoformat(timespec="seconds")
        kind = LogKind.DECISION if decision else LogKind.FACT
        change.log(kind, payload, f"{kind.value} {sorted(patch)}")


def record_submission(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    key: str,
    at: datetime | None = None,
    reference: str | None = None,
) -> None:
    """Record that the report ``key`` was sent (it becomes a submission in the facts)."""
    ref = _text(reference, "reference", limit=300) or None
    with _change(ctx, principal, incident_id) as change:
        before = change.workspace()
        item = before.item(key)
        if item is None:
            raise NotFoundError(f"no obligation {key!r} in this incident's plan")
        if item.obligation.submitted_at is not None:
            raise ConflictError(f"{key} is already recorded as submitted")
        if item.state.not_applicable_grounds:
            raise ConflictError(f"{key} is marked not applicable; mark it applicable first")
        when = _moment(at, "submission time", change.now)
        entry = submission_entry(before.facts, item.obligation, when)
        after = change.set_facts(with_submission(change.record.facts, entry)).item(key)
        if after is None or after.obligation.submitted_at is None:
            raise InputError(f"the submission could not be attributed to {key}")
        change.repo.update_state(incident_id, key, submission_reference=ref)
        payload = {"key": key, "entry": entry, "reference": ref}
        change.log(LogKind.SUBMISSION, payload, f"submitted {key}")


def record_acknowledgement(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    key: str,
    at: datetime | None = None,
    reference: str | None = None,
) -> None:
    """Record that the recipient acknowledged a submitted report."""
    ref = _text(reference, "reference", limit=300) or None
    with _change(ctx, principal, incident_id) as change:
        item = change.workspace().item(key)
        if item is None:
            raise NotFoundError(f"no obligation {key!r} in this incident's plan")
        sent = item.obligation.submitted_at
        if sent is None:
            raise ConflictError(f"{key} has not been submitted; record the submission first")
        when = _moment(at, "acknowledgement time", change.now)
        if when < sent:
            raise InputError(f"acknowledgement time {when.isoformat()} is before the submission")
        change.repo.update_state(
            incident_id, key, acknowledged_at=when, acknowledgement_reference=ref
        )
        payload = {"key": key, "at": when.isoformat(), "reference": ref}
        change.log(LogKind.ACKNOWLEDGEMENT, payload, f"acknowledged {key}")


def set_applicability(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    key: str,
    applicable: bool,
    grounds: str | None = None,
) -> None:
    """Mark a report not applicable (with grounds), or applicable again."""
    reason = _text(grounds, "grounds", required=not applicable)
    with _change(ctx, principal, incident_id) as change:
        if change.workspace().item(key) is None:
            raise NotFoundError(f"no obligation {key!r} in this incident's plan")
        change.repo.update_state(
            incident_id, key, not_applicable_grounds=None if applicable else reason
        )
        payload = {"key": key, "applicable": applicable, "grounds": reason}
        word = "applicable" if applicable else "not applicable"
        change.log(LogKind.APPLICABILITY, payload, f"{key} marked {word}")


def save_draft(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    key: str,
    values: Mapping[str, Any],
) -> ReportDocument:
    """Validate and save edited draft fields (fields not given keep their saved value)."""
    with _change(ctx, principal, incident_id) as change:
        ws = change.workspace()
        log = change.repo.log(incident_id)
        org = principal.organisation.name
        current = report_for(ws, key, templates=load_templates(), organisation_name=org, log=log)
        cleaned = clean_values(current.template, values)
        merged = {**(current.state.draft or {}), **cleaned}
        change.repo.update_state(
            incident_id, key, draft=merged, drafted_at=change.now, drafted_by=principal.user.email
        )
        change.log(
            LogKind.DRAFT,
            {"key": key, "template": current.template.id, "values": cleaned},
            f"draft of {key} saved",
        )
        ws = change.workspace()
        return report_for(
            ws,
            key,
            templates=load_templates(),
            organisation_name=org,
            log=change.repo.log(incident_id),
        )


def add_evidence(
    ctx: ServiceContext,
    principal: Principal,
    incident_id: int,
    *,
    key: str | None = None,
    filename: str | None = None,
    data: bytes | None = None,
    media_type: str | None = None,
    url: str | None = None,
    note: str | None = None,
) -> int:
    """Attach a file (stored with its SHA-256) or a link, to the incident or to one report."""
    text = _text(note, "note", limit=2000)
    if (data is None) == (url is None):
        raise InputError("give either a file or a link")
    if data is not None:
        if len(data) > ctx.settings.max_upload_bytes:
            raise InputTooLargeError(
                f"file larger than the upload limit ({ctx.settings.max_upload_bytes} bytes)"
            )
        name = PurePath((filename or "evidence").replace("\\", "/")).name[:255] or "evidence"
        digest = hashlib.sha256(data).hexdigest()
        new = NewEvidence(
            key,
            "file",
            name,
            (media_type or None) and media_type[:100],
            len(data),
            digest,
            data,
            None,
            text,
        )
    else:
        link = _text(url, "link", required=True, limit=2000)
        if not link.startswith(("https://", "http://")):
            raise InputError("a link must start with http:// or https://")
        new = NewEvidence(key, "link", (filename or link)[:255], None, None, None, None, link, text)
    with _change(ctx, principal, incident_id) as change:
        if key is not None and not change.workspace().knows(key):
            raise NotFoundError(f"no report {key!r} in this incident")
        evidence_id = change.repo.add_evidence(
            incident_id, new, by=principal.user.email, at=change.now
        )
        payload = {
            "id": evidence_id,
            "key": key,
            "kind": new.kind,
            "name": new.name,
            "sha256": new.sha256,
            "size": new.size,
            "url": new.url,
            "note": text,
        }
        change.log(LogKind.EVIDENCE, payload, f"evidence {new.name} added")
    return evidence_id


def add_note(ctx: ServiceContext, principal: Principal, incident_id: int, *, text: str) -> None:
    """Add a free-text note to the timeline."""
    body = _text(text, "note", required=True)
    with _change(ctx, principal, incident_id) as change:
        change.log(LogKind.NOTE, {"text": body}, "note added")
