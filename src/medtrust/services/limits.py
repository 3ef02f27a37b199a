"""Input limits derived from settings."""

from __future__ import annotations

from medtrust.mds2.readers.limits import ReadLimits
from medtrust.settings import Settings


def read_limits(settings: Settings) -> ReadLimits:
    """Reader limits configured for this process."""
    return ReadLimits(
        max_bytes=settings.max_upload_bytes,
        max_uncompressed_bytes=settings.max_uncompressed_bytes,
    )
