"""Errors of the feed readers (systemic problems only; per-record problems are ``Skipped``)."""

from __future__ import annotations

from medtrust.errors import InputError, InputTooLargeError


class FeedError(InputError):
    """A feed input cannot be read at all (missing path, unreadable file)."""

    code = "feed-unreadable"


class FeedTooLargeError(InputTooLargeError):
    """An archive or directory exceeds the total uncompressed size or member-count limit."""

    code = "feed-too-large"
