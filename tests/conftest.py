"""Fixtures: settings, a migrated database per backend (SQLite always, PostgreSQL when
reachable; required on CI), a service context, the app and an HTTP client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from medtrust.domain.tenancy import OrgKind, Principal, Role
from medtrust.services import accounts
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.base import Base
from medtrust.storage.engine import make_engine, make_sessionmaker
from medtrust.storage.migrate import upgrade

# CI explores the same examples on every run (reproducible); local runs explore new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")

POSTGRES_ADMIN_URL = os.environ.get(
    "MEDTRUST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ON_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    reason = _postgres_available()
    if reason:
        if ON_CI:
            pytest.fail(reason + " (CI=true: PostgreSQL tests are required)")
        pytest.skip(reason)
    name = f"medtrust_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Backend:
    """A migrated database shared by the tests of one backend."""

    name: str
    engine: Engine
    settings: Settings


def _backend(name: str, url: str, data_dir: Path) -> Backend:
    settings = Settings(
        data_dir=data_dir, database_url=url, secret_key="test-secret-key-0123456789"
    )
    engine = make_engine(settings)
    upgrade(engine)
    return Backend(name, engine, settings)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """Each storage/service/API test runs on SQLite and on PostgreSQL."""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'test.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    created = _backend(request.param, url, data_dir)
    yield created
    created.engine.dispose()


def _wipe(engine: Engine) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def ctx(backend: Backend) -> ServiceContext:
    """A service context on an emptied, migrated database."""
    _wipe(backend.engine)
    return ServiceContext(
        settings=backend.settings, engine=backend.engine, sessions=make_sessionmaker(backend.engine)
    )


@pytest.fixture
def client(ctx: ServiceContext) -> Iterator[TestClient]:
    """HTTP client for the app on the test database."""
    from medtrust.api.app import create_app

    app = create_app(ctx.settings, context=ctx)
    with TestClient(app) as test_client:
        yield test_client


@dataclass(frozen=True)
class Account:
    """A user created for a test, with password, API token and principal."""

    email: str
    password: str
    token: str
    principal: Principal

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for the API."""
        return {"Authorization": f"Bearer {self.token}"}


def make_account(
    ctx: ServiceContext, *, org: str, role: Role = Role.EDITOR, kind: OrgKind = OrgKind.HOSPITAL
) -> Account:
    """Create (if needed) an organisation, then a user in it with a token."""
    from medtrust.storage.repositories.accounts import OrganisationRepository

    with ctx.transaction() as session:
        exists = OrganisationRepository(session).get_by_name(org) is not None
    if not exists:
        accounts.create_organisation(ctx, name=org, kind=kind)
    email = f"{role.value}-{uuid.uuid4().hex[:8]}@{org.lower().replace(' ', '-')}.example"
    password = accounts.generate_password()
    accounts.create_user(ctx, organisation=org, email=email, password=password, role=role)
    token = accounts.issue_token(ctx, email=email, name="test").token
    principal = accounts.authenticate(ctx, email=email, password=password)
    return Account(email, password, token, principal)
