"""Plain-text renderings (the CLI's ``table`` format): stable, readable in a terminal or a diff."""

from __future__ import annotations

from medtrust.compliance.applicability import ApplicabilityReport
from medtrust.compliance.assessment import Assessment, RequirementResult, Status
from medtrust.compliance.evidence import Signal
from medtrust.compliance.gaps import node_label, requirement_title
from medtrust.compliance.library import Library

#: evidence items listed per requirement and signal before "... and N more"
ITEMS_SHOWN = 5
#: closing actions listed per requirement
ACTIONS_SHOWN = 8
_MARK = {
    Status.COVERED: "COVERED",
    Status.PARTLY: "PARTLY",
    Status.GAP: "GAP",
    Status.NOT_APPLICABLE: "N/A",
}


def _items(result: RequirementResult, signal: Signal, title: str, library: Library) -> list[str]:
    found = result.with_signal(signal)
    if not found:
        return []
    lines = [f"    {title} ({len(found)}):"]
    for contribution in found[:ITEMS_SHOWN]:
        lines.append(f"      - {contribution.evidence.statement}")
        lines.append(f"        via {contribution.via(library)}")
    if len(found) > ITEMS_SHOWN:
        lines.append(f"      ... and {len(found) - ITEMS_SHOWN} more (see --format json or xlsx)")
    return lines


def requirement_lines(result: RequirementResult, library: Library) -> list[str]:
    """The block of one requirement: status, reason, evidence with paths, closing actions."""
    node = result.requirement
    lines = [
        f"[{_MARK[result.status]}] {node_label(node.urn, library)} - {requirement_title(node)}",
        f"    {result.reason}",
    ]
    lines += _items(result, Signal.POSITIVE, "supported by", library)
    lines += _items(result, Signal.REVIEW, "needs review", library)
    lines += _items(result, Signal.NEGATIVE, "against", library)
    if result.status is Status.NOT_APPLICABLE:
        lines += _items(result, Signal.NOT_APPLICABLE, "not applicable per", library)
    if result.closing:
        lines.append(f"    to close ({len(result.closing)}):")
        for action in result.closing[:ACTIONS_SHOWN]:
            lines.append(f"      * {action.action}")
            if action.via != "direct":
                lines.append(f"        counts via {action.via}")
        if len(result.closing) > ACTIONS_SHOWN:
            more = len(result.closing) - ACTIONS_SHOWN
            lines.append(f"      ... and {more} more (see --format json or xlsx)")
    return lines


def assessment_text(assessment: Assessment, library: Library) -> str:
    """The gap report as text."""
    policy = assessment.policy
    lines = [
        f"Product assessment: {assessment.subject}",
        f"Date: {assessment.as_of.isoformat()}   frameworks: {', '.join(assessment.frameworks)}",
        f"Rules: covered needs support at confidence >= {policy.covered_min_confidence:.2f} "
        f"and nothing against; paths of at most {policy.max_hops} mappings.",
    ]
    lines += [f"Note: {note}" for note in assessment.notes]
    lines.append("")
    for framework, counts in assessment.summary().items():
        tally = ", ".join(f"{count} {status}" for status, count in counts.items())
        lines.append(f"{library.framework(framework).name}: {tally}")
    for framework in assessment.frameworks:
        lines += ["", f"== {library.framework(framework).name} =="]
        for result in assessment.results:
            if result.requirement.framework == framework:
                lines += requirement_lines(result, library)
    return "\n".join(lines) + "\n"


def applicability_text(report: ApplicabilityReport) -> str:
    """Applicability verdicts as text."""
    lines = ["Facts: " + (", ".join(f"{k}={v}" for k, v in report.facts) or "(none)"), ""]
    for result in report.results:
        role = f" ({result.role})" if result.role else ""
        lines.append(f"{result.framework}: {result.verdict.value.upper()}{role} - {result.name}")
        lines.append(f"    {result.because}")
        if result.cites:
            lines.append(f"    cites: {'; '.join(result.cites)}")
        lines += [f"    - {item}" for item in result.obligations]
        lines += [f"    note: {note}" for note in result.notes]
        if result.missing:
            lines.append(f"    answer: {', '.join(result.missing)}")
    return "\n".join(lines) + "\n"
