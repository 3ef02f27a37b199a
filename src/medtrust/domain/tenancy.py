"""Organisations (tenants), users, roles and the acting principal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrgKind(StrEnum):
    """What kind of organisation a tenant is."""

    HOSPITAL = "hospital"
    MANUFACTURER = "manufacturer"
    AUTHORITY = "authority"


class Role(StrEnum):
    """A user's role inside their organisation; each role includes the ones before it."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Position in the viewer < editor < admin order."""
        return list(Role).index(self)

    def allows(self, required: Role) -> bool:
        """True when this role may do what ``required`` may do."""
        return self.rank >= required.rank


@dataclass(frozen=True, slots=True)
class Organisation:
    """A tenant."""

    id: int
    name: str
    kind: OrgKind


@dataclass(frozen=True, slots=True)
class User:
    """A person in an organisation."""

    id: int
    organisation_id: int
    email: str
    display_name: str
    role: Role
    is_active: bool


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: an authenticated user and their organisation."""

    user: User
    organisation: Organisation

    @property
    def organisation_id(self) -> int:
        """The tenant every query of this principal is scoped to."""
        return self.organisation.id
