"""Errors of the knowledge base."""

from __future__ import annotations

from medtrust.errors import DataSourceError, InputError


class KbUnavailableError(DataSourceError):
    """There is no usable knowledge base (never imported, damaged, or of another schema)."""

    code = "kb-unavailable"


class BundleError(InputError):
    """An offline bundle is unreadable, corrupt, tampered with or hostile; nothing was imported."""

    code = "kb-bundle-invalid"
