"""``medtrust exposure``: the prioritised worklist of the installed base; its settings.

``medtrust exposure`` prints (or exports) the worklist in worklist order, evaluating first when
asked with ``--evaluate`` or when the organisation was never evaluated. ``medtrust exposure
settings`` shows the organisation's thresholds and, for admins, changes them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from medtrust.cli.common import fail, reports_errors, service_context, write_output
from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import InputError
from medtrust.exposure.exports import FORMATS, render_worklist
from medtrust.exposure.model import Decision
from medtrust.exposure.settings import ExposureSettings
from medtrust.kb.errors import KbUnavailableError
from medtrust.services import exposure as svc
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_views import WorklistItem, WorklistPage, WorklistQuery, worklist
from medtrust.services.incidents import acting_principal
from medtrust.storage.migrate import upgrade
from medtrust.validation_text import first_problem

CHOICES = ("table", *sorted(FORMATS))
FORMAT_HELP = f"One of {', '.join(CHOICES)}."
#: priority names accepted by --priority (``track*`` is how people write Track*)
PRIORITIES: dict[str, Decision] = {
    "act": Decision.ACT,
    "attend": Decision.ATTEND,
    "track-star": Decision.TRACK_STAR,
    "track*": Decision.TRACK_STAR,
    "track": Decision.TRACK,
}
PRIORITY_HELP = (
    "Comma-separated decisions: act, attend, track-star (track*), track, or all"
    " (Track, the default decision, is counted per asset but not listed)."
)
#: table column limits (characters); longer text is cut with an ellipsis
_LIMITS = {"vulnerability": 20, "product version": 44, "component": 32, "zone": 22}
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

app = typer.Typer(
    name="exposure",
    help="Exposure of the installed base: the prioritised worklist (Act, Attend, Track*, Track).",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)

UserOption = Annotated[
    str | None,
    typer.Option("--user", envvar="MEDTRUST_USER", help="E-mail of the user acting."),
]


def parse_priorities(text: str) -> tuple[Decision, ...]:
    """Decisions named in ``text``, most urgent first; ``()`` means all. InputError if unknown."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise InputError("--priority is empty; use act, attend, track-star, track or all")
    if "all" in names:
        return ()
    unknown = [n for n in names if n not in PRIORITIES]
    if unknown:
        raise InputError(
            f"unknown priority {unknown[0]!r}; use act, attend, track-star, track or all"
        )
    return tuple(sorted({PRIORITIES[n] for n in names}, key=lambda d: -d.urgency))


def _principal(ctx: ServiceContext, user: str | None, org: str | None) -> Principal:
    if not user:
        raise fail("give --user or set MEDTRUST_USER")
    principal = acting_principal(ctx, user)
    if org is not None and org.strip().casefold() != principal.organisation.name.casefold():
        raise fail(f"{user} belongs to organisation {principal.organisation.name!r}, not {org!r}")
    return principal


def _counts(counts: dict[str, int]) -> str:
    """Act, Attend and Track* always; Track only when counted (it is not stored)."""
    urgent_first = sorted(Decision, key=lambda d: -d.urgency)
    return ", ".join(
        f"{d.label} {counts.get(d.value, 0)}"
        for d in urgent_first
        if d is not Decision.TRACK or d.value in counts
    )


def _say(message: str) -> None:
    typer.echo(f"exposure: {message}", err=True)


def _evaluate(ctx: ServiceContext, principal: Principal, *, why: str) -> None:
    started = False

    def progress(message: str) -> None:  # announced once the KB is open and the role checked
        nonlocal started
        if not started:
            _say(f"evaluating {principal.organisation.name} ({why})")
            started = True
        _say(message)

    try:
        run = svc.evaluate_exposure(ctx, principal, trigger=f"cli: {why}", progress=progress)
    except KbUnavailableError as exc:
        raise fail(
            f"cannot evaluate exposure: {exc.message} "
            "(or download feeds with 'medtrust feeds update')",
            exc.exit_code,
        ) from None
    counts = _counts(run.counts)
    _say(
        f"evaluated {run.product_versions} product version(s): {run.findings} finding(s), "
        f"{run.decisions} decision(s) ({counts} asset-vulnerability pairs) "
        f"in {run.seconds:.1f} s"
    )


def _clip(text: str, limit: int | None) -> str:
    text = _CONTROLS.sub(" ", text)
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _version_label(item: WorklistItem, limit: int) -> str:
    """Manufacturer, product and version; a long manufacturer is cut first, the version never."""
    pv = item.product_version
    tail = f"{pv.product} {pv.version}"
    room = limit - len(tail) - 1
    if len(pv.manufacturer) <= room:
        return f"{pv.manufacturer} {tail}"
    if room >= 6:
        return f"{pv.manufacturer[: room - 1]}… {tail}"
    keep = max(limit - len(pv.version) - 2, 1)
    return f"{pv.product[:keep]}… {pv.version}" if len(tail) > limit else tail


def _table_cells(item: WorklistItem) -> tuple[str, ...]:
    f = item.finding
    component = " ".join(x for x in (f.component, f.component_version or "") if x)
    return (
        item.decision.label,
        f.vulnerability,
        (f.kev_date or "yes") if f.kev else "-",
        f"{f.epss:.3f}" if f.epss is not None else "-",
        f"{f.cvss_score:.1f}" if f.cvss_score is not None else "-",
        _version_label(item, _LIMITS["product version"]),
        component,
        str(item.profile.asset_count),
        item.profile.network_zone or "(none)",
    )


TABLE_COLUMNS = (
    "decision",
    "vulnerability",
    "KEV",
    "EPSS",
    "CVSS",
    "product version",
    "component",
    "assets",
    "zone",
)
_RIGHT = {"EPSS", "CVSS", "assets"}


