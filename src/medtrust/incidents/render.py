"""Plan output: a JSON-ready document and a rich table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from medtrust.incidents.obligation import Obligation, Plan
from medtrust.incidents.timing import Due

PLAN_FORMAT_VERSION = 1


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _due(due: Due | None) -> str | None:
    return due.isoformat() if due is not None else None


def obligation_document(obligation: Obligation) -> dict[str, Any]:
    """One obligation as a JSON-ready mapping."""
    due = obligation.due
    doc: dict[str, Any] = {
        "regime": obligation.regime,
        "article": obligation.article,
        "stage": obligation.stage.value,
        "subject": obligation.subject,
        "actor": obligation.actor,
        "recipient": obligation.recipient,
        "limit": obligation.limit,
        "anchor": {"event": obligation.anchor.event, "at": _iso(obligation.anchor.at)},
        "due": _due(due),
        "due_kind": None if due is None else ("date" if due.day is not None else "timestamp"),
        "expires_at": None if due is None else due.expires_at.isoformat(),
        "projected_due": _due(obligation.projected_due),
        "condition": obligation.condition,
        "submitted_at": _iso(obligation.submitted_at),
        "proposal": obligation.proposal,
        "rule": obligation.rule_id,
        "notes": list(obligation.notes),
    }
    if obligation.status is not None:
        doc["status"] = obligation.status.state.value
        doc["status_text"] = obligation.status.describe()
        remaining = obligation.status.remaining
        doc["remaining_seconds"] = None if remaining is None else int(remaining.total_seconds())
    return doc


def plan_document(plan: Plan) -> dict[str, Any]:
    """The whole plan as a JSON-ready mapping (stable key and item order)."""
    return {
        "format_version": PLAN_FORMAT_VERSION,
        "now": _iso(plan.now),
        "proposals": list(plan.proposals),
        "obligations": [obligation_document(o) for o in plan.obligations],
        "not_applicable": [
            {"regime": n.regime, "article": n.article, "subject": n.subject, "reason": n.reason}
            for n in plan.not_applicable
        ],
        "notes": list(plan.notes),
    }


def _short(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


def _due_cell(obligation: Obligation) -> str:
    due = obligation.due
    if due is not None:
        text = (
            due.isoformat() if due.day is not None else _short(due.expires_at.astimezone(due.zone))
        )
        return f"{text}\n({obligation.limit})"
    if obligation.projected_due is not None:
        projected = obligation.projected_due.isoformat()
        return f"not dated yet ({obligation.limit})\n≈ {projected} if the anchor is on time"
    if obligation.anchor.at is None:
        return f"not dated yet ({obligation.limit})"
    return obligation.limit


def _anchor_cell(obligation: Obligation) -> str:
    anchor = obligation.anchor
    text = f"{anchor.event}: {_short(anchor.at)}" if anchor.at else f"waiting for {anchor.event}"
    if obligation.condition:
        text += f"\nIf: {obligation.condition}"
    return text


def print_plan(plan: Plan, console: Console) -> None:
    """Render the plan as tables."""
    table = Table(title="Reporting obligations", show_lines=True)
    for column in ("Due", "Report", "Actor → recipient", "Anchor / condition"):
        table.add_column(column)
    if plan.now is not None:
        table.add_column("Status")
    for o in plan.obligations:
        flag = " (PROPOSAL)" if o.proposal else ""
        report = f"{o.regime} {o.stage.value}{flag}\n{o.article}\n{o.subject}"
        if o.submitted_at is not None:
            report += f"\nsubmitted {_short(o.submitted_at)}"
        row = [_due_cell(o), report, f"{o.actor}\n→ {o.recipient}", _anchor_cell(o)]
        if plan.now is not None:
            row.append(o.status.describe() if o.status is not None else "")
        table.add_row(*row)
    console.print(table)
    if plan.not_applicable:
        skipped = Table(title="Not applicable")
        for column in ("Regime", "Article", "Subject", "Reason"):
            skipped.add_column(column)
        for n in plan.not_applicable:
            skipped.add_row(n.regime, n.article, n.subject, n.reason)
        console.print(skipped)
    for note in plan.notes:
        console.print(f"• {note}", highlight=False)
