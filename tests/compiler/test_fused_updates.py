"""The fuse_updates pass: a state update absorbs the elementwise ops computing its value.

On the cpu executor `var.assign_sub(lr * grad)` becomes one FusedUpdate step (one pass into the
variable); every result must equal the unfused plan's and the reference executor's.
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import compile_plan
from graphflow.executors.cpu import CPU_KERNELS


def types(plan):
    return [s.type for s in plan.steps]


def cpu_plan(fetches, targets=(), feeds=(), **kw):
    return compile_plan(list(fetches), list(targets), list(feeds), target=CPU_KERNELS.target(),
                        **kw)


def _regression():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(np.array([[0.5], [-1.0], [2.0]], np.float32))
    b = tf.Variable(np.zeros(1, np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    return x, y, w, b, loss


def _data(n=8):
    rng = np.random.default_rng(3)
    return (rng.standard_normal((n, 3)).astype(np.float32),
            rng.standard_normal((n, 1)).astype(np.float32))


def test_gradient_descent_updates_become_one_step_each():
    x, y, w, b, loss = _regression()
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    plan = cpu_plan([loss], [step], [x, y],  # w's product update is fuse_matmul_updates' own
                    feed_shapes=[(8, 3), (8, 1)], disabled=["fuse_matmul_updates"])
    assert types(plan).count("FusedUpdate") == 2
    assert "AssignSub" not in types(plan)
    assert "2 state updates absorbed" in dict(plan.report)["fuse_updates"]
    plain = cpu_plan([loss], [step], [x, y], feed_shapes=[(8, 3), (8, 1)],
                     disabled=["fuse_updates", "fuse_matmul_updates"])
    assert types(plain).count("AssignSub") == 2 and "FusedUpdate" not in types(plain)


@pytest.mark.parametrize("make", [
    lambda: tf.train.GradientDescentOptimizer(0.1),
    lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
    lambda: tf.train.AdamOptimizer(0.01),
    lambda: tf.train.RMSPropOptimizer(0.01),
], ids=["sgd", "nesterov", "adam", "rmsprop"])
def test_training_agrees_with_the_unfused_plan_and_the_reference(make):
    x, y, w, b, loss = _regression()
    step = make().minimize(loss)
    xv, yv = _data()
    results = []
    for executor, disabled in (("cpu", ()), ("cpu", ["fuse_updates"]), ("reference", ())):
        with tf.Session(executor=executor, disabled_passes=disabled) as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, step], {x: xv, y: yv})[0] for _ in range(4)]
            results.append((losses, *sess.run([w, b])))
    for other in results[1:]:
        for got, expected in zip(results[0], other):
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_a_value_read_before_the_update_keeps_its_value():
    """Fetching the variable with its update makes the update store a new array (not in place)."""
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3))
    g = tf.placeholder(tf.float32, [2, 3])
    update = v.assign_sub(2.0 * g)
    plan = cpu_plan([v, update], [], [g])
    assert "FusedUpdate" in types(plan)
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        before, after = sess.run([v, update], {g: np.ones((2, 3), np.float32)})
        np.testing.assert_array_equal(before, np.arange(6).reshape(2, 3))
        np.testing.assert_array_equal(after, np.arange(6).reshape(2, 3) - 2)
        np.testing.assert_array_equal(sess.run(v), np.arange(6).reshape(2, 3) - 2)


def test_a_value_used_elsewhere_is_not_absorbed():
    v = tf.Variable(np.zeros(4, np.float32))
    g = tf.placeholder(tf.float32, [4])
    delta = 0.5 * g
    plan = cpu_plan([delta, v.assign_sub(delta)], [], [g])
    assert "FusedUpdate" not in types(plan) and "AssignSub" in types(plan)


def test_a_fused_group_and_assign_add_fuse_too():
    v = tf.Variable(np.ones((3, 4), np.float32))
    x = tf.placeholder(tf.float32, [3, 4])
    update = v.assign_add(tf.exp(x) * 2.0 + 1.0)
    plan = cpu_plan([update], [], [x])
    assert types(plan).count("FusedUpdate") == 1 and "Exp" not in types(plan)
    xv = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        sess.run(update, {x: xv})
        np.testing.assert_allclose(sess.run(v), 1 + np.exp(xv) * 2 + 1, rtol=1e-6)


def test_an_integer_variable_uses_the_reference_update():
    v = tf.Variable(np.array([1, 2, 3], np.int32))
    k = tf.placeholder(tf.int32, [3])
    update = v.assign_add(k * 3)
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        sess.run(update, {k: [1, 1, 2]})
        np.testing.assert_array_equal(sess.run(v), [4, 5, 9])


def test_executors_without_an_in_place_fused_update_keep_the_split_form():
    v = tf.Variable(np.zeros(4, np.float32))
    g = tf.placeholder(tf.float32, [4])
    plan = compile_plan([v.assign_sub(0.5 * g)], [], [g])  # the default (host) target
    assert "FusedUpdate" not in types(plan)
    assert "fuses no state updates" in dict(plan.report)["fuse_updates"]


def test_a_view_of_the_variable_is_not_written_over_while_it_is_read():
    v = tf.Variable(np.arange(9, dtype=np.float32).reshape(3, 3))
    u = v.assign_sub(0.5 * tf.transpose(v))
    plan = cpu_plan([u])
    if "Transpose" in types(plan) and not CPU_KERNELS.target().fresh(
            next(s for s in plan.steps if s.type == "Transpose").op):
        assert "FusedUpdate" not in types(plan)
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        a = np.arange(9, dtype=np.float32).reshape(3, 3)
        np.testing.assert_array_equal(sess.run(u), a - 0.5 * a.T)


def test_the_variable_itself_may_be_read_by_its_fused_update():
    v = tf.Variable(np.arange(4096, dtype=np.float32))
    u = v.assign_sub(0.25 * v + 1.0)
    assert types(cpu_plan([u])).count("FusedUpdate") == 1
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        a = np.arange(4096, dtype=np.float32)
        np.testing.assert_allclose(sess.run(u), a - (0.25 * a + 1), rtol=1e-6)
