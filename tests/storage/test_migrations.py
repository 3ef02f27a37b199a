from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from medtrust.settings import Settings
from medtrust.storage.base import Base
from medtrust.storage.engine import make_engine
from medtrust.storage.migrate import current_revision, downgrade, schema_drift, upgrade
from tests.conftest import Backend


def test_head_has_no_drift_and_every_table(backend: Backend) -> None:
    # the session backend was upgraded to head by the fixture
    assert current_revision(backend.engine) is not None
    assert schema_drift(backend.engine) == []
    tables = set(inspect(backend.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_every_table_is_scoped_to_an_organisation() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name == "organisation":
            continue
        assert "organisation_id" in table.c, f"{table.name} has no organisation_id"
        assert not table.c.organisation_id.nullable, f"{table.name}.organisation_id is nullable"


def test_upgrade_downgrade_round_trip_sqlite(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    engine = make_engine(settings)
    assert current_revision(engine) is None
    upgrade(engine)
    assert schema_drift(engine) == []
    downgrade(engine)
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert schema_drift(engine) == []


def test_upgrade_downgrade_round_trip_postgres(postgres_url: str) -> None:
    # own database on the session's server so the shared one stays at head
    from sqlalchemy.engine import make_url

    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(postgres_url).database}_mig"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        upgrade(engine)
        assert schema_drift(engine) == []
        downgrade(engine)
        assert current_revision(engine) is None
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_naive_timestamps_are_refused(backend: Backend) -> None:
    from datetime import datetime

    from medtrust.storage.base import UtcDateTime

    with pytest.raises(ValueError, match="naive"):
        UtcDateTime().process_bind_param(datetime(2026, 1, 1), backend.engine.dialect)
