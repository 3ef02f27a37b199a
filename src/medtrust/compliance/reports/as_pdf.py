"""The gap report as PDF (fpdf2): summary, then per requirement its status, evidence and actions.

Fonts as in the MDS2 print view: DejaVu Sans when installed, else Helvetica with latin-1 text.
"""

from __future__ import annotations

from fpdf import FPDF

from medtrust.compliance.assessment import Assessment, RequirementResult, Status
from medtrust.compliance.evidence import Signal
from medtrust.compliance.gaps import node_label, requirement_title
from medtrust.compliance.library import Library
from medtrust.mds2.writers.pdf_print import pdf_font

#: evidence items printed per requirement and signal (the xlsx and JSON have all)
ITEMS_SHOWN = 4
#: closing actions printed per requirement
ACTIONS_SHOWN = 8
_COLOUR = {
    Status.COVERED: (198, 239, 206),
    Status.PARTLY: (255, 235, 156),
    Status.GAP: (255, 199, 206),
    Status.NOT_APPLICABLE: (231, 230, 230),
}


class _Report:
    def __init__(self) -> None:
        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        self.family, self.clean = pdf_font(self.pdf)
        self.pdf.add_page()

    def text(self, value: str) -> str:
        return self.clean(value)

    def line(self, value: str, *, size: float = 9, bold: bool = False, indent: float = 0) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_x(15 + indent)
        self.pdf.multi_cell(
            180 - indent, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT"
        )

    def status(self, result: RequirementResult, label: str) -> None:
        self.pdf.set_fill_color(*_COLOUR[result.status])
        self.pdf.set_font(self.family, "B", 10)
        self.pdf.multi_cell(
            180,
            6,
            self.text(
                f"{result.status.value.upper()}  {label} - {requirement_title(result.requirement)}"
            ),
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _requirement(report: _Report, result: RequirementResult, library: Library) -> None:
    report.status(result, node_label(result.requirement.urn, library))
    report.line(result.reason, indent=2)
    for signal, title in (
        (Signal.POSITIVE, "Supported by"),
        (Signal.REVIEW, "Needs review"),
        (Signal.NEGATIVE, "Against"),
    ):
        found = result.with_signal(signal)
        if not found:
            continue
        report.line(f"{title} ({len(found)}):", bold=True, indent=2)
        for contribution in found[:ITEMS_SHOWN]:
            report.line(f"- {contribution.evidence.statement}", indent=5)
            report.line(f"via {contribution.via(library)}", size=7.5, indent=8)
        if len(found) > ITEMS_SHOWN:
            report.line(f"... and {len(found) - ITEMS_SHOWN} more (xlsx/JSON list all)", indent=5)
    if result.closing:
        report.line("To close:", bold=True, indent=2)
        for action in result.closing[:ACTIONS_SHOWN]:
            report.line(f"* {action.action}", indent=5)
            if action.via != "direct":
                report.line(f"counts via {action.via}", size=7.5, indent=8)
        if len(result.closing) > ACTIONS_SHOWN:
            report.line(
                f"... and {len(result.closing) - ACTIONS_SHOWN} more (xlsx/JSON list all)", indent=5
            )
    report.pdf.ln(2)


def assessment_pdf(assessment: Assessment, library: Library) -> bytes:
    """PDF bytes of the gap report."""
    report = _Report()
    report.pdf.set_title(report.text(f"Product assessment: {assessment.subject}"))
    report.line(f"Product assessment: {assessment.subject}", size=14, bold=True)
    report.line(
        f"Date {assessment.as_of.isoformat()}; covered needs support at confidence >= "
        f"{assessment.policy.covered_min_confidence:.2f} and nothing against; paths of at most "
        f"{assessment.policy.max_hops} mappings."
    )
    for note in assessment.notes:
        report.line(f"Note: {note}")
    report.pdf.ln(2)
    for framework, counts in assessment.summary().items():
        tally = ", ".join(f"{count} {status}" for status, count in counts.items())
        report.line(f"{library.framework(framework).name}: {tally}", bold=True)
    for framework in assessment.frameworks:
        report.pdf.ln(3)
        report.line(library.framework(framework).name, size=12, bold=True)
        for result in assessment.results:
            if result.requirement.framework == framework:
                _requirement(report, result, library)
    return bytes(report.pdf.output())
