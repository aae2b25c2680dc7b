"""Gradients through cond, while_loop and the functional ops: checked against finite differences
in float64 (graphflow.testing.gradient_check), and against closed forms."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.autodiff.gradients import GradientError
from graphflow.testing.gradient_check import check_gradients

TOL = 1e-6
RNG = np.random.default_rng(7)


def power_by_loop(x, n):
    return tf.while_loop(lambda i, p: i < n, lambda i, p: (i + 1, p * x),
                         [0, tf.ones_like(x)])[1]


def test_x_to_the_n_by_repeated_multiplication(executor):
    x = tf.placeholder(tf.float64, [3])
    n = tf.placeholder(tf.int32, [])
    y = power_by_loop(x, n)
    (g,) = tf.gradients(y, x)
    xs = np.array([0.5, 2.0, -1.5])
    with tf.Session(executor=executor) as sess:
        for k in (0, 1, 4):
            got = sess.run(g, {x: xs, n: k})
            np.testing.assert_allclose(got, k * xs ** (k - 1) if k else 0 * xs, rtol=1e-12)


def test_a_recurrence_with_captured_weights_matches_finite_differences(executor):
    def rnn(h0, w, b):
        _, h = tf.while_loop(lambda i, h: i < 3,
                             lambda i, h: (i + 1, tf.tanh(tf.matmul(h, w) + b)), [0, h0])
        return h

    inputs = [RNG.normal(size=(2, 3)), RNG.normal(size=(3, 3)) * 0.5, RNG.normal(size=(3,))]
    assert check_gradients(rnn, inputs, executor=executor) < TOL


def test_cond_gradients_match_finite_differences(executor):
    def branches(x, y):
        p = tf.reduce_sum(x) > 0
        return tf.cond(p, lambda: tf.sin(x) * y, lambda: tf.square(x) + y[0])

    for sign in (1.0, -1.0):
        inputs = [sign * np.abs(RNG.normal(size=(3,))), RNG.normal(size=(3,))]
        assert check_gradients(branches, inputs, executor=executor) < TOL


def test_nested_loops_and_a_cond_in_a_loop_match_finite_differences(executor):
    def nested(x):
        def outer(i, v):
            _, w = tf.while_loop(lambda j, w: j < 2, lambda j, w: (j + 1, tf.sin(w) * v),
                                 [0, v])
            return i + 1, w + v
        return tf.while_loop(lambda i, v: i < 2, outer, [0, x])[1]

    def with_cond(x):
        body = lambda i, v: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: v * v,  # noqa: E731
                                            lambda: tf.sin(v)))
        return tf.while_loop(lambda i, v: i < 3, body, [0, x])[1]

    x = RNG.normal(size=(2,)) * 0.5
    assert check_gradients(nested, [x], executor=executor) < TOL
    assert check_gradients(with_cond, [x], executor=executor) < TOL


def test_functional_ops_match_finite_differences(executor):
    e = RNG.normal(size=(4, 2))
    fns = [
        lambda e: tf.map_fn(lambda r: tf.sin(r) * r, e),
        lambda e: tf.scan(lambda a, r: a * r + 1.0, e),
        lambda e: tf.scan(lambda a, r: a * r, e, reverse=True,
                          initializer=tf.ones([2], tf.float64)),
        lambda e: tf.foldl(lambda a, r: a * tf.cos(r), e),
        lambda e: tf.foldr(lambda a, r: a - r * a, e, initializer=tf.ones([2], tf.float64)),
    ]
    for fn in fns:
        assert check_gradients(fn, [e], executor=executor) < TOL


def test_random_values_in_a_body_are_recorded_not_redrawn(executor):
    # v_T = x**T * prod(r_t), so dv/dx = T v_T / x, in the same run as the forward values
    x = tf.placeholder(tf.float32, [5])
    _, v = tf.while_loop(lambda i, v: i < 3,
                         lambda i, v: (i + 1, v * x * tf.random_uniform([5], 1.0, 2.0)),
                         [0, tf.ones([5])])
    (g,) = tf.gradients(v, x)
    xs = np.array([1.0, 2.0, 0.5, 3.0, 1.5], np.float32)
    with tf.Session(executor=executor) as sess:
        vt, gt = sess.run([v, g], {x: xs})
    np.testing.assert_allclose(gt, 3 * vt / xs, rtol=1e-5)


def test_dropout_in_a_branch_keeps_its_mask_for_the_gradient(executor):
    x = tf.placeholder(tf.float32, [50])
    training = tf.placeholder(tf.bool, [])
    y = tf.cond(training, lambda: tf.nn.dropout(x, keep_prob=0.5), lambda: x)
    (g,) = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session(executor=executor) as sess:
        yt, gt = sess.run([y, g], {x: np.ones(50), training: True})
        np.testing.assert_allclose(gt, (yt != 0) * 2.0)
        assert 0 < np.count_nonzero(yt) < 50
        np.testing.assert_allclose(sess.run(g, {x: np.ones(50), training: False}), np.ones(50))


def test_the_gradient_does_not_repeat_a_bodys_assignments(executor):
    counter = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, [])

    def body(i, v):
        with tf.control_dependencies([counter.assign_add(1.0)]):
            return i + 1, v * x

    _, v = tf.while_loop(lambda i, v: i < 4, body, [0, 1.0])
    (g,) = tf.gradients(v, x)
    assert [t.op.type for t in v.op.get_attr("body_graph").records] == ["AssignAdd"]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g, {x: 2.0}) == 4 * 2.0 ** 3
        assert sess.run(counter) == 4.0


def test_gradient_with_respect_to_a_variable_read_in_the_body(executor):
    w = tf.Variable(1.5)
    _, cube = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, p * w), [0, 1.0])
    (g,) = tf.gradients(cube, w)
    # never written in the body, w is read again by the gradient, not stacked per iteration
    assert cube.op.get_attr("body_graph").records == []
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g), 3 * 1.5 ** 2, rtol=1e-6)


def test_back_prop_false_gives_no_gradient():
    x = tf.placeholder(tf.float32, [])
    _, v = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [0, x],
                         back_prop=False)
    assert tf.gradients(v, x) == [None]


def test_a_loop_variable_that_changes_shape_has_no_gradient():
    x = tf.placeholder(tf.float32, [1])
    _, grown = tf.while_loop(lambda i, t: i < 2, lambda i, t: (i + 1, tf.concat([t, t], 0)),
                             [0, x], shape_invariants=[tf.TensorShape([]),
                                                       tf.TensorShape([None])])
    with pytest.raises(GradientError, match=r"loop variable 'Placeholder:0'.*fixed shape"):
        tf.gradients(tf.reduce_sum(grown), x)


def test_a_stateful_cond_in_a_loop_taking_either_branch(executor):
    # The cond reads a variable (so it is recorded); its branches alternate, so its records
    # have different shapes in different iterations.
    w = tf.Variable(np.array([0.5, -1.0, 2.0]))

    def body(i, p):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: p * w,
                              lambda: tf.reduce_sum(p + w * w) + 0 * p)

    _, v = tf.while_loop(lambda i, p: i < 4, body, [0, tf.ones([3], tf.float64)])
    (g,) = tf.gradients(tf.reduce_sum(v), w)

    def f(wv):
        p = np.ones(3)
        for i in range(4):
            p = p * wv if i % 2 == 0 else np.sum(p + wv * wv) + 0 * p
        return np.sum(p)

    w0 = np.array([0.5, -1.0, 2.0])
    numeric = [(f(w0 + e) - f(w0 - e)) / 2e-6 for e in np.eye(3) * 1e-6]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g), numeric, rtol=1e-6)


def test_a_stateful_inner_loop_of_varying_length(executor):
    # The inner loop reads a variable (so the outer loop records it whole), and runs i times in
    # outer iteration i: its records differ in length from one outer iteration to the next.
    w = tf.Variable(np.array([0.9, 1.1]))

    def outer(i, p):
        _, q = tf.while_loop(lambda j, q: j < i, lambda j, q: (j + 1, q * w + 0.1), [0, p])
        return i + 1, q

    _, v = tf.while_loop(lambda i, p: i < 4, outer, [0, tf.ones([2], tf.float64)])
    (g,) = tf.gradients(tf.reduce_sum(v * v), w)

    def f(wv):
        p = np.ones(2)
        for i in range(4):
            for _ in range(i):
                p = p * wv + 0.1
        return np.sum(p * p)

    w0 = np.array([0.9, 1.1])
    numeric = [(f(w0 + e) - f(w0 - e)) / 2e-6 for e in np.eye(2) * 1e-6]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g), numeric, rtol=1e-6)


def test_second_order_gradients_through_loops_and_conds(executor):
    # The backward loop is a While too: differentiating it again needs the records' gradients.
    def grad_of_loop(x, w):
        _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.sin(h * w)), [0, x])
        return tf.gradients(tf.reduce_sum(h * h), [x, w])

    def grad_of_cond(x):
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: x * x * x)
        return tf.gradients(tf.reduce_sum(y), x)

    inputs = [RNG.normal(size=(3,)), RNG.normal(size=(3,))]
    assert check_gradients(grad_of_loop, inputs, executor=executor) < TOL
    for sign in (1.0, -1.0):
        x = sign * np.abs(RNG.normal(size=(3,)))
        assert check_gradients(grad_of_cond, [x], executor=executor) < TOL


def test_a_variable_written_by_the_body_and_read_in_a_nested_cond(executor):
    # Each iteration halves w after reading it in a nested cond: the gradient must use the
    # value read in that iteration, so the nested read is recorded.
    w = tf.Variable(np.float64(2.0))

    def body(i, p):
        q = tf.cond(i >= 0, lambda: p * w, lambda: p)
        with tf.control_dependencies([q]):
            halve = w.assign(w * 0.5)
        with tf.control_dependencies([halve]):
            return i + 1, tf.identity(q)

    x = tf.placeholder(tf.float64, [])
    _, v = tf.while_loop(lambda i, p: i < 3, body, [0, x])
    (g,) = tf.gradients(v, x)  # dv/dx = 2 * 1 * 0.5, the values read; w is 0.25 afterwards
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([v, g], {x: 3.0}) == [3.0, 1.0] and sess.run(w) == 0.25


def test_a_variable_written_and_read_by_the_body_is_recorded(executor):
    w = tf.Variable(np.float64(2.0))

    def body(i, p):
        q = p * w
        with tf.control_dependencies([q]):
            halve = w.assign(w * 0.5)
        with tf.control_dependencies([halve]):
            return i + 1, tf.identity(q)

    x = tf.placeholder(tf.float64, [])
    _, v = tf.while_loop(lambda i, p: i < 3, body, [0, x])
    (g,) = tf.gradients(v, x)
    assert "ReadVariable" in [t.op.type for t in v.op.get_attr("body_graph").records]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([v, g], {x: 3.0}) == [3.0, 1.0]
