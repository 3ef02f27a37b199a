"""Exposure rows of one organisation: findings, matches, profiles, decisions, runs, settings
(the SBOM components an evaluation reads are in :mod:`.sbom_components`).

Bulk paths go through :mod:`medtrust.storage.bulk` because a portfolio evaluation writes hundreds
of thousands of rows; every statement is scoped to the repository's organisation.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from medtrust.storage import exposure_models as em
from medtrust.storage import inventory_models as im
from medtrust.storage import models
from medtrust.storage.base import utcnow
from medtrust.storage.bulk import insert_returning, insert_tuples, reserve_ids

#: column order of match tuples given to :meth:`ExposureRepository.add_matches`
MATCH_COLUMNS = (
    "vulnerability",
    "component_name",
    "component_version",
    "component_purl",
    "component_cpe",
    "component_source",
    "status",
    "status_source",
    "justification",
    "method",
    "confidence",
    "detail",
    "sources",
    "cvss_score",
    "kev",
    "epss",
)
#: fields of the vulnerability rows given to :meth:`ExposureRepository.replace_vulnerabilities`
VULNERABILITY_COLUMNS = (
    "vulnerability",
    "aliases",
    "summary",
    "cvss_score",
    "cvss_vector",
    "severity",
    "kev",
    "kev_date",
    "epss",
    "exploitation",
    "automatable",
    "exploitation_reasons",
    "automatable_reasons",
)
#: column order of decision tuples given to :meth:`ExposureRepository.add_decisions`
DECISION_COLUMNS = (
    "finding",
    "profile",
    "decision",
    "urgency",
    "rule",
    "kev",
    "epss_sort",
    "cvss_sort",
    "asset_count",
)
#: column order of per-asset summary tuples
SUMMARY_COLUMNS = ("asset_id", "profile_id", "top_urgency", "act", "attend", "track_star", "track")


@dataclass(frozen=True, slots=True)
class ProfileAsset:
    """The fields of an asset that decide its profile."""

    id: int
    product_version_id: int
    criticality: str
    network_zone: str | None
    vlan: str | None
    status: str


class ExposureRepository:
    """Exposure tables, always scoped to ``organisation_id``."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self._session = session
        self._org = organisation_id

    # --- inputs -----------------------------------------------------------------------------

    def version_refs(
        self, product_version_ids: Collection[int] | None
    ) -> dict[int, tuple[str, str, str]]:
        """Product version id -> (manufacturer, product, version)."""
        pv, p, m = models.ProductVersion, models.Product, models.Manufacturer
        stmt = (
            select(pv.id, m.name, p.name, pv.version)
            .join(p, p.id == pv.product_id)
            .join(m, m.id == p.manufacturer_id)
            .where(pv.organisation_id == self._org)
        )
        if product_version_ids is not None:
            stmt = stmt.where(pv.id.in_(sorted(product_version_ids)))
        return {
            i: (maker, product, version)
            for i, maker, product, version in self._session.execute(stmt)
        }

    def linked_versions(self) -> set[int]:
        """Product versions some asset of this organisation is linked to."""
        a = im.Asset
        stmt = (
            select(a.product_version_id)
            .where(a.organisation_id == self._org, a.product_version_id.is_not(None))
            .distinct()
        )
        return {pv for pv in self._session.scalars(stmt) if pv is not None}

    def profile_assets(self, product_version_ids: Collection[int] | None) -> list[ProfileAsset]:
        """Assets (not retired) linked to the product versions."""
        a = im.Asset
        stmt = select(
            a.id, a.product_version_id, a.criticality, a.network_zone, a.vlan, a.status
        ).where(
            a.organisation_id == self._org,
            a.product_version_id.is_not(None),
            a.status != "retired",
        )
        if product_version_ids is not None:
            stmt = stmt.where(a.product_version_id.in_(sorted(product_version_ids)))
        rows = self._session.connection().execute(stmt.order_by(a.id)).fetchall()
        return [
            ProfileAsset(i, pv or 0, crit, zone, vlan, status)
            for i, pv, crit, zone, vlan, status in rows
        ]

    def latest_answers(
        self, product_version_ids: Collection[int]
    ) -> dict[int, tuple[str, dict[str, str]]]:
        """Product version -> (label, answers) of its latest MDS2 disclosure."""
        d = models.Disclosure
        latest = (
            select(func.max(d.id))
            .where(
                d.organisation_id == self._org,
                d.product_version_id.in_(sorted(product_version_ids)),
            )
            .group_by(d.product_version_id)
        )
        stmt = select(d.id, d.product_version_id, d.revision, d.document).where(
            d.organisation_id == self._org, d.id.in_(latest)
        )
        found: dict[int, tuple[str, dict[str, str]]] = {}
        for disclosure_id, pv, revision, document in self._session.execute(stmt):
            answers: dict[str, str] = {}
            raw = document.get("answers") if isinstance(document, dict) else None
            if isinstance(raw, dict):
                for qid, entry in raw.items():
                    value = entry.get("value") if isinstance(entry, dict) else None
                    if isinstance(value, str):
                        answers[str(qid)] = value
            found[pv] = (f"disclosure #{disclosure_id} r{revision}", answers)
        return found

    def versions_with_findings(self, vulnerabilities: Collection[str]) -> set[int]:
        """Product versions with a finding of one of the vulnerabilities."""
        f, m = em.ExposureFinding, em.ExposureMatch
        wanted = sorted(vulnerabilities)
        found: set[int] = set()
        for start in range(0, len(wanted), 900):
            stmt = (
                select(f.product_version_id)
                .join(m, m.id == f.match_id)
                .where(
                    m.organisation_id == self._org,
                    m.vulnerability.in_(wanted[start : start + 900]),
                    f.organisation_id == self._org,
                )
                .distinct()
            )
            found.update(self._session.scalars(stmt))
        return found

    # --- writing results --------------------------------------------------------------------

    def clear_all(self) -> None:
        """Remove every exposure result of the organisation (before a full evaluation)."""
        for model in (
            em.ExposureDecision,
            em.AssetExposure,
            em.ExposureFinding,
            em.ExposureMatch,
            em.ExposureProfile,
            em.ExposureVulnerability,
        ):
            self._session.execute(delete(model).where(model.organisation_id == self._org))

    def clear_versions(self, product_version_ids: Collection[int]) -> set[str]:
        """Remove findings, decisions, profiles and asset summaries of the product versions.

        Returns the vulnerabilities their findings named (candidates for
        :meth:`prune_vulnerabilities`).
        """
        named: set[str] = set()
        ids = sorted(product_version_ids)
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            f = em.ExposureFinding
            finding_ids = select(f.id).where(
                f.organisation_id == self._org, f.product_version_id.in_(part)
            )
            profile_ids = select(em.ExposureProfile.id).where(
                em.ExposureProfile.organisation_id == self._org,
                em.ExposureProfile.product_version_id.in_(part),
            )
            self._session.execute(
                delete(em.ExposureDecision).where(
                    em.ExposureDecision.organisation_id == self._org,
                    em.ExposureDecision.finding_id.in_(finding_ids),
                )
            )
            asset_ids = select(im.Asset.id).where(
                im.Asset.organisation_id == self._org, im.Asset.product_version_id.in_(part)
            )
            for condition in (
                em.AssetExposure.profile_id.in_(profile_ids),
                em.AssetExposure.asset_id.in_(asset_ids),
            ):  # two statements, each on its own index (an OR would scan the table)
                self._session.execute(
                    delete(em.AssetExposure).where(
                        em.AssetExposure.organisation_id == self._org, condition
                    )
                )
            m = em.ExposureMatch
            matches: set[int] = set()
            for match_id, vulnerability in self._session.execute(
                select(m.id, m.vulnerability).where(
                    m.organisation_id == self._org,
                    m.id.in_(finding_ids.with_only_columns(f.match_id)),
                )
            ):
                matches.add(match_id)
                named.add(vulnerability)
            for model in (em.ExposureFinding, em.ExposureProfile):
                self._session.execute(
                    delete(model).where(
                        model.organisation_id == self._org, model.product_version_id.in_(part)
                    )
                )
            self._forget_unlinked(matches)
        return named

    def _forget_unlinked(self, match_ids: Collection[int]) -> None:
        """Delete those of the matches no finding links to any more."""
        m, f = em.ExposureMatch, em.ExposureFinding
        ids = sorted(match_ids)
        for start in range(0, len(ids), 900):
            linked = select(f.match_id).where(f.match_id.in_(ids[start : start + 900]))
            self._session.execute(
                delete(m).where(
                    m.organisation_id == self._org,
                    m.id.in_(ids[start : start + 900]),
                    m.id.not_in(linked),
                )
            )

    def _insert_tuples(
        self, model: Any, columns: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> None:
        """:func:`~medtrust.storage.bulk.insert_tuples` with this organisation's id."""
        insert_tuples(self._session, model, columns, rows, organisation_id=self._org)

    def new_match_ids(self, count: int) -> list[int]:
        """``count`` fresh match ids (see :func:`~medtrust.storage.bulk.reserve_ids`)."""
        return reserve_ids(self._session, em.ExposureMatch, count)

    def new_finding_ids(self, count: int) -> list[int]:
        """``count`` fresh finding ids (see :func:`~medtrust.storage.bulk.reserve_ids`)."""
        return reserve_ids(self._session, em.ExposureFinding, count)

    def match_ids_by_content(
        self, rows: Sequence[Sequence[object]]
    ) -> dict[tuple[object, ...], int]:
        """Stored matches equal to some of ``rows`` (:data:`MATCH_COLUMNS` order): row -> the
        lowest such id."""
        wanted = {tuple(row) for row in rows}
        names = sorted({str(row[0]) for row in wanted})
        m = em.ExposureMatch
        columns = [m.__table__.c[name] for name in MATCH_COLUMNS]
        found: dict[tuple[object, ...], int] = {}
        for start in range(0, len(names), 900):
            stmt = (
                select(m.id, *columns)
                .where(
                    m.organisation_id == self._org, m.vulnerability.in_(names[start : start + 900])
                )
                .order_by(m.id)
            )
            for match_id, *values in self._session.execute(stmt):
                key = tuple(values)
                if key in wanted:
                    found.setdefault(key, match_id)
        return found

    def add_matches(self, ids: Sequence[int], rows: Sequence[Sequence[object]]) -> None:
        """Insert matches with their (reserved) ids, rows in :data:`MATCH_COLUMNS` order."""
        self._insert_tuples(
            em.ExposureMatch,
            ("id", *MATCH_COLUMNS),
            [(i, *row) for i, row in zip(ids, rows, strict=True)],
        )

    def add_findings(
        self, ids: Sequence[int], product_version_ids: Sequence[int], match_ids: Sequence[int]
    ) -> None:
        """Insert findings (a product version's link to a match) with their reserved ids."""
        self._insert_tuples(
            em.ExposureFinding,
            ("id", "product_version_id", "match_id"),
            list(zip(ids, product_version_ids, match_ids, strict=True)),
        )

    def replace_vulnerabilities(
        self, rows: Sequence[dict[str, Any]], *, cleared: bool = False
    ) -> None:
        """Store what the evaluation knew about these vulnerabilities (replacing older rows;
        ``cleared``: :meth:`clear_all` already removed them)."""
        v = em.ExposureVulnerability
        names = [] if cleared else sorted({str(r["vulnerability"]) for r in rows})
        for start in range(0, len(names), 900):
            self._session.execute(
                delete(v).where(
                    v.organisation_id == self._org,
                    v.vulnerability.in_(names[start : start + 900]),
                )
            )
        columns = tuple(VULNERABILITY_COLUMNS)
        now = utcnow()
        self._insert_tuples(
            v,
            (*columns, "evaluated_at"),
            [(*(r[c] for c in columns), now) for r in rows],
        )

    def add_profiles(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert profiles (organisation forced); ids in input order."""
        return insert_returning(
            self._session, em.ExposureProfile, [{**r, "organisation_id": self._org} for r in rows]
        )

    def add_decisions(self, rows: Sequence[Sequence[object]]) -> None:
        """Insert decisions, tuples in :data:`DECISION_COLUMNS` order."""
        self._insert_tuples(
            em.ExposureDecision, ("finding_id", "profile_id", *DECISION_COLUMNS[2:]), rows
        )

    def add_asset_summaries(self, rows: Sequence[Sequence[object]]) -> None:
        """Insert per-asset summaries in :data:`SUMMARY_COLUMNS` order."""
        self._insert_tuples(em.AssetExposure, SUMMARY_COLUMNS, rows)

    def prune_vulnerabilities(self, candidates: Collection[str]) -> None:
        """Forget those of the candidate vulnerabilities no match of the organisation names."""
        v, m = em.ExposureVulnerability, em.ExposureMatch
        wanted = sorted(candidates)
        for start in range(0, len(wanted), 900):
            part = wanted[start : start + 900]
            named = select(m.vulnerability).where(
                m.organisation_id == self._org, m.vulnerability.in_(part)
            )
            self._session.execute(
                delete(v).where(
                    v.organisation_id == self._org,
                    v.vulnerability.in_(part),
                    v.vulnerability.not_in(named),
                )
            )

    def totals(self) -> dict[str, int]:
        """Asset-vulnerability pairs per decision, findings, exposed assets (whole organisation)."""
        d, p = em.ExposureDecision, em.ExposureProfile
        stmt = (
            select(d.decision, func.sum(p.asset_count))
            .join(p, p.id == d.profile_id)
            .where(d.organisation_id == self._org, p.organisation_id == self._org)
            .group_by(d.decision)
        )
        counts = {decision: int(total or 0) for decision, total in self._session.execute(stmt)}
        counts["findings"] = (
            self._session.scalar(
                select(func.count(em.ExposureFinding.id)).where(
                    em.ExposureFinding.organisation_id == self._org
                )
            )
            or 0
        )
        counts["assets_with_act"] = (
            self._session.scalar(
                select(func.count(em.AssetExposure.id)).where(
                    em.AssetExposure.organisation_id == self._org, em.AssetExposure.act > 0
                )
            )
            or 0
        )
        return dict(sorted(counts.items()))

    def add_run(self, **fields: Any) -> int:
        """Record an evaluation run."""
        run = em.ExposureRun(organisation_id=self._org, **fields)
        self._session.add(run)
        self._session.flush()
        return run.id

    def runs(self, *, limit: int = 200) -> builtins.list[em.ExposureRun]:
        """Latest runs, oldest first."""
        r = em.ExposureRun
        stmt = select(r).where(r.organisation_id == self._org).order_by(r.id.desc()).limit(limit)
        return list(reversed(list(self._session.scalars(stmt))))

    # --- settings ---------------------------------------------------------------------------

    def settings(self) -> dict[str, Any] | None:
        """The stored settings JSON, or None."""
        s = em.ExposureSettingsRow
        return self._session.scalar(select(s.settings).where(s.organisation_id == self._org))

    def save_settings(
        self, data: dict[str, Any], *, user_id: int | None, at: datetime | None = None
    ) -> None:
        """Store the settings JSON."""
        s = em.ExposureSettingsRow
        row = self._session.scalar(select(s).where(s.organisation_id == self._org))
        if row is None:
            row = s(organisation_id=self._org)
            self._session.add(row)
        row.settings = data
        row.updated_by_id = user_id
        row.updated_at = at or utcnow()
