"""The benchmark harness runs, checks results against NumPy, and reports ratios (no timings
are asserted: they belong in docs/performance.md, not in tests)."""

import json

import numpy as np
import pytest

from graphflow.bench import main
from graphflow.bench.report import format_table
from graphflow.bench.timing import measure
from graphflow.bench.workloads import Row, w2_elementwise


def test_measure_returns_a_positive_median():
    assert measure(lambda: np.ones(10).sum(), min_time=0.001, repeats=3) > 0


def test_table_reports_ratios_to_the_numpy_baseline():
    rows = [Row("W9 toy", "numpy", 2e-6), Row("W9 toy", "graphflow/cpu", 4e-6)]
    text = format_table(rows)
    assert "2.00" in text and "graphflow/cpu" in text and "4.00 us" in text


def test_a_workload_checks_graphflow_against_numpy_before_timing():
    rows = w2_elementwise(["reference"], n=1000)
    assert [r.variant for r in rows] == ["numpy", "graphflow/reference"]


def test_main_writes_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["W1", "--executors", "reference", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["meta"]["cores"] >= 1
    assert {r["workload"] for r in data["rows"]} >= {"W1 run", "W1 make_callable"}
    assert "x NumPy" in capsys.readouterr().out


def test_unknown_workload_is_an_error():
    with pytest.raises(SystemExit):
        main(["W42"])


def test_peer_rows_are_checked_and_skipped_when_missing():
    from graphflow.bench.peers import torch_rows

    pytest.importorskip("torch", reason="PyTorch is an optional peer (pip install .[bench])")
    rows = torch_rows("W1") + torch_rows("W3")
    assert [r.variant for r in rows] == ["pytorch eager", "pytorch eager"]
    assert all(r.seconds > 0 for r in rows)


@pytest.mark.parametrize("module", ["jax", "tensorflow", "pytensor"])
def test_graph_mode_peers_are_checked_when_installed(module):
    pytest.importorskip(module, reason=f"{module} is an optional peer (pip install .[bench])")
    from graphflow.bench.peers_graph import jax_rows, pytensor_rows, tf1_rows

    rows = {"jax": jax_rows, "tensorflow": tf1_rows, "pytensor": pytensor_rows}[module]("W1")
    assert len(rows) == 1 and rows[0].seconds > 0


def test_pytensor_runs_the_mlp_step_checked_against_numpy():
    pytest.importorskip("pytensor", reason="PyTensor is an optional peer (pip install .[bench])")
    from graphflow.bench.peers_graph import pytensor_rows

    rows = pytensor_rows("W3")  # raises if its first loss disagrees with the NumPy baseline
    assert [(r.workload, r.variant) for r in rows] == [("W3 MLP step", "pytensor function")]
    assert pytensor_rows("W4") == []  # no 2-D convolution op in PyTensor: no row, not a failure


def test_a_missing_peer_gives_no_rows(monkeypatch):
    from graphflow.bench import peers_graph

    monkeypatch.setattr(peers_graph, "_import", lambda name: None)
    assert peers_graph.pytensor_rows("W1") == [] and peers_graph.jax_rows("W1") == []


def test_the_w5_curve_times_every_phase_of_each_chain(capsys):
    from graphflow.bench.scaling import PHASES, chain_phases

    phases = chain_phases(30, "reference")
    assert phases["nodes"] > 60  # the chain, its constants and its gradient
    assert all(phases[p] > 0 and 0 <= phases[f"gc {p}"] <= phases[p] for p in PHASES)
    assert main(["--curve", "--curve-lengths", "20,40", "--executors", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "first run" in out and "us/node" in out
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["20", "40"]


def test_variants_timed_together_keep_their_names_and_order():
    from graphflow.bench.timing import measure_together

    times = measure_together({"small": lambda: np.ones(10).sum(),
                              "large": lambda: np.ones(100_000).sum()}, min_time=0.001, repeats=3)
    assert list(times) == ["small", "large"]
    assert 0 < times["small"] < times["large"]
