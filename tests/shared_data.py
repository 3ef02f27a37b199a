"""Access to the real public data in ../shared/data (never copied into this repository).

A test that needs a file calls :func:`shared_file`. When the shared folder is absent the test is
skipped with the reason, except on CI (``CI=true``) where a missing file is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The shared data directory: $MEDTRUST_SHARED_DATA or ../shared/data beside the repo."""
    override = os.environ.get("MEDTRUST_SHARED_DATA")
    if override:
        return Path(override)
    return REPO_ROOT.parent / "shared" / "data"


def shared_file(relative: str) -> Path:
    """Return the path of a shared data file, skipping (or failing on CI) when it is absent."""
    path = shared_data_dir() / relative
    if not path.exists():
        reason = f"shared data file not found: {path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: shared data is required)")
        pytest.skip(reason)
    return path
