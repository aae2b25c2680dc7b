"""A graphflow Graph as a GraphDef: names with scopes, inputs, control inputs, devices, attrs."""

import numpy as np
import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402
from graphflow.summary.graph_def import MAX_CONSTANT_ELEMENTS, graph_to_graph_def  # noqa: E402


def _nodes(graph=None):
    return {n.name: n for n in graph_to_graph_def(graph).node}


def _dims(shape_proto):
    return None if shape_proto.unknown_rank else [d.size for d in shape_proto.dim]


def test_nodes_keep_scoped_names_types_and_inputs_in_creation_order():
    with tf.name_scope("layer"):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(tf.zeros([3, 2]), name="W")
        y = tf.matmul(x, w)
    parts = tf.split(y, 2, axis=1)
    z = tf.add(parts[0], parts[1], name="z")
    graph_def = graph_to_graph_def()
    assert [n.name for n in graph_def.node] == [op.name for op in tf.get_default_graph()
                                                .get_operations()]
    nodes = _nodes()
    assert nodes["layer/x"].op == "Placeholder" and nodes["layer/W"].op == "VariableV2"
    assert list(nodes["layer/MatMul"].input) == ["layer/x", "layer/W"]
    assert list(nodes[z.op.name].input) == [parts[0].op.name, f"{parts[1].op.name}:1"]
    # The assign that initialises W names W first, as TF's `ref` input.
    assign = nodes[w.initializer.name]
    assert assign.input[0] == "layer/W" and assign.op == "Assign"


def test_control_inputs_devices_and_attrs():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.device("/cpu:0"):
        doubled = tf.multiply(x, 2.0, name="doubled")
    with tf.control_dependencies([doubled]):
        out = tf.identity(x, name="out")
    tf.placeholder(tf.int32, None, name="unknown")
    nodes = _nodes()
    assert list(nodes["out"].input) == ["x", "^doubled"]
    assert nodes["doubled"].device == "/cpu:0" and nodes["out"].device == ""
    placeholder = nodes["x"]
    assert placeholder.attr["dtype"].type == 1  # DT_FLOAT
    assert _dims(placeholder.attr["shape"].shape) == [-1, 3]
    assert [_dims(s) for s in placeholder.attr["_output_shapes"].list.shape] == [[-1, 3]]
    assert nodes["unknown"].attr["dtype"].type == 3  # DT_INT32
    assert nodes["unknown"].attr["shape"].shape.unknown_rank
    assert out.shape.as_list() == [None, 3]


def test_constant_values_small_ones_kept_large_ones_left_out():
    from tensorboard.util import tensor_util

    tf.constant([[1.0, 2.0], [3.0, 4.0]], name="small")
    tf.constant("text", name="words")
    tf.constant(np.zeros(MAX_CONSTANT_ELEMENTS + 1, np.float32), name="big")
    nodes = _nodes()
    np.testing.assert_array_equal(tensor_util.make_ndarray(nodes["small"].attr["value"].tensor),
                                  [[1.0, 2.0], [3.0, 4.0]])
    assert list(nodes["words"].attr["value"].tensor.string_val) == [b"text"]
    assert "value" not in nodes["big"].attr
    assert [_dims(s) for s in nodes["big"].attr["_output_shapes"].list.shape] == [
        [MAX_CONSTANT_ELEMENTS + 1]]


def test_numbers_bools_lists_and_other_graphs():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [2, 3], name="a")
        tf.transpose(a, [1, 0], name="t")
        tf.reduce_sum(a, axis=[0], keepdims=True, name="s")
    nodes = _nodes(g)
    assert list(nodes["t"].attr["perm"].list.i) == [1, 0]
    assert list(nodes["s"].attr["axis"].list.i) == [0]
    assert nodes["s"].attr["keepdims"].b is True
    assert [_dims(s) for s in nodes["s"].attr["_output_shapes"].list.shape] == [[1, 3]]
    assert len(graph_to_graph_def(g).node) == len(g.get_operations())
    assert graph_to_graph_def(tf.Graph()).node == []
