"""What a record says is vulnerable, in matchable form: targets, their ranges and links.

A **target** is one thing a component can match: a package (``purl``), a CPE criterion
(``cpe``) or a vendor/product name pair of a CSAF product (``name``), each with a version range.
A **link** says which vulnerability the target concerns and with which status (``affected`` for
feed ranges; the CSAF product status bucket for advisories). Targets of NVD AND-configurations
and of CSAF relationships also belong to a **configuration**: a small AND/OR tree over the
targets that must hold in the same SBOM (firmware *running on* given hardware).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from medtrust.domain.vex import VexStatus
from medtrust.versioning.ranges import VersionRange


@dataclass(frozen=True, slots=True)
class Link:
    """A target's vulnerability and status; ``vulnerable`` false for platform-only leaves."""

    vuln_id: str
    status: VexStatus = VexStatus.AFFECTED
    vulnerable: bool = True


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """One matchable target before ids are assigned (see the module docstring).

    ``range`` is None for a CPE criterion whose version is NA (``-``) and for a CSAF statement
    that was not understood (``understood`` false).
    """

    kind: str  # purl | cpe | name
    identifier: str
    range: VersionRange | None
    range_text: str
    links: tuple[Link, ...]
    package_key: str | None = None
    cpe: tuple[str, str, str, str] | None = None  # part, vendor, product, rest
    version_na: bool = False
    understood: bool = True
    name_keys: tuple[tuple[str, str], ...] = ()  # (vendor key, product key)
    product_id: str | None = None  # the CSAF product a target stands for


@dataclass(slots=True)
class ConfigNode:
    """An AND/OR node over target indices (local to one record) and child nodes."""

    operator: str
    negate: bool = False
    leaves: list[int] = field(default_factory=list)
    children: list[ConfigNode] = field(default_factory=list)

    def to_json(self, ids: list[int]) -> str:
        """The node as JSON with local indices replaced by target ids."""
        return json.dumps(self._plain(ids), sort_keys=True, separators=(",", ":"))

    def _plain(self, ids: list[int]) -> dict[str, object]:
        return {
            "op": self.operator,
            "negate": self.negate,
            "leaves": [ids[i] for i in self.leaves],
            "children": [c._plain(ids) for c in self.children],
        }


@dataclass(slots=True)
class RecordTargets:
    """Targets, configurations and per-target problems derived from one record.

    A configuration's leaves index ``targets``; targets of a configuration carry
    ``config`` = the configuration's index in ``configs`` (others None).
    """

    targets: list[TargetSpec] = field(default_factory=list)
    configs: list[ConfigNode] = field(default_factory=list)
    config_of: list[int | None] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, spec: TargetSpec, config: int | None = None) -> int:
        """Add a target; return its local index."""
        self.targets.append(spec)
        self.config_of.append(config)
        return len(self.targets) - 1
