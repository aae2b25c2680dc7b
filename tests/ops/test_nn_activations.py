"""Activations: values against their formulas, TF1 defaults, and no inf/NaN in values or gradients
for inputs of +-1e4 (and softmax/log_softmax along any axis), on both executors."""

import numpy as np
import pytest

import graphflow as tf

EXECUTORS = ["reference", "cpu"]
X = np.array([-1e4, -30.0, -2.0, -0.5, 0.5, 2.0, 7.0, 30.0, 1e4])
SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805

FORMULAS = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "selu": lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(np.minimum(x, 0))),
    "softplus": lambda x: np.logaddexp(x, 0),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "sigmoid": lambda x: np.exp(-np.logaddexp(0, -x)),
    "tanh": np.tanh,
}
DERIVATIVES = {
    "relu": lambda x: (x > 0) * 1.0,
    "relu6": lambda x: ((x > 0) & (x < 6)) * 1.0,
    "leaky_relu": lambda x: np.where(x > 0, 1, 0.2),
    "elu": lambda x: np.where(x > 0, 1, np.exp(np.minimum(x, 0))),
    "selu": lambda x: SELU_S * np.where(x > 0, 1, SELU_A * np.exp(np.minimum(x, 0))),
    "softplus": lambda x: np.exp(-np.logaddexp(0, -x)),
    "softsign": lambda x: 1 / (1 + np.abs(x)) ** 2,
    "sigmoid": lambda x: 0.25 / np.cosh(x / 2) ** 2,
    "tanh": lambda x: 1 / np.cosh(np.minimum(np.abs(x), 300)) ** 2,
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("executor", EXECUTORS)
def test_values_and_gradients_are_finite_and_right_at_large_inputs(name, dtype, executor):
    x = tf.placeholder(dtype, [None])
    y = getattr(tf.nn, name)(x)
    g = tf.gradients(y, x)[0]
    with tf.Session(executor=executor) as sess, np.errstate(all="raise"):
        value, grad = sess.run([y, g], {x: X.astype(dtype)})
    assert value.dtype == dtype and np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(value, FORMULAS[name](X), rtol=rtol, atol=1e-30)
        # derivatives such as 1 - tanh**2 and elu's y + 1 (TF1's formulas) lose digits to
        # cancellation: compare them absolutely at the dtype's resolution
        atol = 2e-7 if dtype == np.float32 else 1e-15
        np.testing.assert_allclose(grad, DERIVATIVES[name](X), rtol=rtol * 10, atol=atol)


def test_leaky_relu_default_alpha_is_tf1s_point_two():
    y = tf.nn.leaky_relu([-10.0, 10.0])
    y1 = tf.nn.leaky_relu([-10.0, 10.0], alpha=0.01)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run([y, y1]), [[-2.0, 10.0], [-0.1, 10.0]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_activation_in_place_on_its_input_buffer(executor):
    x = tf.placeholder(tf.float32, [4, 5])
    ys = [f(x * 1.5) for f in (tf.nn.elu, tf.nn.selu, tf.nn.softplus, tf.nn.softsign,
                                tf.nn.relu6, tf.nn.leaky_relu)]
    data = np.linspace(-8, 8, 20, dtype=np.float32).reshape(4, 5)
    with tf.Session(executor=executor) as sess:
        got = sess.run(ys, {x: data})
    for name, value in zip(["elu", "selu", "softplus", "softsign", "relu6", "leaky_relu"], got,
                           strict=True):
        np.testing.assert_allclose(value, FORMULAS[name](data * 1.5), rtol=1e-6, err_msg=name)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("executor", EXECUTORS)
def test_softmax_family_along_any_axis_at_huge_logits(axis, fn, executor):
    z = np.array([[1e4, -1e4, 0.0], [3.0, 1e4, 1e4]], np.float32)
    x = tf.constant(z)
    y = getattr(tf.nn, fn)(x, axis=axis)
    g = tf.gradients(y * np.arange(6, dtype=np.float32).reshape(2, 3), x)[0]
    with tf.Session(executor=executor) as sess:
        value, grad = sess.run([y, g])
    m = z.max(axis=axis, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
    expected = log_p if fn == "log_softmax" else np.exp(log_p)
    np.testing.assert_allclose(value, expected, rtol=1e-6)
    assert np.all(np.isfinite(grad))


def test_softmax_examples_from_seeds():
    y = tf.nn.softmax([2.0, 1.0, 0.1])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), [.65900114, .24243297, .09856589], rtol=1e-6)
