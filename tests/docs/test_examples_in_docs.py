"""The code in the README and the first pages of the docs runs, and prints what its comments say.

Each page's ```python blocks run in order in one namespace (a fresh default graph per page, in a
scratch directory). A `print(...)  # 24.0` line must print numbers equal to those of its comment
(`# True` must print True); comments in words (`# loss near 0`) are not checked.
"""

import builtins
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.viz import dot_available

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["README.md", "docs/index.md", "docs/getting-started.md", "docs/guide/nn.md",
         "docs/guide/training.md", "docs/guide/profiling.md",
         "docs/guide/from-tf1.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PRINT_WITH_VALUE = re.compile(r"^\s*print\(.*\)\s*#\s*(?P<value>([-\[\(\d]|True\b|False\b).*)$")
NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def blocks(page: str) -> list[str]:
    return BLOCK.findall((ROOT / page).read_text())


def expected_prints(code: str) -> dict[int, str]:
    """Line number (1-based) -> the value its print's comment promises."""
    found = {}
    for i, line in enumerate(code.splitlines(), 1):
        match = PRINT_WITH_VALUE.match(line)
        if match:
            found[i] = match["value"].strip()
    return found


def numbers(text: str) -> list[float]:
    return [float(x) for x in NUMBER.findall(text)]


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run_and_print_what_they_say(page, tmp_path, monkeypatch):
    codes = blocks(page)
    assert codes, f"{page} has no python example"
    if not dot_available() and any("viz.render(" in code for code in codes):
        pytest.skip(f"{page} draws a picture and graphviz's `dot` is not installed")
    monkeypatch.chdir(tmp_path)  # examples may write pictures or checkpoints
    tf.reset_default_graph()
    namespace: dict = {"__name__": "__docs__"}
    checked = 0
    for index, code in enumerate(codes):
        filename = f"<{page} example {index + 1}>"
        printed: dict[int, str] = {}

        def recording_print(*args, sep=" ", end="\n", file=None, flush=False,
                            filename=filename, printed=printed):
            frame = sys._getframe(1)
            if frame.f_code.co_filename == filename:
                printed[frame.f_lineno] = sep.join(str(a) for a in args)

        monkeypatch.setattr(builtins, "print", recording_print)
        exec(compile(code, filename, "exec"), namespace)  # noqa: S102 - the docs' own code
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        for line, value in expected_prints(code).items():
            assert line in printed, f"{filename} line {line} printed nothing"
            if value.split()[0] in ("True", "False"):
                assert printed[line] == value.split()[0], (filename, line, printed[line])
                checked += 1
                continue
            got, want = numbers(printed[line]), numbers(value)
            assert len(got) == len(want) and np.allclose(got, want, rtol=1e-4, atol=1e-6), (
                f"{filename} line {line}: the comment says {value!r}, it printed "
                f"{printed[line]!r}")
            checked += 1
    if page == "docs/getting-started.md":
        assert checked >= 1  # the 24.0 that once read 12.0
