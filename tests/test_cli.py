"""The `graphflow` command, through `main([...])` and through the installed console script."""

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import graphflow as tf
from graphflow.cli import main
from graphflow.io.graph_json import export_meta_graph
from graphflow.viz import dot_available


@pytest.fixture
def saved_graph(tmp_path):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(np.ones((4, 2), np.float32), name="w")
        y = tf.matmul(x, w)
    tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y))
    path = tmp_path / "model.meta.json"
    export_meta_graph(str(path))
    return path


@pytest.fixture
def thread_env(monkeypatch):
    """`info` applies the thread policy like an executor does: the default is applied again
    after the test, once its environment is undone."""
    from graphflow.threads import apply_thread_policy

    yield monkeypatch
    monkeypatch.undo()
    apply_thread_policy()


def test_info_lists_version_executors_and_threads(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert tf.__version__ in out
    assert "reference" in out and "available" in out
    assert "openmp threads" in out and "GRAPHFLOW_NUM_THREADS" in out
    assert "numpy" in out and "blas" in out
    assert "thread policy" in out


def test_info_names_the_blas_library_and_its_threads(capsys, thread_env):
    from threadpoolctl import threadpool_info

    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    if not blas:
        pytest.skip("threadpoolctl finds no BLAS library in this process")
    thread_env.setenv("GRAPHFLOW_NUM_THREADS", "1")
    assert main(["info"]) == 0
    pairs = [re.split(r"\s{2,}", line, maxsplit=1)
             for line in capsys.readouterr().out.splitlines()
             if re.search(r"\S\s{2,}\S", line) and not line.startswith(" ")]
    rows = dict(pairs)
    libraries = [value for key, value in pairs if key == "blas library"]
    assert len(libraries) == len(blas)  # NumPy's, and SciPy's once SciPy is loaded
    for lib in blas:
        layer = f", threading layer {lib['threading_layer']}" if lib.get("threading_layer") else ""
        assert f"{lib['internal_api']} {lib['version'] or ''}{layer} ({lib['filepath']})" \
            in libraries
    assert {value for key, value in pairs if key == "blas threads"} == {"1"}
    assert rows["openmp threads"].startswith("1 ")
    assert "GRAPHFLOW_NUM_THREADS=1 sets both" in rows["thread policy"]


@pytest.mark.parametrize("chosen", [None, "reference"])
def test_info_names_the_default_executor(capsys, monkeypatch, chosen):
    import graphflow.session

    expected = chosen or os.environ.get("GRAPHFLOW_EXECUTOR", "cpu")
    monkeypatch.setattr(graphflow.session, "DEFAULT_EXECUTOR", expected)  # read at import
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^default executor +{expected} \(GRAPHFLOW_EXECUTOR", out, re.M), out
    assert main(["info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["default_executor"] == expected


def test_info_json(capsys, thread_env):
    thread_env.setenv("GRAPHFLOW_NUM_THREADS", "3")
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["graphflow"] == tf.__version__
    assert info["executors"]["reference"] == {"available": True, "reason": ""}
    assert info["openmp"]["max_threads"] == 3 and info["openmp"]["parallel_sum_ok"]
    assert info["environment"]["GRAPHFLOW_NUM_THREADS"] == "3"
    assert info["threads"]["openmp"] == 3 and info["threads"]["blas"] == 3
    for lib in info["threads"]["blas_libraries"]:
        assert lib["threads"] == 3 and lib["name"]


def test_draw_to_stdout_is_dot_text(saved_graph, capsys):
    assert main(["draw", str(saved_graph), "--collapse", "gradients"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph graphflow {")
    assert '"gradients/" [label="gradients' in out
    assert '"x" -> "layer/MatMul" [label="float32[?,4]"];' in out


def test_draw_only_what_a_fetch_needs(saved_graph, capsys):
    assert main(["draw", str(saved_graph), "--fetch", "layer/MatMul:0"]) == 0
    out = capsys.readouterr().out
    assert '"layer/MatMul"' in out and "gradients" not in out


def test_draw_folds_training_by_default_and_expands_on_request(saved_graph, capsys):
    assert main(["draw", str(saved_graph)]) == 0
    out = capsys.readouterr().out
    assert '"gradients/" [' in out and '"GradientDescent/" [' in out
    assert '"gradients/layer/MatMul_grad/MatMul"' not in out
    assert main(["draw", str(saved_graph), "--expand-all"]) == 0
    assert '"gradients/layer/MatMul_grad/MatMul" [' in capsys.readouterr().out


def test_draw_collapse_of_an_unknown_scope_warns(saved_graph, capsys):
    assert main(["draw", str(saved_graph), "--collapse", "nosuchscope", "gradients"]) == 0
    captured = capsys.readouterr()
    assert "warning: collapse_scopes: no name scope matches 'nosuchscope'" in captured.err
    assert "layer" in captured.err  # the scopes there are
    assert '"gradients/" [' in captured.out


def test_draw_a_fetched_scope_or_an_unknown_name_without_a_traceback(saved_graph, capsys):
    assert main(["draw", str(saved_graph), "--fetch", "layer", "--expand-all"]) == 0
    out = capsys.readouterr().out
    assert '"layer/MatMul" [' in out and "gradients" not in out
    assert main(["draw", str(saved_graph), "--fetch", "nosuch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("graphflow draw: Cannot draw 'nosuch'") and "Traceback" not in err
    assert "layer" in err


@pytest.mark.skipif(not dot_available(), reason="graphviz's `dot` is not installed")
def test_draw_svg(saved_graph, tmp_path, capsys):
    out = tmp_path / "model.svg"
    assert main(["draw", str(saved_graph), "-o", str(out), "--collapse-all"]) == 0
    assert out.read_text().lstrip().startswith("<?xml") and "<svg" in out.read_text()
    assert "wrote" in capsys.readouterr().out


def test_draw_reports_unreadable_files(tmp_path, capsys):
    assert main(["draw", str(tmp_path / "missing.json")]) == 1
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["draw", str(bad)]) == 1
    assert "not a graphflow graph" in capsys.readouterr().err


def test_bench_runs_the_suite_or_says_it_is_missing(capsys, monkeypatch):
    import importlib.util

    if importlib.util.find_spec("graphflow.bench") is None:
        assert main(["bench"]) == 2
        assert "graphflow.bench" in capsys.readouterr().err
    else:  # the suite exists: hand it arguments through a stand-in so the test stays fast
        import graphflow.bench as bench

        seen = []
        monkeypatch.setattr(bench, "main", lambda args: seen.append(args) or 0)
        assert main(["bench", "--quick", "-x"]) == 0
        assert seen == [["--quick", "-x"]]


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "draw" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert tf.__version__ in capsys.readouterr().out


def console_script():
    from pathlib import Path

    beside = Path(sys.executable).with_name("graphflow")
    return str(beside) if beside.exists() else shutil.which("graphflow")


@pytest.mark.skipif(console_script() is None, reason="the `graphflow` console script is not "
                                                     "installed (pip install -e .)")
def test_installed_console_script(saved_graph):
    done = subprocess.run([console_script(), "info"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "executors:" in done.stdout
    done = subprocess.run([console_script(), "draw", str(saved_graph)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("digraph"), done.stderr


def test_the_info_example_in_the_docs_matches_what_info_prints(capsys):
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    example = page.split("$ graphflow info\n", 1)[1].split("```", 1)[0]

    def keys(text: str) -> list[str]:
        """The row names, up to the executors (which executors exist depends on the install)."""
        rows = text.split("executors:\n", 1)[0]
        return [re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
                for line in rows.splitlines() if line.strip()]

    assert main(["info"]) == 0
    printed = keys(capsys.readouterr().out)
    shown = keys(example)
    # The example may show fewer BLAS libraries than this process loads, never other rows.
    assert [k for k in printed if k not in ("blas library", "blas threads")] == \
        [k for k in shown if k not in ("blas library", "blas threads")]
    assert "default executor" in shown
