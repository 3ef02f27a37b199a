"""Demo data: two organisations, their users (fresh passwords on every start), forms, the demo
hospital's installed base and, when there is none, a knowledge base of fictional advisories."""

from __future__ import annotations

import json
from dataclasses import dataclass

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.tenancy import OrgKind, Principal, Role
from medtrust.mds2.document import form_to_document
from medtrust.mds2.synth import demo_identities, synthesise_form
from medtrust.services import accounts
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from medtrust.services.inventory_demo import seed_demo_hospital, seed_demo_knowledge_base
from medtrust.storage.repositories.accounts import OrganisationRepository, UserRepository

DEMO_HOSPITAL = "Demo University Hospital"
DEMO_MANUFACTURER = "Demo MedTech Manufacturer"
DEMO_USERS = (
    (DEMO_HOSPITAL, OrgKind.HOSPITAL, "admin@hospital.demo.example", Role.ADMIN),
    (DEMO_HOSPITAL, OrgKind.HOSPITAL, "viewer@hospital.demo.example", Role.VIEWER),
    (DEMO_MANUFACTURER, OrgKind.MANUFACTURER, "psirt@manufacturer.demo.example", Role.EDITOR),
)
DEMO_PRODUCTS = 6


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo account and its freshly generated password."""

    organisation: str
    email: str
    role: Role
    password: str


def seed_demo(ctx: ServiceContext) -> list[DemoLogin]:
    """Create the demo organisations, users and disclosures if missing; reset demo passwords.

    Passwords are generated anew on every call and returned (never fixed in code), so a demo
    database has no default credentials.
    """
    logins = []
    for org_name, kind, email, role in DEMO_USERS:
        with ctx.transaction() as session:
            org = OrganisationRepository(session).get_by_name(org_name)
            if org is None:
                org = OrganisationRepository(session).add(name=org_name, kind=kind)
        password = accounts.generate_password()
        with ctx.transaction() as session:
            users = UserRepository(session)
            found = users.get_with_hash(email)
            if found is None:
                users.add(
                    organisation_id=org.id,
                    email=email,
                    display_name=email.split("@")[0],
                    role=role,
                    password_hash=accounts.hash_password(password),
                )
            else:
                users.set_password_hash(found[0].id, accounts.hash_password(password))
        logins.append(DemoLogin(org_name, email, role, password))
    _seed_disclosures(ctx, logins)
    _seed_installed_base(ctx, logins)
    return logins


def _seed_installed_base(ctx: ServiceContext, logins: list[DemoLogin]) -> None:
    """The demo hospital's devices (2,000 assets of ~100 fictional product versions with MDS2
    forms and SBOMs, plus a few devices of real products), created once; and the demo knowledge
    base of fictional advisories when there is no knowledge base (also for a database seeded
    before the demo had one)."""
    admin = next(
        login
        for login in logins
        if login.organisation == DEMO_HOSPITAL and login.role is Role.ADMIN
    )
    principal = accounts.authenticate(ctx, email=admin.email, password=admin.password)
    seed_demo_hospital(ctx, principal)
    seed_demo_knowledge_base(ctx)


def _seed_disclosures(ctx: ServiceContext, logins: list[DemoLogin]) -> None:
    catalogue = load_mds2_catalogue()
    for login in logins:
        if not login.role.allows(Role.EDITOR):
            continue
        principal: Principal = accounts.authenticate(
            ctx, email=login.email, password=login.password
        )
        identities = demo_identities(DEMO_PRODUCTS, seed=principal.organisation.id)
        for index, identity in enumerate(identities):
            revisions = 2 if index == 0 else 1
            for revision in range(revisions):
                form = synthesise_form(
                    catalogue, identity, seed=index * 10 + revision, strength=0.45 + 0.1 * index
                )
                data = json.dumps(form_to_document(form)).encode("utf-8")
                upload_disclosure(
                    ctx,
                    principal,
                    data=data,
                    filename=f"{identity.model}-r{revision + 1}.json",
                    version="1.0",
                    format="json",
                )
