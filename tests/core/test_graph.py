"""Building graphs: default and user names, scopes, default graphs, collections, control deps."""

import inspect
import os

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphError


def here() -> int:
    """The caller's current line."""
    return inspect.currentframe().f_back.f_lineno


# --- names ------------------------------------------------------------------------------------
def test_default_names():
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    w = tf.Variable(1.0)
    b = tf.Variable(2.0)
    m = x * w
    m1 = tf.multiply(y, b)
    assert [t.name for t in (x, y, w, b, m, m1)] == [
        "Placeholder:0", "Placeholder_1:0", "Variable:0", "Variable_1:0", "mul:0", "Mul_1:0"]
    # TF1's names: `*` builds `mul`, tf.multiply `Mul`, and names are unique ignoring case
    assert x.op.name == "Placeholder" and m1.op.name == "Mul_1"
    assert m.op.type == "Mul" and x.op.type == "Placeholder"


def test_user_names():
    w = tf.Variable(np.zeros((2, 3), np.float32), name="weights_0")
    b = tf.Variable(np.zeros(3, np.float32), name="bias_0")
    x = tf.placeholder(tf.float32, name="x")
    x2 = tf.placeholder(tf.float32, name="x")
    assert (w.name, b.name, x.name, x2.name) == ("weights_0:0", "bias_0:0", "x:0", "x_1:0")


def test_suffixed_names_skip_taken_ones():
    tf.placeholder(tf.float32, name="foo_1")
    assert tf.placeholder(tf.float32, name="foo").name == "foo:0"
    assert tf.placeholder(tf.float32, name="foo").name == "foo_2:0"


def test_name_scope():
    x = tf.placeholder(tf.float32)
    with tf.name_scope("s") as scope:
        assert scope == "s/"
        m = x * 2.0
        with tf.name_scope("inner"):
            n = x * 3.0
        v = tf.Variable(1.0, name="v")
    with tf.name_scope("s") as scope2:
        m2 = x * 2.0
    assert scope2 == "s_1/"
    assert (m.name, n.name, v.name, m2.name) == ("s/mul:0", "s/inner/mul:0", "s/v:0", "s_1/mul:0")
    assert (x * 2.0).name == "mul:0"  # outside the scopes, names start over (TF1's names)


def test_reset_default_graph_resets_counters():
    g = tf.get_default_graph()
    tf.placeholder(tf.float32)
    assert tf.placeholder(tf.float32).name == "Placeholder_1:0"
    tf.reset_default_graph()
    assert tf.get_default_graph() is not g
    assert tf.placeholder(tf.float32).name == "Placeholder:0"
    assert tf.Variable(1.0).name == "Variable:0"


def test_graph_as_default():
    outer = tf.get_default_graph()
    g = tf.Graph()
    with g.as_default() as entered:
        assert entered is g and tf.get_default_graph() is g
        c = tf.constant(1.0)
        v = tf.Variable(2.0)
    assert tf.get_default_graph() is outer
    assert c.graph is g and v.graph is g
    assert len(outer.get_operations()) == 0
    assert tf.constant(1.0).name == "Const:0"  # separate graphs, separate counters
    with tf.Session(graph=g) as sess:
        assert tf.get_default_graph() is g  # a Session's `with` makes its graph the default
        sess.run(tf.global_variables_initializer())
        assert sess.run(c + v) == 3.0


def test_reset_default_graph_inside_as_default_raises():
    with tf.Graph().as_default():
        with pytest.raises(AssertionError):
            tf.reset_default_graph()


def test_str_of_tensors_is_tf1_style():
    x = tf.placeholder(tf.float32, [None, 784])
    tf.reduce_mean(x)
    mean = tf.reduce_mean(x)
    assert str(mean) == 'Tensor("Mean_1:0", shape=(), dtype=float32)'
    assert str(x) == 'Tensor("Placeholder:0", shape=(?, 784), dtype=float32)'
    assert "Mean_1:0" in repr(mean)


# --- collections ------------------------------------------------------------------------------
def test_variable_collections():
    w = tf.Variable(1.0, name="w")
    frozen = tf.Variable(2.0, name="frozen", trainable=False)
    assert tf.global_variables() == [w, frozen]
    assert tf.trainable_variables() == [w]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [w, frozen]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [w]
    assert w.trainable and not frozen.trainable


