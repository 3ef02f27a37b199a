from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtrust.cli.main import _register, app
from tests.forms import synthetic_json
from tests.shared_data import shared_file

_register()
runner = CliRunner()
EXAMPLE = "mds2/nema-example-mds2-2019.xlsx"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_convert_nema_example_to_json_has_all_240_ids() -> None:
    code, out, _ = run("mds2", "convert", str(shared_file(EXAMPLE)), "--to", "json")
    assert code == 0
    document = json.loads(out)
    assert document["form_version"] == "2019"
    assert len(document["answers"]) == 240
    assert document["answers"]["SAHD-16"] == {
        "value": "See Note",
        "note": "See Note 6",
        "raw": "See Notes",
    }
    assert document["answers"]["DOC-7"]["value"] == "2019-10-09"
    assert [n["label"] for n in document["notes"]] == [f"Note {i}" for i in range(1, 9)]


def test_xlsx_json_xlsx_json_round_trip_is_identical(tmp_path: Path) -> None:
    first_json = tmp_path / "first.json"
    written = tmp_path / "written.xlsx"
    second_json = tmp_path / "second.json"
    assert (
        run("mds2", "convert", str(shared_file(EXAMPLE)), "--to", "json", "-o", str(first_json))[0]
        == 0
    )
    assert run("mds2", "convert", str(first_json), "--to", "xlsx", "-o", str(written))[0] == 0
    assert run("mds2", "convert", str(written), "--to", "json", "-o", str(second_json))[0] == 0
    assert json.loads(first_json.read_text()) == json.loads(second_json.read_text())
    assert first_json.read_bytes() == second_json.read_bytes()


def test_validate_reports_the_examples_known_inconsistencies_as_warnings() -> None:
    code, out, _ = run("mds2", "validate", str(shared_file(EXAMPLE)), "--format", "json")
    assert code == 0  # warnings only
    report = json.loads(out)
    assert report["errors"] == 0
    warned = {(i["question_id"], i["code"]) for i in report["issues"] if i["severity"] == "warning"}
    ids = {qid for qid, _ in warned}
    assert {"CSUP-1", "CSUP-3.4", "MLDP-2.5"} <= ids


def test_validate_exit_1_on_errors_and_2_on_unreadable(tmp_path: Path) -> None:
    broken = tmp_path / "form.txt"
    broken.write_text(
        "DOC-1:Manufacturer:ACME\nXYZQ-99:Unknown question?:Yes\nMLDP-1,Hosts software?: Perhaps\n"
    )
    code, out, _ = run("mds2", "validate", str(broken), "--format", "json")
    assert code == 1
    assert json.loads(out)["errors"] >= 1
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    code, _, err = run("mds2", "validate", str(garbage))
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    code, _, err = run("mds2", "validate", str(tmp_path / "missing.xlsx"))
    assert code == 2 and "missing.xlsx" in err


def test_diff_and_compare_outputs(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(synthetic_json(1))
    b.write_bytes(synthetic_json(2))
    code, out, _ = run("mds2", "diff", str(a), str(b), "--format", "json")
    assert code == 0
    assert "changes" in json.loads(out)
    code, out, _ = run("mds2", "compare", str(a), str(b), "--format", "json")
    assert code == 0
    assert json.loads(out)["labels"] == ["a.json", "b.json"]
    out_xlsx = tmp_path / "cmp.xlsx"
    assert run("mds2", "compare", str(a), str(b), "--format", "xlsx", "-o", str(out_xlsx))[0] == 0
    assert out_xlsx.read_bytes()[:2] == b"PK"
    code, _, err = run("mds2", "compare", str(a), str(b), "--format", "docx")
    assert code == 2 and "docx" in err


@pytest.mark.parametrize(
    "payload",
    [b"\x00\x01\x02" * 1000, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, b"PK\x03\x04"],
)
def test_real_process_prints_one_line_and_no_traceback(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(payload)
    done = subprocess.run(
        [sys.executable, "-m", "medtrust", "mds2", "convert", str(path), "--to", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
