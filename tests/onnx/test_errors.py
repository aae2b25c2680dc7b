"""What export refuses, and how it says so: the op type, its name, the line that built it."""

import sys

import numpy as np
import pytest

pytest.importorskip("onnx", reason="ONNX export needs onnx: pip install graphflow[onnx]")

import graphflow as tf  # noqa: E402
import graphflow.onnx as gfonnx  # noqa: E402
from graphflow.errors import GraphflowError  # noqa: E402
from graphflow.onnx import ExportError, UnsupportedOpError  # noqa: E402


def here(offset=0) -> str:
    """`test_errors.py:<line of the caller + offset>`."""
    return f"test_errors.py:{sys._getframe(1).f_lineno + offset}"


def test_an_op_without_converter_is_named_with_its_line_and_the_supported_list():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    site = here(1)
    y = x + tf.random_uniform([4], name="noise")  # a fresh draw each run: no ONNX form
    with pytest.raises(UnsupportedOpError) as err:
        gfonnx.export(tf.get_default_graph(), [x], [tf.nn.relu(y)])
    message = str(err.value)
    assert "RandomUniform 'noise/RandomUniform" in message
    assert site in message
    assert "Supported op types: Abs, Add, AddN" in message
    assert all(t in message for t in ("Conv2D", "MatMul", "MaxPool", "Softmax", "VariableV2"))
    assert isinstance(err.value, GraphflowError)
    assert "RandomUniform" not in message.split("Supported op types:")[1]


def test_batch_norm_in_training_mode_is_refused_with_the_reason():
    x = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x")
    ones, zeros = np.ones(3, np.float32), np.zeros(3, np.float32)
    site = here(1)
    y, _, _ = tf.nn.fused_batch_norm(x, ones, zeros, is_training=True, name="bn")
    with pytest.raises(UnsupportedOpError, match="FusedBatchNorm 'bn'") as err:
        gfonnx.export(tf.get_default_graph(), [x], [y])
    assert site in str(err.value) and "is_training=False" in str(err.value)


def test_a_bare_graph_whose_outputs_read_variables_asks_for_the_session():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    site = here(1)
    w = tf.Variable(np.eye(2, dtype=np.float32), name="w")
    with pytest.raises(ExportError, match="Session") as err:
        gfonnx.export(tf.get_default_graph(), [x], [tf.matmul(x, w)])
    assert "VariableV2 'w'" in str(err.value) and site in str(err.value)


def test_an_uninitialized_variable_has_no_value_to_freeze():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable(np.eye(2, dtype=np.float32), name="w")
    with tf.Session() as sess, pytest.raises(ExportError, match="not initialized") as err:
        gfonnx.export(sess, [x], [tf.matmul(x, w)])
    assert "VariableV2 'w'" in str(err.value)


def test_a_needed_placeholder_missing_from_the_inputs_is_named_with_the_output():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    site = here(1)
    labels = tf.placeholder(tf.float32, [None, 2], name="labels")
    loss = tf.reduce_mean(tf.square(x - labels), name="loss")
    with pytest.raises(ExportError, match="Placeholder 'labels'") as err:
        gfonnx.export(tf.get_default_graph(), [x], [loss])
    assert site in str(err.value) and "needed by 'loss:0'" in str(err.value)


@pytest.mark.parametrize("opset", [12, 10_000, "17"])
def test_opsets_outside_the_supported_range_are_refused(opset):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with pytest.raises(ExportError, match="opset must be an int from 13"):
        gfonnx.export(tf.get_default_graph(), [x], [x + 1.0], opset=opset)


def test_unknown_ranks_at_the_model_boundary_are_refused():
    x = tf.placeholder(tf.float32, None, name="anything")
    with pytest.raises(ExportError, match="'anything:0'.*unknown rank"):
        gfonnx.export(tf.get_default_graph(), [x], [x + 1.0])
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with pytest.raises(ExportError, match="output 'Squeeze:0'.*unknown rank"):
        gfonnx.export(tf.get_default_graph(), [y], [tf.squeeze(y)])


def test_inputs_and_outputs_must_be_distinct_tensors_of_the_graph():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = x * 2.0
    graph = tf.get_default_graph()
    with pytest.raises(ExportError, match="operation"):
        gfonnx.export(graph, [x], [y.op])
    with pytest.raises(ExportError, match="twice"):
        gfonnx.export(graph, [x], [y, y])
    with pytest.raises(ExportError, match="empty"):
        gfonnx.export(graph, [x], [])
    with pytest.raises(TypeError, match="Graph or a Session"):
        gfonnx.export(object(), [x], [y])
    other = tf.Graph()
    with other.as_default():
        z = tf.placeholder(tf.float32, [2], name="z")
    with pytest.raises(ExportError, match="another graph"):
        gfonnx.export(graph, [x], [z])
