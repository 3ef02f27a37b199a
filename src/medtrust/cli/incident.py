"""``medtrust incident``: plan the reports an incident triggers (stateless)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from medtrust.errors import MedtrustError
from medtrust.incidents import load_directory, load_regimes, plan_obligations, read_facts
from medtrust.incidents.errors import IncidentFactsError
from medtrust.incidents.render import plan_document, print_plan

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
