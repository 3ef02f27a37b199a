"""Errors of the installed-base import and lifecycle data."""

from __future__ import annotations

from medtrust.errors import CatalogError, InputError


class InventoryInputError(InputError):
    """An inventory file (CMMS export) or a column mapping cannot be used at all."""

    code = "inventory-unreadable"


class LifecycleDataError(CatalogError):
    """The packaged operating-system end-of-life table is invalid."""

    code = "lifecycle-invalid"
