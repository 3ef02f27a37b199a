"""Organisations, users, passwords (Argon2id) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medtrust.domain.tenancy import Organisation, OrgKind, Principal, Role, User
from medtrust.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from medtrust.services.context import ServiceContext
from medtrust.storage.base import utcnow
from medtrust.storage.repositories.accounts import (
    OrganisationRepository,
    TokenRepository,
    UserRepository,
)
from medtrust.storage.repositories.audit import AuditRepository

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "mt_"  # noqa: S105 - a public marker, not a secret

# Argon2id with the library's defaults (RFC 9106 "second recommended" profile family).
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash verified against when the e-mail is unknown, so timing reveals no accounts."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Argon2id hash of a password, after checking the minimum length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def generate_password() -> str:
    """A random password for generated accounts (demo, first admin)."""
    return secrets.token_urlsafe(15)


def token_digest(token: str) -> str:
    """SHA-256 hex digest under which an API token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_organisation(ctx: ServiceContext, *, name: str, kind: OrgKind) -> Organisation:
    """Create a tenant; names are unique."""
    name = name.strip()
    if not name:
        raise InputError("organisation name must not be empty")
    try:
        with ctx.transaction() as session:
            return OrganisationRepository(session).add(name=name, kind=kind)
    except IntegrityError as exc:
        raise ConflictError(f"an organisation named {name!r} already exists") from exc


def create_user(
    ctx: ServiceContext,
    *,
    organisation: str,
    email: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    actor: Principal | None = None,
) -> User:
    """Create a user in an organisation (by name)."""
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InputError(f"not an e-mail address: {email!r}")
    password_hash = hash_password(password)
    try:
        with ctx.transaction() as session:
            org = OrganisationRepository(session).get_by_name(organisation)
            if org is None:
                raise NotFoundError(f"no organisation named {organisation!r}")
            if actor is not None and actor.organisation_id != org.id:
                raise NotFoundError(f"no organisation named {organisation!r}")
            user = UserRepository(session).add(
                organisation_id=org.id,
                email=email,
                display_name=display_name or email.split("@")[0],
                role=role,
                password_hash=password_hash,
            )
            AuditRepository(session, org.id).record(
                actor_user_id=actor.user.id if actor else None,
                action="user.create",
                object_type="user",
                object_id=str(user.id),
                summary=f"created user {email} with role {role.value}",
            )
            return user
    except IntegrityError as exc:
        raise ConflictError(f"a user with e-mail {email!r} already exists") from exc


def authenticate(ctx: ServiceContext, *, email: str, password: str) -> Principal:
    """Check an e-mail and password; raise AuthenticationError without saying which was wrong."""
    with ctx.transaction() as session:
        users = UserRepository(session)
        found = users.get_with_hash(email)
        stored_hash = found[1] if found else _dummy_hash()
        try:
            _HASHER.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            raise AuthenticationError("wrong e-mail or password") from None
        if found is None or not found[0].is_active:
            raise AuthenticationError("wrong e-mail or password")
        user = found[0]
        if _HASHER.check_needs_rehash(stored_hash):
            users.set_password_hash(user.id, _HASHER.hash(password))
        return _principal(session, user)


def _principal(session: Session, user: User) -> Principal:
    org = OrganisationRepository(session).get(user.organisation_id)
    if org is None:  # pragma: no cover - foreign key guarantees it
        raise AuthenticationError("account has no organisation")
    return Principal(user=user, organisation=org)


def principal_for_user(ctx: ServiceContext, user_id: int) -> Principal | None:
    """The principal of an active user id (from a session cookie), or None."""
    with ctx.transaction() as session:
        user = UserRepository(session).get(user_id)
        if user is None or not user.is_active:
            return None
        return _principal(session, user)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly issued API token: the plaintext is shown once and never stored."""

    id: int
    token: str


def issue_token(ctx: ServiceContext, *, email: str, name: str) -> IssuedToken:
    """Create an API token for a user."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.transaction() as session:
        found = UserRepository(session).get_with_hash(email)
        if found is None:
            raise NotFoundError(f"no user with e-mail {email!r}")
        user = found[0]
        token_id = TokenRepository(session).add(
            user=user, name=name, digest=token_digest(token), prefix=token[:8]
        )
        AuditRepository(session, user.organisation_id).record(
            actor_user_id=user.id,
            action="token.create",
            object_type="api_token",
            object_id=str(token_id),
            summary=f"issued API token {name!r} for {user.email}",
        )
    return IssuedToken(id=token_id, token=token)


def principal_for_token(ctx: ServiceContext, token: str) -> Principal:
    """Resolve a bearer token to its principal or raise AuthenticationError."""
    with ctx.transaction() as session:
        user = TokenRepository(session).find_user(token_digest(token), now=utcnow())
        if user is None:
            raise AuthenticationError("invalid or revoked API token")
        return _principal(session, user)
