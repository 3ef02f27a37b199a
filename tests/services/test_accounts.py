from __future__ import annotations

import pytest

from medtrust.domain.tenancy import OrgKind, Role
from medtrust.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from medtrust.services import accounts
from medtrust.services.context import ServiceContext
from medtrust.storage.repositories.accounts import UserRepository
from medtrust.storage.repositories.audit import AuditRepository


def test_passwords_are_argon2id_hashes_never_plaintext(ctx: ServiceContext) -> None:
    accounts.create_organisation(ctx, name="St Elsewhere", kind=OrgKind.HOSPITAL)
    password = "correct horse battery staple"
    user = accounts.create_user(
        ctx,
        organisation="St Elsewhere",
        email="Ana@Example.org",
        password=password,
        role=Role.ADMIN,
    )
    assert user.email == "ana@example.org"
    with ctx.transaction() as session:
        found = UserRepository(session).get_with_hash("ana@example.org")
    assert found is not None
    assert found[1].startswith("$argon2id$")
    assert password not in found[1]


def test_login_succeeds_and_fails_without_saying_why(ctx: ServiceContext) -> None:
    accounts.create_organisation(ctx, name="St Elsewhere", kind=OrgKind.HOSPITAL)
    accounts.create_user(
        ctx, organisation="St Elsewhere", email="a@x.org", password="p" * 12, role=Role.VIEWER
    )
    principal = accounts.authenticate(ctx, email="A@X.org", password="p" * 12)
    assert principal.organisation.name == "St Elsewhere"
    assert principal.user.role is Role.VIEWER
    with pytest.raises(AuthenticationError) as wrong_password:
        accounts.authenticate(ctx, email="a@x.org", password="q" * 12)
    with pytest.raises(AuthenticationError) as unknown_user:
        accounts.authenticate(ctx, email="nobody@x.org", password="p" * 12)
    assert wrong_password.value.message == unknown_user.value.message


def test_short_passwords_duplicates_and_unknown_orgs_are_refused(ctx: ServiceContext) -> None:
    accounts.create_organisation(ctx, name="Org", kind=OrgKind.MANUFACTURER)
    with pytest.raises(InputError, match="at least 12"):
        accounts.create_user(
            ctx, organisation="Org", email="a@x.org", password="short", role=Role.ADMIN
        )
    with pytest.raises(NotFoundError):
        accounts.create_user(
            ctx, organisation="Nope", email="a@x.org", password="p" * 12, role=Role.ADMIN
        )
    with pytest.raises(ConflictError):
        accounts.create_organisation(ctx, name="Org", kind=OrgKind.HOSPITAL)
    accounts.create_user(
        ctx, organisation="Org", email="a@x.org", password="p" * 12, role=Role.ADMIN
    )
    with pytest.raises(ConflictError):
        accounts.create_user(
            ctx, organisation="Org", email="A@x.org", password="p" * 12, role=Role.ADMIN
        )


def test_tokens_are_stored_as_digests_and_resolve_to_their_user(ctx: ServiceContext) -> None:
    accounts.create_organisation(ctx, name="Org", kind=OrgKind.AUTHORITY)
    accounts.create_user(
        ctx, organisation="Org", email="t@x.org", password="p" * 12, role=Role.EDITOR
    )
    issued = accounts.issue_token(ctx, email="t@x.org", name="ci")
    assert issued.token.startswith(accounts.TOKEN_PREFIX)
    principal = accounts.principal_for_token(ctx, issued.token)
    assert principal.user.email == "t@x.org"
    with pytest.raises(AuthenticationError):
        accounts.principal_for_token(ctx, issued.token + "x")
    with ctx.engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(text("select token_digest from api_token")).scalars().all()
    assert stored == [accounts.token_digest(issued.token)]
    assert issued.token not in stored


def test_user_creation_is_audited(ctx: ServiceContext) -> None:
    org = accounts.create_organisation(ctx, name="Org", kind=OrgKind.HOSPITAL)
    accounts.create_user(
        ctx, organisation="Org", email="u@x.org", password="p" * 12, role=Role.ADMIN
    )
    with ctx.transaction() as session:
        events = AuditRepository(session, org.id).list()
    assert [e.action for e in events] == ["user.create"]
    assert "u@x.org" in events[0].summary


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.allows(Role.EDITOR)
    assert Role.EDITOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.EDITOR)
