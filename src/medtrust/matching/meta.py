"""Facts about vulnerabilities gathered across an alias group (CVSS, CWE, KEV, EPSS, summary).

The CVSS shown for a finding is the highest base score among every valid vector of every record
of the group; on equal scores the newer CVSS version wins (4.0 over 3.1 over 3.0 over 2.0), then
the vector text, so the choice is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from medtrust.matching.aliases import primary_order
from medtrust.matching.model import Cvss

#: which record's summary to show first
_SUMMARY_ORDER = {"nvd": 0, "cve5": 1, "osv": 2, "nvd-legacy": 3, "csaf": 4}


@dataclass(frozen=True, slots=True)
class CvssRow:
    """One stored CVSS rating."""

    version: str
    vector: str
    score: float
    source: str

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> CvssRow:
        """From the KB's JSON form."""
        return cls(
            str(item.get("version") or ""),
            str(item.get("vector") or ""),
            float(item.get("score") or 0.0),
            str(item.get("source") or ""),
        )


def _cvss_order(rating: CvssRow) -> tuple[str, str]:
    return rating.vector, rating.source


def _cvss_rank(rating: CvssRow) -> tuple[float, tuple[int, ...], str, str]:
    """Best CVSS first: score, then newer version, vector, source."""
    return rating.score, _version_rank(rating.version), rating.vector, rating.source


def _version_rank(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (0,)


@dataclass(frozen=True, slots=True)
class VulnFacts:
    """What the records of one id say."""

    vuln_id: str
    summary: str = ""
    summary_rank: int = 99
    cwes: tuple[str, ...] = ()
    cvss: tuple[CvssRow, ...] = ()
    sources: tuple[str, ...] = ()
    withdrawn: bool = False

    @classmethod
    def first(
        cls,
        vuln_id: str,
        *,
        summary: str,
        cwes: tuple[str, ...],
        cvss: tuple[CvssRow, ...],
        source: str,
        withdrawn: bool,
    ) -> VulnFacts:
        """``VulnFacts(vuln_id).merge(...)``: the facts of an id's first record, directly."""
        return cls(
            vuln_id,
            summary,
            _SUMMARY_ORDER.get(source, 9) if summary else 99,
            tuple(sorted(set(cwes))),
            tuple(sorted(set(cvss), key=_cvss_order)) if len(cvss) > 1 else cvss,
            (source,),
            withdrawn,
        )

    def merge(
        self,
        *,
        summary: str,
        cwes: tuple[str, ...],
        cvss: tuple[CvssRow, ...],
        source: str,
        withdrawn: bool,
    ) -> VulnFacts:
        """Combine with one more record of the same id."""
        rank = _SUMMARY_ORDER.get(source, 9)
        better = bool(summary) and (rank, summary) < (self.summary_rank, self.summary or "~")
        return VulnFacts(
            self.vuln_id,
            summary if better else self.summary,
            rank if better else self.summary_rank,
            tuple(sorted(set(self.cwes) | set(cwes))),
            tuple(sorted(set(self.cvss) | set(cvss), key=_cvss_order))
            if self.cvss or len(cvss) > 1
            else cvss,
            tuple(sorted(set(self.sources) | {source})) if self.sources else (source,),
            self.withdrawn or withdrawn,
        )


@dataclass(frozen=True)
class VulnMeta:
    """Facts for a set of ids: ``primary`` maps each id to its group's primary id."""

    primary: dict[str, str] = field(default_factory=dict)
    facts: dict[str, VulnFacts] = field(default_factory=dict)
    kev: dict[str, str | None] = field(default_factory=dict)
    epss: dict[str, tuple[float, float | None]] = field(default_factory=dict)

    def primary_of(self, vuln_id: str) -> str:
        """The primary id of ``vuln_id``'s group (itself when unknown)."""
        return self.primary.get(vuln_id, vuln_id)

    @cached_property
    def _groups(self) -> dict[str, set[str]]:
        groups: dict[str, set[str]] = {}
        for vuln_id, primary in self.primary.items():
            groups.setdefault(primary, set()).add(vuln_id)
        return groups

    def members(self, primary: str) -> tuple[str, ...]:
        """Every id of a group, primary first."""
        group = self._groups.get(primary)
        if group is None or (len(group) == 1 and primary in group):
            return (primary,)  # most groups: nothing to order
        return tuple(sorted(group | {primary}, key=primary_order))

    def group_facts(self, ids: tuple[str, ...]) -> tuple[Cvss | None, tuple[str, ...], str]:
        """Best CVSS, CWEs and summary over the ids."""
        ratings = [c for i in ids if i in self.facts for c in self.facts[i].cvss]
        best = ratings[0] if len(ratings) == 1 else max(ratings, key=_cvss_rank, default=None)
        cvss = None if best is None else Cvss(best.version, best.vector, best.score, best.source)
        cwes = tuple(sorted({w for i in ids if i in self.facts for w in self.facts[i].cwes}))
        known = [self.facts[i] for i in ids if i in self.facts and self.facts[i].summary]
        summary = min(known, key=lambda f: (f.summary_rank, f.vuln_id)).summary if known else ""
        return cvss, cwes, summary

    def group_of(
        self, primary: str
    ) -> tuple[
        tuple[str, ...], Cvss | None, tuple[str, ...], str, bool, str | None, float | None,
        float | None,
    ]:  # fmt: skip
        """:meth:`members`, :meth:`group_facts`, :meth:`kev_of` and :meth:`epss_of` at once.

        Most groups are one id: their facts are read directly (same results).
        """
        ids = self.members(primary)
        if len(ids) > 1:
            return (ids, *self.group_facts(ids), *self.kev_of(ids), *self.epss_of(ids))
        found = self.facts.get(primary)
        cvss = None
        cwes: tuple[str, ...] = ()
        summary = ""
        if found is not None:
            ratings = found.cvss
            if ratings:
                best = ratings[0] if len(ratings) == 1 else max(ratings, key=_cvss_rank)
                cvss = Cvss(best.version, best.vector, best.score, best.source)
            cwes = tuple(sorted(set(found.cwes)))
            summary = found.summary
        kev = primary in self.kev
        epss, percentile = self.epss.get(primary, (None, None))
        return ids, cvss, cwes, summary, kev, self.kev.get(primary) or None, epss, percentile

    def kev_of(self, ids: tuple[str, ...]) -> tuple[bool, str | None]:
        """Whether any id is in KEV, and the earliest date added."""
        dates = [self.kev[i] for i in ids if i in self.kev]
        known = sorted(d for d in dates if d)
        return bool(dates), (known[0] if known else None)

    def epss_of(self, ids: tuple[str, ...]) -> tuple[float | None, float | None]:
        """The highest EPSS score among the group's CVEs (with its percentile)."""
        scores = [self.epss[i] for i in ids if i in self.epss]
        if not scores:
            return None, None
        return max(scores, key=lambda s: (s[0], s[1] or 0.0))
