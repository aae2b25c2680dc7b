"""`gradients` as a TF1 user calls it: graph ops under `gradients/`, TF1's None and stop rules."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.autodiff import GradientError
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_gradient_of_quadratic_is_built_as_graph_ops_under_gradients_scope():
    w = tf.Variable(3.0)
    cost = w * w - 10.0 * w + 25.0
    (g,) = tf.gradients(cost, [w])
    assert g.op.name.startswith("gradients/")
    assert run(g) == pytest.approx(2 * 3.0 - 10.0)


def test_contributions_from_several_paths_are_summed():
    x = tf.placeholder(tf.float64, [3])
    y = x * x + tf.sin(x) if hasattr(tf, "sin") else x * x + tf.exp(x)
    (g,) = tf.gradients(y, x)
    v = np.array([0.5, -1.0, 2.0])
    expected = 2 * v + (np.cos(v) if hasattr(tf, "sin") else np.exp(v))
    np.testing.assert_allclose(run(g, {x: v}), expected)


def test_broadcast_operand_gradient_is_summed_over_broadcast_axes():
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.Variable([1.0, 2.0, 3.0])
    gx, gb = tf.gradients(x + b, [x, b])
    out_x, out_b = run([gx, gb], {x: np.ones((4, 3), np.float32)})
    np.testing.assert_array_equal(out_b, [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(out_x, np.ones((4, 3)))


def test_unconnected_gradient_is_none_or_zero():
    x = tf.placeholder(tf.float32, [2])
    z = tf.placeholder(tf.float32, [2])
    assert tf.gradients(x * 2.0, [z]) == [None]
    (g,) = tf.gradients(x * 2.0, [z], unconnected_gradients="zero")
    np.testing.assert_array_equal(run(g, {z: [1.0, 2.0]}), [0.0, 0.0])


def test_stop_gradient_blocks_flow():
    x = tf.placeholder(tf.float32, [])
    y = tf.stop_gradient(x * x) + 3.0 * x
    (g,) = tf.gradients(y, x)
    assert run(g, {x: 2.0}) == pytest.approx(3.0)


def test_stop_gradients_argument_treats_tensor_as_constant():
    x = tf.placeholder(tf.float32, [])
    a = x * x
    y = a * x
    (g,) = tf.gradients(y, x, stop_gradients=[a])
    assert run(g, {x: 2.0}) == pytest.approx(4.0)  # d(a*x)/dx with a held constant


def test_grad_ys_weights_the_output():
    x = tf.placeholder(tf.float32, [2])
    (g,) = tf.gradients(x * 3.0, x, grad_ys=tf.constant([1.0, 10.0]))
    np.testing.assert_array_equal(run(g, {x: [0.0, 0.0]}), [3.0, 30.0])


def test_second_order_gradient_of_elementwise_ops():
    x = tf.placeholder(tf.float64, [])
    y = x * x * x
    (g,) = tf.gradients(y, x)
    (h,) = tf.gradients(g, x)
    assert run([g, h], {x: 2.0}) == pytest.approx([12.0, 12.0])


def test_second_order_through_sigmoid_and_tanh():
    x = tf.placeholder(tf.float64, [])
    (g,) = tf.gradients(tf.sigmoid(x) + tf.tanh(x), x)
    (h,) = tf.gradients(g, x)
    v = 0.3
    s, t = 1 / (1 + np.exp(-v)), np.tanh(v)
    expected = s * (1 - s) * (1 - 2 * s) - 2 * t * (1 - t * t)
    assert run(h, {x: v}) == pytest.approx(expected)


def test_integer_and_boolean_paths_carry_no_gradient():
    x = tf.placeholder(tf.float32, [3])
    mask = tf.cast(tf.greater(x, 0.0), tf.float32)
    (g,) = tf.gradients(x * mask, x)
    np.testing.assert_array_equal(run(g, {x: [-1.0, 2.0, 3.0]}), [0.0, 1.0, 1.0])


@register("TestOpWithoutGradient")
class _NoGrad(Op):
    input_names = ("x",)
    examples = NoExamples("test-only op; tests/autodiff/test_gradients.py")

    def infer(self, x):
        return spec(x.dtype, x.shape)

    def compute(self, x):
        return x


def test_missing_gradient_names_the_op_and_the_user_line():
    x = tf.placeholder(tf.float32, [2])
    y = apply_op(_NoGrad(), [x], name="mystery")  # the line named in the error
    with pytest.raises(GradientError) as info:
        tf.gradients(y * 2.0, x)
    text = str(info.value)
    assert "mystery" in text and "TestOpWithoutGradient" in text
    assert "test_gradients.py" in text


def test_a_thousand_op_chain_builds_without_recursion():
    x = tf.placeholder(tf.float32, [16])
    y = x
    for i in range(1000):
        y = tf.tanh(y) if i % 3 == 2 else (y * 1.001 if i % 3 else y + 0.01)
    (g,) = tf.gradients(y, x)
    out = run(g, {x: np.linspace(-1, 1, 16).astype(np.float32)})
    assert out.shape == (16,) and np.all(np.isfinite(out))
