"""Error families.

Every error medtrust raises on purpose derives from :class:`MedtrustError`. Transports map the
families to exit codes (CLI) and HTTP statuses with problem+json bodies (API):

========================  =========  ===========
family                    CLI exit   HTTP status
========================  =========  ===========
InputError (unreadable)   2          400 / 413 / 415 / 422
NotFoundError             2          404
PermissionDeniedError     2          403
AuthenticationError       2          401
ConflictError             2          409
DataSourceError           3          503
========================  =========  ===========
"""

from __future__ import annotations


class MedtrustError(Exception):
    """Root of every error medtrust raises deliberately."""

    #: short machine-readable code, used as the problem+json ``type`` suffix
    code = "error"
    http_status = 500
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(MedtrustError):
    """Input that cannot be read: corrupt, wrong type, too large, hostile."""

    code = "invalid-input"
    http_status = 422


class UnsupportedFormatError(InputError):
    """No reader recognises the input."""

    code = "unsupported-format"
    http_status = 415


class InputTooLargeError(InputError):
    """Input exceeds a configured size limit."""

    code = "too-large"
    http_status = 413


class Mds2Error(InputError):
    """An MDS2 document could not be read."""

    code = "mds2-unreadable"


class CatalogError(MedtrustError):
    """A packaged or user-supplied data file (catalogue, mapping, regime) is invalid."""

    code = "catalog-invalid"
    http_status = 422


class NotFoundError(MedtrustError):
    """The requested object does not exist (or is not visible to the caller)."""

    code = "not-found"
    http_status = 404


class AuthenticationError(MedtrustError):
    """Missing or wrong credentials."""

    code = "unauthenticated"
    http_status = 401


class PermissionDeniedError(MedtrustError):
    """The caller is known but may not do this."""

    code = "forbidden"
    http_status = 403


class ConflictError(MedtrustError):
    """The change conflicts with existing data (e.g. a duplicate name)."""

    code = "conflict"
    http_status = 409


class DataSourceError(MedtrustError):
    """An external data source (feed, database) is unavailable."""

    code = "data-source-unavailable"
    http_status = 503
    exit_code = 3
