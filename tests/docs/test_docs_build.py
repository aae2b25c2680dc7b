"""The documentation site builds with `mkdocs build --strict`: broken links and references fail."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None
                    or importlib.util.find_spec("mkdocstrings") is None,
                    reason="mkdocs/mkdocstrings are not installed (pip install -e '.[docs]')")
def test_docs_build_strict(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    api = (tmp_path / "site" / "api" / "session" / "index.html").read_text()
    assert "graphflow.session.Session" in api  # the reference really comes from the docstrings
    assert (tmp_path / "site" / "images" / "digits_mlp.svg").exists()
