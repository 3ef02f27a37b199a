"""Merge vulnerability identifiers that name the same vulnerability, with a fixed primary ID.

Records point at each other through ``aliases`` (OSV ``aliases``, CVE 5 / CSAF ids, Bitnami's
``BIT-`` ids aliasing CVEs ...). Aliases are merged with a union-find; ``related`` ids are not
(OSV: related records are different vulnerabilities). One group never holds two CVE ids: a
record that aliases several CVEs (it covers several vulnerabilities) joins the first group only
and the refusal is counted, so one sloppy record cannot fuse unrelated CVEs.

The primary ID of a group is chosen by a fixed order of identifier families, then by text:

1. ``CVE-`` (the CVE Program's id, the one every other database cross-references),
2. ``GHSA-`` (GitHub Security Advisories),
3. other OSV database ids (``PYSEC-``, ``GO-``, ``RUSTSEC-``, ``BIT-``, ``ALSA-`` ...),
4. ``EUVD-`` (ENISA EU Vulnerability Database, NIS2 Art. 12(2)),
5. anything else: vendor advisory ids (``ICSMA-``, ``cisco-sa-`` ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: OSV database id prefixes (https://ossf.github.io/osv-schema/#id-modified-fields)
OSV_PREFIXES = frozenset(
    [
        "ALBA",
        "ALEA",
        "ALSA",
        "BELL",
        "BIT",
        "CGA",
        "CURL",
        "DLA",
        "DSA",
        "DTSA",
        "ECHO",
        "GO",
        "GSD",
        "HSEC",
        "LBSEC",
        "MAL",
        "MGASA",
        "MINI",
        "OESA",
        "OSV",
        "PHSA",
        "PSF",
        "PYSEC",
        "RHBA",
        "RHEA",
        "RHSA",
        "RLSA",
        "RSEC",
        "RUSTSEC",
        "RXSA",
        "SUSE",
        "OPENSUSE",
        "UBUNTU",
        "USN",
        "V8",
        "AZL",
    ]
)


def family_rank(vuln_id: str) -> int:
    """The rank of an identifier's family in the primary-ID order (lower wins)."""
    upper = vuln_id.upper()
    prefix = upper.split("-", 1)[0]
    if prefix == "CVE":
        return 0
    if prefix == "GHSA":
        return 1
    if prefix in OSV_PREFIXES:
        return 2
    if prefix == "EUVD":
        return 3
    return 4


def primary_order(vuln_id: str) -> tuple[int, str]:
    """Sort key giving the primary-ID order."""
    return family_rank(vuln_id), vuln_id.upper()


def _is_cve(vuln_id: str) -> bool:
    return vuln_id.upper().startswith("CVE-")


@dataclass(slots=True)
class AliasIndex:
    """Union-find over identifiers; :meth:`primary` gives each id's group representative."""

    _parent: dict[str, str] = field(default_factory=dict)
    _cve: dict[str, str] = field(default_factory=dict)  # root -> the group's CVE id
    refused: int = 0

    def _find(self, item: str) -> str:
        root = self._parent.setdefault(item, item)
        while self._parent[root] != root:
            root = self._parent[root]
        while item != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def add(self, vuln_id: str, aliases: Iterable[str] = ()) -> None:
        """Record that ``vuln_id`` and each of ``aliases`` name the same vulnerability."""
        self._touch(vuln_id)
        for alias in aliases:
            if alias and alias != vuln_id:
                self._touch(alias)
                self._union(vuln_id, alias)

    def _touch(self, item: str) -> None:
        root = self._find(item)
        if _is_cve(item):
            self._cve.setdefault(root, item)

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self._find(a), self._find(b)
        if root_a == root_b:
            return
        cve_a, cve_b = self._cve.get(root_a), self._cve.get(root_b)
        if cve_a and cve_b and cve_a != cve_b:
            self.refused += 1
            return
        keep, drop = sorted((root_a, root_b), key=primary_order)
        self._parent[drop] = keep
        cve = cve_a or cve_b
        if cve:
            self._cve[keep] = cve
        self._cve.pop(drop, None)

    def groups(self) -> dict[str, str]:
        """Every known id mapped to its group's primary id (see the module docstring)."""
        members: dict[str, list[str]] = {}
        for item in self._parent:
            members.setdefault(self._find(item), []).append(item)
        mapping: dict[str, str] = {}
        for ids in members.values():
            primary = min(ids, key=primary_order)
            for item in ids:
                mapping[item] = primary
        return mapping


def merge_aliases(records: Iterable[tuple[str, Iterable[str]]]) -> tuple[dict[str, str], int]:
    """``(id -> primary id, refused unions)`` for ``(id, aliases)`` pairs."""
    index = AliasIndex()
    for vuln_id, aliases in records:
        index.add(vuln_id, aliases)
    return index.groups(), index.refused
