"""Errors of the SBOM readers. Every message is one line and starts with the file name."""

from __future__ import annotations

from medtrust.errors import InputError, InputTooLargeError, UnsupportedFormatError


class SbomError(InputError):
    """An SBOM file could not be read at all (corrupt, hostile, truncated, unsupported)."""

    code = "sbom-unreadable"

    def __init__(self, source: str, reason: str) -> None:
        one_line = " ".join(reason.split())
        if len(one_line) > 300:
            one_line = one_line[:297] + "..."
        super().__init__(f"{source}: {one_line}")
        self.source = source
        self.reason = one_line


class SbomFormatError(SbomError, UnsupportedFormatError):
    """No SBOM reader recognises the file (or it is another kind of document)."""

    code = "unsupported-format"
    http_status = 415


class SbomTooLargeError(SbomError, InputTooLargeError):
    """The file is larger than the configured limit."""

    code = "too-large"
    http_status = 413
