"""``medtrust incident``: plan the reports an incident triggers (``plan``, stateless) and work on
stored incidents (``open``, ``record``, ``status``, ``export``, ``verify``, ``remind``)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from medtrust.cli.common import reports_errors, service_context, write_output
from medtrust.errors import MedtrustError
from medtrust.incidents import load_directory, load_regimes, plan_obligations, read_facts
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.exports.base import Tlp
from medtrust.incidents.exports.registry import EXPORTS
from medtrust.incidents.facts_doc import merge_patch, patch_from_assignments, read_document
from medtrust.incidents.render import plan_document, print_plan
from medtrust.incidents.status_view import print_status, status_document
from medtrust.services import incidents as svc
from medtrust.services.incident_exports import export_incident
from medtrust.services.incident_reminders import send_due_reminders

app = typer.Typer(
    name="incident",
    help="Incident reporting: which reports are due, to whom, by when, and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _incident() -> None:
    """Incident reporting: which reports are due, to whom, by when, and why."""


class PlanFormat(StrEnum):
    """Output formats of ``incident plan``."""

    TABLE = "table"
    JSON = "json"


def parse_now(value: str) -> datetime:
    """Parse ``--now``; a timestamp without a time zone is refused."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise IncidentFactsError(f"--now: not an ISO 8601 timestamp: {value!r}") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise IncidentFactsError(
            "--now: timestamp without a time zone is refused (add +01:00 or Z)"
        )
    return moment


@app.command("plan")
def plan_command(
    facts_file: Annotated[Path, typer.Argument(help="Incident facts (YAML or JSON).")],
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="Output format.")
    ] = PlanFormat.TABLE,
    now: Annotated[
        str | None,
        typer.Option(
            "--now", help="Show time left / overdue at this ISO 8601 timestamp (with zone)."
        ),
    ] = None,
    proposals: Annotated[
        list[str] | None,
        typer.Option(
            "--proposal", help="Switch on a proposal rule set, e.g. OMNIBUS-GDPR (off by default)."
        ),
    ] = None,
) -> None:
    """List every reporting obligation the facts trigger, in deadline order."""
    try:
        moment = parse_now(now) if now is not None else None
        regimes = load_regimes().with_proposals(proposals or [])
        plan = plan_obligations(
            read_facts(facts_file), regimes=regimes, directory=load_directory(), now=moment
        )
    except MedtrustError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if output_format is PlanFormat.JSON:
        sys.stdout.write(json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n")
    else:
        print_plan(plan, Console())


# stateful workspace commands -----------------------------------------------------------------

record_app = typer.Typer(
    name="record",
    help="Record a fact, decision, submission, acknowledgement, applicability or note.",
    no_args_is_help=True,
)
app.add_typer(record_app, name="record")

UserOption = Annotated[
    str,
    typer.Option("--user", envvar="MEDTRUST_USER", help="E-mail of the user acting (editor)."),
]
IdArgument = Annotated[int, typer.Argument(help="Incident id.")]
KeyArgument = Annotated[str, typer.Argument(help="Report key, e.g. NIS2:early_warning:incident.")]
AtOption = Annotated[
    str | None, typer.Option("--at", help="When (ISO 8601 with zone); default now.")
]
RefOption = Annotated[str | None, typer.Option("--reference", help="Recipient's reference.")]


def _when(value: str | None) -> datetime | None:
    return parse_now(value) if value is not None else None


@app.command("open")
@reports_errors
def open_command(
    facts_file: Annotated[Path, typer.Argument(help="Incident facts (YAML or JSON).")],
    title: Annotated[str, typer.Option("--title", help="A short name for the incident.")],
    user: UserOption,
) -> None:
    """Open an incident from a facts file; prints its id."""
    ctx = service_context()
    principal = svc.acting_principal(ctx, user)
    text = facts_file.read_text(encoding="utf-8")
    incident_id = svc.open_incident(ctx, principal, title=title, facts=text)
    typer.echo(f"opened incident {incident_id}")


@app.command("list")
@reports_errors
def list_command(user: UserOption) -> None:
    """List the organisation's incidents with their open reports."""
    ctx = service_context()
    for ws in svc.list_incidents(ctx, svc.acting_principal(ctx, user)):
        open_items = [i for i in ws.items if i.status.open]
        overdue = sum(1 for i in open_items if i.overdue)
        typer.echo(f"{ws.record.id}\t{ws.record.title}\t{len(open_items)} open, {overdue} overdue")


@app.command("status")
@reports_errors
def status_command(
    incident_id: IdArgument,
    user: UserOption,
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="Output format.")
    ] = PlanFormat.TABLE,
    now: Annotated[str | None, typer.Option("--now", help="Clocks at this time.")] = None,
) -> None:
    """The incident's reports ordered by urgency, with their clocks and statuses."""
    ctx = service_context()
    ws = svc.get_workspace(ctx, svc.acting_principal(ctx, user), incident_id, now=_when(now))
    if output_format is PlanFormat.JSON:
        sys.stdout.write(json.dumps(status_document(ws), indent=2, ensure_ascii=False) + "\n")
    else:
        print_status(ws, Console())


@app.command("timeline")
@reports_errors
def timeline_command(incident_id: IdArgument, user: UserOption) -> None:
    """The incident's log: who recorded what, when."""
    ctx = service_context()
    for entry in svc.timeline(ctx, svc.acting_principal(ctx, user), incident_id):
        typer.echo(f"{entry.seq}\t{entry.at.isoformat()}\t{entry.actor}\t{entry.kind}")


