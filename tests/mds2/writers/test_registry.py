from __future__ import annotations

import pytest

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form
from medtrust.errors import UnsupportedFormatError
from medtrust.mds2.writers.registry import WRITERS, get_writer, write_mds2, writer_names


def test_registry_keys_are_the_cli_choices() -> None:
    assert writer_names() == ("html", "json", "pdf", "xlsx")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_each_writer_names_itself_and_writes_bytes(name: str) -> None:
    writer = get_writer(name)
    assert writer.name == name
    assert writer.suffix == f".{name}"
    assert "/" in writer.media_type
    out = writer.write(Mds2Form(answers={}), catalogue=load_mds2_catalogue())
    assert isinstance(out, bytes)
    assert out


def test_unknown_writer_is_a_typed_one_line_error() -> None:
    with pytest.raises(UnsupportedFormatError, match="unknown MDS2 output format 'docx'"):
        write_mds2(Mds2Form(answers={}), "docx")
