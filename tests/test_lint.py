"""The code base stays ruff-clean (the rules are in pyproject.toml)."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ruff():
    exe = shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")
    return exe


@pytest.mark.skipif(_ruff() is None, reason="ruff is not installed (pip install .[dev])")
def test_ruff_is_clean():
    if not os.path.exists(os.path.join(ROOT, "pyproject.toml")):
        pytest.skip("not running from a source checkout")
    result = subprocess.run([_ruff(), "check", "graphflow", "tests", "bench", "examples",
                             "scripts"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
