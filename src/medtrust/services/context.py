"""What services need: settings and a session factory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from medtrust.domain.tenancy import Principal, Role
from medtrust.errors import PermissionDeniedError
from medtrust.settings import Settings
from medtrust.storage.engine import make_engine, make_sessionmaker


@dataclass(frozen=True)
class ServiceContext:
    """Settings plus database access, built once per process (app, CLI run or test)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def create(cls, settings: Settings) -> ServiceContext:
        """Build engine and session factory from settings."""
        engine = make_engine(settings)
        return cls(settings=settings, engine=engine, sessions=make_sessionmaker(engine))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error."""
        with self.sessions.begin() as session:
            yield session


def require_role(principal: Principal, role: Role) -> None:
    """Raise PermissionDeniedError unless the principal has at least ``role``."""
    if not principal.user.role.allows(role):
        raise PermissionDeniedError(
            f"this needs the {role.value} role; you are {principal.user.role.value}"
        )