@app.command("verify")
@reports_errors
def verify_command(incident_id: IdArgument, user: UserOption) -> None:
    """Check the hash chain of the incident's log; exit 1 when it was tampered with."""
    ctx = service_context()
    result = svc.verify_incident(ctx, svc.acting_principal(ctx, user), incident_id)
    typer.echo(result.describe())
    if not result.ok:
        raise typer.Exit(1)


@app.command("export")
@reports_errors
def export_command(
    incident_id: IdArgument,
    user: UserOption,
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(sorted(EXPORTS))}.")
    ] = "report-once",
    key: Annotated[
        str | None, typer.Option("--key", help="Report key (report-html, report-pdf).")
    ] = None,
    tlp: Annotated[Tlp, typer.Option("--tlp", help="TLP label for sharing.")] = Tlp.AMBER,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file.")] = None,
) -> None:
    """Export the package, a STIX bundle, a MISP event or one report as HTML/PDF."""
    ctx = service_context()
    principal = svc.acting_principal(ctx, user)
    out = export_incident(ctx, principal, incident_id, fmt=fmt, key=key, tlp=tlp)
    write_output(out.content, output, binary=out.media_type == "application/pdf")


@app.command("remind")
@reports_errors
def remind_command(
    now: Annotated[str | None, typer.Option("--now", help="Run as if at this time.")] = None,
) -> None:
    """Send due reminders by e-mail and webhooks (run it from a scheduler, e.g. every 15 min)."""
    results = send_due_reminders(service_context(), now=_when(now))
    for result in results:
        state = "sent" if result.delivered else "FAILED"
        typer.echo(f"{state}\t{result.reminder.subject}")
        for d in result.deliveries:
            typer.echo(f"\t{d.channel} {d.target}: {'ok' if d.ok else d.detail}")
    if any(not r.delivered for r in results):
        raise typer.Exit(3)


@record_app.command("fact")
@reports_errors
def record_fact(
    incident_id: IdArgument,
    user: UserOption,
    assignments: Annotated[
        list[str] | None, typer.Option("--set", help="dotted.path=value, repeatable.")
    ] = None,
    patch_file: Annotated[
        Path | None, typer.Option("--patch", help="A JSON merge patch file (YAML or JSON).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why the facts changed.")] = None,
) -> None:
    """Change facts (e.g. --set incident.ongoing=false --set incident.handled_at=...)."""
    ctx = service_context()
    patch = _patch(assignments, patch_file)
    svc.record_facts(ctx, svc.acting_principal(ctx, user), incident_id, patch=patch, grounds=note)
    typer.echo("recorded")


@record_app.command("decision")
@reports_errors
def record_decision(
    incident_id: IdArgument,
    user: UserOption,
    grounds: Annotated[str, typer.Option("--grounds", help="On what grounds (required).")],
    assignments: Annotated[
        list[str] | None, typer.Option("--set", help="dotted.path=value, repeatable.")
    ] = None,
    patch_file: Annotated[Path | None, typer.Option("--patch", help="Merge patch file.")] = None,
    decided_at: AtOption = None,
) -> None:
    """Record a decision (e.g. --set incident.significant=true) with its grounds."""
    ctx = service_context()
    svc.record_facts(
        ctx,
        svc.acting_principal(ctx, user),
        incident_id,
        patch=_patch(assignments, patch_file),
        grounds=grounds,
        decision=True,
        decided_at=_when(decided_at),
    )
    typer.echo("recorded")


@record_app.command("submission")
@reports_errors
def record_submission(
    incident_id: IdArgument,
    key: KeyArgument,
    user: UserOption,
    at: AtOption = None,
    reference: RefOption = None,
) -> None:
    """Record that a report was sent."""
    ctx = service_context()
    principal = svc.acting_principal(ctx, user)
    svc.record_submission(ctx, principal, incident_id, key=key, at=_when(at), reference=reference)
    typer.echo("recorded")


@record_app.command("acknowledgement")
@reports_errors
def record_acknowledgement(
    incident_id: IdArgument,
    key: KeyArgument,
    user: UserOption,
    at: AtOption = None,
    reference: RefOption = None,
) -> None:
    """Record that the recipient acknowledged a sent report."""
    ctx = service_context()
    principal = svc.acting_principal(ctx, user)
    svc.record_acknowledgement(
        ctx, principal, incident_id, key=key, at=_when(at), reference=reference
    )
    typer.echo("recorded")


@record_app.command("not-applicable")
@reports_errors
def record_not_applicable(
    incident_id: IdArgument,
    key: KeyArgument,
    user: UserOption,
    grounds: Annotated[str, typer.Option("--grounds", help="Why it does not apply.")],
) -> None:
    """Mark a report not applicable, with grounds."""
    ctx = service_context()
    principal = svc.acting_principal(ctx, user)
    svc.set_applicability(ctx, principal, incident_id, key=key, applicable=False, grounds=grounds)
    typer.echo("recorded")


@record_app.command("note")
@reports_errors
def record_note(
    incident_id: IdArgument,
    text: Annotated[str, typer.Argument(help="The note.")],
    user: UserOption,
) -> None:
    """Add a note to the timeline."""
    ctx = service_context()
    svc.add_note(ctx, svc.acting_principal(ctx, user), incident_id, text=text)
    typer.echo("recorded")


def _patch(assignments: list[str] | None, patch_file: Path | None) -> dict[str, object]:
    patch: dict[str, object] = {}
    if patch_file is not None:
        patch = read_document(patch_file.read_text(encoding="utf-8"), source=str(patch_file))
    if assignments:
        patch = merge_patch(patch, patch_from_assignments(assignments))
    return patch
