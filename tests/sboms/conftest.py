"""A knowledge base for the SBOM tests, pointed at through ``MEDTRUST_KB_DIR``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sboms.helpers import build_kb


@pytest.fixture(scope="session")
def tiny_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KB built once per session from one real OSV record."""
    return build_kb(tmp_path_factory.mktemp("sbom-kb") / "kb")


@pytest.fixture
def kb_env(tiny_kb: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the service at the tiny KB."""
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(tiny_kb))
    return tiny_kb
