"""Generic dotted versions with text, the fallback scheme.

Rules (ours; the purl ``vers`` spec leaves ``generic`` open): the version is lower-cased, a
leading ``v`` before a digit is dropped, and it is split into numbers (runs of ASCII digits)
and words (runs of ASCII letters); every other character only separates. Tokens compare
position by position:

``dev``/``snapshot`` < ``alpha`` < ``beta`` < ``pre``/``preview`` < ``rc`` < *end of version* <
other words (alphabetical) < numbers (numeric order).

So ``1.0-rc1`` < ``1.0`` < ``1.0a`` < ``1.0-sp1`` < ``1.0.1``. Zero numbers followed by a word
or by the end are padding and ignored (``1.0.0`` == ``1``, ``1.0-rc1`` == ``1-rc1``). A version
needs at least one number or word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_TOKEN_RE = re.compile(r"[0-9]+|[a-z]+")
PRE_RELEASE_WORDS = {
    "dev": 0,
    "snapshot": 0,
    "alpha": 1,
    "beta": 2,
    "pre": 3,
    "preview": 3,
    "rc": 4,
}
_C_PRE, _C_END, _C_WORD, _C_NUM = 1, 2, 3, 4

Token = tuple[int, int, str]  # (class, number or pre-release rank, word)


@dataclass(frozen=True, slots=True)
class GenericVersion:
    """The classified tokens of a generic version (trailing zeros removed)."""

    tokens: tuple[Token, ...]


def generic_tokens(text: str) -> tuple[Token, ...]:
    """Tokenise ``text`` per the module rules (already lower-cased, prefix removed)."""
    tokens: list[Token] = []
    zero: Token = (_C_NUM, 0, "")
    for raw in _TOKEN_RE.findall(text):
        if raw[0].isdigit():
            tokens.append((_C_NUM, int(raw), ""))
            continue
        while tokens and tokens[-1] == zero:
            tokens.pop()  # zeros before a word are padding: 1.0-rc1 == 1-rc1
        if raw in PRE_RELEASE_WORDS:
            tokens.append((_C_PRE, PRE_RELEASE_WORDS[raw], ""))
        else:
            tokens.append((_C_WORD, 0, raw))
    while tokens and tokens[-1] == zero:
        tokens.pop()
    return tuple(tokens)


def compare_tokens(a: tuple[Token, ...], b: tuple[Token, ...]) -> int:
    """Compare token lists, padding the shorter one with the end-of-version marker."""
    end: Token = (_C_END, 0, "")
    for index in range(max(len(a), len(b))):
        x = a[index] if index < len(a) else end
        y = b[index] if index < len(b) else end
        if x != y:
            return -1 if x < y else 1
    return 0


def encode_tokens(tokens: tuple[Token, ...]) -> bytes:
    """Key: class byte per token (pre 0x01 + rank, word 0x03 + text, number 0x04 + n), end 0x02."""
    parts: list[bytes] = []
    for cls, number, word in tokens:
        if cls == _C_NUM:
            parts.append(b"\x04" + encode_digits(str(number)))
        elif cls == _C_PRE:
            parts.append(bytes((0x01, number + 1)))
        else:
            parts.append(b"\x03" + encode_text(word))
    parts.append(b"\x02")
    return b"".join(parts)


class GenericScheme(CachedScheme[GenericVersion]):
    """Generic dotted numbers with words (fallback for ecosystems without a scheme)."""

    name = "generic"

    def _parse(self, version: str) -> GenericVersion:
        text = version.strip().lower()
        if len(text) > 1 and text[0] == "v" and text[1].isdigit():
            text = text[1:]
        if not _TOKEN_RE.search(text):
            raise VersionError(f"generic: {version!r} has no number or word")
        return GenericVersion(generic_tokens(text))

    def _compare(self, a: GenericVersion, b: GenericVersion) -> int:
        return compare_tokens(a.tokens, b.tokens)

    def _encode(self, parsed: GenericVersion) -> bytes:
        return encode_tokens(parsed.tokens)
