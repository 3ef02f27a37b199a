"""Hypothesis strategies producing version strings in each scheme's grammar."""

from __future__ import annotations

from hypothesis import strategies as st

_small = st.integers(min_value=0, max_value=12)
_number = st.one_of(_small, st.integers(min_value=0, max_value=10**25))


def _digits(draw: st.DrawFn, leading_zeros: bool = False) -> str:
    text = str(draw(_number))
    if leading_zeros and draw(st.booleans()):
        text = "0" * draw(st.integers(1, 2)) + text
    return text


@st.composite
def semver_versions(draw: st.DrawFn, loose: bool = False) -> str:
    """Semantic versions; with ``loose`` also node-semver's loose spellings."""
    core = ".".join(_digits(draw, leading_zeros=loose) for _ in range(3))
    alnum = st.text("abcAZ-09", min_size=1, max_size=4).filter(lambda s: not s.isdigit())
    numeric = st.integers(0, 30).map(str)
    ids = draw(st.lists(st.one_of(alnum, numeric), max_size=3))
    text = core
    if ids:
        text += ("-" if not loose or draw(st.booleans()) or ids[0].isdigit() else "") + ".".join(
            ids
        )
    if draw(st.booleans()):
        text += "+" + draw(st.sampled_from(["build.1", "incompatible", "x-y"]))
    if draw(st.booleans()):
        text = (draw(st.sampled_from(["v", "=", " v", "=v"])) if loose else "v") + text
    return text


@st.composite
def nuget_versions(draw: st.DrawFn) -> str:
    """NuGet versions: 1–4 numbers, optional labels, optional metadata."""
    parts = draw(st.lists(_small.map(str), min_size=1, max_size=4))
    text = ".".join(parts)
    labels = draw(
        st.lists(st.one_of(st.text("abAB-", min_size=1, max_size=3), _small.map(str)), max_size=3)
    )
    if labels:
        text += "-" + ".".join(labels)
    if draw(st.booleans()):
        text += "+meta"
    return text


@st.composite
def pep440_versions(draw: st.DrawFn) -> str:
    """PEP 440 versions in assorted (also non-normalised) spellings."""
    text = ""
    if draw(st.integers(0, 4)) == 0:
        text += f"{draw(_small)}!"
    text += ".".join(str(n) for n in draw(st.lists(_small, min_size=1, max_size=4)))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["a", "b", "rc", "c", "alpha", ".beta", "-pre", "preview"]))
        text += str(draw(_small))
    if draw(st.booleans()):
        text += draw(st.sampled_from([".post", "-post", "post", "-", ".r", "rev"])) + str(
            draw(_small)
        )
    if draw(st.booleans()):
        text += draw(st.sampled_from([".dev", "dev", "-dev"])) + str(draw(_small))
    if draw(st.booleans()):
        segments = draw(
            st.lists(
                st.one_of(_small.map(str), st.text("abxyz", min_size=1, max_size=3)),
                min_size=1,
                max_size=3,
            )
        )
        text += "+" + ".".join(segments)
    if draw(st.integers(0, 5)) == 0:
        text = "v" + text
    return text


_MAVEN_TOKENS = [
    "0",
    "1",
    "2",
    "10",
    "007",
    "alpha",
    "beta",
    "a",
    "b",
    "m",
    "rc",
    "cr",
    "milestone",
    "snapshot",
    "SNAPSHOT",
    "ga",
    "final",
    "release",
    "sp",
    "jre",
    "android",
    "x",
    "",
]


@st.composite
def maven_versions(draw: st.DrawFn) -> str:
    """Maven versions built from typical tokens and separators (any shape)."""
    tokens = draw(st.lists(st.sampled_from(_MAVEN_TOKENS), min_size=1, max_size=6))
    seps = draw(
        st.lists(st.sampled_from([".", "-", ""]), min_size=len(tokens), max_size=len(tokens))
    )
    text = "".join(t + s for t, s in zip(tokens, seps, strict=True))
    return text or "1"


@st.composite
def debian_versions(draw: st.DrawFn) -> str:
    """Debian versions with epochs, tildes, pluses, letters and revisions."""
    upstream = draw(st.sampled_from("0123456789")) + draw(st.text("0123456789.+~aZz-", max_size=8))
    text = upstream
    if "-" in upstream or draw(st.booleans()):
        text += "-" + draw(st.text("0123456789.+~az", min_size=1, max_size=6))
    if draw(st.integers(0, 3)) == 0:
        text = f"{draw(st.integers(0, 3))}:{text}"
    return text


