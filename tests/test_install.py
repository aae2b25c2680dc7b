"""The installed package carries a compiled extension, linked with OpenMP, built from the current
sources; python started in the repository root imports it too."""

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graphflow._ext import runloop


def test_runloop_is_a_compiled_extension():
    assert runloop.__file__.endswith(".so"), runloop.__file__


def test_openmp_reports_threads():
    assert runloop.openmp_max_threads() >= 1


def test_openmp_parallel_sum_is_right():
    values = np.arange(100_000, dtype=np.float64)
    assert runloop.openmp_parallel_sum(values) == values.sum()
    assert runloop.openmp_parallel_sum(np.zeros(0)) == 0.0
    assert runloop.openmp_parallel_sum(np.array([1.5])) == 1.5


def test_importing_graphflow_loads_the_extension():
    import graphflow as tf

    assert tf._ext.runloop is runloop


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (ROOT / "ext").is_dir(), reason="not a source checkout (no ext/)")
def test_every_extension_module_is_built_from_the_current_sources():
    """Each ext/NAME.pyx is compiled, and not older than its sources (scripts/setup.sh rebuilds
    what changed): the tests never run a stale extension."""
    for pyx in sorted((ROOT / "ext").glob("*.pyx")):
        module = importlib.import_module(f"graphflow._ext.{pyx.stem}")
        assert module.__file__.endswith(".so"), module.__file__
        sources = [pyx, *(ROOT / "ext" / pyx.stem).glob("*")]
        newest = max(p.stat().st_mtime for p in sources if p.is_file())
        assert Path(module.__file__).stat().st_mtime >= newest, (
            f"{module.__file__} is older than its sources in ext/: run `bash scripts/setup.sh`")


@pytest.mark.skipif(not (ROOT / "graphflow").is_dir(), reason="not a source checkout")
def test_python_started_in_the_repository_root_imports_graphflow_and_runs_a_graph():
    script = ("import graphflow as tf, graphflow._ext.runloop as r\n"
              "x = tf.placeholder(tf.float32, [2])\n"
              "print(tf.__file__, r.__file__)\n"
              "print(tf.Session().run(x * 2 + 1, {x: [1.0, 2.0]}).tolist())\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    package, extension = done.stdout.splitlines()[0].split()
    assert Path(package).parent == ROOT / "graphflow"  # the source tree is what imports here
    assert extension.endswith(".so")
    assert done.stdout.splitlines()[1] == "[3.0, 5.0]"
