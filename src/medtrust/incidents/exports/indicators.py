"""Indicators of compromise typed from free text (one per line), for STIX and MISP."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from medtrust.incidents.report_document import ReportDocument

MAX_INDICATORS = 500
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$"
)
_URL = re.compile(r"^https?://[^\s'\"\\]+$")
_HASHES = {32: "md5", 40: "sha1", 64: "sha256"}


class IndicatorKind(StrEnum):
    """What an indicator line is."""

    IPV4 = "ipv4"
    IPV6 = "ipv6"
    DOMAIN = "domain"
    URL = "url"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Indicator:
    """A typed indicator and the report it came from."""

    kind: IndicatorKind
    value: str
    source: str


def classify(text: str) -> IndicatorKind:
    """The kind of one indicator text (``other`` when it is none of the known kinds)."""
    value = text.strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is not None:
        return IndicatorKind.IPV4 if address.version == 4 else IndicatorKind.IPV6
    if _HEX.match(value) and len(value) in _HASHES:
        return IndicatorKind(_HASHES[len(value)])
    if _URL.match(value):
        return IndicatorKind.URL
    if _DOMAIN.match(value):
        return IndicatorKind.DOMAIN
    return IndicatorKind.OTHER


def collect(reports: Iterable[ReportDocument]) -> tuple[Indicator, ...]:
    """Indicators from every report field named ``indicators``, de-duplicated, sorted."""
    seen: dict[tuple[IndicatorKind, str], Indicator] = {}
    for report in reports:
        value = report.values.get("indicators")
        if not isinstance(value, str):
            continue
        for line in value.splitlines():
            text = line.strip()
            if not text or len(seen) >= MAX_INDICATORS:
                continue
            kind = classify(text)
            normal = text.lower() if kind is not IndicatorKind.OTHER else text
            seen.setdefault((kind, normal), Indicator(kind, normal, report.key))
    return tuple(sorted(seen.values(), key=lambda i: (i.kind.value, i.value)))
