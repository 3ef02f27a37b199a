"""Cell-level normalisation of imported asset data: identifiers, addresses and vocabularies.

Each ``normalise_*`` function returns the canonical text or raises :class:`ValueError` whose
message says what is wrong; placeholders (``n/a``, ``-``, ``unknown`` ...) become ``None``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TypeVar

from medtrust.domain.asset import AssetStatus, Criticality
from medtrust.inventory.fields import header_key

#: values that mean "nothing here" in CMMS exports (compared after :func:`header_key`)
PLACEHOLDERS = frozenset(
    {
        "",
        "n a",
        "na",
        "none",
        "null",
        "nil",
        "unknown",
        "unk",
        "tbd",
        "tba",
        "k a",
        "keine",
        "unbekannt",
        "inconnu",
        "aucun",
        "nicht vorhanden",
        "not applicable",
        "not available",
        "missing",
        "empty",
        "x",
        "xx",
        "xxx",
    }
)
#: extra placeholders for identifiers (a serial of "0" identifies nothing)
ID_PLACEHOLDERS = PLACEHOLDERS | {
    "0",
    "00",
    "000",
    "0000",
    "00000",
    "000000",
    "no serial",
    "ohne",
    "sans",
    "na serial",
}
_NONZERO_DIGIT = re.compile(r"[1-9]")
_LONGEST_PLACEHOLDER = max(len(p) for p in ID_PLACEHOLDERS) + 4
#: characters that make spreadsheet programs evaluate a cell (OWASP "CSV injection")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

_MAC_SEPARATED = re.compile(r"^[0-9a-f]{1,2}([:-])(?:[0-9a-f]{1,2}\1){4}[0-9a-f]{1,2}$")
_MAC_DOTTED = re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$")
_MAC_BARE = re.compile(r"^[0-9a-f]{12}$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_VLAN = re.compile(r"^(?:vlan)?\s*[-_#]?\s*(\d{1,4})$", re.IGNORECASE)
_GS1_DI = re.compile(r"^\(01\)\s*(\d{14})")
_SPACES = re.compile(r"\s+")
_E = TypeVar("_E", Criticality, AssetStatus)
_IP_PLACEHOLDERS = frozenset({"dhcp", "dynamic", "dyn", "auto", "automatic"})


def is_placeholder(text: str | None, *, identifier: bool = False) -> bool:
    """True for empty cells and the usual "nothing here" spellings."""
    if text is None:
        return True
    stripped = text.strip()
    if len(stripped) > _LONGEST_PLACEHOLDER or _NONZERO_DIGIT.search(stripped):
        return False  # fast path: serials, addresses and names are never placeholders
    if stripped and all(c in "-_?./ " for c in stripped):
        return True
    key = header_key(stripped)
    return key in (ID_PLACEHOLDERS if identifier else PLACEHOLDERS)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would treat the text as a formula."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise_cell(text: str) -> str:
    """Text safe to put in a CSV/xlsx cell: formula-like text is prefixed with ``'``."""
    return "'" + text if is_formula_like(text) else text


def clean_text(text: str) -> str:
    """Trim and collapse runs of whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


def identifier_key(text: str) -> str:
    """Comparison key of a serial number or asset tag: case-folded, no spaces/dashes/dots."""
    return re.sub(r"[\s\-_./]", "", text).casefold()


def normalise_mac(text: str) -> str:
    """``00-1A-2B-3C-4D-5E``, ``001a.2b3c.4d5e`` or ``001A2B3C4D5E`` -> ``00:1a:2b:3c:4d:5e``."""
    value = text.strip().lower()
    if _MAC_SEPARATED.match(value):
        groups = re.split(r"[:-]", value)
        digits = "".join(g.zfill(2) for g in groups)
    elif _MAC_DOTTED.match(value):
        digits = value.replace(".", "")
    elif _MAC_BARE.match(value):
        digits = value
    else:
        raise ValueError(f"{text!r} is not a MAC address (expected 6 hex bytes)")
    if digits in ("000000000000", "ffffffffffff"):
        raise ValueError(f"{text!r} is a placeholder, not a device's MAC address")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def looks_like_mac(text: str) -> bool:
    """True when :func:`normalise_mac` accepts the text."""
    try:
        normalise_mac(text)
    except ValueError:
        return False
    return True


def normalise_ip(text: str) -> str | None:
    """A valid IPv4/IPv6 address in canonical form; ``None`` for DHCP-style placeholders.

    An interface notation ``10.1.2.3/24`` keeps the address. Leading zeros are refused because
    tools disagree whether ``010`` is octal.
    """
    value = text.strip()
    if header_key(value) in _IP_PLACEHOLDERS:
        return None
    address_text = value.split("/", 1)[0].split("%", 1)[0].strip()
    try:
        address = ipaddress.ip_address(address_text)
    except ValueError:
        raise ValueError(f"{text!r} is not an IPv4 or IPv6 address") from None
    if address.is_unspecified:
        raise ValueError(f"{text!r} is the unspecified address, not a device's address")
    return str(address)


def looks_like_ip(text: str) -> bool:
    """True when :func:`normalise_ip` accepts the text as an address."""
    try:
        return normalise_ip(text) is not None
    except ValueError:
        return False


def normalise_hostname(text: str) -> tuple[str, bool]:
    """Lower-case host name without a trailing dot, and whether it is a valid DNS name."""
    value = text.strip().rstrip(".").lower()
    valid = 0 < len(value) <= 253 and all(_HOST_LABEL.match(p) for p in value.split("."))
    return value, valid


def normalise_vlan(text: str) -> str:
    """``VLAN 310`` / ``vlan-310`` -> ``310`` when it is a VLAN id (1-4094); else as written."""
    match = _VLAN.match(text.strip())
    if match and 1 <= int(match.group(1)) <= 4094:
        return str(int(match.group(1)))
    return clean_text(text)


def gtin_check_digit_ok(digits: str) -> bool:
    """GS1 check digit (mod 10, weights 3/1 from the right) of a GTIN-8/12/13/14."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_udi_di(text: str) -> tuple[str, bool | None]:
    """UDI-DI without spaces; a GS1 ``(01)`` element string gives its GTIN-14.

    Returns the value and whether its GS1 check digit is right (``None`` when it is not a
    GTIN, e.g. a HIBCC or ICCBBA DI).
    """
    value = re.sub(r"\s+", "", text)
    match = _GS1_DI.match(value)
    if match:
        value = match.group(1)
    if value.isdigit() and len(value) in (8, 12, 13, 14):
        return value, gtin_check_digit_ok(value)
    return value, None


