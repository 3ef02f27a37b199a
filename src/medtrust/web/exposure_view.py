"""View models of the exposure pages: filters from the query string, the state of the knowledge
base and of the last evaluation, the policy's rules as a table, and the two overview charts as
inline SVG (no scripts, no external resources)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from medtrust.domain.tenancy import Principal
from medtrust.errors import InputError
from medtrust.exposure.model import Decision
from medtrust.exposure.policy import DecisionPolicy, Rule
from medtrust.exposure.settings import ExposureSettings
from medtrust.kb.errors import KbUnavailableError
from medtrust.kb.settings import KbSettings
from medtrust.kb.store import KnowledgeBase
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_views import DepartmentBar, TrendPoint, WorklistItem, WorklistQuery
from medtrust.storage.repositories.exposure import ExposureRepository
from medtrust.validation_text import first_problem

PAGE_SIZE = 50
#: chart segments, most urgent first, with their colours (also used as legend)
SEGMENTS: tuple[tuple[str, str, str], ...] = (
    (Decision.ACT.value, Decision.ACT.label, "#a12a22"),
    (Decision.ATTEND.value, Decision.ATTEND.label, "#d08a00"),
    (Decision.TRACK_STAR.value, Decision.TRACK_STAR.label, "#2f5aa8"),
    (Decision.TRACK.value, Decision.TRACK.label, "#8a93a6"),
    ("none", "no open finding", "#b9dcc3"),
)
MAX_DEPARTMENTS = 25
FEED_COMMANDS = ("medtrust feeds import PATH", "medtrust feeds update")


@dataclass(frozen=True, slots=True)
class KbStatus:
    """Whether a knowledge base is there, and when it was last updated."""

    available: bool
    directory: str
    updated_at: str | None
    message: str | None


def short_time(text: str | None) -> str | None:
    """An ISO timestamp as ``YYYY-MM-DD HH:MM UTC`` (other text unchanged)."""
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%d %H:%M UTC")


def kb_status(ctx: ServiceContext) -> KbStatus:
    """The live knowledge base's state (never raises for a missing or damaged one)."""
    root = KbSettings(data_dir=ctx.settings.data_dir).resolved_kb_dir()
    try:
        kb = KnowledgeBase.open(root)
    except KbUnavailableError as exc:
        return KbStatus(False, str(root), None, exc.message)
    return KbStatus(True, str(root), short_time(str(kb.manifest.get("updated_at") or "")), None)


@dataclass(frozen=True, slots=True)
class LastRun:
    """The latest evaluation run (plain values, read in one short transaction)."""

    id: int
    kind: str
    trigger: str
    kb_updated_at: str | None
    product_versions: int
    counts: dict[str, int]
    started_at: datetime
    finished_at: datetime


def last_run(ctx: ServiceContext, principal: Principal) -> LastRun | None:
    """The organisation's latest evaluation, or None before the first."""
    with ctx.transaction() as session:
        runs = ExposureRepository(session, principal.organisation_id).runs(limit=1)
        if not runs:
            return None
        r = runs[-1]
        return LastRun(
            r.id,
            r.kind,
            r.trigger,
            short_time(r.kb_updated_at),
            r.product_versions,
            {str(k): int(v) for k, v in (r.counts or {}).items()},
            r.started_at,
            r.finished_at,
        )


#: decisions the worklist lists; Track is the default and only counted per asset
LISTED = (Decision.ACT, Decision.ATTEND, Decision.TRACK_STAR)


