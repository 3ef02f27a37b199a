"""The reference matcher: per component, dictionary look-ups and the schemes' ``compare``.

Obviously correct rather than fast. Candidates come from dictionaries keyed exactly like the
bulk engine's joins (package key; CPE part, vendor, product; vendor and product name keys); each
candidate's range is rebuilt as a :class:`~medtrust.versioning.ranges.VersionRange` from the
interval rows' version *strings* and tested with :meth:`VersionRange.contains`, which uses the
scheme's ``compare`` (never the byte keys). It is the oracle of the differential tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from medtrust.matching.components import ComponentView
from medtrust.matching.model import Hit
from medtrust.matching.normalise import rest_compatible
from medtrust.matching.rules import decide
from medtrust.matching.statements import is_all
from medtrust.matching.tables import KbSlice
from medtrust.versioning.base import VersionError
from medtrust.versioning.ranges import Interval, VersionRange


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str
    part: str | None
    rest: str | None
    version_na: bool
    understood: bool
    range: VersionRange | None


def _ranges(kb: KbSlice) -> dict[int, VersionRange]:
    intervals: dict[int, list[Interval]] = defaultdict(list)
    excluded: dict[int, list[str]] = defaultdict(list)
    schemes: dict[int, str] = {}
    columns = ("target_id", "scheme", "exclude", "lower", "lower_inc", "upper", "upper_inc")
    for target_id, scheme, exclude, lower, lower_inc, upper, upper_inc in kb.intervals.select(
        columns
    ).iter_rows():
        schemes[target_id] = scheme
        if exclude:
            excluded[target_id].append(lower)
        else:
            intervals[target_id].append(Interval(lower, lower_inc, upper, upper_inc))
    return {
        target_id: VersionRange(scheme, tuple(intervals[target_id]), (), tuple(excluded[target_id]))
        for target_id, scheme in schemes.items()
    }


class ReferenceMatcher:
    """Dictionary indexes over a :class:`KbSlice`; :meth:`match` evaluates with ``compare``."""

    def __init__(self, kb: KbSlice) -> None:
        ranges = _ranges(kb)
        self._targets: dict[int, _Target] = {}
        self._by_package: dict[str, list[int]] = defaultdict(list)
        self._by_cpe: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        columns = (
            "target_id",
            "kind",
            "package_key",
            "part",
            "vendor",
            "product",
            "rest",
            "version_na",
            "understood",
        )
        for row in kb.targets.select(columns).iter_rows():
            target_id, kind, package, part, vendor, product, rest, version_na, understood = row
            self._targets[target_id] = _Target(
                kind, part, rest, bool(version_na), bool(understood), ranges.get(target_id)
            )
            if kind == "purl" and package is not None:
                self._by_package[package].append(target_id)
            elif kind == "cpe" and vendor is not None:
                self._by_cpe[(part, vendor, product)].append(target_id)
        for target_id, vendor_key, product_key in kb.name_keys.select(
            "target_id", "vendor_key", "product_key"
        ).iter_rows():
            self._by_name[(vendor_key, product_key)].append(target_id)

    def match(self, components: Sequence[ComponentView]) -> list[Hit]:
        """Every hit of every component, sorted."""
        hits: list[Hit] = []
        for component in components:
            if component.package_key is not None:
                for target_id in self._by_package.get(component.package_key, ()):
                    self._judge(hits, component.index, target_id, component.purl_version)
            if component.cpe_key is not None:
                part, vendor, product, rest = component.cpe_key
                for target_id in self._by_cpe.get((part, vendor, product), ()):
                    target_rest = self._targets[target_id].rest or ""
                    if rest_compatible(target_rest, rest):
                        self._judge(hits, component.index, target_id, component.cpe_version, part)
            named: set[int] = set()
            for key in component.name_keys:
                named.update(self._by_name.get(key, ()))
            for target_id in sorted(named):
                if self._targets.get(target_id) is not None:
                    self._judge(hits, component.index, target_id, component.name_version)
        return sorted(set(hits), key=Hit.sort_key)

    def _judge(
        self,
        hits: list[Hit],
        component: int,
        target_id: int,
        version: str | None,
        part: str | None = None,
    ) -> None:
        target = self._targets[target_id]
        version_range = target.range
        usable = contained = False
        if version_range is not None and version is not None:
            try:
                contained = version_range.contains(version)
                usable = True
            except VersionError:
                usable = False
        broad = version_range is None or is_all(version_range)
        confidence = decide(
            kind=target.kind,
            part=part,
            version_na=target.version_na,
            has_version=version is not None,
            understood=target.understood,
            has_range=version_range is not None,
            broad=broad,
            usable=usable,
            contained=contained,
        )
        if confidence is not None:
            evaluated = version if usable else None
            hits.append(Hit(component, target_id, confidence, broad, evaluated))
