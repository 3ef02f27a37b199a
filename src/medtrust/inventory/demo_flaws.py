"""The demo hospital's fictional vulnerabilities, kept as validated data.

``data/demo-flaws.yaml`` (with ``demo-flaws.schema.json``) lists the vulnerabilities the demo
advisories, KEV catalog and EPSS scores describe (:mod:`medtrust.inventory.demo_advisories`):
number, title, CWE, CVSS 3.1 base vector, description, EPSS score and, for some, the date a
KEV-format catalog lists them. Every one is invented: ids are ``CVE-2099-NNNN`` (no real CVE
has that year) and ``DEMO-2026-NNNN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from cvss import CVSS3
from cvss.exceptions import CVSS3Error
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from medtrust.errors import CatalogError
from medtrust.validation_text import first_problem

DEMO_FLAWS_FILE = "medtrust/inventory/data/demo-flaws.yaml"


@dataclass(frozen=True, slots=True)
class DemoFlaw:
    """A fictional vulnerability."""

    number: int
    title: str
    cwe: tuple[str, str]
    vector: str
    description: str
    epss: float
    kev_added: date | None = None

    @property
    def cve(self) -> str:
        """``CVE-2099-NNNN`` (a year no real CVE has)."""
        return f"CVE-2099-{self.number:04d}"

    @property
    def demo_id(self) -> str:
        """``DEMO-2026-NNNN``."""
        return f"DEMO-2026-{self.number:04d}"

    def cvss(self) -> dict[str, Any]:
        """The CSAF ``cvss_v3`` object, base score computed from the vector."""
        computed = CVSS3(self.vector)
        return {
            "version": "3.1",
            "vectorString": self.vector,
            "baseScore": float(computed.base_score),
            "baseSeverity": str(computed.severities()[0]).upper(),
        }


#: metrics of a CVSS 3.1 base vector, in the specification's order (what ``vector`` must be)
_VECTOR = r"^CVSS:3\.1/AV:[NALP]/AC:[LH]/PR:[NLH]/UI:[NR]/S:[UC]/C:[NLH]/I:[NLH]/A:[NLH]$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CweModel(_Strict):
    """A CWE weakness: its id and name."""

    id: str = Field(pattern=r"^CWE-[1-9][0-9]*$")
    name: str = Field(min_length=1)


class FlawModel(_Strict):
    """A fictional vulnerability as written in ``demo-flaws.yaml``."""

    number: int = Field(
        strict=True, ge=1, le=9999, description="CVE-2099-NNNN and DEMO-2026-NNNN; unique."
    )
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    cwe: CweModel
    vector: str = Field(pattern=_VECTOR, description="CVSS 3.1 base vector.")
    epss: float = Field(strict=True, ge=0, le=1, description="Made-up EPSS probability.")
    kev_added: date | None = Field(
        default=None, description="ISO date it joined the fictional KEV catalog."
    )

    @field_validator("vector")
    @classmethod
    def _scored(cls, vector: str) -> str:
        try:
            CVSS3(vector)
        except CVSS3Error as exc:
            raise ValueError(f"not a CVSS 3 vector: {exc}") from exc
        return vector

    @field_validator("kev_added", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # a YAML date (unquoted) or a YYYY-MM-DD string; not a timestamp number or a date-time
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError as exc:
                raise ValueError(f"not a valid date: {value}") from exc
        raise ValueError(f"expected an ISO date (YYYY-MM-DD), found {value!r}")


class DemoFlawsFile(_Strict):
    """The whole ``demo-flaws.yaml``; the EPSS and KEV feeds list the flaws in file order."""

    schema_version: Literal[1]
    flaws: list[FlawModel] = Field(min_length=2)

    @field_validator("flaws")
    @classmethod
    def _unique(cls, flaws: list[FlawModel]) -> list[FlawModel]:
        seen: dict[int, int] = {}
        for index, flaw in enumerate(flaws):
            if flaw.number in seen:
                raise ValueError(
                    f"duplicate number {flaw.number} (flaws.{seen[flaw.number]} and flaws.{index})"
                )
            seen[flaw.number] = index
        return flaws


def flaws_from_data(data: object, source: str = DEMO_FLAWS_FILE) -> tuple[DemoFlaw, ...]:
    """Validate parsed YAML; a ``CatalogError`` names the file, the field and the problem."""
    try:
        model = DemoFlawsFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{source}: {first_problem(exc, sep='.')}") from exc
    return tuple(
        DemoFlaw(
            f.number,
            f.title,
            (f.cwe.id, f.cwe.name),
            f.vector,
            f.description,
            f.epss,
            f.kev_added,
        )
        for f in model.flaws
    )


def flaws_from_yaml(text: str, source: str = DEMO_FLAWS_FILE) -> tuple[DemoFlaw, ...]:
    """Parse and validate the YAML text of a flaws file (errors are one line)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from exc
    return flaws_from_data(data, source)


@cache
def demo_flaws() -> tuple[DemoFlaw, ...]:
    """The packaged fictional vulnerabilities, validated once, in file order."""
    path = resources.files("medtrust.inventory").joinpath("data", "demo-flaws.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogError(f"packaged data file missing: {DEMO_FLAWS_FILE}") from exc
    return flaws_from_yaml(text)


#: the fictional vulnerabilities (``data/demo-flaws.yaml``), loaded when the module is imported
FLAWS = demo_flaws()
