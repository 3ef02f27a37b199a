"""Commands load on use: ``medtrust scan`` imports the scan command, not the service layer.

Each check runs ``medtrust`` in a fresh interpreter (``sys.modules`` is the evidence).
"""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from medtrust.cli.main import COMMANDS, app, load_command

_PROBE = """
import atexit, json, sys
def report():
    loaded = [m for m in sys.modules if m.startswith(("medtrust.cli.", "medtrust.services",
              "medtrust.web", "medtrust.api", "medtrust.mds2", "sqlalchemy"))]
    sys.stderr.write("LOADED " + json.dumps(sorted(loaded)) + "\\n")
atexit.register(report)
from medtrust.cli.main import main
sys.argv = ["medtrust", *sys.argv[1:]]
main()
"""


def _loaded(*args: str) -> tuple[int, str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED "))
    return done.returncode, done.stdout, json.loads(line.removeprefix("LOADED "))


def test_scan_loads_only_what_scan_needs() -> None:
    code, out, loaded = _loaded("scan", "--help")
    assert code == 0 and "--vex" in out
    assert loaded == ["medtrust.cli.common", "medtrust.cli.main", "medtrust.cli.scan"]


def test_version_loads_no_command() -> None:
    code, out, loaded = _loaded("--version")
    assert code == 0 and out.strip()
    assert loaded == ["medtrust.cli.main"]


def test_help_lists_every_command_in_registry_order() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    rows = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("│ ")]
    listed = [name for name in rows if name in COMMANDS]
    assert listed == list(COMMANDS)


def test_every_registered_command_loads_under_its_name() -> None:
    for name, target in COMMANDS.items():
        command = load_command(name, target)
        assert command.name == name
        assert command.help or command.callback is not None


def test_feeds_update_is_mounted_lazily() -> None:
    code, out, loaded = _loaded("feeds", "status", "--help")
    assert code == 0 and "--kb-dir" in out
    assert "medtrust.cli.feeds_update" not in loaded
    code, out, loaded = _loaded("feeds", "--help")  # listing the group names each command
    assert code == 0 and "update" in out
    code, out, loaded = _loaded("feeds", "update", "--help")
    assert code == 0 and "medtrust.cli.feeds_update" in loaded
