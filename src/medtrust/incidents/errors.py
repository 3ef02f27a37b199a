"""Errors of the incident-reporting package."""

from __future__ import annotations

from medtrust.errors import CatalogError, InputError


class IncidentFactsError(InputError):
    """An incident facts file is unreadable or inconsistent (the message names the field)."""

    code = "incident-facts-invalid"


class RegimeDataError(CatalogError):
    """A packaged regime or authority-directory file is invalid."""

    code = "regime-data-invalid"
