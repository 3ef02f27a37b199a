"""Small texts shared by the report renderings."""

from __future__ import annotations

from medtrust.incidents.report_document import ReportDocument


def recipient_text(report: ReportDocument) -> str:
    """Who receives the report."""
    if report.obligation is not None:
        return report.obligation.recipient
    return "the device manufacturer (or its authorised representative)"


def due_text(report: ReportDocument) -> str:
    """The deadline in words."""
    o = report.obligation
    if o is None:
        return "no legal deadline of its own; send without delay"
    if o.due is not None:
        return f"{o.due.isoformat()} ({o.limit})"
    if o.projected_due is not None:
        return f"not dated yet ({o.limit}); about {o.projected_due.isoformat()} if on time"
    return o.limit
