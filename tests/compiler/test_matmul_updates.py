"""The fuse_matmul_updates pass: `var.assign_sub(lr * matmul(a, b))` becomes one MatMulUpdate
step on cpu (a BLAS gemm accumulating into the variable); results equal the unfused plan's and
the reference executor's.
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import compile_plan
from graphflow.executors.cpu import CPU_KERNELS
from graphflow.executors.cpu.blas import gemm_into


def types(plan):
    return [s.type for s in plan.steps]


def cpu_plan(fetches, targets=(), feeds=(), **kw):
    return compile_plan(list(fetches), list(targets), list(feeds), target=CPU_KERNELS.target(),
                        **kw)


def _mlp(dtype):
    rng = np.random.default_rng(7)
    x = tf.placeholder(dtype, [None, 6])
    y = tf.placeholder(dtype, [None, 3])
    w1 = tf.Variable((rng.standard_normal((6, 5)) * 0.5).astype(dtype))
    b1 = tf.Variable(np.zeros(5, dtype))
    w2 = tf.Variable((rng.standard_normal((5, 3)) * 0.5).astype(dtype))
    logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    xv = rng.standard_normal((8, 6)).astype(dtype)
    yv = np.eye(3, dtype=dtype)[rng.integers(0, 3, 8)]
    return x, y, (w1, b1, w2), loss, xv, yv


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_on_dense_weights_agrees_with_the_unfused_plan_and_the_reference(dtype):
    x, y, params, loss, xv, yv = _mlp(dtype)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    plan = cpu_plan([loss], [step], [x, y], feed_shapes=[(8, 6), (8, 3)])
    assert types(plan).count("MatMulUpdate") == 2
    assert all(s.updates_in_place for s in plan.steps if s.type == "MatMulUpdate")
    assert "2 updates accumulate" in dict(plan.report)["fuse_matmul_updates"]
    results = []
    for executor, disabled in (("cpu", ()), ("cpu", ["fuse_matmul_updates"]), ("reference", ())):
        with tf.Session(executor=executor, disabled_passes=disabled) as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, step], {x: xv, y: yv})[0] for _ in range(5)]
            results.append((losses, *sess.run(list(params))))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for other in results[1:]:
        for got, expected in zip(results[0], other):
            np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
@pytest.mark.parametrize("add", [False, True])
def test_every_transpose_and_both_updates_match_numpy(ta, tb, add):
    rng = np.random.default_rng(int(ta) + 2 * int(tb) + 4 * int(add))
    av = rng.standard_normal((4, 3) if ta else (3, 4)).astype(np.float32)
    bv = rng.standard_normal((2, 4) if tb else (4, 2)).astype(np.float32)
    v0 = rng.standard_normal((3, 2)).astype(np.float32)
    v = tf.Variable(v0)
    a, b = tf.placeholder(tf.float32, av.shape), tf.placeholder(tf.float32, bv.shape)
    product = tf.matmul(a, b, transpose_a=ta, transpose_b=tb)
    update = v.assign_add(product * 0.5) if add else v.assign_sub(0.5 * product)
    assert types(cpu_plan([update], [], [a, b])).count("MatMulUpdate") == 1
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        for _ in range(2):
            sess.run(update, {a: av, b: bv})
        got = sess.run(v)
    step = 0.5 * ((av.T if ta else av) @ (bv.T if tb else bv))
    np.testing.assert_allclose(got, v0 + 2 * step if add else v0 - 2 * step, rtol=1e-5,
                               atol=1e-6)


def test_a_product_reading_the_variable_itself_is_not_fused():
    """BLAS must not write into an operand it reads: v -= 0.1 * v @ g stays unfused."""
    v0 = np.arange(9, dtype=np.float32).reshape(3, 3)
    v = tf.Variable(v0)
    g = tf.placeholder(tf.float32, [3, 3])
    u = v.assign_sub(0.1 * tf.matmul(v, g, transpose_a=True))
    assert "MatMulUpdate" not in types(cpu_plan([u], [], [g]))
    gv = np.eye(3, dtype=np.float32) * 2
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(u, {g: gv}), v0 - 0.1 * (v0.T @ gv), rtol=1e-6)


def test_a_fetched_product_is_not_absorbed():
    v = tf.Variable(np.zeros((2, 2), np.float32))
    a = tf.placeholder(tf.float32, [2, 2])
    product = tf.matmul(a, a)
    plan = cpu_plan([product, v.assign_sub(0.5 * product)], [], [a])
    assert "MatMulUpdate" not in types(plan) and "MatMul" in types(plan)


def test_a_value_read_before_the_update_keeps_its_value():
    v0 = np.ones((2, 2), np.float32)
    v = tf.Variable(v0)
    a = tf.placeholder(tf.float32, [2, 2])
    update = v.assign_sub(0.5 * tf.matmul(a, a))
    plan = cpu_plan([v, update], [], [a])
    assert [s.updates_in_place for s in plan.steps if s.type == "MatMulUpdate"] == [False]
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        av = np.eye(2, dtype=np.float32)
        before, after = sess.run([v, update], {a: av})
        np.testing.assert_array_equal(before, v0)
        np.testing.assert_array_equal(after, v0 - 0.5 * (av @ av))


def test_executors_without_the_kernel_keep_the_split_form():
    v = tf.Variable(np.zeros((2, 2), np.float32))
    a = tf.placeholder(tf.float32, [2, 2])
    plan = compile_plan([v.assign_sub(0.5 * tf.matmul(a, a))], [], [a])  # the host target
    assert "MatMulUpdate" not in types(plan)
    assert "fuses no matrix products" in dict(plan.report)["fuse_matmul_updates"]


def test_a_product_over_an_unknown_batch_is_fused_for_each_fed_batch():
    v = tf.Variable(np.zeros((2, 2), np.float32))
    a = tf.placeholder(tf.float32, [None, 2])
    update = v.assign_sub(0.5 * tf.matmul(a, a, transpose_a=True))
    with tf.Session(executor="cpu") as sess:
        sess.run(v.initializer)
        sess.run(update, {a: np.ones((3, 2), np.float32)})
        sess.run(update, {a: np.ones((1, 2), np.float32)})
        np.testing.assert_array_equal(sess.run(v), np.full((2, 2), -2.0, np.float32))
    assert "MatMulUpdate" in types(cpu_plan([update], [], [a], feed_shapes=[(3, 2)]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gemm_into_reads_strided_operands_by_flag_or_through_numpy(dtype):
    rng = np.random.default_rng(11)
    a = rng.standard_normal((6, 8)).astype(dtype)
    b = rng.standard_normal((6, 5)).astype(dtype)
    for left in (a.T, a.T[::2], np.asfortranarray(a.T)):  # transposed, strided, F-ordered
        c = rng.standard_normal((left.shape[0], 5)).astype(dtype)
        expected = 2 * c - 0.25 * (left @ b)
        gemm_into(left, b, c, -0.25, 2.0)
        np.testing.assert_allclose(c, expected, rtol=1e-5, atol=1e-5)
