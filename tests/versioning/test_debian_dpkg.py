"""Differential test against ``dpkg --compare-versions`` when dpkg is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, assume, given, settings

from medtrust.versioning.debian import DebianScheme
from tests.versioning.strategies import debian_versions

DPKG = shutil.which("dpkg")
SCHEME = DebianScheme()

pytestmark = pytest.mark.skipif(DPKG is None, reason="dpkg is not installed")


def _dpkg(a: str, b: str) -> int:
    assert DPKG is not None
    for op, result in (("lt", -1), ("eq", 0)):
        done = subprocess.run([DPKG, "--compare-versions", a, op, b], capture_output=True)
        if done.returncode == 0:
            return result
    return 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(debian_versions(), debian_versions())
def test_compare_agrees_with_dpkg(a: str, b: str) -> None:
    assume(SCHEME.is_valid(a) and SCHEME.is_valid(b))
    assert SCHEME.compare(a, b) == _dpkg(a, b)
