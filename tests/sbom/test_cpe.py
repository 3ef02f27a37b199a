"""CPE 2.3 parsing/formatting (NISTIR 7695) and CPE 2.2 URI conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.sbom.cpe import (
    ANY,
    ATTRIBUTES,
    NA,
    Cpe,
    CpeError,
    parse,
    parse_any,
    parse_uri,
    quote_literal,
)


def test_parse_simple_formatted_string() -> None:
    cpe = parse("cpe:2.3:a:zlib:zlib:1.2.3:*:*:*:*:*:*:*")
    assert cpe.part == "a"
    assert cpe.literal("vendor") == "zlib"
    assert cpe.literal("version") == "1.2.3"
    assert cpe.version == "1\\.2\\.3"  # WFN form quotes the dots
    assert cpe.update == ANY
    assert cpe.format() == "cpe:2.3:a:zlib:zlib:1.2.3:*:*:*:*:*:*:*"


def test_upper_case_is_folded() -> None:
    cpe = parse("cpe:2.3:o:amazon:freertos:V11.2.0:*:*:*:*:*:*:*")
    assert cpe.literal("version") == "v11.2.0"


def test_quoted_characters_round_trip() -> None:
    text = "cpe:2.3:a:foo\\:bar:baz\\+\\+:1.0\\(beta\\):*:*:*:*:*:*:*"
    cpe = parse(text)
    assert cpe.literal("vendor") == "foo:bar"
    assert cpe.literal("product") == "baz++"
    assert cpe.literal("version") == "1.0(beta)"
    assert cpe.format() == text


def test_na_and_literal_hyphen_are_distinct() -> None:
    na = parse("cpe:2.3:a:v:p:-:*:*:*:*:*:*:*")
    hyphen = parse("cpe:2.3:a:v:p:\\-:*:*:*:*:*:*:*")
    assert na.version == NA
    assert na.literal("version") is None
    assert hyphen.literal("version") == "-"
    assert hyphen.format() == "cpe:2.3:a:v:p:\\-:*:*:*:*:*:*:*"


def test_wildcards_at_the_ends_only() -> None:
    assert parse("cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*").version == "1\\.*"
    assert parse("cpe:2.3:a:v:p:??1:*:*:*:*:*:*:*").version == "??1"
    with pytest.raises(CpeError):
        parse("cpe:2.3:a:v:p:1*2:*:*:*:*:*:*:*")
    with pytest.raises(CpeError):
        parse("cpe:2.3:a:v:p:1?2:*:*:*:*:*:*:*")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("cpe:2.3:a::libjpeg:8b:*:*:*:*:*:*:*", "vendor: empty"),
        ("cpe:2.3:a:libexpat_project::2.0.1:*:*:*:*:*:*:*", "product: empty"),
        ("cpe:2.3:a:gnu:ncurses::*:*:*:*:*:*:*", "version: empty"),
        ("cpe:2.3:x:v:p:1:*:*:*:*:*:*:*", "part must be"),
        ("cpe:2.3:a:v:p+:1:*:*:*:*:*:*:*", "must be quoted"),
        ("cpe:2.3:a:v:p:1:*:*:*:*:*:*", "has 10 attributes"),
        ("cpe:2.3:a:v:p:1:*:*:*:*:*:*:*:*", "has 12 attributes"),
        ("cpe:2.3:a:v:p:1:*:*:*:*:*:*:\\", "lone backslash"),
        ("cpe:2.3:a:v:p:\\a:*:*:*:*:*:*:*", "must not be quoted"),
        ("cpe:2.3:a:v:p:1:*:*:english:*:*:*:*", "not a language tag"),
        ("cpe:2.3:a:v:p:1é:*:*:*:*:*:*:*", "not printable ASCII"),
        ("cpe:/a:v:p", "does not start with 'cpe:2.3:'"),
    ],
)
def test_invalid_formatted_strings(text: str, reason: str) -> None:
    with pytest.raises(CpeError, match=reason):
        parse(text)


def test_language_tag_accepted() -> None:
    assert parse("cpe:2.3:a:v:p:1:*:*:en-us:*:*:*:*").literal("language") == "en-us"


def test_padding_is_opt_in() -> None:
    with pytest.raises(CpeError):
        parse("cpe:2.3:o:amazon:freertos:V11.2.0")
    padded = parse("cpe:2.3:o:amazon:freertos:V11.2.0", pad=True)
    assert padded.format() == "cpe:2.3:o:amazon:freertos:v11.2.0:*:*:*:*:*:*:*"
    with pytest.raises(CpeError):
        parse("cpe:2.3:o:amazon", pad=True)


@pytest.mark.parametrize(
    ("uri", "formatted"),
    [
        ("cpe:/a:zlib:zlib:1.2.3", "cpe:2.3:a:zlib:zlib:1.2.3:*:*:*:*:*:*:*"),
        ("cpe:/o:microsoft:windows_xp::sp2", "cpe:2.3:o:microsoft:windows_xp:*:sp2:*:*:*:*:*:*"),
        ("cpe:/a:foo%21:bar:1.0", "cpe:2.3:a:foo\\!:bar:1.0:*:*:*:*:*:*:*"),
        ("cpe:/a:foo:bar:1.%02", "cpe:2.3:a:foo:bar:1.*:*:*:*:*:*:*:*"),
        ("cpe:/a:foo:bar:-", "cpe:2.3:a:foo:bar:-:*:*:*:*:*:*:*"),
        (
            "cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*",
        ),
        ("cpe:/a:foo:bar:1.0:::en-us", "cpe:2.3:a:foo:bar:1.0:*:*:en-us:*:*:*:*"),
        ("CPE:/A:Acme:App:9.1.1", "cpe:2.3:a:acme:app:9.1.1:*:*:*:*:*:*:*"),
    ],
)
def test_uri_conversion(uri: str, formatted: str) -> None:
    assert parse_uri(uri).format() == formatted
    cpe, was_uri = parse_any(uri)
    assert was_uri
    assert cpe.format() == formatted


@pytest.mark.parametrize(
    "uri",
    [
        "cpe:/x:foo:bar",
        "cpe:/a:foo:bar:1:2:3:4:5",
        "cpe:/a:fo o:bar",
        "cpe:/a:foo%zz:bar",
        "cpe:/a:foo:bar:1::~a~b",
    ],
)
def test_invalid_uris(uri: str) -> None:
    with pytest.raises(CpeError):
        parse_uri(uri)


@pytest.mark.parametrize("text", ["cpe:::libjpeg:8b", "cpe::gnu:ncurses:", "", "pkg:deb/x", "cpe"])
def test_parse_any_rejects_neither(text: str) -> None:
    with pytest.raises(CpeError, match="neither"):
        parse_any(text)


def test_direct_construction_is_validated() -> None:
    with pytest.raises(CpeError):
        Cpe(part="a", vendor="bad value")
    assert Cpe(part="h", vendor=quote_literal("ARM"), product="cortex\\-m4").format() == (
        "cpe:2.3:h:arm:cortex-m4:*:*:*:*:*:*:*:*"
    )


# -- property tests ---------------------------------------------------------------------------

_PRINTABLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
_literals = st.text(_PRINTABLE, min_size=1, max_size=12).map(str.lower)
_values = st.one_of(
    st.just(ANY),
    st.just(NA),
    _literals.map(quote_literal),
    st.tuples(_literals.map(quote_literal), st.sampled_from(["*", "?", "??"])).map(
        lambda t: t[0] + t[1]
    ),
    st.tuples(st.sampled_from(["*", "?"]), _literals.map(quote_literal)).map(lambda t: t[0] + t[1]),
)


@st.composite
def cpes(draw: st.DrawFn) -> Cpe:
    values = {attr: draw(_values) for attr in ATTRIBUTES if attr not in ("part", "language")}
    part = draw(st.sampled_from(["a", "o", "h", ANY]))
    language = draw(st.sampled_from([ANY, NA, "en", "en\\-us", "de\\-de"]))
    return Cpe(part=part, language=language, **values)


@given(cpes())
def test_format_then_parse_is_identity(cpe: Cpe) -> None:
    assert parse(cpe.format()) == cpe


@given(cpes())
def test_formatted_string_has_eleven_unescaped_separators(cpe: Cpe) -> None:
    text = cpe.format()
    assert text.startswith("cpe:2.3:")
    assert len(parse(text).values()) == 11
    assert parse(text).format() == text


@given(_literals)
def test_literal_survives_quoting(literal: str) -> None:
    cpe = Cpe(part="a", vendor="v", product=quote_literal(literal))
    assert parse(cpe.format()).literal("product") == literal


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        cpe, _ = parse_any(text, pad=True)
    except CpeError:
        return
    assert parse(cpe.format()) == cpe


@given(st.from_regex(r"cpe:/[aoh](:[a-z0-9._~%-]{0,8}){0,6}", fullmatch=True))
def test_uri_like_text_converts_or_fails_cleanly(text: str) -> None:
    try:
        cpe = parse_uri(text)
    except CpeError:
        return
    assert parse(cpe.format()) == cpe