@st.composite
def rpm_versions(draw: st.DrawFn) -> str:
    """RPM EVRs with ``~``, ``^``, letters and separators."""
    alphabet = "0123456789.~^aZz_+"
    text = draw(st.text(alphabet, min_size=1, max_size=8))
    if draw(st.booleans()):
        text += "-" + draw(st.text(alphabet, min_size=1, max_size=6))
    if draw(st.integers(0, 3)) == 0:
        text = f"{draw(st.integers(0, 3))}:{text}"
    return text


@st.composite
def apk_versions(draw: st.DrawFn) -> str:
    """apk versions: numbers, leading zeros, letter, suffixes, revision."""
    numbers = draw(
        st.lists(st.sampled_from(["0", "1", "2", "10", "01", "001", "9"]), min_size=1, max_size=4)
    )
    if numbers[0].startswith("0") and numbers[0] != "0":
        numbers[0] = numbers[0].lstrip("0")
    text = ".".join(numbers)
    if draw(st.booleans()):
        text += draw(st.sampled_from("abz"))
    suffixes = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"]
    for _ in range(draw(st.integers(0, 2))):
        text += "_" + draw(st.sampled_from(suffixes)) + draw(st.sampled_from(["", "0", "1", "12"]))
    if draw(st.booleans()):
        text += f"-r{draw(_small)}"
    return text


@st.composite
def generic_versions(draw: st.DrawFn) -> str:
    """Generic versions: numbers, words and separators."""
    tokens = draw(
        st.lists(
            st.sampled_from(["0", "1", "2", "10", "a", "b", "rc", "beta", "dev", "sp", "final"]),
            min_size=1,
            max_size=5,
        )
    )
    seps = draw(
        st.lists(st.sampled_from([".", "-", "_", ""]), min_size=len(tokens), max_size=len(tokens))
    )
    text = "".join(t + s for t, s in zip(tokens, seps, strict=True))
    return ("v" if draw(st.integers(0, 4)) == 0 else "") + text


@st.composite
def openssl_versions(draw: st.DrawFn) -> str:
    """OpenSSL versions with letter suffixes and pre-releases."""
    text = ".".join(str(n) for n in draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)))
    text += draw(st.sampled_from(["", "", "a", "g", "z", "za", "zh", "zz"]))
    if draw(st.booleans()):
        text += "-" + draw(st.sampled_from(["alpha", "beta", "pre", "rc", "dev"]))
        text += draw(st.sampled_from(["", "1", "2", "17"]))
    if draw(st.integers(0, 4)) == 0:
        text += "-fips"
    return text


@st.composite
def windows_versions(draw: st.DrawFn) -> str:
    """Windows build numbers with 1–4 parts."""
    parts = draw(st.lists(st.one_of(_small, st.integers(0, 30000)), min_size=1, max_size=4))
    return ".".join(str(p) for p in parts)


@st.composite
def firmware_versions(draw: st.DrawFn) -> str:
    """Firmware strings: prefixes, dotted core, letter suffix, qualifiers."""
    text = draw(st.sampled_from(["", "", "V", "v", "r", "R", "Ver. ", "Version ", "fw"]))
    text += ".".join(str(n) for n in draw(st.lists(st.integers(0, 12), min_size=1, max_size=4)))
    if draw(st.integers(0, 3)) == 0:
        text += draw(st.sampled_from("abc"))
    words = ["beta", "rc", "dev", "build", "p", "hotfix", "sp", "patch", "update", ""]
    for _ in range(draw(st.integers(0, 2))):
        text += draw(st.sampled_from(["-", "_", ".", " "]))
        word = draw(st.sampled_from(words))
        text += word + (draw(st.sampled_from([".", ""])) if word else "") + str(draw(_small))
    return text


STRATEGIES: dict[str, st.SearchStrategy[str]] = {
    "apk": apk_versions(),
    "deb": debian_versions(),
    "firmware": firmware_versions(),
    "generic": generic_versions(),
    "maven": maven_versions(),
    "npm": semver_versions(loose=True),
    "nuget": nuget_versions(),
    "openssl": openssl_versions(),
    "pep440": pep440_versions(),
    "rpm": rpm_versions(),
    "semver": semver_versions(),
    "windows": windows_versions(),
}
