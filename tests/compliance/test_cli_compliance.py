from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from medtrust.cli import catalog, compliance
from tests.shared_data import shared_file

app = typer.Typer()
app.add_typer(catalog.app, name="catalog")
app.add_typer(compliance.assess_app, name="assess")
app.command("applicability")(compliance.applicability)
runner = CliRunner()
NEMA = "mds2/nema-example-mds2-2019.xlsx"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_catalog_list_show_and_map() -> None:
    code, out, _ = run("catalog", "list", "--format", "json")
    assert code == 0
    ids = [f["id"] for f in json.loads(out)["frameworks"]]
    assert {"mdr", "cra", "mds2-2019"} <= set(ids) and ids == sorted(ids)
    code, out, _ = run("catalog", "show", "urn:medtrust:framework:mdr")
    assert code == 0 and "18.8" in out
    code, out, _ = run("catalog", "show", "urn:medtrust:req:mdr:annex-i:17.2", "--format", "json")
    assert code == 0 and json.loads(out)["ref_id"] == "17.2"
    code, out, _ = run(
        "catalog", "map", "urn:medtrust:req:mds2-2019:AUTH-1", "--to", "mdr", "--format", "json"
    )
    result = json.loads(out)["results"][0]
    assert code == 0 and result["target"] == "urn:medtrust:req:mdr:annex-i:18.8"
    assert len(result["path"]) == 2


def test_catalog_show_unknown_is_exit_2_with_one_line() -> None:
    code, out, err = run("catalog", "show", "urn:medtrust:req:mdr:annex-i:99")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "unknown requirement node" in err


def test_oscal_export_then_import_through_the_cli(tmp_path: Path) -> None:
    exported = tmp_path / "cra.json"
    code, _, _ = run("catalog", "export-oscal", "cra", "-o", str(exported))
    assert code == 0 and json.loads(exported.read_text())["catalog"]["metadata"]["oscal-version"]
    converted = tmp_path / "cra.yaml"
    code, _, err = run(
        "catalog", "import-oscal", str(exported), "--id", "cra-copy", "-o", str(converted)
    )
    assert code == 0, err
    assert "valid OSCAL catalog" in err or converted.exists()
    assert "kind: medtrust-framework" in converted.read_text()
    code, out, _ = run("catalog", "export-oscal", "iec-tr-80001-2-2-to-mdr")
    assert code == 0 and "mapping-collection" in json.loads(out)


def test_import_of_invalid_oscal_exits_2_naming_file_and_element(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"catalog": {"uuid": "x", "metadata": {}}}))
    code, out, err = run("catalog", "import-oscal", str(bad))
    assert code == 2 and out == ""
    assert err.startswith("error: bad.json: catalog.uuid:")
    assert err.strip().count("\n") == 0


def test_applicability_command(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "product:\n  medical_device: false\n  digital_elements: true\n  eu_market: true\n"
    )
    code, out, _ = run("applicability", str(facts), "--format", "json")
    assert code == 0
    assert json.loads(out)["applicable"] == ["cra"]
    code, out, _ = run("applicability", str(facts))
    assert "cra: APPLIES" in out and "mdr: DOES-NOT-APPLY" in out
    facts.write_text("product:\n  colour: blue\n")
    code, _, err = run("applicability", str(facts))
    assert code == 2 and "facts.yaml: product.colour: unknown fact" in err


@pytest.mark.shared_data
def test_assess_product_formats(tmp_path: Path) -> None:
    form = str(shared_file(NEMA))
    code, out, err = run(
        "assess",
        "product",
        "--mds2",
        form,
        "--framework",
        "mdr",
        "--format",
        "json",
        "--as-of",
        "2026-11-21",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["frameworks"] == ["mdr"] and report["as_of"] == "2026-11-21"
    access = next(r for r in report["results"] if r["ref_id"] == "18.8")
    assert any(
        c["evidence"]["id"] == "mds2:PLOK-2" and "iec-tr-80001-2-2-to-mdr" in c["path"]
        for c in access["contributions"]
    )
    code, out, _ = run("assess", "product", "--mds2", form)
    assert code == 0 and "[PARTLY] MDR Annex I 18.8" in out and "via MDS2 PLOK-2 -[subset]->" in out
    target = tmp_path / "gaps.xlsx"
    code, _, _ = run("assess", "product", "--mds2", form, "--format", "xlsx", "-o", str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Requirements", "Evidence paths", "Gaps", "Evidence"]
    rows = list(book["Requirements"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report["results"])
    pdf = tmp_path / "gaps.pdf"
    code, _, _ = run("assess", "product", "--mds2", form, "--format", "pdf", "-o", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_assess_product_usage_errors(tmp_path: Path) -> None:
    decl = tmp_path / "d.yaml"
    decl.write_text("processes: []\n")
    code, _, err = run("assess", "product", "--declarations", str(decl), "--framework", "mdd")
    assert code == 2 and "unknown framework 'mdd'" in err
    code, _, err = run("assess", "product", "--declarations", str(decl), "--format", "docx")
    assert code == 2 and "unknown report format" in err
    code, _, err = run("assess", "product")
    assert code == 2 and "give at least one of" in err
    code, _, err = run("assess", "product", "--mds2", str(tmp_path / "missing.xlsx"))
    assert code == 2 and "missing.xlsx" in err


def test_commands_are_registered_in_the_main_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "medtrust", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for command in ("catalog", "applicability", "assess"):
        assert command in done.stdout
