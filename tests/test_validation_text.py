"""One-line text for pydantic validation errors (medtrust.validation_text), on real models."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from medtrust.validation_text import (
    DOCUMENT,
    first_error,
    first_problem,
    format_location,
    more_problems,
    one_line,
)


class Device(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    ports: list[int] = []


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    devices: list[Device] = []
    zones: dict[str, Device] = {}

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if value == "multi":
            raise ValueError("first line\n   second\tline  ")
        return value

    @model_validator(mode="after")
    def _not_both(self) -> Site:
        if self.devices and self.zones:
            raise ValueError("use devices or zones,\nnot both")
        return self


def _error(data: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        Site.model_validate(data)
    return info.value


NESTED = {"title": "t", "devices": [{"name": "a"}, {"name": "b", "ports": [1, "x"]}]}


def test_nested_location_with_list_indexes() -> None:
    exc = _error(NESTED)
    assert first_problem(exc) == (
        "devices[1].ports[1]: Input should be a valid integer, unable to parse string as an integer"
    )
    assert first_problem(exc, sep="/").startswith("devices/1/ports/1: Input should be")
    assert first_problem(exc, sep=".").startswith("devices.1.ports.1: Input should be")


def test_first_error_gives_location_and_message_apart() -> None:
    where, message = first_error(_error(NESTED))
    assert where == "devices[1].ports[1]"
    assert message.startswith("Input should be a valid integer")


def test_root_level_validator_has_no_location() -> None:
    exc = _error({"title": "t", "devices": [{"name": "a"}], "zones": {"z": {"name": "b"}}})
    assert exc.errors()[0]["loc"] == ()
    assert first_problem(exc) == "Value error, use devices or zones, not both"
    assert (
        first_problem(exc, root=DOCUMENT)
        == "(document): Value error, use devices or zones, not both"
    )
    assert first_error(exc) == ("", "Value error, use devices or zones, not both")
    assert first_error(exc, root=DOCUMENT)[0] == "(document)"


def test_not_a_mapping_at_all_is_a_root_error() -> None:
    exc = _error(["a", "list"])
    assert first_problem(exc, sep="/", root=DOCUMENT).startswith(
        "(document): Input should be a valid dictionary"
    )


def test_count_of_the_other_problems() -> None:
    one = _error({"title": "t", "devices": [{"name": 1}]})
    assert more_problems(one) == ""
    assert first_problem(one, count=True) == "devices[0].name: Input should be a valid string"
    two = _error({"devices": [{"name": 1}]})
    assert two.error_count() == 2
    assert first_problem(two, count=True) == "title: Field required (and 1 more problem)"
    three = _error({"devices": [{"name": 1, "colour": "red"}]})
    assert three.error_count() == 3
    assert first_problem(three, count=True).endswith(" (and 2 more problems)")
    assert "more" not in first_problem(three)


def test_multi_line_message_is_collapsed() -> None:
    exc = _error({"title": "multi"})
    assert first_problem(exc) == "title: Value error, first line second line"
    assert "\n" not in first_problem(exc, sep="/", count=True)


def test_whitespace_in_keys_is_collapsed_too() -> None:
    exc = _error({"title": "t", "zones": {"Guest\n  WiFi": {"name": "x", "extra": 1}}})
    assert first_problem(exc, sep=".") == "zones.Guest WiFi.extra: Extra inputs are not permitted"


@pytest.mark.parametrize(
    ("loc", "sep", "text"),
    [
        ((), None, ""),
        ((), "/", ""),
        (("a",), None, "a"),
        ((0,), None, "[0]"),
        ((0, "a"), None, "[0].a"),
        (("a", 0, 1, "b"), None, "a[0][1].b"),
        (("a", 0, 1, "b"), "/", "a/0/1/b"),
        (("a", 0, 1, "b"), ".", "a.0.1.b"),
    ],
)
def test_format_location(loc: tuple[int | str, ...], sep: str | None, text: str) -> None:
    assert format_location(loc, sep=sep) == text


def test_one_line() -> None:
    assert one_line("  a\n\tb  c \r\n") == "a b c"
    assert one_line(ValueError("x\ny")) == "x y"
