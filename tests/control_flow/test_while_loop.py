"""tf.while_loop: TF1's results and errors (checked in TF 2.x's compat.v1 graph mode), on every
executor."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError


def test_a_counter_and_the_loop_variables_structure(executor):
    i = tf.constant(0)
    one = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [i])
    same = tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [i], return_same_structure=True)
    pair = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                         (i, tf.constant(0.0)))
    nested = tf.while_loop(lambda c: c["i"] < 2,
                           lambda c: {"i": c["i"] + 1, "xs": [c["xs"][0] * 2.0]},
                           [{"i": i, "xs": [tf.constant(1.5)]}])
    assert isinstance(one, tf.Tensor) and one.op.type == "While" and one.op.name == "while"
    assert isinstance(same, list) and isinstance(pair, tuple)
    with tf.Session(executor=executor) as sess:
        got = sess.run([one, same, pair, nested])
    assert got[0] == 3 and got[1] == [3] and got[2] == (4, 6.0)
    assert got[3] == {"i": 2, "xs": [6.0]}  # a single loop variable comes back unwrapped


def test_maximum_iterations(executor):
    # TF1: while_loop(i < 10, i + 1, [0], maximum_iterations=tf.constant(4)) gives 4
    n = tf.placeholder(tf.int32, [])
    limited = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [0], maximum_iterations=n)
    fixed = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], maximum_iterations=7)
    with tf.Session(executor=executor) as sess:
        assert [sess.run(limited, {n: k}) for k in (0, 4, 20)] == [0, 4, 10]
        assert sess.run(fixed) == 3


def test_shape_invariants_let_a_tensor_grow(executor):
    # TF1: concat([t, [i]]) from zeros([1]) for 3 iterations gives [0, 0, 1, 2], static (?,)
    _, grown = tf.while_loop(
        lambda i, t: i < 3, lambda i, t: (i + 1, tf.concat([t, [tf.cast(i, tf.float32)]], 0)),
        [0, tf.zeros([1])], shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    _, doubled = tf.while_loop(
        lambda i, t: i < 3, lambda i, t: (i + 1, tf.concat([t, t], 0)), [0, tf.zeros([1, 2])],
        shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 2])])
    assert grown.shape.as_list() == [None] and doubled.shape.as_list() == [None, 2]
    with tf.Session(executor=executor) as sess:
        np.testing.assert_array_equal(sess.run(grown), [0, 0, 1, 2])
        assert sess.run(doubled).shape == (8, 2)


def test_a_body_changing_a_shape_without_an_invariant_is_an_error():
    with pytest.raises(ValueError, match=r"Input tensor 'zeros:0' enters the loop with shape "
                                         r"\(1,\), but has shape \(2,\) after one iteration.*"
                                         r"shape_invariants"):
        tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.concat([v, v], 0)),
                      [tf.constant(0), tf.zeros([1])])
    with pytest.raises(ValueError, match="not compatible with the initial shape"):
        tf.while_loop(lambda v: True, lambda v: v, [tf.zeros([2])],
                      shape_invariants=[tf.TensorShape([3])])


def test_argument_errors():
    i = tf.constant(0)
    with pytest.raises(TypeError, match="'cond' must be callable"):
        tf.while_loop(1, lambda i: i, [i])
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda: True, lambda: [], [])
    with pytest.raises(TypeError, match="bool scalar"):
        tf.while_loop(lambda i: i, lambda i: i + 1, [i])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1,), [i, i])
    with pytest.raises(TypeError, match="changes the dtype"):
        tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i, tf.float32), [i])


def test_nested_loops(executor):
    def outer_body(i, total):
        _, inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])
        return i + 1, total + inner

    _, total = tf.while_loop(lambda i, t: i < 5, outer_body, [0, 0])
    with tf.Session(executor=executor) as sess:
        assert sess.run(total) == sum(sum(range(i)) for i in range(5))


def test_a_loop_inside_a_cond_and_a_cond_inside_a_loop(executor):
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [])
    y = tf.cond(p, lambda: tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x),
                                         [0, 1.0])[1], lambda: x)
    collatz = tf.while_loop(
        lambda n, k: n > 1,
        lambda n, k: (tf.cond(tf.equal(n % 2, 0), lambda: n // 2, lambda: 3 * n + 1), k + 1),
        [tf.constant(27), 0])[1]
    with tf.Session(executor=executor) as sess:
        assert sess.run(y, {p: True, x: 2.0}) == 8.0 and sess.run(y, {p: False, x: 2.0}) == 2.0
        assert sess.run(collatz) == 111


def test_a_variable_is_read_afresh_in_each_iteration(executor):
    # Sequential semantics: each iteration reads the value after its own assign_add (TF1 with
    # parallel_iterations > 1 may interleave iterations; graphflow runs them in order).
    v = tf.Variable(0.0)

    def body(i, acc):
        with tf.control_dependencies([v.assign_add(1.0)]):
            return i + 1, acc + v

    _, acc = tf.while_loop(lambda i, a: i < 3, body, [0, 0.0])
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(acc) == 1.0 + 2.0 + 3.0 and sess.run(v) == 3.0
        assert sess.run(acc) == 4.0 + 5.0 + 6.0


def test_variables_created_in_a_body_are_lifted_to_the_graph(executor):
    def body(i, h):
        with tf.variable_scope("cell", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer(0.5))
        return i + 1, tf.matmul(h, w)

    h0 = tf.placeholder(tf.float32, [None, 2])
    _, h = tf.while_loop(lambda i, h: i < 3, body, [0, h0])
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["cell/w"] and [v.op.name for v in tf.trainable_variables()] == ["cell/w"]
    assert tf.global_variables()[0].graph is tf.get_default_graph()
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(h, {h0: [[1.0, 1.0]]}), [[1.0, 1.0]])


def test_an_error_in_the_body_names_the_op_and_the_users_line():
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    loop = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v + y), [0, x])[1]
    with tf.Session() as sess, pytest.raises(InvalidArgumentError,
                                             match=r"while/add.*test_while_loop.py:\d+"):
        sess.run(loop, {x: [1.0, 2.0], y: [1.0, 2.0, 3.0]})


def test_training_through_a_loop_with_gradient_descent(executor):
    # loss = (w**3 * x - y)**2 with w**3 built by a loop: w converges to (y / x) ** (1 / 3)
    w = tf.Variable(1.0, name="w")
    x, y = tf.constant(1.0), tf.constant(8.0)
    _, cube = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, p * w), [0, 1.0])
    loss = tf.square(cube * x - y)
    step = tf.train.GradientDescentOptimizer(0.002).minimize(loss)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(300):
            sess.run(step)
        assert first == 49.0 and sess.run(loss) < 1e-4
        np.testing.assert_allclose(sess.run(w), 2.0, rtol=1e-3)


def test_an_rnn_built_from_a_dense_layer_with_dropout_in_the_body_trains(executor):
    # dynamic_rnn's pattern: the cell's variables are made inside the body, dropout too
    x = tf.placeholder(tf.float32, [None, 4, 3])

    def body(t, h):
        joined = tf.concat([x[:, t, :], h], 1)
        h = tf.layers.dense(joined, 5, activation=tf.tanh, name="cell", reuse=tf.AUTO_REUSE)
        return t + 1, tf.nn.dropout(h, keep_prob=0.9)

    h0 = tf.zeros_like(x[:, 0, :1]) * tf.zeros([1, 5])
    _, h = tf.while_loop(lambda t, h: t < 4, body, [0, h0])
    assert [v.op.name for v in tf.trainable_variables()] == ["cell/kernel", "cell/bias"]
    assert h.shape.as_list() == [None, 5]
    loss = tf.reduce_mean(tf.square(h - 0.5))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    data = np.random.default_rng(0).random((8, 4, 3)).astype(np.float32)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data})
        for _ in range(60):
            sess.run(train, {x: data})
        assert sess.run(loss, {x: data}) < first / 3


def test_a_variable_initialised_from_a_tensor_of_the_body_is_an_error():
    def body(i):
        tf.Variable(tf.cast(i, tf.float32) * 2.0, name="bad")
        return i + 1

    with pytest.raises(ValueError, match="Initializer for variable bad is from inside a "
                                         "control-flow construct"):
        tf.while_loop(lambda i: i < 2, body, [0])
