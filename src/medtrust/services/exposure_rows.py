"""What an exposure evaluation writes, built from findings and assets: vulnerability rows,
matches (once per distinct finding text) and the findings' links to them, asset profiles,
decisions and per-asset summaries. Pure apart from :func:`store_findings`, which hands the
rows to the repository.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from medtrust.domain.vex import VexStatus
from medtrust.exposure.evaluate import decide_frame
from medtrust.exposure.inputs import (
    Profile,
    VulnFacts,
    automatable,
    compensating,
    exploitation,
    exposure,
    impact,
)
from medtrust.exposure.model import Decision
from medtrust.exposure.policy import load_policy
from medtrust.exposure.settings import ExposureSettings
from medtrust.matching.model import ACTIVE_STATUSES, Confidence, Finding, MatchMethod
from medtrust.matching.portfolio import PortfolioScan
from medtrust.storage.repositories.exposure import (
    DECISION_COLUMNS,
    ExposureRepository,
    ProfileAsset,
)

#: the bom-ref of the device component added to each product version's document, in a
#: namespace of our own so that no SBOM component is mistaken for it (an SBOM using exactly this
#: reference would have that component reported as the device)
DEVICE_REF = "urn:medtrust:device"
#: the scan group (document source) of a product version: ``product-version:<id>``
GROUP = "product-version:"


def vulnerability_row(finding: Finding, settings: ExposureSettings) -> dict[str, object]:
    """The vulnerability's facts and vulnerability-side inputs (once per vulnerability)."""
    facts = VulnFacts(
        finding.kev,
        finding.kev_date_added,
        finding.epss,
        finding.cvss.vector if finding.cvss else None,
    )
    e, a = exploitation(facts, settings), automatable(facts)
    return {
        "vulnerability": finding.vulnerability[:100],
        "aliases": "\n".join(finding.aliases),
        "summary": finding.summary[:4000],
        "cvss_score": finding.cvss.score if finding.cvss else None,
        "cvss_vector": finding.cvss.vector[:300] if finding.cvss else None,
        "severity": finding.severity,
        "kev": finding.kev,
        "kev_date": finding.kev_date_added,
        "epss": finding.epss,
        "exploitation": e.value,
        "automatable": a.value,
        "exploitation_reasons": "\n".join(e.reasons),
        "automatable_reasons": "\n".join(a.reasons),
    }


def match_row(finding: Finding) -> tuple[object, ...]:
    """A match in ``MATCH_COLUMNS`` order (texts cut to their columns; empty ones as NULL)."""
    component, match, cvss = finding.component, finding.evidence[0], finding.cvss
    version, purl, cpe = component.version, component.purl, component.cpe
    return (
        finding.vulnerability[:100],
        component.name[:500],
        version[:200] if version else None,
        purl[:1000] if purl else None,
        cpe[:1000] if cpe else None,
        "device" if component.bom_ref == DEVICE_REF else "sbom",
        _VALUE[finding.status],
        finding.status_source[:500],
        finding.justification[:100] if finding.justification else None,
        _VALUE[match.method],
        _VALUE[match.confidence],
        match.detail(),
        "\n".join(finding.sources),
        cvss.score if cvss else None,
        finding.kev,
        finding.epss,
    )


#: the stored text of the enumerations a match row holds (a lookup, not a property call)
_VALUE: dict[object, str] = {
    member: member.value for kind in (VexStatus, MatchMethod, Confidence) for member in kind
}


@dataclass(slots=True)
class Collected:
    """An evaluation's findings as stored: matches once, findings as links to them."""

    vulnerabilities: dict[str, dict[str, object]]
    match_rows: list[tuple[object, ...]]
    #: per match: active?, exploitation, automatable, kev, EPSS and CVSS sort keys
    match_inputs: list[tuple[bool, str, str, bool, float, float]]
    #: per finding: its product version and its match's position in ``match_rows``
    finding_versions: list[int]
    finding_matches: list[int]