def decision_totals(counts: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(value, label, asset-vulnerability pairs) per listed decision, most urgent first."""
    return [(d.value, d.label, int(counts.get(d.value, 0))) for d in LISTED]


# --- worklist filters -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorklistFilters:
    """The worklist query and what the filter form shows."""

    query: WorklistQuery
    selected: frozenset[str]


def worklist_filters(params: Mapping[str, str], decisions: Sequence[str]) -> WorklistFilters:
    """Filters from the query string. Without ``filtered`` the defaults apply (Act, Attend);
    a submitted form with no decision ticked means every decision."""
    try:
        chosen = {Decision(d) for d in decisions if d}
        page = int(params.get("page") or 1)
        version = int(params.get("product_version_id") or 0) or None
    except ValueError as exc:
        raise InputError(f"bad filter value: {exc}") from exc
    if not params.get("filtered") and not chosen:
        chosen = set(WorklistQuery().decisions)
    ordered = tuple(sorted(chosen, key=lambda d: -d.urgency))
    query = WorklistQuery(
        decisions=ordered,
        q=(params.get("q") or "").strip()[:200] or None,
        product_version_id=version,
        kev_only=params.get("kev") in {"1", "on", "true"},
        page=max(page, 1),
        page_size=PAGE_SIZE,
    )
    return WorklistFilters(query, frozenset(d.value for d in ordered))


def filter_params(query: WorklistQuery, **changes: object) -> str:
    """The query string of these filters (for pager and export links)."""
    pairs: list[tuple[str, str]] = [("filtered", "1")]
    pairs += [("decision", d.value) for d in query.decisions]
    if query.q:
        pairs.append(("q", query.q))
    if query.kev_only:
        pairs.append(("kev", "1"))
    if query.product_version_id is not None:
        pairs.append(("product_version_id", str(query.product_version_id)))
    pairs.append(("page", str(changes.get("page", query.page))))
    return urlencode(pairs)


def assets_link(item: WorklistItem) -> str:
    """The inventory filtered to the item's assets (version, zone, criticality, status)."""
    p = item.profile
    pairs = [
        ("product_version_id", str(item.product_version.id)),
        ("criticality", p.criticality),
        ("status", p.asset_status),
    ]
    if p.network_zone:
        pairs.append(("network_zone", p.network_zone))
    return "/inventory?" + urlencode(pairs)


# --- settings and policy ----------------------------------------------------------------------


def settings_from_form(epss_poc: str, open_zones: str, isolated_zones: str) -> ExposureSettings:
    """Validated settings from the form fields (zones one per line); InputError when invalid."""
    try:
        return ExposureSettings.model_validate(
            {
                "epss_poc": epss_poc.strip() or None,
                "open_zones": [z for z in open_zones.splitlines() if z.strip()],
                "isolated_zones": [z for z in isolated_zones.splitlines() if z.strip()],
            }
        )
    except ValidationError as exc:
        raise InputError(first_problem(exc)) from exc


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A policy rule as the settings page shows it (``any`` for an unconstrained input)."""

    id: str
    decision: Decision
    exploitation: str
    exposure: str
    automatable: str
    impact: str
    reason: str


def _values(values: frozenset[Any] | None, order: Sequence[Any]) -> str:
    if values is None:
        return "any"
    return ", ".join(str(v) for v in order if v in values)


def rule_rows(policy: DecisionPolicy) -> list[RuleRow]:
    """The rules in evaluation order (the first that holds decides)."""
    from medtrust.exposure.model import INPUT_ENUMS

    def row(rule: Rule) -> RuleRow:
        return RuleRow(
            rule.id,
            rule.decision,
            _values(rule.exploitation, list(INPUT_ENUMS["exploitation"])),
            _values(rule.exposure, list(INPUT_ENUMS["exposure"])),
            _values(rule.automatable, list(INPUT_ENUMS["automatable"])),
            _values(rule.impact, list(INPUT_ENUMS["impact"])),
            rule.reason,
        )

    return [row(r) for r in policy.rules]


# --- charts -----------------------------------------------------------------------------------

_W = 560


def _svg_open(label: str, height: int, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {_W} {height}" width="100%" class="{css}"><title>{label}</title>'
    )


def _legend(y: int, keys: Sequence[tuple[str, str, str]]) -> str:
    parts, x = [], 0
    for _value, label, colour in keys:
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}" font-size="12">{escape(label)}</text>'
        )
        x += 26 + 7 * len(label)
    return "".join(parts)


def _department_rank(bar: DepartmentBar) -> tuple[Any, ...]:
    c = bar.counts
    return (*(-int(c.get(v, 0)) for v, _l, _c in SEGMENTS[:-1]), bar.department)


def department_svg(bars: Sequence[DepartmentBar]) -> str:
    """Stacked horizontal bars: per department its assets by most urgent decision.

    Departments with the most Act (then Attend, Track*, Track) assets come first; at most
    ``MAX_DEPARTMENTS`` are drawn and the rest summarised in one line."""
    label = "Assets per department by most urgent decision"
    if not bars:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
            f'width="{_W}" height="30" class="chart"><text x="0" y="20">No evaluated assets '
            "yet.</text></svg>"
        )
    shown = sorted(bars, key=_department_rank)[:MAX_DEPARTMENTS]
    hidden = len(bars) - len(shown)
    left, row, top = 150, 24, 6
    plot = _W - left - 60
    widest = max(sum(b.counts.values()) for b in shown) or 1
    height = top + row * len(shown) + (18 if hidden else 0) + 26
    parts = [_svg_open(label, height, "chart departments")]
    for i, bar in enumerate(shown):
        y = top + i * row
        name = bar.department if len(bar.department) <= 22 else bar.department[:21] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        x = float(left)
        total = 0
        for value, seg_label, colour in SEGMENTS:
            count = int(bar.counts.get(value, 0))
            if not count:
                continue
            total += count
            width = round(plot * count / widest, 1)
            parts.append(
                f'<rect x="{round(x, 1)}" y="{y + 2}" width="{max(width, 1.0)}" height="{row - 6}" '
                f'fill="{colour}" data-decision="{value}"><title>{escape(bar.department)}: '
                f"{count} asset(s) {escape(seg_label)}</title></rect>"
            )
            x += width
        parts.append(f'<text x="{round(x, 1) + 4}" y="{y + 13}" font-size="12">{total}</text>')
    y = top + row * len(shown)
    if hidden:
        parts.append(
            f'<text x="{left}" y="{y + 12}" font-size="12">and {hidden} more department(s)</text>'
        )
        y += 18
    parts.append(_legend(y + 8, SEGMENTS))
    parts.append("</svg>")
    return "".join(parts)


_TREND_KEYS = (SEGMENTS[0], SEGMENTS[1])


def trend_svg(points: Sequence[TrendPoint]) -> str:
    """Open Act and Attend asset-vulnerability pairs after each evaluation run (lines)."""
    label = "Open Act and Attend after each evaluation"
    if not points:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
            f'width="{_W}" height="30" class="chart"><text x="0" y="20">No evaluation yet.'
            "</text></svg>"
        )
    height, left, right, top, bottom = 220, 48, 16, 10, 48
    plot_w, plot_h = _W - left - right, height - top - bottom
    peak = max(max(p.act, p.attend) for p in points) or 1
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, value: int) -> tuple[float, float]:
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        return round(x, 1), round(top + plot_h - plot_h * value / peak, 1)

    parts = [
        _svg_open(label, height, "chart trend"),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{_W - right}" y2="{top + plot_h}" '
        'stroke="#8a93a6"/>',
        f'<text x="{left - 6}" y="{top + 10}" font-size="12" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="12" text-anchor="end">0</text>',
    ]
    # Attend first as rings, Act on top as dots: equal values stay visible
    for attr, (value, seg_label, colour) in (("attend", _TREND_KEYS[1]), ("act", _TREND_KEYS[0])):
        coords = [xy(i, int(getattr(p, attr))) for i, p in enumerate(points)]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        dot = (
            f'r="3.5" fill="{colour}"'
            if attr == "act"
            else f'r="6" fill="none" stroke="{colour}" stroke-width="2"'
        )
        for (x, y), p in zip(coords, points, strict=True):
            when = p.at.strftime("%Y-%m-%d %H:%M")
            parts.append(
                f'<circle cx="{x}" cy="{y}" {dot} data-decision="{value}">'
                f"<title>{when} UTC ({escape(p.kind)}): {getattr(p, attr)} "
                f"{escape(seg_label)}</title></circle>"
            )
    first, last = points[0].at.strftime("%Y-%m-%d"), points[-1].at.strftime("%Y-%m-%d")
    parts.append(f'<text x="{left}" y="{top + plot_h + 14}" font-size="10">{first}</text>')
    if len(points) > 1:
        parts.append(
            f'<text x="{_W - right}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="end">{last}</text>'
        )
    parts.append(_legend(height - 14, _TREND_KEYS))
    parts.append("</svg>")
    return "".join(parts)
