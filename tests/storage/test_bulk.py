"""Bulk writes (``storage/bulk.py``) store what the ORM would, on SQLite and PostgreSQL.

The tuple path converts values only where a column type needs it (JSON on SQLite, UTC
timestamps) and hands booleans and floats to the driver as they are; psycopg adapts JSON
itself, so that path goes through SQLAlchemy. Reading the rows back through the ORM checks
both paths against the column types.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from medtrust.domain.tenancy import OrgKind
from medtrust.services.context import ServiceContext
from medtrust.storage import exposure_models as em
from medtrust.storage.bulk import insert_returning, insert_tuples, reserve_ids
from medtrust.storage.repositories.accounts import OrganisationRepository


def _organisations(ctx: ServiceContext) -> tuple[int, int]:
    with ctx.transaction() as session:
        repo = OrganisationRepository(session)
        return (
            repo.add(name="Bulk Hospital", kind=OrgKind.HOSPITAL).id,
            repo.add(name="Other Hospital", kind=OrgKind.HOSPITAL).id,
        )


def test_tuples_with_json_and_timestamps_read_back_as_written(ctx: ServiceContext) -> None:
    org, _ = _organisations(ctx)
    start = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    rows = [
        ("full", "requested", None, 2000, {"findings": 407, "act": 3}, start, start),
        ("partial", "feed ümport", "2026-11-21", 1, {}, start, start + timedelta(seconds=5)),
    ]
    columns = ("kind", "trigger", "kb_updated_at", "product_versions", "counts")
    with ctx.transaction() as session:
        insert_tuples(
            session, em.ExposureRun, (*columns, "started_at", "finished_at"), rows,
            organisation_id=org,
        )  # fmt: skip
    with ctx.transaction() as session:
        stored = session.scalars(select(em.ExposureRun).order_by(em.ExposureRun.id)).all()
        got = [
            (r.organisation_id, r.kind, r.trigger, r.kb_updated_at, r.product_versions, r.counts)
            for r in stored
        ]
        times = [(r.started_at, r.finished_at) for r in stored]
    assert got == [(org, *row[:5]) for row in rows]
    # timestamps come back as the same instants (aware, UTC)
    assert times == [(start, start), (start, start + timedelta(seconds=5))]


def test_booleans_floats_and_a_shared_timestamp(ctx: ServiceContext) -> None:
    org, _ = _organisations(ctx)
    now = datetime(2026, 11, 21, 9, 0, 1, 250000, tzinfo=UTC)
    values = [
        ("CVE-2024-0001", True, 0.97, 9.8, now),
        ("CVE-2024-0002", False, None, None, now),  # the same object: converted once
        ("CVE-2024-0003", False, 0.0, 0.0, now + timedelta(days=1)),
    ]
    rows = [
        (vuln, "", "", score, None, "critical", kev, None, epss, "active", "yes", "", "", at)
        for vuln, kev, epss, score, at in values
    ]
    columns = (
        "vulnerability", "aliases", "summary", "cvss_score", "cvss_vector", "severity", "kev",
        "kev_date", "epss", "exploitation", "automatable", "exploitation_reasons",
        "automatable_reasons", "evaluated_at",
    )  # fmt: skip
    with ctx.transaction() as session:
        insert_tuples(session, em.ExposureVulnerability, columns, rows, organisation_id=org)
    with ctx.transaction() as session:
        v = em.ExposureVulnerability
        stored = session.execute(
            select(v.vulnerability, v.kev, v.epss, v.cvss_score, v.evaluated_at).order_by(
                v.vulnerability
            )
        ).all()
    assert [tuple(r) for r in stored] == values
    assert all(type(r.kev) is bool for r in stored)


def test_reserved_ids_are_fresh_and_returned_in_input_order(ctx: ServiceContext) -> None:
    org, other = _organisations(ctx)
    base = datetime(2026, 11, 21, tzinfo=UTC)
    with ctx.transaction() as session:
        first = insert_returning(
            session,
            em.ExposureRun,
            [
                {"organisation_id": org, "kind": "full", "trigger": f"run {n}", "counts": {"n": n},
                 "started_at": base, "finished_at": base}
                for n in range(3)
            ],
        )  # fmt: skip
        later = reserve_ids(session, em.ExposureRun, 4)
        assert reserve_ids(session, em.ExposureRun, 0) == []
        insert_tuples(
            session,
            em.ExposureRun,
            ("id", "kind", "trigger", "product_versions", "counts", "started_at", "finished_at"),
            [(i, "partial", f"reserved {i}", 1, {}, base, base) for i in later],
            organisation_id=other,
        )
    assert len(set(first + later)) == 7
    assert min(later) > max(first)
    with ctx.transaction() as session:
        r = em.ExposureRun
        by_id = {
            run_id: (owner, trigger)
            for run_id, owner, trigger in session.execute(
                select(r.id, r.organisation_id, r.trigger)
            )
        }
    assert [by_id[i] for i in first] == [(org, f"run {n}") for n in range(3)]
    assert [by_id[i] for i in later] == [(other, f"reserved {i}") for i in later]
