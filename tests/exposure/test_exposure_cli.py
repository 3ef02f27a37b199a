"""``medtrust exposure`` on a real ICSMA advisory (BD Alaris 8015, CVE-2016-9355) plus KEV."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from medtrust.cli import exposure
from medtrust.domain.product import ProductVersionRef
from medtrust.domain.tenancy import Role
from medtrust.exposure.exports import COLUMNS, item_document
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_views import WorklistQuery, worklist
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from tests.conftest import Account, make_account
from tests.exposure.helpers import VULN, build_kb, seed_assets

runner = CliRunner()
ORG = "CLI Clinic"


def _root() -> typer.Typer:
    root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)

    @root.callback()
    def _group() -> None:
        """medtrust (test root)."""

    root.add_typer(exposure.app, name="exposure")
    return root


APP = _root()


def run(*args: str) -> Result:
    return runner.invoke(APP, ["exposure", *args])


@dataclass(frozen=True)
class Env:
    ctx: ServiceContext
    editor: Account
    viewer: Account
    admin: Account


@pytest.fixture(scope="module")
def kev_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("kev-kb")
    return build_kb(work / "kb", work, kev=True)


def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: Path) -> Env:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("MEDTRUST_DATABASE_URL", url)
    monkeypatch.setenv("MEDTRUST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(kb))
    ctx = ServiceContext.create(Settings(data_dir=tmp_path, database_url=url))
    upgrade(ctx.engine)
    editor = make_account(ctx, org=ORG, role=Role.EDITOR)
    viewer = make_account(ctx, org=ORG, role=Role.VIEWER)
    admin = make_account(ctx, org=ORG, role=Role.ADMIN)
    monkeypatch.setenv("MEDTRUST_USER", editor.email)
    seed_assets(
        ctx,
        editor.principal,
        [
            ("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use"),
            ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
            ("P-3", "9.5", "diagnostic", "MED-INFUSION", "stored"),
            ("P-4", "10.0", "diagnostic", "Corporate LAN", "in-use"),
        ],
    )
    return Env(ctx, editor, viewer, admin)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kev_kb: Path) -> Env:
    return _env(tmp_path, monkeypatch, kev_kb)


def _one_line_error(result: Result, *, code: int, contains: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert contains in lines[0], lines[0]


def _decisions(result: Result) -> dict[tuple[str, ...], str]:
    """Asset tags -> decision of the advisory's vulnerability in a JSON worklist."""
    items = json.loads(result.stdout)["items"]
    return {
        tuple(i["asset_tags"]): i["decision"]
        for i in items
        if i["finding"]["vulnerability"] == VULN
    }


def test_json_evaluates_once_and_filters_by_priority(env: Env) -> None:
    first = run("--format", "json")
    assert first.exit_code == 0, first.output
    assert "exposure: evaluating CLI Clinic (never evaluated before)" in first.stderr
    assert "exposure: evaluated 2 product version(s)" in first.stderr
    document = json.loads(first.stdout)
    # the CLI's JSON is the service's worklist, item for item, in worklist order
    page = worklist(env.ctx, env.editor.principal, WorklistQuery(page_size=0), with_assets=True)
    assert document["items"] == json.loads(json.dumps([item_document(i) for i in page.items]))
    assert document["total"] == len(document["items"]) == page.total
    assert {i["decision"] for i in document["items"]} <= {"act", "attend"}
    assert _decisions(first) == {("P-1",): "act", ("P-2",): "attend", ("P-3",): "attend"}
    item = next(i for i in document["items"] if i["asset_tags"] == ["P-1"])
    assert item["decision_label"] == "Act" and item["rule"] == "active-open"
    assert item["finding"]["kev"] is True and item["finding"]["match_method"] == "csaf-product"
    assert item["product_version"]["version"] == "9.5"
    assert item["profile"]["network_zone"] == "Corporate LAN"
    assert [i["name"] for i in item["inputs"]][:4] == [
        "exploitation",
        "automatable",
        "exposure",
        "impact",
    ]
    assert item["explanation"].startswith("Act by rule active-open: ")

    act = run("--format", "json", "--priority", "act")
    assert act.exit_code == 0, act.output
    assert "evaluating" not in act.stderr  # evaluated already
    assert _decisions(act) == {("P-1",): "act"}
    attend = run("--format", "json", "--priority", " ATTEND, track* ")
    assert _decisions(attend) == {("P-2",): "attend", ("P-3",): "attend"}
    everything = run("--format", "json", "--priority", "all", "--no-evaluate")
    assert len(json.loads(everything.stdout)["items"]) >= len(document["items"])
    again = run("--format", "json", "--evaluate", "--priority", "act")
    assert again.exit_code == 0 and "exposure: evaluating CLI Clinic (requested)" in again.stderr
    assert _decisions(again) == {("P-1",): "act"}


