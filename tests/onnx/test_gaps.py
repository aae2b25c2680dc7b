"""Issue #15's export gaps: conv2d_transpose (ConvTranspose with explicit pads), one_hot, pad
(constant, REFLECT, SYMMETRIC), tile, and the inference graph of a model with dropout."""

import sys

import numpy as np
import pytest

pytest.importorskip("onnx", reason="ONNX export needs onnx: pip install graphflow[onnx]")
pytest.importorskip("onnxruntime", reason="the exported models run in onnxruntime: "
                    "pip install graphflow[onnx]")

import graphflow as tf  # noqa: E402
import graphflow.onnx as gfonnx  # noqa: E402
from graphflow.onnx import UnsupportedOpError  # noqa: E402

RNG = np.random.RandomState(1)


def f32(*shape):
    return RNG.randn(*shape).astype(np.float32)


def here(offset=0) -> str:
    return f"test_gaps.py:{sys._getframe(1).f_lineno + offset}"


def transposed_convolutions():
    x = tf.placeholder(tf.float32, [None, 4, 5, 3], name="x")
    w = tf.Variable(f32(3, 3, 2, 3))  # [h, w, out_channels, in_channels]
    w4 = tf.Variable(f32(4, 4, 2, 3))
    batch = tf.shape(x)[0]
    outs = [tf.nn.conv2d_transpose(x, w, tf.stack([batch, 8, 10, 2]), [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(x, w, tf.stack([batch, 7, 9, 2]), [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(x, w, tf.stack([batch, 9, 11, 2]), [1, 2, 2, 1], "VALID"),
            # VALID, stride 3: the last rows are past the kernel's reach (output_padding)
            tf.nn.conv2d_transpose(x, w, tf.stack([batch, 14, 17, 2]), [1, 3, 3, 1], "VALID"),
            tf.nn.conv2d_transpose(x, w4, tf.stack([batch, 8, 10, 2]), [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(x, w, tf.stack([batch, 4, 5, 2]), [1, 1, 1, 1], "SAME"),
            tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same"),
            tf.layers.conv2d_transpose(x, 4, (2, 3), strides=(1, 2), padding="valid",
                                       activation=tf.nn.relu)]
    return [x], outs, [(f32(2, 4, 5, 3),), (f32(1, 4, 5, 3),)]


def one_hots():
    i = tf.placeholder(tf.int32, [None], name="i")
    j = tf.placeholder(tf.int64, [None, 2], name="j")
    outs = [tf.one_hot(i, 4), tf.one_hot(i, 3, on_value=2.5, off_value=-1.0, axis=0),
            tf.one_hot(j, 5, dtype=tf.int32), tf.one_hot(j, 2, axis=1, dtype=tf.float64)]
    # negative and too-large indices give rows of off_value, as in TF1
    return [i, j], outs, [(np.int32([0, 3, -1, 5, 2]), np.int64([[1, -2], [4, 0]]))]


def pads_and_tiles():
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    n = tf.placeholder(tf.int32, [None, 2], name="n")
    outs = [tf.pad(x, [[0, 0], [1, 2], [0, 1]]),
            tf.pad(x, [[1, 0], [0, 0], [2, 2]], constant_values=1.5),
            tf.pad(x, [[0, 0], [2, 1], [3, 3]], "REFLECT"),
            tf.pad(x, [[0, 0], [3, 1], [0, 4]], "SYMMETRIC"),
            tf.pad(x, [[1, 1], [0, 0], [1, 0]], mode="symmetric"),
            tf.pad(n, [[1, 1], [1, 0]], constant_values=-7),
            tf.pad(x, [[0, 0], [0, 0], [0, 0]]),
            tf.tile(x, [1, 2, 3]), tf.tile(n, [3, 1]), tf.tile(x, [2, 1, 1]) * 2.0]
    return [x, n], outs, [(f32(2, 3, 4), np.int32([[1, 2], [3, 4]])),
                          (f32(1, 3, 4), np.int32([[5, 6]]))]


CASES = [transposed_convolutions, one_hots, pads_and_tiles]


@pytest.mark.parametrize("opset", [13, 17])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_op_family_matches_session_run(agrees, case, opset):
    inputs, outputs, feeds = case()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        agrees(sess, inputs, outputs, feeds, opset=opset)


def test_conv2d_transpose_writes_explicit_pads(exported):
    x = tf.placeholder(tf.float32, [None, 4, 5, 3], name="x")
    y = tf.nn.conv2d_transpose(x, tf.constant(f32(3, 3, 2, 3)), [2, 7, 9, 2], [1, 2, 2, 1])
    model, _ = exported(tf.get_default_graph(), [x], [y])
    (node,) = [n for n in model.graph.node if n.op_type == "ConvTranspose"]
    attrs = {a.name: list(a.ints) for a in node.attribute if a.ints}
    assert attrs["pads"] == [1, 1, 1, 1] and attrs["strides"] == [2, 2]
    assert not any(a.name == "auto_pad" for a in node.attribute)


def _mlp_with_dropout(keep_prob):
    """A 2-layer MLP as a course trains it: dropout after the hidden layer."""
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu)
    d = tf.nn.dropout(h, keep_prob)
    return x, tf.layers.dense(d, 3)


def _agree_without_feeding_the_switch(agrees, x, y):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        model = agrees(sess, [x], [y], [(f32(4, 6),), (f32(1, 6),)])
    ops = {n.op_type for n in model.graph.node}
    assert not ops & {"RandomUniform", "RandomUniformLike", "Floor"}
    return model


def test_dropout_with_a_defaulted_keep_prob_exports_its_inference_graph(agrees):
    keep = tf.placeholder_with_default(1.0, [], name="keep_prob")
    x, y = _mlp_with_dropout(keep)
    _agree_without_feeding_the_switch(agrees, x, y)


def test_layers_dropout_with_a_training_switch_exports_the_identity_branch(agrees):
    training = tf.placeholder_with_default(False, [], name="training")
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu)
    y = tf.layers.dense(tf.layers.dropout(h, 0.4, training=training), 3)
    _agree_without_feeding_the_switch(agrees, x, y)


def test_dropout_that_drops_at_export_is_refused_with_its_line():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    site = here(1)
    y = tf.nn.dropout(x, keep_prob=0.5, name="drop")
    with pytest.raises(UnsupportedOpError) as err:
        gfonnx.export(tf.get_default_graph(), [x], [y])
    message = str(err.value)
    assert "dropout 'drop'" in message and site in message
    assert "keep_prob is 0.5" in message and "placeholder_with_default(1.0" in message


def test_dropout_whose_keep_prob_is_an_input_cannot_be_decided():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    keep = tf.placeholder(tf.float32, [], name="keep")
    site = here(1)
    y = tf.nn.dropout(x, keep, name="drop")
    with pytest.raises(UnsupportedOpError) as err:
        gfonnx.export(tf.get_default_graph(), [x, keep], [y])
    message = str(err.value)
    assert "cannot decide whether the dropout 'drop'" in message and site in message
    assert "'keep:0'" in message


def test_a_training_switch_left_on_refuses_the_dropout():
    training = tf.placeholder_with_default(True, [], name="training")
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.layers.dropout(x, 0.25, training=training)
    with pytest.raises(UnsupportedOpError, match=r"keep_prob is 0\.75"):
        gfonnx.export(tf.get_default_graph(), [x], [y])


def test_a_decided_switch_between_shapes_that_broadcast_keeps_its_where(agrees):
    flag = tf.placeholder_with_default(True, [], name="flag")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.where(flag, tf.constant([1.0, 2.0, 3.0]), x)  # the result has x's shape
    with tf.Session() as sess:
        model = agrees(sess, [x], [y], [(f32(2, 3),)])
    assert "Where" in {n.op_type for n in model.graph.node}
