"""bias_add, moments, batch_normalization and fused_batch_norm (training and inference)."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = ["reference", "cpu"]
RNG = np.random.default_rng(7)
X = RNG.standard_normal((2, 3, 4, 3)) * 2 + 1


def run(fetches, executor="reference", feed=None, **session):
    with tf.Session(executor=executor, **session) as sess:
        return sess.run(fetches, feed)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_bias_add_adds_along_the_last_axis_and_its_gradient_sums(executor):
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant([1.0, 2.0, 3.0])
    y = tf.nn.bias_add(x, b)
    gb = tf.gradients(y * 2.0, b)[0]
    value, grad = run([y, gb], executor, {x: np.zeros((4, 3), np.float32)})
    np.testing.assert_array_equal(value, np.tile([1, 2, 3], (4, 1)))
    np.testing.assert_array_equal(grad, [8, 8, 8])


def test_bias_add_needs_a_1d_bias_matching_the_channels():
    with pytest.raises(Exception, match="bias"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(Exception, match="at least 2"):
        tf.nn.bias_add(tf.zeros([3]), tf.zeros([3]))


@pytest.mark.parametrize("keep_dims", [False, True])
def test_moments_are_the_mean_and_biased_variance(keep_dims):
    mean, var = tf.nn.moments(tf.constant(X), axes=[0, 1, 2], keep_dims=keep_dims)
    m, v = run([mean, var])
    np.testing.assert_allclose(m, X.mean(axis=(0, 1, 2), keepdims=keep_dims), rtol=1e-12)
    np.testing.assert_allclose(v, X.var(axis=(0, 1, 2), keepdims=keep_dims), rtol=1e-12)


def test_batch_normalization_formula():
    scale, offset = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    mean, var = tf.nn.moments(tf.constant(X), axes=[0, 1, 2])
    y = tf.nn.batch_normalization(X, mean, var, offset, scale, 1e-3)
    mu, s2 = X.mean(axis=(0, 1, 2)), X.var(axis=(0, 1, 2))
    np.testing.assert_allclose(run(y), (X - mu) / np.sqrt(s2 + 1e-3) * scale + offset,
                               rtol=1e-12)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_fused_batch_norm_training_statistics(executor):
    scale, offset = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    y, mean, var = tf.nn.fused_batch_norm(X, scale, offset, epsilon=1e-3, is_training=True)
    y_v, mean_v, var_v = run([y, mean, var], executor)
    m = X.size // 3
    mu, s2 = X.mean(axis=(0, 1, 2)), X.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y_v, (X - mu) / np.sqrt(s2 + 1e-3) * scale + offset, rtol=1e-10)
    np.testing.assert_allclose(mean_v, mu, rtol=1e-12)
    np.testing.assert_allclose(var_v, s2 * m / (m - 1), rtol=1e-12)  # TF1: Bessel-corrected


@pytest.mark.parametrize("executor", EXECUTORS)
def test_fused_batch_norm_inference_matches_batch_normalization(executor):
    scale, offset = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    mean, var = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, 4.0])
    y, m, v = tf.nn.fused_batch_norm(X, scale, offset, mean, var, epsilon=1e-3,
                                     is_training=False)
    z = tf.nn.batch_normalization(X, mean, var, offset, scale, 1e-3)
    y_v, m_v, v_v, z_v = run([y, m, v, z], executor)
    np.testing.assert_allclose(y_v, z_v, rtol=1e-12)
    np.testing.assert_array_equal(m_v, mean)
    np.testing.assert_array_equal(v_v, var)


@pytest.mark.parametrize("is_training", [True, False])
def test_fused_batch_norm_gradients_match_the_composed_formula(is_training):
    scale, offset = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
    mean, var = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, 4.0])
    inputs = [X, scale, offset, mean, var]

    def fused(*t):
        return tf.nn.fused_batch_norm(*t, epsilon=1e-3, is_training=is_training)[0]

    def composed(x, s, o, m, v):
        if is_training:
            m, v = tf.nn.moments(x, [0, 1, 2])
        return tf.nn.batch_normalization(x, m, v, o, s, 1e-3)

    dy = RNG.standard_normal(X.shape)
    results = []
    for build in (fused, composed):
        tf.reset_default_graph()
        phs = [tf.placeholder(tf.float64, np.shape(v)) for v in inputs]
        grads = tf.gradients(build(*phs), phs, grad_ys=dy)
        wanted = [g for g in grads if g is not None]
        results.append(run(wanted, feed=dict(zip(phs, inputs, strict=True))))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("is_training", [True, False])
def test_fused_batch_norm_gradients_match_finite_differences(is_training):
    inputs = [X[:1, :2], np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0]),
              np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, 4.0])]

    def fused(*t):
        return tf.nn.fused_batch_norm(*t, epsilon=1e-3, is_training=is_training)

    assert check_gradients(fused, inputs, executor="cpu") < 1e-7


def test_fused_batch_norm_inference_needs_statistics():
    with pytest.raises(ValueError, match="mean and variance"):
        tf.nn.fused_batch_norm(X, np.ones(3), np.zeros(3), is_training=False)
