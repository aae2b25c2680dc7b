"""Gradients of captures a loop body reads one row at a time (x[k]): the backward loop stacks
each row's gradient and index and scatters them once after the loop (row_reads.py), instead of
carrying a dense [T, ...] accumulator. Values are checked in float64 against finite differences
(first and second order); the complexity by the backward While's loop-variable shapes."""

import numpy as np

import graphflow as tf
from graphflow.testing.gradient_check import check_gradients, relative_difference

TOL = 1e-6
RNG = np.random.default_rng(5)
T, B, D = 5, 2, 3


def backward_loops(graph) -> list:
    return [op for op in graph.get_operations()
            if op.type == "While" and op.name.endswith("While_grad")]


def carried_shapes(loop) -> list:
    return [tuple(t.shape.as_list()) if t.shape.rank is not None else None
            for t in loop.inputs[:loop.get_attr("n_vars")]]


def test_scan_map_fn_and_folds_over_rows_match_finite_differences(executor):
    x = RNG.normal(size=(T, B, D)) * 0.7
    fns = [
        lambda x: tf.scan(lambda a, r: tf.tanh(a * r + 0.5), x),
        lambda x: tf.scan(lambda a, r: a * tf.sin(r), x, reverse=True,
                          initializer=tf.ones([B, D], tf.float64)),
        lambda x: tf.map_fn(lambda r: r * r - tf.cos(r), x),
        lambda x: tf.map_fn(lambda r: r, x),  # the row itself is the loop's output
        lambda x: tf.foldl(lambda a, r: a * tf.cos(r) + r, x),
        lambda x: tf.foldr(lambda a, r: a - r * a, x, initializer=tf.ones([B, D], tf.float64)),
    ]
    for fn in fns:
        assert check_gradients(fn, [x], executor=executor) < TOL


def test_rows_and_other_uses_of_the_same_capture_add_up(executor):
    # x[i] and x[n-1-i] are two row reads; reduce_sum(x) keeps the dense accumulator.
    def loop(x, w):
        def body(i, h):
            k = tf.shape(x)[0] - 1 - i
            return i + 1, tf.tanh(h * w + x[i] - 0.5 * x[k] + 0.1 * tf.reduce_sum(x))
        return tf.while_loop(lambda i, h: i < T, body, [0, tf.zeros([D], tf.float64)])[1]

    assert check_gradients(loop, [RNG.normal(size=(T, D)), RNG.normal(size=(D,))],
                           executor=executor) < TOL
    graph = tf.Graph()
    with graph.as_default():
        x, w = tf.placeholder(tf.float64, [T, D]), tf.placeholder(tf.float64, [D])
        tf.gradients(loop(x, w), [x, w])
        (back,) = backward_loops(graph)
    assert (T, D) in carried_shapes(back)  # the dense part of x's gradient
    assert back.get_attr("n_stacked") == 4  # (row gradient, index) for each of the two reads


def test_a_row_read_of_a_vector_along_axis_minus_one(executor):
    def loop(v):
        return tf.foldl(lambda a, i: a * tf.gather(v, i, axis=-1) + 1.0,
                        tf.range(T), initializer=tf.constant(1.0, tf.float64))

    assert check_gradients(loop, [RNG.normal(size=(T,))], executor=executor) < TOL


def test_no_iterations_give_zero_gradients(executor):
    x = tf.placeholder(tf.float64, [None, D])
    n = tf.placeholder(tf.int32, [])
    h = tf.while_loop(lambda i, h: i < n, lambda i, h: (i + 1, h * x[i]),
                      [0, tf.ones([D], tf.float64)])[1]
    (g,) = tf.gradients(tf.reduce_sum(h), x)
    xv = RNG.normal(size=(3, D))
    with tf.Session(executor=executor) as sess:
        np.testing.assert_array_equal(sess.run(g, {x: xv, n: 0}), np.zeros((3, D)))
        got = sess.run(g, {x: xv, n: 2})
    expected = np.zeros((3, D))
    expected[0], expected[1] = xv[1], xv[0]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_second_order_gradients_through_row_reads(executor):
    def grad_of_scan(x, w):
        ys = tf.scan(lambda a, r: tf.sin(a * w + r), x, initializer=tf.zeros([D], tf.float64))
        return tf.gradients(tf.reduce_sum(ys * ys), [x, w])

    def grad_of_map(x):
        return tf.gradients(tf.reduce_sum(tf.map_fn(lambda r: r * r * r, x)), x)

    x = RNG.normal(size=(T, D)) * 0.5
    assert check_gradients(grad_of_scan, [x, RNG.normal(size=(D,))], executor=executor) < TOL
    assert check_gradients(grad_of_map, [x], executor=executor) < TOL


