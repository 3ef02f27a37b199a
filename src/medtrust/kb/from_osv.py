"""OSV ``affected[]`` packages -> package targets (OSV schema 1.6, "Evaluation").

Per affected package: every ``SEMVER``/``ECOSYSTEM`` range becomes one target evaluated in the
package's version scheme (``SEMVER`` ranges in ``semver``). ``GIT`` ranges name commits and
cannot be matched against a component version; they are counted as ``git-range``. The explicit
``versions`` list is used only when no range is usable: OSV producers derive it from the
ranges, and matching both would report every finding twice.
"""

from __future__ import annotations

from medtrust.domain.vulnerability import AffectedPackage, AffectedRange, Vulnerability
from medtrust.kb.targets import Link, RecordTargets, TargetSpec
from medtrust.matching.normalise import osv_package_key
from medtrust.versioning.base import VersionError
from medtrust.versioning.ranges import VersionRange
from medtrust.versioning.registry import get_scheme, scheme_name_for_ecosystem


def _events_text(rng: AffectedRange) -> str:
    events = ", ".join(f"{event.kind.value} {event.value}" for event in rng.events)
    return f"{rng.type}: {events}"


def _identifier(package: AffectedPackage) -> str:
    return package.purl or f"{package.ecosystem}/{package.name}"


def osv_targets(vulnerability: Vulnerability, out: RecordTargets) -> None:
    """Add the package targets of an OSV record (none for a withdrawn record)."""
    if vulnerability.withdrawn:
        return
    link = (Link(vulnerability.id),)
    for package in vulnerability.affected_packages:
        if not package.name:
            out.problems.append("package-without-name")
            continue
        key = osv_package_key(package.ecosystem, package.name, package.purl)
        ecosystem_scheme = scheme_name_for_ecosystem(package.ecosystem)
        added = False
        for rng in package.ranges:
            if rng.type.upper() == "GIT":
                out.problems.append("git-range")
                continue
            scheme = "semver" if rng.type.upper() == "SEMVER" else ecosystem_scheme
            events = [{event.kind.value: event.value} for event in rng.events]
            try:
                version_range = VersionRange.from_osv_events(scheme, events)
            except VersionError:
                out.problems.append("invalid-osv-range")
                continue
            added = True
            if not version_range.intervals:
                continue  # e.g. Bitnami's "introduced X, fixed X": no affected version
            out.add(
                TargetSpec(
                    kind="purl",
                    identifier=_identifier(package),
                    range=version_range,
                    range_text=_events_text(rng),
                    links=link,
                    package_key=key,
                )
            )
        if added or not package.versions:
            if not added and not package.versions:
                out.problems.append("package-without-versions")
            continue
        scheme_obj = get_scheme(ecosystem_scheme)
        valid = tuple(v for v in package.versions if scheme_obj.is_valid(v))
        if len(valid) < len(package.versions):
            out.problems.append("invalid-osv-version")
        if valid:
            out.add(
                TargetSpec(
                    kind="purl",
                    identifier=_identifier(package),
                    range=VersionRange(ecosystem_scheme, (), valid),
                    range_text=f"versions: {', '.join(valid[:10])}"
                    + (f" (+{len(valid) - 10} more)" if len(valid) > 10 else ""),
                    links=link,
                    package_key=key,
                )
            )