def test_table_is_aligned_and_in_worklist_order(env: Env) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "decision",
        "vulnerability",
        "KEV",
        "EPSS",
        "CVSS",
        "product",
        "version",
        "component",
        "assets",
        "zone",
    ]
    rows = lines[1:-1]
    assert [r.split()[0] for r in rows] == ["Act", "Attend", "Attend"]
    assert all(VULN in r and "2024-05-01" in r for r in rows)
    # product version (manufacturer cut first, version kept) and component
    assert all(r.count("Alaris 8015 PC unit 9.5") == 2 for r in rows)
    assert len({r.index(VULN) for r in rows}) == 1  # aligned
    assert lines[-1].startswith("3 item(s) (Act, Attend); asset-vulnerability pairs: Act 1, ")


def test_xlsx_and_pdf_files(env: Env, tmp_path: Path) -> None:
    target = tmp_path / "worklist.xlsx"
    result = run("--format", "xlsx", "--output", str(target), "--priority", "all")
    assert result.exit_code == 0, result.output
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["worklist"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    listed = json.loads(run("--format", "json", "--priority", "all").stdout)["items"]
    vuln = [c.header for c in COLUMNS].index("Vulnerability")
    tags = [c.header for c in COLUMNS].index("Asset tags")
    assert [(r[vuln], r[tags]) for r in rows[1:]] == [
        (i["finding"]["vulnerability"], ", ".join(i["asset_tags"])) for i in listed
    ]
    pdf = tmp_path / "worklist.pdf"
    assert run("--format", "pdf", "-o", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    csv_out = run("--format", "csv")
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("\ufeffDecision,Vulnerability")


def test_bad_options_give_one_line_errors(env: Env) -> None:
    _one_line_error(run("--priority", "urgent"), code=2, contains="unknown priority 'urgent'")
    _one_line_error(run("--priority", ","), code=2, contains="--priority is empty")
    _one_line_error(run("--format", "docx"), code=2, contains="unknown format 'docx'")
    _one_line_error(run("--org", "Other Hospital"), code=2, contains="not 'Other Hospital'")
    _one_line_error(run("--user", "nobody@x.example"), code=2, contains="no active user")
    # a viewer cannot trigger the first evaluation
    _one_line_error(
        run("--user", env.viewer.email), code=2, contains="an editor runs 'medtrust exposure"
    )
    _one_line_error(
        run("--user", env.viewer.email, "--evaluate"), code=2, contains="needs the editor role"
    )


def test_missing_knowledge_base_names_the_feed_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-kb"
    empty.mkdir()
    _env(tmp_path, monkeypatch, empty)
    result = run("--format", "json")
    _one_line_error(result, code=3, contains="no knowledge base at")
    assert "medtrust feeds import" in result.stderr and "medtrust feeds update" in result.stderr
    assert result.stdout == ""
    # without evaluating, the (empty) worklist is shown
    assert json.loads(run("--format", "json", "--no-evaluate").stdout)["items"] == []


def test_settings_show_change_and_take_effect(env: Env) -> None:
    shown = run("settings")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines() == [
        "epss_poc: 0.1",
        "open_zones: (none)",
        "isolated_zones: (none)",
    ]
    _one_line_error(run("settings", "--epss-poc", "0.3"), code=2, contains="needs the admin role")
    _one_line_error(
        run("settings", "--user", env.admin.email, "--epss-poc", "2"),
        code=2,
        contains="epss_poc: Input should be less than or equal to 1",
    )
    _one_line_error(run("settings", "--format", "xml"), code=2, contains="unknown format 'xml'")
    changed = run(
        "--user",
        env.admin.email,
        "settings",
        "--open-zone",
        " med-infusion ",
        "--epss-poc",
        "0.3",
        "--format",
        "json",
    )
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.stdout) == {
        "epss_poc": 0.3,
        "open_zones": ["med-infusion"],
        "isolated_zones": [],
    }
    assert "settings saved" in changed.stderr
    # the zone now counts as open: the in-use unit in MED-INFUSION becomes Act
    after = run("--format", "json", "--priority", "act", "--evaluate")
    assert after.exit_code == 0, after.output
    assert _decisions(after) == {("P-1",): "act", ("P-2",): "act"}
    cleared = run("settings", "--user", env.admin.email, "--open-zone", "")
    assert cleared.stdout.splitlines()[1] == "open_zones: (none)"


@given(
    maker=st.text(min_size=1, max_size=60),
    product=st.text(min_size=1, max_size=60),
    version=st.text(min_size=1, max_size=12),
)
def test_version_label_fits_and_keeps_the_version(maker: str, product: str, version: str) -> None:
    limit = exposure._LIMITS["product version"]
    item = SimpleNamespace(product_version=ProductVersionRef(1, maker, product, version))
    label = exposure._version_label(item, limit)  # type: ignore[arg-type]
    assert len(label) <= limit
    assert label.endswith(version)
    if len(f"{maker} {product} {version}") <= limit:
        assert label == f"{maker} {product} {version}"
