"""CPE targets from NVD configurations (API 2.0 and legacy 1.1) and CVE 5 ``affected[].cpes``.

NVD ``cpeMatch`` (https://nvd.nist.gov/developers/vulnerabilities, "configurations"): the
criterion's version field, or the ``versionStart/End Including/Excluding`` bounds when any is
set. A version ``*`` is every version, ``-`` (NA) means the product has no version (NVD's
hardware entries). Configurations that are plain ORs of vulnerable matches give independent
targets; anything with AND or negation (firmware running on given hardware) keeps its tree and
all its matches, vulnerable or not, so the matcher can require the platform to be present.

CVE 5 (CVE Record Format 5.1, ``affected[].versions``): ``version`` with ``lessThan`` /
``lessThanOrEqual`` is a range starting at ``version`` (``0``, ``*`` or empty: from the first
version); ``changes`` switch the status at given versions; a lone ``version`` is exact.
Versions are compared in the scheme named by ``versionType`` when we know it, else ``generic``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from medtrust.domain.vulnerability import AffectedProduct, CpeMatch, CpeMatchNode, Vulnerability
from medtrust.kb.targets import ConfigNode, Link, RecordTargets, TargetSpec
from medtrust.matching.normalise import cpe_rest, parse_cpe
from medtrust.matching.statements import all_versions
from medtrust.sbom.cpe import ANY, NA
from medtrust.versioning.base import VersionError, VersionScheme
from medtrust.versioning.ranges import Interval, VersionRange
from medtrust.versioning.registry import get_scheme, scheme_name_for_ecosystem

CPE_SCHEME = "generic"
_OPEN = frozenset({"", "0", "*", "-", "n/a", "unspecified", "unknown", "all"})


def _simple(node: CpeMatchNode) -> bool:
    return (
        node.operator != "AND"
        and not node.negate
        and all(_simple(child) for child in node.children)
    )


def cpe_match_spec(match: CpeMatch, links: tuple[Link, ...]) -> TargetSpec | str:
    """The target of one NVD ``cpeMatch``, or the reason it cannot be used."""
    cpe = parse_cpe(match.criteria)
    if cpe is None:
        return "invalid-cpe"
    key = (cpe.part, cpe.vendor, cpe.product, cpe_rest(cpe))
    scheme = get_scheme(CPE_SCHEME)
    if match.has_range:
        lower = match.version_start_including or match.version_start_excluding
        upper = match.version_end_including or match.version_end_excluding
        try:
            for bound in (lower, upper):
                if bound is not None:
                    scheme.parse(bound)
        except VersionError:
            return "invalid-cpe-version"
        interval = Interval(
            lower,
            match.version_start_excluding is None,
            upper,
            match.version_end_including is not None,
        )
        bounds = [
            f"{name} {value}"
            for name, value in (
                ("versionStartIncluding", match.version_start_including),
                ("versionStartExcluding", match.version_start_excluding),
                ("versionEndIncluding", match.version_end_including),
                ("versionEndExcluding", match.version_end_excluding),
            )
            if value is not None
        ]
        return TargetSpec(
            "cpe",
            match.criteria,
            VersionRange(CPE_SCHEME, (interval,)),
            ", ".join(bounds),
            links,
            cpe=key,
        )
    if cpe.version == ANY:
        return TargetSpec("cpe", match.criteria, all_versions(), "all versions", links, cpe=key)
    if cpe.version == NA:
        return TargetSpec(
            "cpe",
            match.criteria,
            None,
            "version not applicable (-)",
            links,
            cpe=key,
            version_na=True,
        )
    version = cpe.literal("version") or ""
    if not scheme.is_valid(version):
        return "invalid-cpe-version"
    return TargetSpec(
        "cpe",
        match.criteria,
        VersionRange(CPE_SCHEME, (), (version,)),
        f"version {version}",
        links,
        cpe=key,
    )


def nvd_targets(vulnerability: Vulnerability, out: RecordTargets) -> None:
    """Add the CPE targets of an NVD record's configurations."""
    if vulnerability.withdrawn:
        return
    seen: set[tuple[str, str]] = set()
    for node in vulnerability.configurations:
        if _simple(node):
            for match in node.iter_matches():
                if not match.vulnerable:
                    continue
                spec = cpe_match_spec(match, (Link(vulnerability.id),))
                if isinstance(spec, str):
                    out.problems.append(spec)
                    continue
                if (spec.identifier, spec.range_text) not in seen:
                    seen.add((spec.identifier, spec.range_text))
                    out.add(spec)
            continue
        config_index = len(out.configs)
        out.configs.append(ConfigNode("OR"))
        tree = _config_node(vulnerability.id, node, out, config_index)
        if tree is None:
            out.configs.pop()
            out.problems.append("unusable-configuration")
            continue
        out.configs[config_index] = tree