def worklist_table(page: WorklistPage, decisions: Sequence[Decision]) -> str:
    """A compact aligned table of the page (worklist order) and a summary line."""
    rows = [
        tuple(_clip(c, _LIMITS.get(h)) for c, h in zip(_table_cells(i), TABLE_COLUMNS, strict=True))
        for i in page.items
    ]
    widths = [max([len(h), *(len(r[k]) for r in rows)]) for k, h in enumerate(TABLE_COLUMNS)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if h in _RIGHT else c.ljust(w)
            for c, w, h in zip(cells, widths, TABLE_COLUMNS, strict=True)
        ]
        return "  ".join(parts).rstrip()

    shown = ", ".join(d.label for d in decisions) if decisions else "all decisions"
    evaluated = page.evaluated_at.isoformat(timespec="seconds") if page.evaluated_at else "never"
    totals = _counts(page.totals)
    out = [line(TABLE_COLUMNS), *(line(r) for r in rows)] if rows else ["no items"]
    out.append(
        f"{len(rows)} item(s) ({shown}); asset-vulnerability pairs: {totals}; "
        f"last evaluated {evaluated}"
    )
    return "\n".join(out) + "\n"


@app.callback(invoke_without_command=True)
@reports_errors
def exposure_command(
    typer_ctx: typer.Context,
    user: UserOption = None,
    format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    priority: Annotated[str, typer.Option("--priority", help=PRIORITY_HELP)] = "act,attend",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to a file (xlsx/pdf need one).")
    ] = None,
    evaluate: Annotated[
        bool | None,
        typer.Option(
            "--evaluate/--no-evaluate",
            help="Evaluate first (default: only when the organisation was never evaluated).",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation expected (the user's; checked, not switched)."),
    ] = None,
) -> None:
    """The exposure worklist, most urgent first, each item with the reason for its decision."""
    if typer_ctx.invoked_subcommand is not None:
        typer_ctx.obj = {"user": user, "org": org}
        return
    if format not in CHOICES:
        raise fail(f"unknown format {format!r}; use one of {', '.join(CHOICES)}")
    decisions = parse_priorities(priority)
    binary = format in FORMATS and FORMATS[format].binary
    if binary and output is None and sys.stdout.isatty():
        raise fail(f"{format} is binary: give --output FILE (or redirect stdout)")
    ctx = service_context()
    upgrade(ctx.engine)
    principal = _principal(ctx, user, org)
    if evaluate:
        _evaluate(ctx, principal, why="requested")
    elif evaluate is None and svc.last_evaluated(ctx, principal) is None:
        if not principal.user.role.allows(Role.EDITOR):
            raise fail(
                f"the exposure of {principal.organisation.name} was never evaluated; "
                "an editor runs 'medtrust exposure --evaluate'"
            )
        _evaluate(ctx, principal, why="never evaluated before")
    query = WorklistQuery(decisions=decisions, page_size=0)
    page = worklist(ctx, principal, query, with_assets=format != "table")
    if format == "table":
        write_output(worklist_table(page, decisions), output)
        return
    content = render_worklist(
        format,
        page,
        generated_at=datetime.now(UTC),
        organisation=principal.organisation.name,
        settings=svc.load_settings(ctx, principal),
    )
    write_output(content, output, binary=binary)
    if output is not None:
        _say(f"wrote {len(page.items)} item(s) to {output}")


def _settings_lines(settings: ExposureSettings) -> str:
    return (
        f"epss_poc: {settings.epss_poc}\n"
        f"open_zones: {', '.join(settings.open_zones) or '(none)'}\n"
        f"isolated_zones: {', '.join(settings.isolated_zones) or '(none)'}\n"
    )


@app.command("settings")
@reports_errors
def settings_command(
    typer_ctx: typer.Context,
    user: UserOption = None,
    epss_poc: Annotated[
        float | None,
        typer.Option("--epss-poc", help="EPSS probability (0..1) from which exploitation is poc."),
    ] = None,
    open_zone: Annotated[
        list[str] | None,
        typer.Option(
            "--open-zone", help="Zone treated as open; repeatable, replaces the list ('' clears)."
        ),
    ] = None,
    isolated_zone: Annotated[
        list[str] | None,
        typer.Option(
            "--isolated-zone",
            help="Zone treated as isolated; repeatable, replaces the list ('' clears).",
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Show the exposure settings; with options, change them (admin; next evaluation uses them)."""
    if format not in ("table", "json"):
        raise fail(f"unknown format {format!r}; use table or json")
    parent = typer_ctx.obj if isinstance(typer_ctx.obj, dict) else {}
    ctx = service_context()
    upgrade(ctx.engine)
    source = typer_ctx.get_parameter_source("user")
    given_here = source is not None and source.name in ("COMMANDLINE", "PROMPT")
    acting = user if given_here or not parent.get("user") else parent["user"]
    principal = _principal(ctx, acting, parent.get("org"))
    current = svc.load_settings(ctx, principal)
    changes: dict[str, object] = {}
    if epss_poc is not None:
        changes["epss_poc"] = epss_poc
    if open_zone is not None:
        changes["open_zones"] = open_zone
    if isolated_zone is not None:
        changes["isolated_zones"] = isolated_zone
    if changes:
        try:
            wanted = ExposureSettings.model_validate({**current.model_dump(), **changes})
        except ValidationError as exc:
            raise fail(first_problem(exc)) from None
        current = svc.save_settings(ctx, principal, wanted)
        _say("settings saved; they apply from the next evaluation (medtrust exposure --evaluate)")
    if format == "json":
        write_output(json.dumps(current.model_dump(mode="json"), indent=2) + "\n", None)
    else:
        write_output(_settings_lines(current), None)
