"""SEEDS programs 4, 5, 7, 10 and 12: the numbers the course material prints (SEEDS.md 3.1)."""

import importlib.util
import math
import os

import numpy as np
import pytest

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def initialisations():
    """The full 15,000-step runs of x10 and He (about 2 s each on an idle 2-core VM, 6 s on the
    reference executor). Zeros is a fixed point from the first step (every gradient but the
    output bias's is 0, and that one cancels), so 3,000 steps show all of it."""
    path = os.path.join(EXAMPLES, "initialization_circles.py")
    spec = importlib.util.spec_from_file_location("examples_initialization_circles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    runs = {kind: module.train(kind, verbose=False) for kind in ("random", "he")}
    runs["zeros"] = module.train("zeros", steps=3000, verbose=False)
    return runs


@pytest.mark.slow
def test_zero_initialisation_never_leaves_ln2_and_guesses_one_class(initialisations):
    costs, train_acc, test_acc = initialisations["zeros"]
    # The course prints .6931471805599453 at every step (NumPy's pairwise sum); a sequential sum
    # of the 300 equal terms, or a bias gradient that cancels to 1e-19 rather than 0, moves the
    # last digit or two.
    assert len(costs) == 3
    assert all(c == pytest.approx(math.log(2), rel=2e-15) for c in costs.values())
    assert (train_acc, test_acc) == (0.5, 0.5)


@pytest.mark.slow
def test_large_random_initialisation_starts_at_inf_and_still_trains(initialisations):
    costs, train_acc, test_acc = initialisations["random"]
    assert costs[0] == math.inf
    assert all(np.isfinite(c) for step, c in costs.items() if step > 0)
    assert costs[14000] < costs[1000]
    assert train_acc == pytest.approx(249 / 300) and test_acc == pytest.approx(0.86)


@pytest.mark.slow
def test_he_initialisation_matches_the_course(initialisations):
    costs, train_acc, test_acc = initialisations["he"]
    assert costs[0] == pytest.approx(0.883053746341976, rel=1e-13)
    assert train_acc == pytest.approx(298 / 300) and test_acc == pytest.approx(0.96)
    assert f"{train_acc:.6f}" == "0.993333"


def test_unknown_initialisation_is_named(example):
    with pytest.raises(ValueError, match="'ones'.*'he'"):
        example("initialization_circles").train("ones", steps=1, verbose=False)


def test_gradient_check_one_dimensional(example):
    diff = example("gradient_check").one_dimensional()
    assert diff < 1e-7
    assert diff == pytest.approx(2.92e-10, rel=0.01)


@pytest.mark.parametrize("epsilon,expected", [(1e-4, 1.9e-10), (1e-5, 9.3e-10), (1e-6, 8.2e-9),
                                              (1e-7, 1.19e-7), (1e-8, 1.16e-6)])
def test_gradient_check_n_dimensional(example, epsilon, expected):
    """The differences are round-off at small epsilon, so they are checked to a few percent."""
    diff = example("gradient_check").n_dimensional(epsilon)
    assert diff == pytest.approx(expected, rel=0.03)
    assert (diff < 2e-7) == (epsilon >= 1e-7)


def test_gradient_check_flags_a_wrong_gradient(example):
    check = example("gradient_check")
    X, Y, theta = check.course_network()
    assert check.difference(theta, theta) == 0.0
    assert check.difference(2 * theta, theta) == pytest.approx(1 / 3)
    assert theta.size == 47 and X.shape == (4, 3) and Y.shape == (1, 3)


def test_perceptron_ends_where_the_course_does(example):
    W, b, correct = example("perceptron").train(verbose=False)
    np.testing.assert_allclose(W, [-0.32839088, -0.54584639], atol=5e-9)
    assert b == pytest.approx(0.38199394, abs=5e-9)
    assert -W[0] / W[1] == pytest.approx(-0.6016, abs=5e-5)
    assert -b / W[1] == pytest.approx(0.6998, abs=5e-5)
    assert correct == 91


def test_mnist_convnet_shapes_and_parameter_count(example):
    import graphflow as tf

    convnet = example("mnist_convnet")
    tf.reset_default_graph()
    net = convnet.build()
    shapes = {k: net[k].shape.as_list() for k in ("h1", "p1", "h2", "p2", "flat", "logits")}
    assert shapes == {"h1": [None, 28, 28, 32], "p1": [None, 14, 14, 32],
                      "h2": [None, 14, 14, 64], "p2": [None, 7, 7, 64], "flat": [None, 3136],
                      "logits": [None, 10]}
    assert convnet.parameter_count() == 3_274_634


def test_mnist_convnet_short_run_learns_the_digits(example):
    """10 Adam steps (5e-4) of 16 images, 200 test images: 0.125 -> 0.395 when recorded, on
    both executors (the default run, 300 steps of 50, reached 0.986)."""
    before, after, _ = example("mnist_convnet").train(steps=10, batch_size=16,
                                                      learning_rate=5e-4, test_size=200,
                                                      verbose=False)
    assert before < 0.2
    assert after > before + 0.15


def test_signs_convnet_shapes(example):
    import graphflow as tf

    tf.reset_default_graph()
    net = example("signs_convnet").build()
    shapes = [net[k].shape.as_list()[1:] for k in ("A1", "P1", "A2", "P2", "F", "Z3")]
    assert shapes == [[64, 64, 8], [8, 8, 8], [8, 8, 16], [2, 2, 16], [64], [6]]
    names = sorted(v.name for v in tf.trainable_variables())
    assert names == ["W1:0", "W2:0", "fully_connected/biases:0", "fully_connected/weights:0"]


def test_signs_convnet_learns_the_synthetic_signs(example):
    first, last, train_acc, _ = example("signs_convnet").train(epochs=4, n_train=256, n_test=60,
                                                               verbose=False)
    assert last < first
    assert train_acc > 0.5  # six classes: chance is 1/6
