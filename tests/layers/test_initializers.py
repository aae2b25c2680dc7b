"""Initialisers: TF1's formulas for the bounds and variances, graph ops with TF1's seed rules."""

import math

import numpy as np
import pytest

import graphflow as tf
from graphflow import initializers as init
from graphflow.contrib import layers as contrib


def value(initializer, shape, dtype=tf.float32):
    t = initializer(shape, dtype=dtype)
    assert isinstance(t, tf.Tensor)
    with tf.Session() as sess:
        return sess.run(t)


def test_zeros_ones_and_constant_fill_the_shape_in_the_asked_dtype():
    np.testing.assert_array_equal(value(tf.zeros_initializer(), [2, 3]), np.zeros((2, 3)))
    ones = value(tf.ones_initializer(), [4], tf.int32)
    assert ones.dtype == np.int32 and ones.tolist() == [1, 1, 1, 1]
    np.testing.assert_array_equal(value(tf.constant_initializer(2.5), [2, 2]), np.full((2, 2), 2.5))


def test_constant_initializer_reshapes_an_array_of_the_right_size_only():
    got = value(tf.constant_initializer([1, 2, 3, 4, 5, 6]), [2, 3])
    np.testing.assert_array_equal(got, [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="4 values cannot fill shape"):
        tf.constant_initializer([1, 2, 3, 4])([3, 3])


@pytest.mark.parametrize("shape,fans", [([], (1, 1)), ([7], (7, 7)), ([30, 20], (30, 20)),
                                        ([5, 5, 3, 16], (75, 400))])
def test_fans_are_tfs_for_dense_and_conv_kernels(shape, fans):
    assert init.compute_fans(shape) == fans


def test_glorot_uniform_stays_within_its_limit_with_the_uniform_variance():
    limit = math.sqrt(6 / (300 + 200))
    w = value(tf.glorot_uniform_initializer(seed=1), [300, 200])
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.99 * limit
    assert w.var() == pytest.approx(limit**2 / 3, rel=0.03)


def test_he_normal_has_variance_two_over_fan_in_despite_the_truncation():
    """TF's he_normal is truncated at 2 stddev and rescaled by 1/0.8796 to keep 2/fan_in."""
    w = value(init.he_normal(seed=3), [400, 300])
    assert w.var() == pytest.approx(2 / 400, rel=0.03)
    raw = math.sqrt(2 / 400) / init.TRUNCATED_STDDEV
    assert np.abs(w).max() <= 2 * raw
    assert np.abs(w).max() > 1.95 * raw


def test_plain_truncated_normal_draws_what_it_says_without_correction():
    w = value(tf.truncated_normal_initializer(stddev=0.1, seed=2), [200, 200])
    assert np.abs(w).max() <= 0.2
    assert w.std() == pytest.approx(0.1 * init.TRUNCATED_STDDEV, rel=0.03)
    n = value(tf.random_normal_initializer(mean=1.0, stddev=0.5, seed=2), [200, 200])
    assert n.mean() == pytest.approx(1.0, abs=0.01) and n.std() == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize("mode,n", [("fan_in", 50), ("fan_out", 200), ("fan_avg", 125)])
def test_variance_scaling_modes_and_distributions(mode, n):
    for distribution in ("truncated_normal", "untruncated_normal", "uniform"):
        vs = tf.variance_scaling_initializer(3.0, mode, distribution, seed=5)
        w = value(vs, [50, 200])
        assert w.var() == pytest.approx(3.0 / n, rel=0.05), distribution
    limit = math.sqrt(3 * 3.0 / n)
    assert np.abs(value(tf.variance_scaling_initializer(3.0, mode, "uniform"), [50, 200])).max() \
        <= limit


def test_he_uniform_glorot_normal_and_xavier_names():
    assert np.abs(value(init.he_uniform(), [60, 10])).max() <= math.sqrt(6 / 60)
    assert value(init.glorot_normal(seed=0), [300, 300]).var() == pytest.approx(1 / 300, rel=0.05)
    assert isinstance(init.xavier_initializer(), init.GlorotUniform)
    assert isinstance(init.xavier_initializer(uniform=False), init.GlorotNormal)
    assert isinstance(contrib.xavier_initializer(seed=1), init.GlorotUniform)


def test_contrib_variance_scaling_uses_its_own_1_3_factor():
    w = value(contrib.variance_scaling_initializer(seed=4), [500, 100])
    assert np.abs(w).max() <= 2 * math.sqrt(1.3 * 2 / 500)
    u = value(contrib.variance_scaling_initializer(uniform=True, mode="FAN_AVG"), [500, 100])
    assert np.abs(u).max() <= math.sqrt(3 * 2 / 300)


def test_op_seeds_repeat_across_graphs_and_graph_seeds_apply():
    first = value(init.glorot_uniform(seed=11), [5, 5])
    tf.reset_default_graph()
    assert np.array_equal(first, value(init.glorot_uniform(seed=11), [5, 5]))
    tf.reset_default_graph()
    tf.set_random_seed(9)
    a = init.he_normal()([4, 4])
    with tf.Session() as s1, tf.Session() as s2:
        np.testing.assert_array_equal(s1.run(a), s2.run(a))


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="Invalid `mode`"):
        tf.variance_scaling_initializer(mode="fan_sideways")
    with pytest.raises(ValueError, match="scale"):
        tf.variance_scaling_initializer(scale=0.0)
    with pytest.raises(ValueError, match="int32 is not one"):
        init.he_normal()([3, 3], dtype=tf.int32)
    with pytest.raises(ValueError, match="fully known shape"):
        tf.zeros_initializer()([None, 3])


def test_get_resolves_names_classes_and_instances():
    assert isinstance(init.get("he_normal"), init.HeNormal)
    assert isinstance(init.get(init.Zeros), init.Zeros)
    he = init.HeUniform(seed=1)
    assert init.get(he) is he and init.get(None) is None
    with pytest.raises(ValueError, match="Unknown initializer 'nope'"):
        init.get("nope")
    assert repr(init.he_normal(seed=1)) == "HeNormal(seed=1)"
