"""tf.data functions are traced into the same FuncGraph as control flow's branches and bodies,
with the options a dataset needs: names of their own, variables captured as values."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphError
from graphflow.ops.function_graph import FuncGraph

D = tf.data.Dataset


def test_a_dataset_function_is_a_func_graph_with_names_of_its_own():
    seen = []

    def fn(x):
        seen.append(tf.get_default_graph())
        return tf.multiply(x, 2, name="mul")

    tf.multiply(tf.constant(1), 3, name="mul")
    D.range(3).map(fn)
    graph = seen[0]
    assert isinstance(graph, FuncGraph) and graph.own_names and not graph.read_variables
    assert graph.get_operation_by_name("mul").graph is graph  # not renamed mul_1
    assert tf.multiply(tf.constant(1), 3, name="mul").op.name == "mul_1"  # outer names untouched
    assert not tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)


def test_a_captured_variable_is_its_value_at_initialisation():
    v = tf.Variable(10, dtype=tf.int64, name="v")
    it = tf.data.make_initializable_iterator(D.range(3).map(lambda x: x + v))
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(it.initializer)
        first = sess.run(nxt)
        sess.run(v.assign(100))
        assert [first, sess.run(nxt)] == [10, 11]  # not re-read per element
        sess.run(it.initializer)
        assert sess.run(nxt) == 100


def test_a_function_may_return_a_tensor_of_the_outer_graph(elements):
    offset = tf.constant(np.float32([1.5, 2.5]))
    ds = D.range(2).map(lambda x: (x, offset))
    assert ds.output_shapes[1] == tf.TensorShape([2])
    assert [e[1].tolist() for e in elements(ds)] == [[1.5, 2.5], [1.5, 2.5]]


def test_nested_functions_capture_through_each_other():
    scale = tf.placeholder(tf.int64, [])
    ds = D.range(2).flat_map(lambda x: D.range(2).map(lambda y: x * 10 + y * scale))
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {scale: 3})
        assert [sess.run(nxt) for _ in range(4)] == [0, 3, 10, 13]


def test_waiting_on_an_outer_op_is_a_clear_error():
    outer = tf.no_op(name="outer_step")

    def fn(x):
        with tf.control_dependencies([outer]):
            return tf.identity(x)

    with pytest.raises(GraphError, match="Dataset.map called at .*waits .*outer_step"):
        D.range(3).map(fn)
