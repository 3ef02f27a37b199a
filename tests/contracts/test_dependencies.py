"""Every third-party module the package imports at run time is a declared runtime dependency.

Test-only extras (pytest, hypothesis, playwright) pull in packages such as ``packaging``; a
runtime import that only works because of them breaks ``pip install .`` on a fresh machine.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        assert match, requirement
        names.add(match.group(0).lower().replace("_", "-"))
    return names


def _imported_top_level() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "medtrust").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"medtrust", "__future__"}


def test_runtime_imports_are_declared_dependencies() -> None:
    declared = _declared()
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(_imported_top_level()):
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not owners & declared:
            undeclared[module] = sorted(owners)
    assert undeclared == {}, f"imported but not in [project].dependencies: {undeclared}"
