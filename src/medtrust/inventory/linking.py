"""Linking free-text manufacturer/model/version names to known product versions.

Names are compared by keys: a manufacturer key drops case, accents, punctuation, legal forms
and generic words (``PHILIPS Medical Systems B.V.`` -> ``philips``); a model key keeps only
letters and digits (``IntelliVue MX-450`` -> ``intellivuemx450``). Equal keys link at once;
similar keys (difflib ratio, see ``docs/inventory.md`` for the measurement against rapidfuzz)
become a suggestion that a person confirms. A confirmed link is saved as a rule and applied to
every later import before any fuzzy matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from medtrust.domain.asset import LinkState
from medtrust.domain.product import ProductVersionRef
from medtrust.inventory.fields import fold

#: legal forms and generic words that do not distinguish manufacturers
_COMPANY_NOISE = frozenset(
    (
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
        "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "se", "sa", "sas", "sarl", "spa", "srl", "bv",
        "nv", "ab", "oy", "as", "asa", "aps", "kk", "the", "and", "medical", "medizintechnik",
        "medizin", "systems", "system", "healthcare", "health", "care", "technologies",
        "technology", "solutions", "international", "group", "holding", "holdings", "devices",
        "electronics", "de", "of", "usa", "europe", "deutschland", "france",
    )
)  # fmt: skip
_WORD = re.compile(r"[0-9a-z]+")
_VERSION_PREFIX = re.compile(r"^(?:v|ver|version|rev|release|r|sw|fw)\.?\s*(?=\d)")
#: suggestion thresholds (difflib ratio x 100)
MANUFACTURER_THRESHOLD = 85
MODEL_THRESHOLD = 80
UNSPECIFIED_VERSION = "unspecified"


def company_key(name: str) -> str:
    """``"PHILIPS Medical Systems"`` -> ``"philips"``; the bare words when all are noise."""
    words = _WORD.findall(fold(name).replace(".", "").replace("&", " and "))
    kept = [w for w in words if w not in _COMPANY_NOISE]
    return " ".join(kept or words)


def model_key(name: str) -> str:
    """Letters and digits only, folded: ``"IntelliVue MX-450"`` -> ``"intellivuemx450"``."""
    return "".join(_WORD.findall(fold(name)))


def version_key(text: str | None) -> str:
    """``"V2.1.0"`` / ``"version 2.1.0"`` -> ``"2.1.0"``; empty for no version."""
    if not text:
        return ""
    return _VERSION_PREFIX.sub("", fold(text).strip())


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> int:
    """0-100 similarity of two keys (difflib ratio)."""
    if a == b:
        return 100
    if not a or not b:
        return 0
    return round(100 * SequenceMatcher(None, a, b, autojunk=False).ratio())


@dataclass(frozen=True, slots=True)
class LinkRule:
    """A confirmed link: these keys mean this product version."""

    manufacturer_key: str
    model_key: str
    version_key: str
    product_version_id: int


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """What the linker concluded for one manufacturer/model/version text, and why."""

    state: LinkState
    product_version: ProductVersionRef | None
    score: int | None
    reason: str
    #: a known product whose model matches but not in this version (a version to create)
    product_hint: ProductVersionRef | None = None


@dataclass(frozen=True, slots=True)
class _Known:
    ref: ProductVersionRef
    maker: str
    model: str
    version: str


class ProductLinker:
    """Links asset texts to a fixed set of product versions and confirmed rules."""

    def __init__(
        self,
        versions: Iterable[ProductVersionRef],
        rules: Iterable[LinkRule] = (),
        aliases: Iterable[tuple[str, str]] = (),
    ) -> None:
        """``aliases`` are (manufacturer key seen in sources, key of a known manufacturer)."""
        self._known = sorted(
            (
                _Known(v, company_key(v.manufacturer), model_key(v.product), version_key(v.version))
                for v in versions
            ),
            key=lambda k: (k.ref.manufacturer, k.ref.product, k.ref.version, k.ref.id),
        )
        self._by_id = {k.ref.id: k.ref for k in self._known}
        self._rules = {
            (r.manufacturer_key, r.model_key, r.version_key): r.product_version_id for r in rules
        }
        self._aliases = dict(aliases)
        self._makers = sorted({k.maker for k in self._known})
        self._cache: dict[tuple[str, str, str], LinkDecision] = {}

    def link(
        self, manufacturer: str | None, model: str | None, version: str | None
    ) -> LinkDecision:
        """Decide the link for one asset's texts (cached per distinct key triple)."""
        keys = (company_key(manufacturer or ""), model_key(model or ""), version_key(version))
        if keys not in self._cache:
            self._cache[keys] = self._decide(*keys)
        return self._cache[keys]

    def _decide(self, maker: str, model: str, version: str) -> LinkDecision:
        for rule_keys in ((maker, model, version), (maker, model, "")):
            rule = self._rules.get(rule_keys)
            if rule is not None and rule in self._by_id:
                ref = self._by_id[rule]
                return LinkDecision(LinkState.LINKED, ref, 100, f"confirmed link to {ref.label}")
        if not maker or not model:
            return LinkDecision(LinkState.UNLINKED, None, None, "no manufacturer or model given")
        maker_hits = self._maker_candidates(self._aliases.get(maker, maker))
        if not maker_hits:
            return LinkDecision(
                LinkState.UNLINKED, None, None, f"no known manufacturer resembles {maker!r}"
            )
        best: tuple[int, str, _Known] | None = None
        near: _Known | None = None
        for known_maker, maker_score in maker_hits:
            for known in self._known:
                if known.maker != known_maker:
                    continue
                model_score = similarity(model, known.model)
                if model_score < MODEL_THRESHOLD:
                    continue
                version_score, version_note = _version_fit(version, known.version)
                if version_score is None:
                    near = near or known
                    continue
                score = round((maker_score + model_score) / 2) - version_score
                why = (
                    f"manufacturer {maker_score}% ({known.ref.manufacturer}), "
                    f"model {model_score}% ({known.ref.product}), {version_note}"
                )
                if best is None or score > best[0]:
                    best = (score, why, known)
        if best is None and near is not None:
            return LinkDecision(
                LinkState.UNLINKED,
                None,
                None,
                f"{near.ref.manufacturer} {near.ref.product} is known, but not version "
                f"{version!r}; confirming creates it",
                product_hint=near.ref,
            )
        if best is None:
            return LinkDecision(
                LinkState.UNLINKED,
                None,
                None,
                f"no product of {', '.join(m for m, _ in maker_hits)} resembles model {model!r}",
            )
        score, why, known = best
        exact = score == 100 and maker in self._makers
        state = LinkState.LINKED if exact else LinkState.SUGGESTED
        return LinkDecision(state, known.ref, score, ("exact match: " if exact else "") + why)

    def _maker_candidates(self, maker: str) -> list[tuple[str, int]]:
        scored = [(m, similarity(maker, m)) for m in self._makers]
        hits = [(m, s) for m, s in scored if s >= MANUFACTURER_THRESHOLD]
        if not hits:
            # "Philips" vs "philips respironics", "Orbis Laboratory" vs "orbis lab": one name's
            # words inside the other's, or the same distinctive first word
            words = maker.split()
            hits = [
                (m, MANUFACTURER_THRESHOLD)
                for m in self._makers
                if words
                and (
                    set(words) <= set(m.split())
                    or set(m.split()) <= set(words)
                    or (len(words[0]) >= 4 and words[0] == m.split()[0])
                )
            ]
        return sorted(hits, key=lambda h: (-h[1], h[0]))


def _version_fit(wanted: str, known: str) -> tuple[int | None, str]:
    """Penalty for a version mismatch (``None``: this version is not a candidate)."""
    if wanted == known:
        return 0, f"version {known or 'none'} equal"
    if known == UNSPECIFIED_VERSION:
        return 10, "product version unspecified"
    if not wanted:
        return 15, f"no version given (known: {known})"
    return None, ""
