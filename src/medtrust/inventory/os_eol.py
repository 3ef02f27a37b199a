"""The packaged operating-system end-of-life table (``catalog/data/lifecycle/os-eol.yaml``).

:class:`OsEolFile` is the file model (its JSON Schema is committed as
``catalog/schemas/os-eol.schema.json``); :func:`load_os_table` validates the file once and
returns an :class:`OsTable` that matches free-text OS names (``Win7 Pro SP1``) to releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.asset import EndOfSupport, SupportSource
from medtrust.inventory.errors import LifecycleDataError
from medtrust.validation_text import first_problem

OS_TABLE_FILE = "lifecycle/os-eol.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OsSourceModel(_Strict):
    """Where the dates of a release come from."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")


class OsReleaseModel(_Strict):
    """One operating-system release and its end of support."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    family: Literal["windows", "windows-embedded", "windows-ltsc", "windows-server", "linux"]
    name: str = Field(min_length=1)
    patterns: list[str] = Field(
        min_length=1, description="Case-insensitive regular expressions, tried in file order."
    )
    end_of_support: date = Field(description="Last day of security fixes for every customer.")
    precision: Literal["day", "month"] = "day"
    extended_end: date | None = Field(
        default=None, description="End of a paid or volunteer extension (ESU, ELS, LTS, LTSS)."
    )
    extended_note: str | None = None
    source: OsSourceModel

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        return patterns


class OsEolFile(_Strict):
    """The whole table."""

    schema_version: Literal[1]
    releases: list[OsReleaseModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class OsRelease:
    """A release with its dates, as used by the lifecycle evaluation."""

    id: str
    family: str
    name: str
    end_of_support: date
    extended_end: date | None
    extended_note: str | None
    source_title: str
    source_url: str

    @property
    def end(self) -> EndOfSupport:
        """The end of support as a lifecycle fact."""
        return EndOfSupport(
            self.end_of_support, SupportSource.OS_TABLE, f"{self.name}: {self.source_title}"
        )


class OsTable:
    """Matches OS names to releases (first matching release in file order)."""

    def __init__(self, releases: list[tuple[OsRelease, tuple[re.Pattern[str], ...]]]) -> None:
        self._releases = releases
        self._cache: dict[str, OsRelease | None] = {}

    @property
    def releases(self) -> tuple[OsRelease, ...]:
        """All releases in file order."""
        return tuple(r for r, _ in self._releases)

    def match(self, os_name: str | None) -> OsRelease | None:
        """The release an OS name denotes, or None."""
        if not os_name:
            return None
        text = " ".join(os_name.split())
        if text not in self._cache:
            self._cache[text] = next(
                (r for r, patterns in self._releases if any(p.search(text) for p in patterns)),
                None,
            )
        return self._cache[text]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def parse_os_table(raw: object, *, name: str = OS_TABLE_FILE) -> OsTable:
    """Validate a parsed table; raise :class:`LifecycleDataError` with the first problem."""
    try:
        model = OsEolFile.model_validate(raw)
    except ValidationError as exc:
        raise LifecycleDataError(f"{name}: {first_problem(exc)}") from None
    ids = [r.id for r in model.releases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LifecycleDataError(f"{name}: duplicate release id(s): {', '.join(duplicates)}")
    for r in model.releases:
        if r.extended_end is not None and r.extended_end < r.end_of_support:
            raise LifecycleDataError(f"{name}: {r.id}: extended_end is before end_of_support")
    return OsTable(
        [
            (
                OsRelease(
                    r.id,
                    r.family,
                    r.name,
                    r.end_of_support,
                    r.extended_end,
                    r.extended_note,
                    r.source.title,
                    r.source.url,
                ),
                tuple(_compiled(p) for p in r.patterns),
            )
            for r in model.releases
        ]
    )


@cache
def load_os_table() -> OsTable:
    """The packaged table, validated once per process."""
    return parse_os_table(read_packaged_yaml(OS_TABLE_FILE))
