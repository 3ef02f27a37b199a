"""Diff and comparison results as standalone HTML documents (inline CSS, autoescaped)."""

from __future__ import annotations

from medtrust.mds2.compare import Mds2Comparison
from medtrust.mds2.diff import Mds2Diff
from medtrust.mds2.writers.print_view import template_environment


def diff_html(result: Mds2Diff) -> bytes:
    """The diff as one HTML page: summary, changes coloured by direction, notes changes."""
    page = template_environment().get_template("diff.html.j2").render(diff=result)
    return page.encode("utf-8")


def comparison_html(result: Mds2Comparison) -> bytes:
    """The comparison as one HTML page: sections collapsible, cells coloured by stance."""
    page = template_environment().get_template("compare.html.j2").render(cmp=result)
    return page.encode("utf-8")
