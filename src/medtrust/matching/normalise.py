"""Normalised join keys shared by the knowledge base, the reference matcher and the bulk engine.

Three kinds of key, each computed one way only so that both engines join on the same values:

* **package key** ``<purl type>/<namespace>/<name>``, lower-cased, PyPI names normalised per
  PEP 503. OSV ``affected[].package`` entries without a purl are mapped from their ecosystem
  (OSV schema "Defined ecosystems") onto the purl type and namespace of the purl specification's
  PURL-TYPES; a component's purl gives its key directly.
* **CPE key** ``(part, vendor, product)`` plus the seven remaining attributes as one string,
  taken from a parsed CPE 2.3 name (NISTIR 7695) in its WFN form.
* **name keys** for CSAF products without identifiers: vendor and product reduced to lower-case
  ASCII letters and digits, accents and corporate suffixes dropped (``Dräger AG`` → ``drager``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from medtrust.sbom.cpe import ANY, NA, CpeError, parse_any
from medtrust.sbom.purl import PurlError, canonicalise

#: OSV ecosystem (lower-cased, before any ``:``) -> (purl type, namespace or None)
ECOSYSTEM_PURL: dict[str, tuple[str, str | None]] = {
    "almalinux": ("rpm", "almalinux"),
    "alpine": ("apk", "alpine"),
    "bitnami": ("bitnami", None),
    "chainguard": ("apk", "chainguard"),
    "crates.io": ("cargo", None),
    "debian": ("deb", "debian"),
    "go": ("golang", None),
    "hex": ("hex", None),
    "maven": ("maven", None),
    "npm": ("npm", None),
    "nuget": ("nuget", None),
    "packagist": ("composer", None),
    "pub": ("pub", None),
    "pypi": ("pypi", None),
    "red hat": ("rpm", "redhat"),
    "rocky linux": ("rpm", "rocky-linux"),
    "rubygems": ("gem", None),
    "suse": ("rpm", "suse"),
    "opensuse": ("rpm", "opensuse"),
    "swifturl": ("swift", None),
    "ubuntu": ("deb", "ubuntu"),
    "wolfi": ("apk", "wolfi"),
}
#: ecosystems whose package names carry the namespace ("group:artifact", "vendor/name" ...)
_NAME_SPLIT = {"maven": ":", "golang": "/", "composer": "/", "npm": "/", "swift": "/"}
_PEP503 = re.compile(r"[-_.]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENS = re.compile(r"\(([^)]*)\)")
#: corporate suffixes dropped from vendor names (ours; common legal forms in EN/DE/NL/FR)
_CORPORATE = frozenset(
    [
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "gmbh",
        "ag",
        "co",
        "corp",
        "corporation",
        "company",
        "sa",
        "nv",
        "bv",
        "plc",
        "kg",
        "se",
        "srl",
        "spa",
        "oy",
        "ab",
        "as",
        "kk",
    ]
)
#: attributes after part, vendor, product, version
REST_ATTRIBUTES = (
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
ANY_REST = ":".join([ANY] * len(REST_ATTRIBUTES))


def package_key(purl_type: str, namespace: str | None, name: str) -> str:
    """The join key of a package: ``type/namespace/name`` lower-cased (PEP 503 for PyPI)."""
    kind = purl_type.lower()
    base = name.lower()
    if kind == "pypi":
        base = _PEP503.sub("-", base)
    space = (namespace or "").lower().strip("/")
    return f"{kind}/{space}/{base}" if space else f"{kind}//{base}"


_SIMPLE_PURL_VERSION = re.compile(r"^[A-Za-z0-9.+_~-]+$")


def purl_parts(purl: str) -> tuple[str, str | None] | None:
    """``(package key, version)`` of a purl string, or None when it is not a usable purl.

    A purl without qualifiers or subpath whose version is plain is split at its last ``@`` and
    the versionless part is canonicalised once (cached): SBOM portfolios repeat packages with
    many versions. Other purls take the full parser; both give the same answer.
    """
    if "?" not in purl and "#" not in purl:
        base, at, version = purl.rpartition("@")
        if at and "/" in base and "/" not in version and _SIMPLE_PURL_VERSION.match(version):
            key = _base_key(base)
            return None if key is None else (key, version)
    return _purl_parts(purl)


#: ``pkg:type/namespace/name`` made of unreserved characters only (nothing to decode)
_SIMPLE_BASE = re.compile(
    r"pkg:([A-Za-z][A-Za-z0-9._-]*)/((?:[A-Za-z0-9._~-]+/)*)([A-Za-z0-9._~-]+)"
)
#: purl types whose parser changes names beyond letter case (package keys are lower-case)
_NAME_RULES = frozenset({"pub", "hackage", "mlflow"})


@lru_cache(maxsize=1 << 17)
def _base_key(base: str) -> str | None:
    """The package key of a versionless purl; plain ones without the full parser (same key)."""
    simple = _SIMPLE_BASE.fullmatch(base)
    if simple is not None and simple.group(1).lower() not in _NAME_RULES:
        kind, namespace, name = simple.groups()
        return package_key(kind, namespace.rstrip("/") or None, name)
    parts = _purl_parts(base)
    return None if parts is None else parts[0]


@lru_cache(maxsize=1 << 17)
def _purl_parts(purl: str) -> tuple[str, str | None] | None:
    try:
        parsed = canonicalise(purl)
    except PurlError:
        return None
    return package_key(parsed.type, parsed.namespace, parsed.name), parsed.version


def osv_package_key(ecosystem: str, name: str, purl: str | None = None) -> str:
    """The package key of an OSV ``affected[].package`` (its purl when it has one)."""
    if purl:
        parts = purl_parts(purl)
        if parts is not None:
            return parts[0]
    base = ecosystem.split(":", 1)[0].strip().lower()
    mapped = ECOSYSTEM_PURL.get(base)
    if mapped is None:
        return package_key(f"osv-{base}", None, name)
    kind, namespace = mapped
    separator = _NAME_SPLIT.get(kind)
    if namespace is None and separator and separator in name:
        namespace, _, name = name.rpartition(separator)
    return package_key(kind, namespace, name)


_PLAIN_NAME = re.compile(
    r"cpe:2\.3:[aoh](?::(?:\*|-|[a-z0-9_][a-z0-9._-]*)){5}:(?:\*|-)(?::(?:\*|-|[a-z0-9_][a-z0-9._-]*)){4}"
)
_WFN_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True, slots=True)
class CpeName:
    """The parts of a CPE name matching needs, in WFN form (see :mod:`medtrust.sbom.cpe`)."""

    part: str
    vendor: str
    product: str
    version: str
    rest: str  # the seven attributes after the version, joined with ":"

    def literal(self, attr: str) -> str | None:
        """The unquoted text of ``part``/``vendor``/``product``/``version``; None for ANY/NA."""
        value: str = getattr(self, attr)
        if value in (ANY, NA):
            return None
        if "\\\\" not in value:
            return value.replace("\\", "")  # single escapes only: drop them
        return _WFN_ESCAPE.sub(r"\1", value)


@lru_cache(maxsize=1 << 18)
def parse_cpe(text: str) -> CpeName | None:
    """A CPE 2.3 name or 2.2 URI, parsed leniently (missing trailing attributes are ANY).

    Names made only of plain fields (lower-case letters, digits, ``_``, ``.``, ``-``, or a
    lone ``*``/``-``) are split directly (feeds and SBOMs are full of them, mostly unique by
    version); anything else goes through the strict parser of :mod:`medtrust.sbom.cpe`.
    Both give the same result (a property test checks it).
    """
    lowered = text.lower()
    # plain fields only; the language (9th attribute) has its own grammar: strict parser
    if _PLAIN_NAME.fullmatch(lowered):
        wfn = [
            # WFN form of a plain formatted-string field: "." and "-" are quoted
            f if f in (ANY, NA) else f.replace(".", "\\.").replace("-", "\\-")
            for f in lowered.split(":")[2:]
        ]
        return CpeName(wfn[0], wfn[1], wfn[2], wfn[3], ":".join(wfn[4:]))
    return _parse_cpe(text)


@lru_cache(maxsize=1 << 16)
def _parse_cpe(text: str) -> CpeName | None:
    try:
        cpe = parse_any(text, pad=True)[0]
    except CpeError:
        return None
    rest = ":".join(getattr(cpe, attr) for attr in REST_ATTRIBUTES)
    return CpeName(cpe.part, cpe.vendor, cpe.product, cpe.version, rest)


def cpe_rest(cpe: CpeName) -> str:
    """The seven attributes after the version, joined with ``:`` in WFN form."""
    return cpe.rest


@lru_cache(maxsize=16384)
def rest_compatible(criteria_rest: str, component_rest: str) -> bool:
    """Whether a component's update/edition/... attributes fall within a criterion's.

    Per attribute (NISTIR 7696 name matching, read for "is the component inside the
    criterion"): a criterion ANY accepts everything; a criterion NA accepts NA or an unknown
    (ANY) component value; a specific criterion value needs the same value on the component.
    An unknown component value does not satisfy a specific criterion (precision first).
    """
    if criteria_rest == ANY_REST:
        return True
    crit = criteria_rest.split(":")
    comp = component_rest.split(":")
    if len(crit) != len(comp):
        return False
    for want, have in zip(crit, comp, strict=True):
        if want == ANY:
            continue
        if want == NA:
            if have not in (NA, ANY):
                return False
            continue
        if want != have:
            return False
    return True


def _ascii_fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """A name reduced to ASCII letters and digits (``IntelliVue MX40`` → ``intellivuemx40``)."""
    return _NON_ALNUM.sub("", _ascii_fold(text.replace("\\", "")))


@lru_cache(maxsize=16384)
def vendor_keys(text: str) -> tuple[str, ...]:
    """Keys of a vendor name: the whole name and any parenthesised short form, suffixes dropped.

    ``General Electric (GE)`` gives ``generalelectric`` and ``ge``; ``Dräger AG`` gives
    ``drager``; a CPE vendor ``b\\.braun`` gives ``bbraun``.
    """
    folded = _ascii_fold(text.replace("\\", ""))
    variants = [_PARENS.sub(" ", folded), *_PARENS.findall(folded)]
    keys: list[str] = []
    for variant in variants:
        tokens = _NON_ALNUM.sub(" ", variant).split()
        while len(tokens) > 1:
            if tokens[-1] in _CORPORATE:
                tokens.pop()
                continue
            # dotted legal forms split into letters: "S.A." -> "s", "a"; "B.V." -> "b", "v"
            letters = next(
                (
                    n
                    for n in (3, 2)
                    if len(tokens) > n
                    and all(len(t) == 1 for t in tokens[-n:])
                    and "".join(tokens[-n:]) in _CORPORATE
                ),
                0,
            )
            if not letters:
                break
            del tokens[-letters:]
        if tokens and tokens[0] == "the" and len(tokens) > 1:
            tokens = tokens[1:]
        key = "".join(tokens)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def product_keys(product: str, vendors: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Keys of a product name: as written, and without a leading vendor key (``GE Aespire``)."""
    key = name_key(product)
    keys = [key] if key else []
    for vendor in vendors:
        if vendor and key.startswith(vendor) and len(key) > len(vendor):
            stripped = key[len(vendor) :]
            if stripped not in keys:
                keys.append(stripped)
    return tuple(keys)
