"""The examples reproduce the numbers the course material reports (SEEDS.md section 3.1)."""

import os
import subprocess
import sys

import numpy as np
import pytest

from .conftest import EXAMPLES


def test_toy_quadratic_reaches_tf1s_float32_result(example):
    toy = example("toy_quadratic")
    assert toy.constant_coefficients() == pytest.approx(4.9999886, abs=2e-6)
    assert toy.fed_coefficients() == pytest.approx(4.9999886, abs=2e-6)


def test_toy_quadratic_runs_as_a_script():
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "toy_quadratic.py")],
                         capture_output=True, text=True, check=True, timeout=300)
    assert "w = 4.99998" in out.stdout


def test_planar_flower_prints_the_course_costs(example):
    costs, accuracy = example("planar_flower").train(verbose=False)
    expected = [0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504]
    np.testing.assert_allclose(costs[:8], expected, atol=1e-6)
    np.testing.assert_allclose(costs[8:], [0.219471, 0.218612], atol=1e-3)
    assert accuracy == pytest.approx(0.9075)


@pytest.mark.parametrize("seed,first,last", [(0, 138.0, 18.3), (1, 131.8, 15.2),
                                             (2, 129.8, 16.2)])
def test_miniflow_regression_loss_falls_as_miniflow_prints(example, seed, first, last):
    history = example("miniflow_regression").train(seed=seed, verbose=False)
    assert history[0] == pytest.approx(first, abs=0.05)
    assert history[-1] == pytest.approx(last, abs=0.05)


def test_logistic_regression_starts_at_ln2_and_learns(example):
    first, last, accuracy = example("logistic_regression").train(verbose=False)
    assert first == pytest.approx(np.log(2), rel=1e-6)
    assert last < 0.1
    assert accuracy >= 0.97


def test_digits_mlp_demo_reaches_95_percent_and_restores_identically(example, tmp_path):
    accuracy, restored = example("digits_mlp").train(checkpoint_dir=str(tmp_path),
                                                     verbose=False)
    assert accuracy >= 0.95
    assert restored == accuracy
    assert os.path.exists(tmp_path / "checkpoint")


MOONS_COSTS = {  # epoch 0 and 1000, from the course's code (TF1 Adam for "adam")
    "gd": (0.702405, 0.668101),
    "momentum": (0.702413, 0.668167),
    "adam": (0.702166, 0.167845),
}


@pytest.mark.parametrize("kind", ["gd", "momentum", "adam"])
def test_optimizers_on_moons_match_the_course_costs(example, kind):
    costs, _ = example("optimizers_moons").train(kind, epochs=1001, verbose=False)
    np.testing.assert_allclose([costs[0], costs[1000]], MOONS_COSTS[kind], atol=1e-5)


def test_optimizers_on_moons_reach_the_course_accuracies(example):
    moons = example("optimizers_moons")
    accuracies = {k: moons.train(k, verbose=False)[1] for k in ("gd", "momentum", "adam")}
    assert accuracies == pytest.approx({"gd": 0.7967, "momentum": 0.7967, "adam": 0.94},
                                       abs=5e-5)
