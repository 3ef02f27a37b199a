"""CVSS vectors to :class:`CvssScore` values, validated with the ``cvss`` package.

A vector is parsed once (results are cached: feeds repeat the same few thousand vectors), its
base score is computed when the feed gave none, and a vector the library rejects is kept raw
with the reason in ``problem``. Versions: CVSS v2 (FIRST, 2007), v3.0/v3.1 (FIRST, 2015/2019),
v4.0 (FIRST, 2023).
"""

from __future__ import annotations

from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from medtrust.domain.vulnerability import CvssScore

#: a feed score may differ from the computed one by rounding only
_TOLERANCE = 0.05


def vector_version(vector: str) -> str:
    """The CVSS version a vector string declares (``2.0`` when it has no ``CVSS:`` prefix)."""
    if vector.startswith("CVSS:"):
        return vector[5:].split("/", 1)[0]
    return "2.0"


@lru_cache(maxsize=65536)
def _analyse(vector: str) -> tuple[str, float | None, str | None]:
    """(version, computed base score, problem) for a vector string."""
    version = vector_version(vector)
    try:
        if version == "2.0":
            score = float(CVSS2(vector).scores()[0])
        elif version in {"3.0", "3.1"}:
            score = float(CVSS3(vector).scores()[0])
        elif version == "4.0":
            score = float(CVSS4(vector).base_score)
        else:
            return version, None, f"unknown CVSS version {version!r}"
    except (CVSSError, ValueError, KeyError, IndexError, TypeError, ZeroDivisionError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return version, None, f"invalid CVSS vector: {message}"
    return version, score, None


def cvss_score(
    vector: str,
    base_score: float | None = None,
    *,
    source: str = "",
    type_: str = "",
    version: str | None = None,
) -> CvssScore:
    """A :class:`CvssScore` for a vector, computing or checking the base score."""
    vector = vector.strip()
    parsed_version, computed, problem = _analyse(vector)
    if problem is None and computed is not None:
        if base_score is None:
            return CvssScore(
                version=parsed_version,
                vector=vector,
                base_score=computed,
                source=source,
                type=type_,
                computed=True,
            )
        if abs(base_score - computed) > _TOLERANCE:
            problem = f"feed base score {base_score} differs from computed {computed}"
    return CvssScore(
        version=version or parsed_version,
        vector=vector,
        base_score=base_score,
        source=source,
        type=type_,
        problem=problem,
    )
