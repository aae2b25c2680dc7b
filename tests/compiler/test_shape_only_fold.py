"""Folding ops that read only an input's shape (`Op.shape_only_inputs`) once that shape is static.

The mean's gradient `BroadcastReduced(1.0, x)` and the seed `BroadcastLike(1.0, loss)` read
nothing of x's values: after specialisation they are constants of the plan, and the gradient
still agrees with the unfolded plan for every batch size fed.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as tf
from graphflow.compiler import compile_plan
from graphflow.ops.registry import NoExamples, registered_ops
from graphflow.testing import strategies

DECLARING = sorted((name, cls) for name, cls in registered_ops().items()
                   if cls.shape_only_inputs and not isinstance(cls.examples, NoExamples))


def types(plan):
    return [s.type for s in plan.steps]


def test_some_ops_declare_shape_only_inputs():
    names = {name for name, _ in DECLARING}
    assert {"BroadcastReduced", "SumToShape", "BroadcastLike", "Shape", "ZerosLike"} <= names


@pytest.mark.parametrize("name,cls", DECLARING, ids=[n for n, _ in DECLARING])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_the_declaration_holds_other_values_give_the_same_result(name, cls, data):
    example = data.draw(cls.examples(strategies), label="example")
    op = cls(**example.attrs)
    inputs = [np.asarray(v) for v in example.inputs]
    changed = list(inputs)
    for i in cls.shape_only_inputs:
        if i < len(inputs):
            changed[i] = np.full(inputs[i].shape, 3, dtype=inputs[i].dtype)
    expected, got = op.compute(*inputs), op.compute(*changed)
    for e, g in zip(expected if isinstance(expected, tuple) else [expected],
                    got if isinstance(got, tuple) else [got]):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(e), err_msg=name)


def _mean_loss_gradient(batch):
    x = tf.placeholder(tf.float32, [batch, 3])
    w = tf.constant([[1.0], [-2.0], [0.5]])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    return x, loss, tf.gradients(loss, x)[0]


def test_the_mean_gradient_broadcast_is_folded_when_the_feed_shape_is_known():
    x, loss, dx = _mean_loss_gradient(None)
    plan = compile_plan([loss, dx], [], [x], feed_shapes=[(4, 3)])
    assert "BroadcastReduced" not in types(plan)
    assert "BroadcastLike" not in types(plan)
    assert "BroadcastReduced" in report_line(plan, "fold")
    unfolded = compile_plan([loss, dx], [], [x], feed_shapes=[(4, 3)], disabled=["fold"])
    assert "BroadcastReduced" in types(unfolded)


def report_line(plan, name):
    return dict(plan.report)[name]


def test_folded_gradients_agree_for_every_batch_size():
    x, loss, dx = _mean_loss_gradient(None)
    w = np.array([[1.0], [-2.0], [0.5]], np.float32)
    with tf.Session() as sess, tf.Session(disabled_passes=["fold"]) as plain:
        for n in (1, 4, 7):
            xv = np.random.default_rng(n).standard_normal((n, 3)).astype(np.float32)
            got = sess.run(dx, {x: xv})
            np.testing.assert_allclose(got, plain.run(dx, {x: xv}), rtol=1e-6)
            np.testing.assert_allclose(got, 2 * (xv @ w) @ w.T / n, rtol=1e-5)


def test_shape_of_a_fed_value_becomes_a_constant_and_keeps_its_dtype():
    x = tf.placeholder(tf.int32, [None, 5])
    s, z = tf.shape(x), tf.zeros_like(x)
    plan = compile_plan([s, z], [], [x], feed_shapes=[(2, 5)])
    assert "Shape" not in types(plan) and "ZerosLike" not in types(plan)
    with tf.Session() as sess:
        sv, zv = sess.run([s, z], {x: np.ones((2, 5), np.int32)})
    np.testing.assert_array_equal(sv, [2, 5])
    assert zv.dtype == np.int32 and zv.shape == (2, 5) and not zv.any()


def test_a_shape_known_only_at_run_time_is_not_folded():
    x = tf.placeholder(tf.float32, [6])
    s = tf.shape(tf.where(x > 0))  # how many indices there are is known only when it runs
    plan = compile_plan([s], [], [x], feed_shapes=[(6,)])
    assert "Shape" in types(plan)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(s, {x: [1, -1, 2, -2, 3, 0]}), [3, 1])
