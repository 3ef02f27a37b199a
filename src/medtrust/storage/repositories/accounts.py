"""Organisations, users and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medtrust.domain.tenancy import Organisation, OrgKind, Role, User
from medtrust.storage import models


def _org(row: models.Organisation) -> Organisation:
    return Organisation(id=row.id, name=row.name, kind=OrgKind(row.kind))


def _user(row: models.UserAccount) -> User:
    return User(
        id=row.id,
        organisation_id=row.organisation_id,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        is_active=row.is_active,
    )


class OrganisationRepository:
    """Tenants themselves (not tenant-scoped: used by administration and login)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, name: str, kind: OrgKind) -> Organisation:
        """Create an organisation."""
        row = models.Organisation(name=name, kind=kind.value)
        self._session.add(row)
        self._session.flush()
        return _org(row)

    def get(self, organisation_id: int) -> Organisation | None:
        """Organisation by id."""
        row = self._session.get(models.Organisation, organisation_id)
        return _org(row) if row else None

    def get_by_name(self, name: str) -> Organisation | None:
        """Organisation by exact name."""
        row = self._session.scalar(
            select(models.Organisation).where(models.Organisation.name == name)
        )
        return _org(row) if row else None

    def list(self) -> list[Organisation]:
        """All organisations, by name."""
        rows = self._session.scalars(select(models.Organisation).order_by(models.Organisation.name))
        return [_org(r) for r in rows]


class UserRepository:
    """User accounts. Lookup by e-mail is global (for login); listings are per tenant."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, *, organisation_id: int, email: str, display_name: str, role: Role, password_hash: str
    ) -> User:
        """Create a user."""
        row = models.UserAccount(
            organisation_id=organisation_id,
            email=email,
            display_name=display_name,
            role=role.value,
            password_hash=password_hash,
        )
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def get(self, user_id: int) -> User | None:
        """User by id."""
        row = self._session.get(models.UserAccount, user_id)
        return _user(row) if row else None

    def get_with_hash(self, email: str) -> tuple[User, str] | None:
        """User and password hash by e-mail (case-insensitive), for login."""
        row = self._session.scalar(
            select(models.UserAccount).where(models.UserAccount.email == email.strip().lower())
        )
        return (_user(row), row.password_hash) if row else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace a user's password hash (e.g. after a rehash with new parameters)."""
        row = self._session.get(models.UserAccount, user_id)
        if row is not None:
            row.password_hash = password_hash

    def list_for(self, organisation_id: int) -> list[User]:
        """Users of one organisation, by e-mail."""
        rows = self._session.scalars(
            select(models.UserAccount)
            .where(models.UserAccount.organisation_id == organisation_id)
            .order_by(models.UserAccount.email)
        )
        return [_user(r) for r in rows]


class TokenRepository:
    """API tokens, looked up by the digest of the presented token."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, user: User, name: str, digest: str, prefix: str) -> int:
        """Store a new token digest; returns its id."""
        row = models.ApiToken(
            organisation_id=user.organisation_id,
            user_id=user.id,
            name=name,
            token_digest=digest,
            prefix=prefix,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def find_user(self, digest: str, *, now: datetime) -> User | None:
        """The active user owning a non-revoked token with this digest; marks it used."""
        row = self._session.scalar(
            select(models.ApiToken).where(
                models.ApiToken.token_digest == digest, models.ApiToken.revoked_at.is_(None)
            )
        )
        if row is None:
            return None
        row.last_used_at = now
        user = self._session.get(models.UserAccount, row.user_id)
        if user is None or not user.is_active or user.organisation_id != row.organisation_id:
            return None
        return _user(user)
