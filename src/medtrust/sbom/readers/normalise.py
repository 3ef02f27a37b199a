"""Shared helpers of the SBOM readers: identifiers, hashes, timestamps and issue collection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medtrust.domain.component import Hash, IssueSeverity, SbomIssue
from medtrust.domain.location import Location, LocationKind
from medtrust.sbom import cpe as cpe_mod
from medtrust.sbom.purl import PurlError, canonicalise

_HASH_ALIASES = {
    "SHA1": "SHA-1",
    "SHA224": "SHA-224",
    "SHA256": "SHA-256",
    "SHA384": "SHA-384",
    "SHA512": "SHA-512",
    "SHA3256": "SHA3-256",
    "SHA3384": "SHA3-384",
    "SHA3512": "SHA3-512",
    "BLAKE2B256": "BLAKE2b-256",
    "BLAKE2B384": "BLAKE2b-384",
    "BLAKE2B512": "BLAKE2b-512",
}
_HEX_RE = re.compile(r"^[0-9a-fA-F]+$")


def field_location(path: str) -> Location:
    """A JSON-pointer-like location inside a document."""
    return Location(LocationKind.FIELD, path)


@dataclass
class IssueLog:
    """Collects the per-item issues of one read (mutable while reading, frozen afterwards)."""

    items: list[SbomIssue] = field(default_factory=list)

    def add(
        self,
        severity: IssueSeverity,
        code: str,
        message: str,
        location: Location | None = None,
        ref: str | None = None,
    ) -> None:
        """Record one issue."""
        self.items.append(SbomIssue(severity, code, message, location, ref))

    def frozen(self) -> tuple[SbomIssue, ...]:
        """The issues in the order they were met."""
        return tuple(self.items)


def text(value: Any) -> str | None:
    """A stripped non-empty string, or None (numbers are accepted and converted)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return stripped or None


def normalise_purl(raw: Any, *, ref: str, location: Location, log: IssueLog) -> str | None:
    """Canonical purl string, or None with an issue when unusable."""
    value = text(raw)
    if value is None:
        return None
    try:
        canonical = canonicalise(value)
    except PurlError as exc:
        log.add(
            IssueSeverity.ERROR, "invalid-purl", f"invalid purl {value!r}: {exc}", location, ref
        )
        return None
    for warning in canonical.warnings:
        log.add(
            IssueSeverity.WARNING, "suspicious-purl", f"purl {value!r}: {warning}", location, ref
        )
    return canonical.purl


def normalise_cpe(raw: Any, *, ref: str, location: Location, log: IssueLog) -> str | None:
    """CPE 2.3 formatted string, or None with an issue when unusable (2.2 URIs are converted)."""
    value = text(raw)
    if value is None:
        return None
    try:
        parsed, was_uri = cpe_mod.parse_any(value)
    except cpe_mod.CpeError as exc:
        try:
            parsed, was_uri = cpe_mod.parse_any(value, pad=True)
        except cpe_mod.CpeError:
            log.add(
                IssueSeverity.ERROR, "invalid-cpe", f"invalid CPE {value!r}: {exc}", location, ref
            )
            return None
        log.add(
            IssueSeverity.WARNING,
            "short-cpe",
            f"CPE {value!r} has fewer than 11 attributes; the missing ones were read as ANY",
            location,
            ref,
        )
    formatted = parsed.format()
    if was_uri:
        log.add(
            IssueSeverity.INFO,
            "cpe22-converted",
            f"CPE 2.2 URI {value!r} converted to {formatted}",
            location,
            ref,
        )
    return formatted


def normalise_hash(
    algorithm: Any, value: Any, *, ref: str, location: Location, log: IssueLog
) -> Hash | None:
    """A :class:`Hash` with a normalised algorithm name, or None with an issue."""
    alg = text(algorithm)
    digest = text(value)
    if alg is None or digest is None:
        log.add(
            IssueSeverity.WARNING, "invalid-hash", "hash without algorithm or value", location, ref
        )
        return None
    key = re.sub(r"[^A-Z0-9]", "", alg.upper())
    name = _HASH_ALIASES.get(key, alg.upper())
    if not _HEX_RE.match(digest):
        log.add(
            IssueSeverity.WARNING,
            "invalid-hash",
            f"{name} value is not hexadecimal",
            location,
            ref,
        )
        return None
    return Hash(name, digest.lower())


def parse_timestamp(raw: Any, *, location: Location, log: IssueLog) -> datetime | None:
    """An ISO 8601 date-time (UTC assumed when no offset is given), or None with an issue."""
    value = text(raw)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        log.add(
            IssueSeverity.WARNING,
            "invalid-timestamp",
            f"timestamp {value!r} is not an ISO 8601 date-time",
            location,
        )
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, ``[value]`` if it is a dict, else an empty list."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a dict, else an empty dict."""
    return value if isinstance(value, dict) else {}