def test_collections_by_scope_and_user_collections():
    with tf.name_scope("layer1"):
        a = tf.Variable(1.0, name="w")
    b = tf.Variable(1.0, name="w")
    assert tf.global_variables(scope="layer1") == [a]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b]
    loss = tf.constant(0.5)
    tf.add_to_collection("losses", loss)
    assert tf.get_collection("losses") == [loss]
    tf.get_collection_ref("extra").append(loss)
    assert tf.get_collection("extra") == [loss]
    assert tf.get_collection("nothing") == []


# --- control dependencies and group -----------------------------------------------------------
def test_control_dependencies_run_first():
    v = tf.Variable(0.0)
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        done = tf.no_op()
        c = tf.constant(7.0)
    assert inc.op in done.control_inputs and inc.op in c.op.control_inputs
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(done) is None
        assert sess.run(c) == 7.0
        assert sess.run(v) == 2.0


def test_control_dependencies_none_clears():
    v = tf.Variable(0.0)
    with tf.control_dependencies([v.initializer]):
        with tf.control_dependencies(None):
            c = tf.constant(1.0)
    assert c.op.control_inputs == ()


def test_group_runs_every_input():
    a = tf.Variable(0.0)
    b = tf.Variable(0.0)
    both = tf.group(a.assign(1.0), [b.assign(2.0)])
    assert both.type == "NoOp"
    with tf.Session() as sess:
        assert sess.run(both) is None
        assert sess.run([a, b]) == [1.0, 2.0]


# --- lookup -----------------------------------------------------------------------------------
def test_get_tensor_and_operation_by_name():
    g = tf.get_default_graph()
    x = tf.placeholder(tf.float32, name="x")
    y = tf.multiply(x, 2.0, name="y")
    assert g.get_tensor_by_name("x:0") is x
    assert g.get_tensor_by_name("y:0") is y
    assert g.get_operation_by_name("y") is y.op
    assert g.as_graph_element("y:0") is y and g.as_graph_element("y") is y.op
    assert x.op in g.get_operations()


def test_lookup_errors():
    g = tf.get_default_graph()
    tf.placeholder(tf.float32, name="x")
    with pytest.raises(GraphError, match="no operation named 'nope'"):
        g.get_operation_by_name("nope")
    with pytest.raises(GraphError, match="no operation named 'nope'"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(GraphError, match="'x' is not a tensor name.*get_operation_by_name"):
        g.get_tensor_by_name("x")
    with pytest.raises(GraphError, match="'x:1' does not exist"):
        g.get_tensor_by_name("x:1")
    with pytest.raises(ValueError):  # GraphError is a ValueError, as TF1's KeyError/ValueError
        g.get_operation_by_name("x:0")


def test_finalize_then_adding_a_node_raises():
    x = tf.placeholder(tf.float32)
    g = tf.get_default_graph()
    g.finalize()
    assert g.finalized
    with pytest.raises(GraphError, match="finalized"):
        x * 2.0
    with pytest.raises(GraphError, match="finalized"):
        tf.Variable(1.0)
    with tf.Session() as sess:  # running a finalized graph is fine
        assert sess.run(x, {x: 3.0}) == 3.0


def test_inputs_from_different_graphs_raise():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    with pytest.raises(GraphError, match="different graph"):
        a + tf.constant(2.0)


# --- creation sites ---------------------------------------------------------------------------
def test_creation_site_is_the_users_line():
    x = tf.placeholder(tf.float32); line = here()  # noqa: E702
    y = x * 2.0; line_y = here()  # noqa: E702
    v = tf.Variable(1.0); line_v = here()  # noqa: E702
    for node, expected in ((x.op, line), (y.op, line_y), (v.op, line_v)):
        assert os.path.samefile(node.site.filename, __file__)
        assert node.site.lineno == expected
        assert node.site.function == "test_creation_site_is_the_users_line"
    assert f"{os.path.basename(__file__)}:{line}" in str(x.op.site)
    assert f":{line_y}" in y.op.describe()


def helper_building_a_layer(x):
    return x * 3.0


def test_creation_site_inside_a_user_function():
    y = helper_building_a_layer(tf.placeholder(tf.float32))
    assert y.op.site.function == "helper_building_a_layer"
    assert os.path.samefile(y.op.site.filename, __file__)
