"""The exposure worklist as a landscape PDF register: Act and Attend first, each row with the
explanation of its decision below it (:func:`~medtrust.exposure.exports.render_worklist`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from fpdf import FPDF

from medtrust.exposure.exports import CUT, totals_text, when_text
from medtrust.exposure.model import Decision
from medtrust.exposure.policy import load_policy
from medtrust.mds2.writers.pdf_print import pdf_font

if TYPE_CHECKING:
    from medtrust.services.exposure_views import WorklistItem, WorklistPage


#: (header, relative width) of the PDF table; the explanation runs below each row
_PDF_COLUMNS = (
    ("Decision", 0.9),
    ("Vulnerability", 1.6),
    ("KEV", 1.0),
    ("EPSS", 0.6),
    ("CVSS", 0.6),
    ("Product version", 3.0),
    ("Component", 2.4),
    ("Status", 1.3),
    ("Assets", 0.6),
    ("Zone, criticality", 2.0),
    ("Rule", 1.9),
)
#: fill colour of the decision cell
_COLOURS = {
    Decision.ACT: (244, 199, 195),
    Decision.ATTEND: (252, 224, 178),
    Decision.TRACK_STAR: (255, 245, 190),
    Decision.TRACK: (232, 234, 237),
}
_WIDTH_MM = 277.0
_EXPLANATION_LINES = 8


def _pdf_cells(item: WorklistItem) -> tuple[str, ...]:
    f, p = item.finding, item.profile
    component = " ".join(x for x in (f.component, f.component_version or "") if x)
    return (
        item.decision.label,
        f.vulnerability,
        (f.kev_date or "yes") if f.kev else "",
        f"{f.epss:.3f}" if f.epss is not None else "",
        f"{f.cvss_score:.1f}" if f.cvss_score is not None else "",
        item.product_version.label,
        f"{component} ({f.method}, {f.confidence})",
        f.status,
        str(p.asset_count),
        f"{p.network_zone or '(no zone)'}, {p.criticality}",
        item.rule,
    )


def _wrap(text: str, width_chars: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=max(width_chars, 4), break_long_words=True) or [""]
    if len(lines) > max_lines:
        keep = lines[max_lines - 1][: max(width_chars - len(CUT), 1)]
        lines = [*lines[: max_lines - 1], keep + CUT]
    return lines


def pdf_order(items: Sequence[WorklistItem]) -> list[WorklistItem]:
    """Act and Attend first; otherwise worklist order (the sort is stable)."""
    return sorted(items, key=lambda i: -i.decision.urgency)


def worklist_pdf(
    page: WorklistPage,
    *,
    generated_at: datetime,
    organisation: str,
    font: str = "auto",
) -> bytes:
    """A4 landscape table, header repeated per page, each item's explanation below its row.

    ``font="core"`` forces the latin-1 core font. Cells are wrapped by an estimate of
    characters per line and cut after a few lines; the xlsx, CSV and JSON keep the full text.
    """
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Exposure worklist")
    pdf.set_creator("medtrust")
    family, clean = pdf_font(pdf, unicode=font == "auto")
    total = sum(w for _, w in _PDF_COLUMNS)
    widths = [_WIDTH_MM * w / total for _, w in _PDF_COLUMNS]
    size, line_h, small = 6.0, 2.6, 5.5

    headers = [h for h, _ in _PDF_COLUMNS]

    def fit(text: str, width_mm: float, points: float, style: str, max_lines: int) -> list[str]:
        """Wrap by an estimate of characters per line, narrowed until every line fits.

        Lines too short to overflow even in the widest glyphs (1 em) are not measured.
        """
        pdf.set_font(family, style, points)
        font = pdf.current_font
        assert font is not None  # set just above
        room = width_mm - 1.6
        safe = int(room / (points / pdf.k))
        n = int(room / (points / pdf.k * 0.5))
        text = clean(text)
        while True:
            lines = _wrap(text, n, max_lines)
            if n <= 4 or all(
                len(line) <= safe or font.get_text_width(line, points, None)[1] / pdf.k <= room
                for line in lines
            ):
                return lines
            n = max(4, int(n * 0.9))

    def header() -> None:
        draw(headers, bold=True, max_lines=2, fill=None, explanation=None)

    def draw(
        cells: Sequence[str],
        *,
        bold: bool,
        max_lines: int,
        fill: tuple[int, int, int] | None,
        explanation: str | None,
    ) -> None:
        style = "B" if bold else ""
        wrapped = [fit(c, w, size, style, max_lines) for c, w in zip(cells, widths, strict=True)]
        height = line_h * max(len(w) for w in wrapped) + 1
        notes = fit(explanation, _WIDTH_MM, small, "", _EXPLANATION_LINES) if explanation else []
        extra = (small * 0.352 + 0.4) * len(notes) + (1 if notes else 0)
        if pdf.get_y() + height + extra > pdf.h - 10:
            pdf.add_page()
            header()
        y, x = pdf.get_y(), pdf.l_margin
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(x, y, widths[0], height, style="F")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(family, "B" if bold else "", size)
        for lines, width in zip(wrapped, widths, strict=True):
            for index, line in enumerate(lines):
                pdf.text(x + 0.8, y + line_h * (index + 1), line)
            x += width
        y += height
        if notes:
            pdf.set_font(family, "", small)
            pdf.set_text_color(70, 70, 70)
            step = small * 0.352 + 0.4
            for index, line in enumerate(notes):
                pdf.text(pdf.l_margin + 0.8, y + step * (index + 1) - 0.4, line)
            y += extra
            pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(200, 205, 215)
        pdf.line(pdf.l_margin, y, pdf.l_margin + _WIDTH_MM, y)
        pdf.set_y(y)

    pdf.add_page()
    pdf.set_font(family, "B", 13)
    pdf.cell(0, 8, clean(f"Exposure worklist: {organisation}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8)
    policy = load_policy()
    for line in (
        f"generated {when_text(generated_at)}; last evaluated {when_text(page.evaluated_at)}",
        f"{len(page.items)} item(s) in this export; asset-vulnerability pairs by decision: "
        f"{totals_text(page.totals)}",
        f"decision policy: {policy.title}, version {policy.version}; Act and Attend first",
    ):
        pdf.cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    header()
    for item in pdf_order(page.items):
        draw(
            _pdf_cells(item),
            bold=False,
            max_lines=4,
            fill=_COLOURS[item.decision],
            explanation=item.explanation(),
        )
    if not page.items:
        pdf.set_font(family, "", 8)
        pdf.cell(0, 6, "No items.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