def collect(scan: PortfolioScan, settings: ExposureSettings) -> Collected:
    """Matches, their inputs and the findings' links (the hot loop of an evaluation).

    Findings are one match when they share the evidence object (the matcher shares it between
    identical components), the component as displayed and the status. Components with the
    same evidence list and display share their list of matches, built once. Two such lists
    never share a match (each list's templates hold their own evidence objects), so matches
    are looked up by that key only when VEX-applied findings may meet them again.
    """
    vulnerabilities: dict[str, dict[str, object]] = {}
    positions: dict[tuple[object, ...], int] = {}
    versions: dict[str, int] = {}
    out = Collected(vulnerabilities, [], [], [], [])
    match_rows, match_inputs = out.match_rows, out.match_inputs
    active = ACTIVE_STATUSES

    def new_match(finding: Finding) -> int:
        position = len(match_rows)
        facts = vulnerabilities.get(finding.vulnerability)
        if facts is None:
            facts = vulnerabilities[finding.vulnerability] = vulnerability_row(finding, settings)
        match_rows.append(match_row(finding))
        cvss, epss = finding.cvss, finding.epss
        match_inputs.append(
            (
                finding.status in active,
                str(facts["exploitation"]),
                str(facts["automatable"]),
                finding.kev,
                -1.0 if epss is None else epss,
                cvss.score if cvss else -1.0,
            )
        )
        return position

    def match_of(finding: Finding) -> int:
        c = finding.component
        key = (
            id(finding.evidence),
            finding.vulnerability,
            c.name,
            c.version,
            c.purl,
            c.cpe,
            c.bom_ref == DEVICE_REF,
            finding.status,
            finding.status_source,
            finding.justification,
        )
        position = positions.get(key)
        if position is None:
            position = positions[key] = new_match(finding)
        return position

    def version_of(sbom: str) -> int:
        pv_id = versions.get(sbom)
        if pv_id is None:
            pv_id = versions[sbom] = int(sbom.removeprefix(GROUP))
        return pv_id

    lists: dict[tuple[object, ...], list[int]] = {}
    add_versions, add_matches = out.finding_versions.extend, out.finding_matches.extend
    templates = scan.templates
    make = match_of if scan.vexed else new_match
    for ref, number in zip(scan.refs, scan.lists, strict=True):
        key = (number, ref.name, ref.version, ref.purl, ref.cpe, ref.bom_ref == DEVICE_REF)
        matches = lists.get(key)
        if matches is None:
            matches = lists[key] = [make(Finding(ref, *t)) for t in templates[number]]
        add_versions([version_of(ref.sbom)] * len(matches))
        add_matches(matches)
    for finding in scan.vexed:
        out.finding_versions.append(version_of(finding.component.sbom))
        out.finding_matches.append(match_of(finding))
    return out


def profile_key(asset: ProfileAsset) -> str:
    """Criticality, normalised network zone and status: what makes assets one profile."""
    zone = " ".join((asset.network_zone or "").split()).lower()
    return f"{asset.criticality}|{zone}|{asset.status}"[:300]


def profiles(
    assets: Sequence[ProfileAsset],
    answers: dict[int, tuple[str, dict[str, str]]],
    settings: ExposureSettings,
) -> tuple[list[dict[str, object]], dict[tuple[int, str], list[int]]]:
    """Profile rows and (version, profile key) -> asset ids."""
    members: dict[tuple[int, str], list[int]] = defaultdict(list)
    first: dict[tuple[int, str], ProfileAsset] = {}
    for asset in assets:
        key = (asset.product_version_id, profile_key(asset))
        members[key].append(asset.id)
        first.setdefault(key, asset)
    policy = load_policy()
    rows = []
    for key in sorted(first):
        asset = first[key]
        label, mds2 = answers.get(asset.product_version_id, (None, {}))
        profile = Profile(
            asset.criticality, asset.network_zone, asset.vlan, asset.status, mds2, label
        )
        x, i, c = exposure(profile, settings), impact(profile, policy), compensating(profile)
        rows.append(
            {
                "product_version_id": asset.product_version_id,
                "profile_key": key[1],
                "criticality": asset.criticality,
                "network_zone": asset.network_zone,
                "vlan": asset.vlan,
                "asset_status": asset.status,
                "exposure": x.value,
                "impact": i.value,
                "reasons": {
                    "exposure": list(x.reasons),
                    "impact": list(i.reasons),
                    "compensating": list(c.reasons),
                    "mds2": label,
                },
                "asset_count": len(members[key]),
            }
        )
    return rows, members


@dataclass(frozen=True, slots=True)
class MatchIds:
    """The id of every match row, and which rows are new (to be written)."""

    ids: list[int]
    new: list[bool]


def match_ids(repo: ExposureRepository, collected: Collected, full: bool) -> MatchIds:
    """Fresh ids, or, in a partial evaluation, the id of an identical match another product
    version already links to (so a version re-evaluated alone does not store a second copy of
    what it shares with the others)."""
    rows = collected.match_rows
    stored = {} if full else repo.match_ids_by_content(rows)
    fresh = iter(repo.new_match_ids(sum(1 for row in rows if row not in stored)))
    ids = [stored[row] if row in stored else next(fresh) for row in rows]
    return MatchIds(ids, [row not in stored for row in rows])


