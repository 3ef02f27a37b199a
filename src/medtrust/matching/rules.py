"""The match rules both engines implement, written once as a pure function.

Given what a target is (kind, whether its version is NA, whether its statement was understood,
whether its range covers every version) and what is known of the component version (usable in
the range's scheme or not, and if usable whether it lies in the range), :func:`decide` says
whether there is a match and with what confidence. The reference matcher calls it per pair; the
bulk engine evaluates the same table of cases column-wise and a test checks they agree on every
combination.
"""

from __future__ import annotations

from medtrust.matching.model import Confidence


def decide(
    *,
    kind: str,
    part: str | None,
    version_na: bool,
    has_version: bool,
    understood: bool,
    has_range: bool,
    broad: bool,
    usable: bool,
    contained: bool,
) -> Confidence | None:
    """The confidence of a match, or None when the component does not match the target.

    * ``purl``/``cpe``: a usable version in the range is *exact* (a range was evaluated), or
      *strong* when the range covers every version; an unusable or missing version matches
      only an every-version range (*strong*). A CPE criterion with version NA (``-``) matches a
      component whose version is unknown, and any hardware (part ``h``: NVD writes ``-`` for
      devices without versions), *strong*. A CSAF identifier whose version statement was not
      understood is at most *weak*.
    * ``name`` (CSAF vendor + product): not understood → *weak*; a usable version in the range
      → *strong*; an unusable version → *strong* for every-version statements, else *weak*.
    """
    if kind in ("purl", "cpe"):
        if version_na:
            return Confidence.STRONG if (not has_version or part == "h") else None
        if not has_range:
            return None
        if usable:
            if not contained:
                return None
            if not understood:
                return Confidence.WEAK
            return Confidence.STRONG if broad else Confidence.EXACT
        if not broad:
            return None
        return Confidence.STRONG if understood else Confidence.WEAK
    if not understood or not has_range:
        return Confidence.WEAK
    if usable:
        return Confidence.STRONG if contained else None
    return Confidence.STRONG if broad else Confidence.WEAK
