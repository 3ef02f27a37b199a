"""Renderings of diff and compare results by name: ``table``, ``json``, ``xlsx``, ``html``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

from medtrust.errors import UnsupportedFormatError
from medtrust.mds2.compare import Mds2Comparison
from medtrust.mds2.diff import Mds2Diff
from medtrust.mds2.render.as_html import comparison_html, diff_html
from medtrust.mds2.render.as_json import comparison_json, diff_json
from medtrust.mds2.render.as_table import comparison_table, diff_table
from medtrust.mds2.render.as_xlsx import comparison_xlsx, diff_xlsx

T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Rendering(Generic[T]):
    """One output format for one kind of result."""

    name: str
    media_type: str
    suffix: str
    render: Callable[[T], bytes]


def _table_bytes(render: Callable[[T], str]) -> Callable[[T], bytes]:
    return lambda result: render(result).encode("utf-8")


DIFF_RENDERINGS: Mapping[str, Rendering[Mds2Diff]] = MappingProxyType(
    {
        "table": Rendering("table", "text/plain; charset=utf-8", ".txt", _table_bytes(diff_table)),
        "json": Rendering("json", "application/json", ".json", diff_json),
        "xlsx": Rendering("xlsx", XLSX, ".xlsx", diff_xlsx),
        "html": Rendering("html", "text/html; charset=utf-8", ".html", diff_html),
    }
)

COMPARISON_RENDERINGS: Mapping[str, Rendering[Mds2Comparison]] = MappingProxyType(
    {
        "table": Rendering(
            "table", "text/plain; charset=utf-8", ".txt", _table_bytes(comparison_table)
        ),
        "json": Rendering("json", "application/json", ".json", comparison_json),
        "xlsx": Rendering("xlsx", XLSX, ".xlsx", comparison_xlsx),
        "html": Rendering("html", "text/html; charset=utf-8", ".html", comparison_html),
    }
)


def _pick(renderings: Mapping[str, Rendering[T]], name: str, what: str) -> Rendering[T]:
    rendering = renderings.get(name)
    if rendering is None:
        known = ", ".join(sorted(renderings))
        raise UnsupportedFormatError(f"unknown {what} output format {name!r} (known: {known})")
    return rendering


def diff_rendering(name: str) -> Rendering[Mds2Diff]:
    """The diff rendering registered under ``name``."""
    return _pick(DIFF_RENDERINGS, name, "diff")


def comparison_rendering(name: str) -> Rendering[Mds2Comparison]:
    """The comparison rendering registered under ``name``."""
    return _pick(COMPARISON_RENDERINGS, name, "compare")


def render_diff(result: Mds2Diff, to: str) -> bytes:
    """Render a diff in the format named ``to``."""
    return diff_rendering(to).render(result)


def render_comparison(result: Mds2Comparison, to: str) -> bytes:
    """Render a comparison in the format named ``to``."""
    return comparison_rendering(to).render(result)