def store_findings(
    repo: ExposureRepository,
    collected: Collected,
    matches: MatchIds,
    finding_ids: Sequence[int],
    cleared: bool,
) -> None:
    """Write vulnerabilities, the new matches and the findings (ids reserved beforehand)."""
    repo.replace_vulnerabilities(list(collected.vulnerabilities.values()), cleared=cleared)
    rows = collected.match_rows
    new = [i for i, is_new in enumerate(matches.new) if is_new]
    repo.add_matches([matches.ids[i] for i in new], [rows[i] for i in new])
    repo.add_findings(
        finding_ids,
        collected.finding_versions,
        [matches.ids[i] for i in collected.finding_matches],
    )


def decide(
    collected: Collected,
    profile_rows: Sequence[dict[str, object]],
) -> pl.DataFrame:
    """Every (active finding, profile) decision with the worklist's sort keys; findings and
    profiles by position (``finding_versions``, ``profile_rows``), so decisions can be made
    before ids are reserved (:func:`decision_rows` maps them)."""
    inputs = pl.DataFrame(
        collected.match_inputs,
        schema={
            "active": pl.Boolean,
            "exploitation": pl.Utf8,
            "automatable": pl.Utf8,
            "kev": pl.Boolean,
            "epss_sort": pl.Float64,
            "cvss_sort": pl.Float64,
        },
        orient="row",
    ).with_row_index("match")
    findings = (
        pl.DataFrame(
            {
                "finding": pl.Series(range(len(collected.finding_versions)), dtype=pl.Int64),
                "product_version_id": pl.Series(collected.finding_versions, dtype=pl.Int64),
                "match": pl.Series(collected.finding_matches, dtype=pl.UInt32),
            }
        )
        .join(inputs.filter(pl.col("active")), on="match")
        .drop("match", "active")
    )
    profiles = pl.DataFrame(
        [
            (at, row["product_version_id"], row["exposure"], row["impact"], row["asset_count"])
            for at, row in enumerate(profile_rows)
        ],
        schema={
            "profile": pl.Int64,
            "product_version_id": pl.Int64,
            "exposure": pl.Utf8,
            "impact": pl.Utf8,
            "asset_count": pl.Int64,
        },
        orient="row",
    )
    decided = decide_frame(load_policy(), findings, profiles)
    return decided.join(
        findings.select("finding", "kev", "epss_sort", "cvss_sort"), on="finding"
    ).join(profiles.select("profile", "asset_count"), on="profile")


def decision_rows(
    decided: pl.DataFrame, finding_ids: Sequence[int], profile_ids: Sequence[int]
) -> list[tuple[object, ...]]:
    """The decisions to store (``DECISION_COLUMNS`` order), with the reserved ids. Track is
    the default: counted per asset, not stored (the worklist starts at Track*)."""
    stored = decided.filter(pl.col("urgency") > Decision.TRACK.urgency).sort(
        "finding",
        "profile",  # joins need not keep order: ids stay stable
    )
    return list(
        stored.with_columns(
            pl.Series(finding_ids, dtype=pl.Int64).gather(stored["finding"]).alias("finding"),
            pl.Series(profile_ids, dtype=pl.Int64).gather(stored["profile"]).alias("profile"),
        )
        .select(DECISION_COLUMNS)
        .iter_rows()
    )


#: decisions in the order of the count columns of ``SUMMARY_COLUMNS`` (act .. track)
_COUNT_ORDER = (
    Decision.ACT.value,
    Decision.ATTEND.value,
    Decision.TRACK_STAR.value,
    Decision.TRACK.value,
)


def asset_summaries(
    decided: pl.DataFrame,
    profile_rows: Sequence[dict[str, object]],
    profile_ids: Sequence[int],
    members: dict[tuple[int, str], list[int]],
) -> list[tuple[object, ...]]:
    """Per asset (``SUMMARY_COLUMNS`` order): profile id, most urgent decision, counts
    (``decided`` as :func:`decide` gives it, profiles by position)."""
    per_profile: dict[int, dict[str, int]] = defaultdict(dict)
    for profile, decision, count in decided.group_by("profile", "decision").len().iter_rows():
        per_profile[profile][decision] = count
    rows: list[tuple[object, ...]] = []
    for at, (pid, profile_row) in enumerate(zip(profile_ids, profile_rows, strict=True)):
        counts = per_profile.get(at, {})
        top = max((Decision(d).urgency for d in counts), default=-1)
        key = (int(str(profile_row["product_version_id"])), str(profile_row["profile_key"]))
        values = tuple(counts.get(d, 0) for d in _COUNT_ORDER)
        rows.extend((asset_id, pid, top, *values) for asset_id in members[key])
    return rows
