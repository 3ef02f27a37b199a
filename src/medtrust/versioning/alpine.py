"""Alpine Linux (apk) package versions.

Port of apk-tools' tokenizer and ``apk_version_compare`` (apk-tools 2.x ``src/version.c``).
A version is ``number{.number}…{letter}{_suffix{number}}…{-rN}``; the tokenizer yields typed
tokens (number, number after a dot, letter, suffix, suffix number, revision, end). Two versions
are walked token by token; at the first difference:

* same token type → the values decide (suffix values: ``_alpha`` < ``_beta`` < ``_pre`` <
  ``_rc`` < ``_cvs`` < ``_svn`` < ``_git`` < ``_hg`` < ``_p``);
* different types → a pre-release suffix (``_alpha``…``_rc``) loses to anything; otherwise the
  version whose next token comes *earlier* in the list dot-number, number, letter, suffix,
  suffix number, revision, end is greater (so ``1.0`` < ``1.0a`` < ``1.0.1`` and
  ``1.0`` < ``1.0-r1`` < ``1.0_p1``).

After a dot, leading zeros are special: ``1.01`` yields the number ``-1`` (one zero) then ``1``,
so ``1.01`` < ``1.1`` and ``1.001`` < ``1.01``. Deviation: when the zeros make up the whole
component (``1.0_rc1``), no empty number token follows them, so ``1.0_rc1`` < ``1.0`` as Alpine
packaging intends. apk stores numbers in C ``int``; here they are unbounded.

Key: each token becomes a class byte ordered as the rule above (pre-release suffix 0x01, end
0x02, revision 0x03, suffix number 0x04, post-release suffix 0x05, letter 0x06, number 0x07,
dotted number 0x08) followed by its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from medtrust.versioning.base import CachedScheme, VersionError, encode_int, encode_uint

_PRE_SUFFIXES = ("alpha", "beta", "pre", "rc")
_POST_SUFFIXES = ("cvs", "svn", "git", "hg", "p")


class Tok(IntEnum):
    """apk-tools token types, in apk's enum order (larger sorts lower at a divergence)."""

    DIGIT_OR_ZERO = 0
    DIGIT = 1
    LETTER = 2
    SUFFIX = 3
    SUFFIX_NO = 4
    REVISION_NO = 5
    END = 6


Token = tuple[Tok, int]


@dataclass(frozen=True, slots=True)
class ApkVersion:
    """The token list of an apk version, ending with an END token."""

    text: str
    tokens: tuple[Token, ...]


def _isdigit(c: str) -> bool:
    return "0" <= c <= "9"


def _next_type(current: Tok, s: str, pos: int) -> tuple[Tok | None, int]:
    """apk's ``next_token``: the type of the next token and the new position (None = invalid)."""
    if pos >= len(s):
        return Tok.END, pos
    c = s[pos]
    new: Tok | None
    if current in (Tok.DIGIT, Tok.DIGIT_OR_ZERO) and "a" <= c <= "z":
        new = Tok.LETTER
    elif current == Tok.LETTER and _isdigit(c):
        new = Tok.DIGIT
    elif current == Tok.SUFFIX and _isdigit(c):
        new = Tok.SUFFIX_NO
    else:
        new = None
        if c == ".":
            new = Tok.DIGIT_OR_ZERO
        elif c == "_":
            new = Tok.SUFFIX
        elif c == "-" and pos + 1 < len(s) and s[pos + 1] == "r":
            new = Tok.REVISION_NO
            pos += 1
        pos += 1
    if new is not None and new < current:
        allowed = (
            (new == Tok.DIGIT_OR_ZERO and current == Tok.DIGIT)
            or (new == Tok.SUFFIX and current == Tok.SUFFIX_NO)
            or (new == Tok.DIGIT and current == Tok.LETTER)
        )
        if not allowed:
            new = None
    return new, pos


def tokenize(s: str) -> tuple[Token, ...]:
    """Tokenize like apk's ``get_token`` loop; raise :class:`VersionError` when invalid."""
    tokens: list[Token] = []
    kind: Tok = Tok.DIGIT
    pos = 0
    n = len(s)
    while kind != Tok.END:
        read_as = kind
        start = pos
        value = 0
        forced: Tok | None = None
        if kind == Tok.DIGIT_OR_ZERO and s[pos] == "0":
            while pos < n and s[pos] == "0":
                pos += 1
            value = -(pos - start)
            if pos < n and _isdigit(s[pos]):
                forced = Tok.DIGIT
        elif kind in (Tok.DIGIT, Tok.DIGIT_OR_ZERO, Tok.SUFFIX_NO, Tok.REVISION_NO):
            while pos < n and _isdigit(s[pos]):
                pos += 1
            value = int(s[start:pos]) if pos > start else 0
        elif kind == Tok.LETTER:
            value = ord(s[pos])
            pos += 1
        else:  # SUFFIX
            for index, name in enumerate(_PRE_SUFFIXES):
                if s.startswith(name, pos):
                    value, pos, forced = index - len(_PRE_SUFFIXES), pos + len(name), Tok.SUFFIX_NO
                    break
            else:
                for index, name in enumerate(_POST_SUFFIXES):
                    if s.startswith(name, pos):
                        value, pos, forced = index, pos + len(name), Tok.SUFFIX_NO
                        break
                else:
                    raise VersionError(f"apk: unknown suffix in {s!r}")
        tokens.append((read_as, value))
        if pos >= n:
            kind = Tok.END
        elif forced is not None:
            kind = forced
        else:
            following, pos = _next_type(kind, s, pos)
            if following is None:
                raise VersionError(f"apk: {s!r} is not a valid apk version")
            kind = following
    tokens.append((Tok.END, 0))
    return tuple(tokens)


def compare_tokens(a: tuple[Token, ...], b: tuple[Token, ...]) -> int:
    """apk's comparison on two token lists."""
    for (at, av), (bt, bv) in zip(a, b, strict=False):
        if at == bt:
            if av != bv:
                return -1 if av < bv else 1
            if at == Tok.END:
                return 0
            continue
        if at == Tok.SUFFIX and av < 0:
            return -1
        if bt == Tok.SUFFIX and bv < 0:
            return 1
        return -1 if at > bt else 1
    return 0  # pragma: no cover - both lists end with END


def _encode_token(kind: Tok, value: int) -> bytes:
    if kind == Tok.SUFFIX:
        return bytes((0x01, value + 5)) if value < 0 else bytes((0x05, value + 1))
    if kind == Tok.END:
        return b"\x02"
    if kind == Tok.REVISION_NO:
        return b"\x03" + encode_uint(value)
    if kind == Tok.SUFFIX_NO:
        return b"\x04" + encode_uint(value)
    if kind == Tok.LETTER:
        return bytes((0x06, value))
    if kind == Tok.DIGIT:
        return b"\x07" + encode_int(value)
    return b"\x08" + encode_int(value)


class AlpineScheme(CachedScheme[ApkVersion]):
    """Alpine/Wolfi apk version ordering."""

    name = "apk"

    def _parse(self, version: str) -> ApkVersion:
        text = version.strip()
        if not text or not _isdigit(text[0]) or not text.isascii():
            raise VersionError(f"apk: {version!r} must start with a digit and be ASCII")
        return ApkVersion(text, tokenize(text))

    def _compare(self, a: ApkVersion, b: ApkVersion) -> int:
        return compare_tokens(a.tokens, b.tokens)

    def _encode(self, parsed: ApkVersion) -> bytes:
        return b"".join(_encode_token(kind, value) for kind, value in parsed.tokens)