def _config_node(
    vuln_id: str, node: CpeMatchNode, out: RecordTargets, config_index: int
) -> ConfigNode | None:
    tree = ConfigNode(node.operator if node.operator == "AND" else "OR", node.negate)
    for match in node.matches:
        spec = cpe_match_spec(match, (Link(vuln_id, vulnerable=match.vulnerable),))
        if isinstance(spec, str):
            out.problems.append(spec)
            if tree.operator == "AND":
                return None  # an AND with an unusable member can never be decided
            continue
        tree.leaves.append(out.add(spec, config_index))
    for child in node.children:
        sub = _config_node(vuln_id, child, out, config_index)
        if sub is None:
            if tree.operator == "AND":
                return None
            continue
        tree.children.append(sub)
    if not tree.leaves and not tree.children:
        return None
    return tree


def scheme_order(scheme: VersionScheme) -> Callable[[tuple[str, str], tuple[str, str]], int]:
    """Compare ``(version, status)`` pairs by version in ``scheme``."""

    def order(a: tuple[str, str], b: tuple[str, str]) -> int:
        return scheme.compare(a[0], b[0])

    return order


def cve5_range(product: AffectedProduct) -> VersionRange | str | None:
    """The affected range of a CVE 5 product; None when nothing is affected, or a problem."""
    scheme_name = (
        scheme_name_for_ecosystem(product.versions[0].version_type or "")
        if (product.versions)
        else CPE_SCHEME
    )
    scheme = get_scheme(scheme_name)
    intervals: list[Interval] = []
    exact: list[str] = []
    excluded: list[str] = []
    try:
        for spec in product.versions:
            if (spec.version_type or "").lower() == "git":
                return "git-versions"
            upper = spec.less_than or spec.less_than_or_equal
            start = None if spec.version.strip().lower() in _OPEN else spec.version.strip()
            if upper is None:
                if start is None:
                    if spec.status == "affected":
                        intervals.append(Interval())
                    continue
                scheme.parse(start)
                if spec.status == "affected":
                    exact.append(start)
                elif spec.status == "unaffected":
                    excluded.append(start)
                continue
            end = None if upper.strip() in ("*", "") else upper.strip()
            points: list[tuple[str | None, str]] = [(start, spec.status)]
            changes = [(change.at, change.status) for change in spec.changes]
            for at, _ in changes:
                scheme.parse(at)
            changes.sort(key=functools.cmp_to_key(scheme_order(scheme)))
            points += changes
            for index, (low, status) in enumerate(points):
                high = points[index + 1][0] if index + 1 < len(points) else end
                last = index + 1 == len(points)
                for bound in (low, high):
                    if bound is not None:
                        scheme.parse(bound)
                if status == "affected":
                    inclusive = last and spec.less_than_or_equal is not None
                    intervals.append(Interval(low, True, high, inclusive))
    except VersionError:
        return "invalid-cve5-version"
    if product.default_status == "affected":
        if any(
            s.status == "unaffected" and (s.less_than or s.less_than_or_equal)
            for s in product.versions
        ):
            return "cve5-default-affected-with-ranges"
        intervals = [Interval()]
    if not intervals and not exact:
        return None
    return VersionRange(scheme_name, tuple(intervals), tuple(exact), tuple(excluded))


def _range_text(product: AffectedProduct, version_range: VersionRange) -> str:
    return (
        f"{version_range} (CVE 5 {product.container} affected: {product.vendor} {product.product})"
    )


def cve5_targets(vulnerability: Vulnerability, out: RecordTargets) -> None:
    """Add CPE targets for CVE 5 affected products that name CPEs (e.g. CISA-ADP's)."""
    if vulnerability.withdrawn:
        return
    seen: set[tuple[str, str]] = set()
    for product in vulnerability.affected_products:
        if not product.cpes:
            continue
        version_range = cve5_range(product)
        if isinstance(version_range, str):
            out.problems.append(version_range)
            continue
        for criteria in product.cpes:
            cpe = parse_cpe(criteria)
            if cpe is None:
                out.problems.append("invalid-cpe")
                continue
            spec_range = version_range
            literal = cpe.literal("version")
            if spec_range is not None and literal is not None:
                # a versioned CPE names one version: keep it only if the listing affects it
                # (Cisco records list one CPE per version and thousands of versions)
                try:
                    if not spec_range.contains(literal):
                        continue
                except VersionError:
                    out.problems.append("invalid-cpe-version")
                    continue
                spec_range = VersionRange(spec_range.scheme, (), (literal,))
            if spec_range is None:
                literal = cpe.literal("version")
                if product.versions or literal is None:
                    continue  # listed versions, none affected; or nothing to go on
                if not get_scheme(CPE_SCHEME).is_valid(literal):
                    out.problems.append("invalid-cpe-version")
                    continue
                spec_range = VersionRange(CPE_SCHEME, (), (literal,))
            text = _range_text(product, spec_range)
            if (criteria, str(spec_range)) in seen:
                continue
            seen.add((criteria, str(spec_range)))
            out.add(
                TargetSpec(
                    "cpe",
                    criteria,
                    spec_range,
                    text,
                    (Link(vulnerability.id),),
                    cpe=(cpe.part, cpe.vendor, cpe.product, cpe_rest(cpe)),
                )
            )
