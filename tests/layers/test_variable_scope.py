"""variable_scope and get_variable: TF1's sharing rules, errors, naming and per-graph stores."""

import numpy as np
import pytest

import graphflow as tf


def run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_get_variable_names_the_variable_by_its_scope_and_uses_glorot_uniform():
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [30, 20])
    assert w.name == "layer/w:0" and w.shape.as_list() == [30, 20]
    assert w in tf.trainable_variables() and w in tf.global_variables()
    (value,) = run(w)
    assert np.abs(value).max() <= np.sqrt(6 / 50)
    init_ops = [op.name for op in tf.get_default_graph().get_operations()
                if op.name.startswith("layer/w/Initializer/")]
    assert init_ops, "the initializer's ops live under <var>/Initializer"


def test_creating_twice_without_reuse_is_tf1s_error():
    with tf.variable_scope("x"):
        tf.get_variable("w", [2])
    with pytest.raises(ValueError, match=r"Variable x/w already exists, disallowed\. Did you "
                                         r"mean to set reuse=True"):
        with tf.variable_scope("x"):
            tf.get_variable("w", [2])


def test_reuse_true_returns_the_same_variable_and_refuses_new_ones():
    with tf.variable_scope("x"):
        w = tf.get_variable("w", [2, 3])
    with tf.variable_scope("x", reuse=True):
        assert tf.get_variable("w", [2, 3]) is w
        assert tf.get_variable("w") is w  # the shape may be left out
        with pytest.raises(ValueError, match=r"Variable x/v does not exist, or was not created "
                                             r"with graphflow\.get_variable\(\)"):
            tf.get_variable("v", [1])
    assert len(tf.global_variables()) == 1


def test_reuse_with_another_shape_names_both_shapes():
    with tf.variable_scope("x"):
        tf.get_variable("w", [2, 3])
    with pytest.raises(ValueError, match=r"x/w.*specified shape \(3, 2\).*found shape \(2, 3\)"):
        with tf.variable_scope("x", reuse=True):
            tf.get_variable("w", [3, 2])
    with pytest.raises(ValueError, match="specified dtype float64 and found dtype float32"):
        with tf.variable_scope("x", reuse=True):
            tf.get_variable("w", [2, 3], dtype=tf.float64)


def test_auto_reuse_creates_once_then_shares():
    def layer():
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            return tf.get_variable("w", [4])

    assert layer() is layer()
    assert [v.name for v in tf.global_variables()] == ["shared/w:0"]


def test_reuse_is_inherited_by_inner_scopes_and_reuse_variables_switches_it_on():
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner"):
            w = tf.get_variable("w", [1])
    with tf.variable_scope("outer", reuse=True):
        with tf.variable_scope("inner", reuse=False):  # False cannot turn reuse off, as in TF1
            assert tf.get_variable_scope().reuse is True
            assert tf.get_variable("w") is w
    with tf.variable_scope("outer"):
        tf.get_variable_scope().reuse_variables()
        with tf.variable_scope("inner"):
            assert tf.get_variable("w") is w


def test_ops_get_fresh_name_scopes_while_variables_keep_the_scope_name():
    x = tf.placeholder(tf.float32, [None, 2])
    with tf.variable_scope("fc"):
        y1 = tf.matmul(x, tf.get_variable("w", [2, 2]))
    with tf.variable_scope("fc", reuse=True):
        y2 = tf.matmul(x, tf.get_variable("w", [2, 2]))
    assert (y1.name, y2.name) == ("fc/MatMul:0", "fc_1/MatMul:0")
    with tf.name_scope("block"):
        v = tf.get_variable("v", [1])  # get_variable ignores name scopes
        with tf.variable_scope("inner"):
            u = tf.get_variable("u", [1])
            op = tf.identity(u, name="out")
    assert (v.name, u.name, op.name) == ("v:0", "inner/u:0", "block/inner/out:0")


def test_reentering_a_scope_object_reaches_its_variables():
    with tf.variable_scope("model") as scope:
        w = tf.get_variable("w", [3])
    assert scope.name == "model" and scope.original_name_scope == "model/"
    with tf.variable_scope(scope, reuse=True):
        assert tf.get_variable("w") is w
    with tf.variable_scope("elsewhere"):
        with tf.variable_scope(scope, reuse=True) as again:
            assert again.name == "model" and tf.get_variable("w") is w


def test_default_names_are_made_unique():
    names = []
    for _ in range(3):
        with tf.variable_scope(None, default_name="block"):
            names.append(tf.get_variable("w", [1]).name)
    assert names == ["block/w:0", "block_1/w:0", "block_2/w:0"]
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="block", reuse=True):
            pass


def test_scope_initializer_and_regularizer_apply_to_new_variables():
    reg = tf.contrib.layers.l2_regularizer(0.1)
    with tf.variable_scope("s", initializer=tf.constant_initializer(3.0), regularizer=reg):
        w = tf.get_variable("w", [2])
        b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2
    w_v, b_v, total = run(w, b, tf.losses.get_regularization_loss())
    np.testing.assert_array_equal(w_v, [3.0, 3.0])
    np.testing.assert_array_equal(b_v, [0.0, 0.0])
    assert total == pytest.approx(0.1 * (9 + 9) / 2)


def test_constant_initial_values_give_the_shape_and_shape_with_them_is_an_error():
    w = tf.get_variable("w", initializer=np.arange(6, dtype=np.float32).reshape(2, 3))
    t = tf.get_variable("t", initializer=tf.constant([1, 2], dtype=tf.int64))
    assert w.shape.as_list() == [2, 3] and t.dtype == tf.int64
    np.testing.assert_array_equal(run(w)[0], np.arange(6).reshape(2, 3))
    with pytest.raises(ValueError, match="do not specify shape"):
        tf.get_variable("u", [2], initializer=np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="must be fully defined"):
        tf.get_variable("v")


def test_integer_variables_default_to_zeros_and_trainable_false_is_respected():
    step = tf.get_variable("step", [], dtype=tf.int64, trainable=False)
    assert step not in tf.trainable_variables() and step in tf.global_variables()
    assert run(step)[0] == 0


def test_each_graph_has_its_own_store():
    tf.get_variable("w", [1])
    tf.reset_default_graph()
    w = tf.get_variable("w", [1])  # no "already exists": a fresh graph, a fresh store
    assert w.name == "w:0"
    g = tf.Graph()
    with g.as_default():
        assert tf.get_variable_scope().name == ""
        assert tf.get_variable("w", [1]).graph is g


def test_saver_restores_get_variable_by_name(tmp_path):
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m.ckpt"))
    tf.reset_default_graph()
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2])
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