# fmt: off
_CRITICALITY_WORDS: dict[str, Criticality] = {
    **dict.fromkeys(("life sustaining", "life support", "life supporting", "life critical",
                     "vital", "lebenserhaltend", "maintien de la vie", "survie"),
                    Criticality.LIFE_SUSTAINING),
    **dict.fromkeys(("therapeutic", "therapy", "treatment", "therapeutisch", "therapie",
                     "therapeutique", "traitement"), Criticality.THERAPEUTIC),
    **dict.fromkeys(("diagnostic", "diagnostics", "diagnosis", "imaging", "laboratory",
                     "diagnostisch", "diagnostik", "bildgebung", "diagnostique"),
                    Criticality.DIAGNOSTIC),
    **dict.fromkeys(("monitoring", "monitor", "patient monitoring", "uberwachung",
                     "surveillance"), Criticality.MONITORING),
    **dict.fromkeys(("non clinical", "nonclinical", "non medical", "administrative", "office",
                     "support", "nicht klinisch", "non clinique"), Criticality.NON_CLINICAL),
}
_STATUS_WORDS: dict[str, AssetStatus] = {
    **dict.fromkeys(("in use", "inuse", "active", "in service", "operational", "deployed",
                     "production", "installed", "in betrieb", "aktiv", "en service", "actif",
                     "en fonctionnement"), AssetStatus.IN_USE),
    **dict.fromkeys(("stored", "storage", "in storage", "spare", "in stock", "stock",
                     "inactive", "reserve", "loan pool", "lager", "gelagert", "inaktiv",
                     "en stock", "stocke", "inactif"), AssetStatus.STORED),
    **dict.fromkeys(("retired", "disposed", "decommissioned", "scrapped", "out of service",
                     "written off", "ausgemustert", "verschrottet", "ausser betrieb", "reforme",
                     "hors service", "mis au rebut"), AssetStatus.RETIRED),
}
# fmt: on


def parse_criticality(text: str, custom: dict[str, str] | None = None) -> Criticality:
    """Map a criticality word (or a source-specific value) to the vocabulary."""
    key = header_key(text)
    mapped = (custom or {}).get(key)
    if mapped is not None:
        return _vocab(Criticality, mapped, "criticality")
    for candidate in (key, key.replace(" ", "")):
        if candidate in {c.value.replace("-", " ") for c in Criticality}:
            return Criticality(candidate.replace(" ", "-"))
        if candidate in _CRITICALITY_WORDS:
            return _CRITICALITY_WORDS[candidate]
    raise ValueError(
        f"criticality {text!r} is not in the vocabulary "
        f"({', '.join(c.value for c in Criticality)}); add a value map for this source"
    )


def parse_status(text: str, custom: dict[str, str] | None = None) -> AssetStatus:
    """Map a status word (or a source-specific value) to in-use, stored or retired."""
    key = header_key(text)
    mapped = (custom or {}).get(key)
    if mapped is not None:
        return _vocab(AssetStatus, mapped, "status")
    if key.replace(" ", "-") in {s.value for s in AssetStatus}:
        return AssetStatus(key.replace(" ", "-"))
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    raise ValueError(
        f"status {text!r} is not in the vocabulary "
        f"({', '.join(s.value for s in AssetStatus)}); add a value map for this source"
    )


def _vocab(kind: type[_E], value: str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"value map gives {value!r}, which is not a {what}") from None
