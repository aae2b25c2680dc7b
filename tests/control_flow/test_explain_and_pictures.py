"""explain shows a control-flow step's sub-plans; pictures draw its sub-graphs as clusters."""

import numpy as np

import graphflow as tf
from graphflow.control_flow.ops import If, While
from graphflow.executors.state import HostState
from graphflow.viz.dot import to_dot


def loop_with_a_cond():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    body = lambda i, v: (i + 1, tf.cond(p, lambda: tf.tanh(v), lambda: v * 2.0))  # noqa: E731
    _, v = tf.while_loop(lambda i, v: i < 5, body, [tf.constant(0), x])
    return x, p, v


def test_explain_prints_the_loop_and_its_body_with_the_nested_cond():
    x, p, v = loop_with_a_cond()
    with tf.Session() as sess:
        text = sess.explain(v, {x: np.ones((2, 3)), p: True}, full=True)
    assert "= While(" in text and "control flow (sub-plans on static shapes):" in text
    assert "While 'while' cond:" in text and "While 'while' body:" in text
    assert "= Less(" in text and "= If(" in text
    assert "If 'while/cond' true branch:" in text and "= Tanh(" in text
    assert "If 'while/cond' false branch:" in text and "= Mul(" in text


def test_pictures_draw_each_sub_graph_as_a_cluster():
    _, _, v = loop_with_a_cond()
    text = to_dot(v)
    assert text == to_dot(v)  # deterministic
    for cluster in ("while/cond", "while/body", "while/cond/true branch",
                    "while/cond/false branch"):
        assert f'subgraph "cluster_sub:{cluster}"' in text
    assert '"x" -> "while/loop_var_1_1" [style="dotted"' in text  # a loop variable's entry
    assert '"p" -> "while/capture" [style="dotted"' in text  # a captured outer tensor
    assert '"while/cond/Tanh" -> "while/cond" [style="dotted"' in text  # a branch's result


def test_the_ops_reference_compute_interprets_the_sub_graphs():
    x = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * 3.0, lambda: -x)
    n, v = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v + x), [0, x])
    state = HostState(tf.get_default_graph())
    if_op, while_op = y.op.op, v.op.op
    assert isinstance(if_op, If) and isinstance(while_op, While)
    xs = np.array([1.0, 2.0], np.float32)
    np.testing.assert_allclose(if_op.compute(state, np.bool_(True), xs), [3.0, 6.0])
    np.testing.assert_allclose(if_op.compute(state, np.bool_(False), xs), [-1.0, -2.0])
    out = while_op.compute(state, np.int32(0), xs, xs)
    assert out[0] == 3 and out[2] == 3  # final counter, iteration count
    np.testing.assert_allclose(out[1], [4.0, 8.0])
    np.testing.assert_allclose(out[4], [xs, 2 * xs, 3 * xs])  # the loop variable per iteration


def test_a_forward_run_records_nothing(executor):
    # The body samples a growing shape: stacking its per-iteration draws would fail, so this
    # runs only because nothing is recorded when no gradient reads the records.
    _, t = tf.while_loop(
        lambda i, t: i < 3,
        lambda i, t: (i + 1, tf.concat([t, tf.random_uniform(tf.shape(t))], 0)),
        [0, tf.zeros([1])], shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    with tf.Session(executor=executor) as sess:
        assert sess.run(t).shape == (8,)
