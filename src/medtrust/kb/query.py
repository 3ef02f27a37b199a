"""Read what a scan needs from a KB snapshot: the relevant slice, vulnerability facts, VEX.

:class:`SnapshotProvider` implements :class:`medtrust.matching.scan.KbProvider`. Filters use
the same normalised keys the engines join on, so a scan of one SBOM reads only the few target
rows its components can match (Parquet row-group statistics on the sorted key columns skip the
rest).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from medtrust.domain.vex import VexStatement, VexStatus
from medtrust.kb.store import KnowledgeBase
from medtrust.matching.components import ComponentView
from medtrust.matching.meta import CvssRow, VulnFacts, VulnMeta
from medtrust.matching.tables import KbSlice


def _keys_frame(rows: Iterable[tuple[str, ...]], names: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame(list(set(rows)), schema=dict.fromkeys(names, pl.Utf8), orient="row")


@dataclass(frozen=True)
class SnapshotProvider:
    """Serves slices, facts and VEX statements from a :class:`KnowledgeBase` snapshot."""

    kb: KnowledgeBase

    def slice_for(self, components: Sequence[ComponentView]) -> KbSlice:
        """The targets some component can match, with their intervals, links and configs."""
        kb = self.kb
        packages = pl.Series(
            "package_key", sorted({c.package_key for c in components if c.package_key}), pl.Utf8
        )
        cpes = _keys_frame(
            (c.cpe_key[:3] for c in components if c.cpe_key), ("part", "vendor", "product")
        )
        names = _keys_frame(
            (key for c in components for key in c.name_keys), ("vendor_key", "product_key")
        )
        name_keys = (
            kb.scan("name_keys")
            .join(names.lazy(), on=["vendor_key", "product_key"], how="semi")
            .collect()
        )
        # each kind by a plain is_in on its sort columns (so Parquet statistics skip most of
        # the file), CPEs by vendor and product first and then by the exact key
        vendors = pl.Series("vendor", sorted(set(cpes["vendor"])), pl.Utf8).implode()
        products = pl.Series("product", sorted(set(cpes["product"])), pl.Utf8).implode()
        targets = kb.scan("targets")
        selected = pl.concat(
            [
                targets.filter(pl.col("package_key").is_in(packages.implode())).filter(
                    pl.col("kind") == "purl"
                ),
                targets.filter(pl.col("vendor").is_in(vendors) & pl.col("product").is_in(products))
                .filter(pl.col("kind") == "cpe")
                .join(cpes.lazy(), on=["part", "vendor", "product"], how="semi"),
                targets.filter(pl.col("kind") == "name").filter(
                    pl.col("target_id").is_in(name_keys["target_id"].implode())
                ),
            ]
        ).collect()
        ids = selected["target_id"].implode()
        links, intervals = pl.collect_all(  # both scans at once (two cores)
            [
                kb.scan("links").filter(pl.col("target_id").is_in(ids)),
                kb.scan("intervals").filter(pl.col("target_id").is_in(ids)),
            ]
        )
        config_ids = links["config_id"].drop_nulls().unique().implode()
        return KbSlice(
            targets=selected,
            name_keys=name_keys,
            intervals=intervals,
            links=links,
            configs=kb.scan("configs").filter(pl.col("config_id").is_in(config_ids)).collect(),
        )

    def full_slice(self) -> KbSlice:
        """The whole KB as one slice (portfolio scans that touch most keys)."""
        kb = self.kb
        return KbSlice(
            targets=kb.read("targets"),
            name_keys=kb.read("name_keys"),
            intervals=kb.read("intervals"),
            links=kb.read("links"),
            configs=kb.read("configs"),
        )

    def meta_for(self, vuln_ids: Iterable[str]) -> VulnMeta:
        """Aliases, CVSS, CWE, summaries, KEV and EPSS of the given ids' alias groups."""
        kb = self.kb
        return build_meta(
            vuln_ids,
            kb.scan("aliases"),
            kb.scan("vulnerabilities"),
            kb.scan("kev"),
            kb.scan("epss"),
        )

    def vex_statements(self) -> list[VexStatement]:
        """VEX statements imported into the KB (CycloneDX VEX, OpenVEX files), in key order."""
        frame = self.kb.read("vex")
        return [
            VexStatement(
                vulnerability_id=row["vulnerability_id"],
                status=VexStatus(row["status"]),
                source_status=row["source_status"] or "",
                justification=row["justification"],
                detail=row["detail"],
                refs=tuple(row["refs"] or ()),
                purls=tuple(row["purls"] or ()),
                source=row["document"] or "",
            )
            for row in frame.sort("record_key").iter_rows(named=True)
        ]

    def updated_at(self) -> str:
        """When the snapshot was written."""
        return str(self.kb.manifest.get("updated_at", ""))


def build_meta(
    vuln_ids: Iterable[str],
    aliases: pl.LazyFrame,
    vulnerabilities: pl.LazyFrame,
    kev: pl.LazyFrame,
    epss: pl.LazyFrame,
) -> VulnMeta:
    """Facts of the ids' alias groups from the KB tables (lazy frames, filtered early)."""
    wanted_ids = sorted(set(vuln_ids))
    wanted = pl.Series("vuln_id", wanted_ids, pl.Utf8).implode()
    primaries = aliases.filter(pl.col("vuln_id").is_in(wanted)).select("primary_id")
    groups = aliases.join(primaries, on="primary_id", how="semi").collect()
    primary = dict(zip(groups["vuln_id"], groups["primary_id"], strict=True))
    members = pl.Series("m", sorted(set(primary) | set(wanted_ids)), pl.Utf8).implode()
    rows = (
        vulnerabilities.filter(pl.col("vuln_id").is_in(members))
        .select("vuln_id", "source", "summary", "cwes", "cvss", "withdrawn")
        .sort("vuln_id", "source")
        .collect()
    )
    facts: dict[str, VulnFacts] = {}
    # every row's CVSS JSON list decoded in one call
    ratings = json.loads("[" + ",".join(text or "[]" for text in rows["cvss"]) + "]")
    for (vuln_id, source, summary, cwes, _, withdrawn), items in zip(
        rows.iter_rows(), ratings, strict=True
    ):
        text, listed = summary or "", tuple(cwes or ())
        rated = tuple(CvssRow.from_json(item) for item in items)
        current = facts.get(vuln_id)
        if current is None:  # most ids have one record
            facts[vuln_id] = VulnFacts.first(
                vuln_id,
                summary=text,
                cwes=listed,
                cvss=rated,
                source=source,
                withdrawn=bool(withdrawn),
            )
        else:
            facts[vuln_id] = current.merge(
                summary=text, cwes=listed, cvss=rated, source=source, withdrawn=bool(withdrawn)
            )
    kev_rows = (
        kev.filter(pl.col("cve_id").is_in(members))
        .select("cve_id", "date_added")
        .sort("cve_id", "date_added", nulls_last=True)
        .collect()
    )
    kev_dates: dict[str, str | None] = {}
    for cve, added in kev_rows.iter_rows():
        if kev_dates.get(cve) is None:
            kev_dates[cve] = None if added is None else added.isoformat()
    epss_rows = (
        epss.filter(pl.col("cve_id").is_in(members))
        .sort("cve_id", "score_date", nulls_last=False)
        .select("cve_id", "epss", "percentile")
        .collect()
    )
    scores = {cve: (score, pct) for cve, score, pct in epss_rows.iter_rows()}
    return VulnMeta(primary=primary, facts=facts, kev=kev_dates, epss=scores)
