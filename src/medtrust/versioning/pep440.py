"""Python package versions, PEP 440 (https://peps.python.org/pep-0440/, “Summary of permitted
suffixes and relative ordering”).

``packaging.version.Version`` parses and normalises the string (the reference grammar); the
ordering below is written from the PEP and the key is our own byte encoding:

epoch; release with trailing zeros dropped; then *pre* (dev-only release < a < b < rc < none);
*post* (none < post N); *dev* (dev N < none); *local* (none < any; segments compare one by one,
text < numbers, numbers numerically, text case-insensitively; more segments sort later).
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from medtrust.versioning.base import CachedScheme, VersionError, encode_digits, encode_text

_PRE_RANK = {"a": 1, "b": 2, "rc": 3}
_DEV_ONLY = 0
_NO_PRE = 4

LocalSegment = int | str


@dataclass(frozen=True, slots=True)
class Pep440Version:
    """The parts of a normalised PEP 440 version that decide its order."""

    epoch: int
    release: tuple[int, ...]  # trailing zeros removed
    pre_rank: int  # 0 dev-only, 1 a, 2 b, 3 rc, 4 none
    pre_number: int
    post: int | None
    dev: int | None
    local: tuple[LocalSegment, ...] | None
    normalized: str


def _local_cmp(a: tuple[LocalSegment, ...], b: tuple[LocalSegment, ...]) -> int:
    for x, y in zip(a, b, strict=False):
        if isinstance(x, int) != isinstance(y, int):
            return 1 if isinstance(x, int) else -1
        if x != y:
            return 1 if x > y else -1  # type: ignore[operator]
    return (len(a) > len(b)) - (len(a) < len(b))


class Pep440Scheme(CachedScheme[Pep440Version]):
    """PEP 440: epoch, release, pre, post, dev and local segments."""

    name = "pep440"

    def _parse(self, version: str) -> Pep440Version:
        try:
            parsed = Version(version)
        except InvalidVersion as exc:
            raise VersionError(f"pep440: {version!r} is not a valid PEP 440 version") from exc
        release = tuple(parsed.release)
        end = len(release)
        while end > 1 and release[end - 1] == 0:
            end -= 1
        pre = parsed.pre
        if pre is not None:
            pre_rank, pre_number = _PRE_RANK[pre[0]], pre[1]
        elif parsed.post is None and parsed.dev is not None:
            pre_rank, pre_number = _DEV_ONLY, 0
        else:
            pre_rank, pre_number = _NO_PRE, 0
        local: tuple[LocalSegment, ...] | None = None
        if parsed.local is not None:
            local = tuple(int(s) if s.isdigit() else s for s in parsed.local.split("."))
        return Pep440Version(
            epoch=parsed.epoch,
            release=release[:end],
            pre_rank=pre_rank,
            pre_number=pre_number,
            post=parsed.post,
            dev=parsed.dev,
            local=local,
            normalized=str(parsed),
        )

    def _compare(self, a: Pep440Version, b: Pep440Version) -> int:
        # release tuples already have trailing zeros removed; a shorter one is padded with 0,
        # and since the last element of each is non-zero, tuple order is correct.
        left = (a.epoch, a.release, a.pre_rank, a.pre_number)
        right = (b.epoch, b.release, b.pre_rank, b.pre_number)
        if left != right:
            return -1 if left < right else 1
        post_a = -1 if a.post is None else a.post
        post_b = -1 if b.post is None else b.post
        if post_a != post_b:
            return -1 if post_a < post_b else 1
        if a.dev != b.dev:
            if a.dev is None or b.dev is None:
                return 1 if a.dev is None else -1
            return -1 if a.dev < b.dev else 1
        if a.local is None or b.local is None:
            return (a.local is not None) - (b.local is not None)
        return _local_cmp(a.local, b.local)

    def _encode(self, parsed: Pep440Version) -> bytes:
        parts = [encode_digits(str(parsed.epoch))]
        parts.extend(encode_digits(str(n)) for n in parsed.release)
        parts.append(b"\x00")  # release end: below any number (numbers start at 0x01)
        parts.append(bytes((parsed.pre_rank + 1,)))
        if 1 <= parsed.pre_rank <= 3:
            parts.append(encode_digits(str(parsed.pre_number)))
        parts.append(b"\x01" if parsed.post is None else b"\x02" + encode_digits(str(parsed.post)))
        parts.append(b"\x02" if parsed.dev is None else b"\x01" + encode_digits(str(parsed.dev)))
        if parsed.local is None:
            parts.append(b"\x01")
        else:
            parts.append(b"\x02")
            for seg in parsed.local:
                if isinstance(seg, int):
                    parts.append(b"\x02" + encode_digits(str(seg)))
                else:
                    parts.append(b"\x01" + encode_text(seg))
            parts.append(b"\x00")
        return b"".join(parts)