def test_dynamic_rnn_inputs_are_read_row_by_row(executor):
    x = tf.placeholder(tf.float64, [B, T, D])
    with tf.variable_scope("rnn_rows"):
        outs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), x, dtype=tf.float64)
    proj = tf.constant(RNG.normal(size=(B, T, 3)))
    loss = tf.reduce_sum(outs * proj) + tf.reduce_sum(tf.sin(state.c))
    (g,) = tf.gradients(loss, x)
    xv = RNG.normal(size=(B, T, D))
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        symbolic = sess.run(g, {x: xv})
        numeric = np.zeros_like(xv)
        eps = 1e-6
        for idx in np.ndindex(xv.shape):
            up, down = xv.copy(), xv.copy()
            up[idx] += eps
            down[idx] -= eps
            numeric[idx] = (sess.run(loss, {x: up}) - sess.run(loss, {x: down})) / (2 * eps)
    assert relative_difference(symbolic, numeric) < TOL
    (back,) = backward_loops(tf.get_default_graph())
    assert (T, None, D) not in carried_shapes(back) and (T, B, D) not in carried_shapes(back)


def test_the_backward_loop_carries_no_accumulator_for_a_row_read_capture():
    # The complexity check without timing: per iteration only [B, D] rows leave the loop.
    steps = 40
    x = tf.placeholder(tf.float32, [steps, B, D])
    w = tf.placeholder(tf.float32, [D])
    ys = tf.scan(lambda a, r: tf.tanh(a * w + r), x, initializer=tf.zeros([B, D]))
    gx, gw = tf.gradients(tf.reduce_sum(ys), [x, w])
    (back,) = backward_loops(tf.get_default_graph())
    shapes = carried_shapes(back)
    assert all(s is None or not s or s[0] != steps for s in shapes), shapes
    assert (D,) in shapes  # w, read whole each iteration, keeps its dense accumulator
    assert gx.op.type == "ScatterAddTo" and gx.shape.as_list() == [steps, B, D]
    assert gw.shape.as_list() == [D]


def test_nested_loops_reading_rows_of_rows(executor):
    # The outer body reads x[i] ([J, D]); the inner loop reads rows of that row: both scatter.
    def nested(x):
        def outer(i, h):
            row = tf.gather(x, i)
            inner = tf.while_loop(lambda j, g: j < 3,
                                  lambda j, g: (j + 1, tf.sin(g + tf.gather(row, j))), [0, h])
            return i + 1, inner[1] * 0.9
        return tf.while_loop(lambda i, h: i < 2, outer, [0, tf.zeros([D], tf.float64)])[1]

    assert check_gradients(nested, [RNG.normal(size=(2, 3, D))], executor=executor) < TOL


def test_gathering_one_row_of_a_strided_tensor_copies_only_that_row():
    # dynamic_rnn reads rows of its transposed inputs: the row is taken without copying it all.
    from graphflow.ops.gather import GatherV2

    params = np.arange(2 * 4 * 3, dtype=np.float32).reshape(2, 4, 3).transpose(1, 0, 2)
    for axis, index in ((0, 2), (1, 1), (-1, 0)):
        got = GatherV2(axis=axis).compute(params, np.int32(index))
        np.testing.assert_array_equal(got, np.take(params, index, axis=axis))
        assert got.flags.owndata and not np.shares_memory(got, params)


def test_a_row_read_gradient_survives_save_and_import(tmp_path):
    w = tf.Variable(np.full([D], 0.5), name="w")
    x = tf.placeholder(tf.float64, [T, D], name="x")
    ys = tf.scan(lambda a, r: tf.tanh(a * w + r), x, initializer=tf.zeros([D], tf.float64))
    grads = tf.gradients(tf.reduce_sum(ys * ys), [x, w], name="grads")
    xv = RNG.normal(size=(T, D))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(grads, {x: xv})
        path = saver.save(sess, str(tmp_path / "model"))
    names = [g.name for g in grads]
    tf.reset_default_graph()
    restorer = tf.train.import_meta_graph(path + ".meta.json")
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name(names[0]).op.type == "ScatterAddTo"
    with tf.Session() as sess:
        restorer.restore(sess, path)
        after = sess.run([graph.get_tensor_by_name(n) for n in names], {"x:0": xv})
    for a, b in zip(after, before):
        np.testing.assert_allclose(a, b, rtol=1e-12)
