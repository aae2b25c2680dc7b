"""Each op family exported on its own, run in onnxruntime and compared with Session.run."""

import numpy as np
import pytest

pytest.importorskip("onnx", reason="ONNX export needs onnx: pip install graphflow[onnx]")
pytest.importorskip("onnxruntime", reason="the exported models run in onnxruntime: "
                    "pip install graphflow[onnx]")

import graphflow as tf  # noqa: E402

RNG = np.random.RandomState(0)


def f32(*shape):
    return RNG.randn(*shape).astype(np.float32)


def matmuls():
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    b = tf.placeholder(tf.float32, [4, 3], name="b")
    c = tf.placeholder(tf.float32, [None, 4], name="c")
    w = tf.Variable(f32(4, 3))
    outs = [tf.matmul(a, w, transpose_b=True), tf.matmul(a, b, transpose_b=True),
            tf.matmul(b, c, transpose_a=True, transpose_b=True),
            tf.matmul(tf.cast(a > 0, tf.int32), tf.ones([4, 3], tf.int32), transpose_b=True)]
    return [a, b, c], outs, [(f32(2, 3), f32(4, 3), f32(6, 4)), (f32(5, 3), f32(4, 3), f32(1, 4))]


def binaries():
    x = tf.placeholder(tf.float32, [None, 1, 4], name="x")
    y = tf.placeholder(tf.float32, [3, 1], name="y")
    pos = tf.abs(x) + 0.5
    outs = [x + y, x - y, x * y, x / (tf.abs(y) + 1), tf.maximum(x, y), tf.minimum(x, y),
            tf.pow(pos, y), tf.squared_difference(x, y), tf.nn.bias_add(x * y, [1., 2, 3, 4]),
            tf.add_n([x, x * 2, x * 3])]
    return [x, y], outs, [(f32(2, 1, 4), f32(3, 1)), (f32(1, 1, 4), f32(3, 1))]


def unaries():
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    pos = tf.abs(x) + 0.1
    outs = [-x, tf.abs(x), tf.exp(x), tf.log(pos), tf.sqrt(pos), tf.rsqrt(pos), tf.square(x),
            tf.reciprocal(pos), tf.floor(x * 3), tf.ceil(x * 3), tf.round(x * 2), tf.sign(x),
            tf.nn.relu(x), tf.nn.relu6(x * 5), tf.nn.leaky_relu(x, 0.1), tf.nn.elu(x),
            tf.nn.selu(x), tf.nn.softplus(x * 10), tf.nn.softsign(x), tf.sigmoid(x),
            tf.tanh(x), tf.identity(x), tf.stop_gradient(x)]
    return [x], outs, [(f32(3, 6),), (np.float32([[0.5, 1.5, 2.5, -0.5, -2.5, 0]]),)]


def logic_and_casts():
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    y = tf.placeholder(tf.float32, [None, 5], name="y")
    big = tf.greater(x, y)
    outs = [tf.where(big, x, y), tf.cast(tf.logical_and(big, tf.less(x, 0.5)), tf.float32),
            tf.cast(tf.not_equal(tf.round(x), tf.round(y)), tf.int32), tf.cast(x * 4, tf.int32),
            tf.cast(tf.logical_not(tf.greater_equal(x, y)), tf.float32),
            tf.cast(tf.logical_or(tf.less_equal(x, 0.0), tf.equal(x, y)), tf.int64)]
    return [x, y], outs, [(f32(4, 5), f32(4, 5))]


def softmaxes():
    x = tf.placeholder(tf.float32, [None, 3, 5], name="x")
    outs = [tf.nn.softmax(x), tf.nn.softmax(x, axis=1), tf.nn.log_softmax(x),
            tf.nn.log_softmax(x, axis=0)]
    return [x], outs, [(f32(2, 3, 5) * 5,), (f32(1, 3, 5),)]


def reductions():
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    n = tf.placeholder(tf.int32, [None, 3], name="n")
    outs = [tf.reduce_sum(x, 1, keepdims=True), tf.reduce_mean(x), tf.reduce_max(x, [0, 2]),
            tf.reduce_min(x, -1), tf.reduce_prod(x, [1]), tf.reduce_mean(x, [1, 2]),
            tf.reduce_sum(n, 0), tf.reduce_any(tf.greater(x, 1.0), 2),
            tf.reduce_all(tf.greater(x, -1.5), [0, 1], keepdims=True),
            tf.argmax(x, 1), tf.argmax(x, -1, output_type=tf.int32), tf.argmin(x, 2)]
    return [x, n], outs, [(f32(2, 3, 4), RNG.randint(-5, 5, (2, 3)).astype(np.int32)),
                          (f32(1, 3, 4), RNG.randint(-5, 5, (1, 3)).astype(np.int32))]


def array_ops():
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    i = tf.placeholder(tf.int32, [2], name="i")
    outs = [tf.reshape(x, [-1, 2, 6]), tf.transpose(x, [2, 0, 1]), tf.transpose(x),
            tf.expand_dims(x, -1), tf.squeeze(tf.expand_dims(x, 1), [1]),
            tf.squeeze(x[:, :1, :1], [1, 2]), tf.concat([x, x * 2], -1), tf.concat([x, x], 0),
            tf.stack([x, -x], 1), x[:, 1:3, ::-1], x[..., 0], x[None, -1], x[:, -2, 1::2],
            tf.gather(x, i, axis=2), tf.layers.flatten(x)]
    return [x, i], outs, [(f32(2, 3, 4), np.int32([3, 0])), (f32(1, 3, 4), np.int32([1, 1]))]


def dynamic_shapes():
    """`flatten` of unknown spatial dims: Shape, StridedSlice, Pack and a runtime Reshape."""
    x = tf.placeholder(tf.float32, [None, None, 4], name="x")
    d = tf.placeholder_with_default(np.float32(2.0), [], name="d")
    outs = [tf.layers.flatten(x) * d, tf.shape(x), tf.reshape(x, tf.shape(x)[::-1])]
    return [x], outs, [(f32(2, 3, 4),), (f32(1, 5, 4),)]


def convolutions():
    x = tf.placeholder(tf.float32, [None, None, None, 3], name="x")  # SAME -> SAME_UPPER
    y = tf.placeholder(tf.float32, [None, 9, 8, 3], name="y")        # SAME -> explicit pads
    w = tf.Variable(f32(3, 3, 3, 4))
    outs = [tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"), tf.nn.conv2d(y, w, [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d(y, w, [1, 1, 1, 1], "VALID", dilations=[1, 2, 2, 1]),
            tf.nn.conv2d(y, w, [1, 1, 2, 1], [[0, 0], [1, 0], [2, 1], [0, 0]]),
            tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
            tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
            tf.nn.avg_pool(y, [1, 2, 3, 1], [1, 2, 1, 1], "VALID"),
            tf.nn.max_pool(tf.nn.conv2d(y, w, [1, 1, 1, 1], "SAME"), 2, 2, "SAME")]
    return [x, y], outs, [(f32(2, 7, 6, 3), f32(2, 9, 8, 3)), (f32(1, 8, 5, 3), f32(3, 9, 8, 3))]


def batch_norms():
    x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
    scale, offset, mean = tf.Variable(f32(3)), tf.Variable(f32(3)), tf.Variable(f32(3))
    var = tf.Variable(np.float32([0.5, 1.0, 2.0]))
    y, m, v = tf.nn.fused_batch_norm(x, scale, offset, mean, var, epsilon=0.01,
                                     is_training=False)
    z = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
    return [x], [y, m, v, z], [(f32(2, 4, 4, 3),)]


CASES = [matmuls, binaries, unaries, logic_and_casts, softmaxes, reductions, array_ops,
         dynamic_shapes, convolutions, batch_norms]


@pytest.mark.parametrize("opset", [13, 17, 18])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_op_family_matches_session_run(agrees, case, opset):
    inputs, outputs, feeds = case()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        agrees(sess, inputs, outputs, feeds, opset=opset)


def test_a_graph_of_constants_exports_without_a_session(exported):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.nn.softmax(tf.matmul(x, tf.constant([[1., 2.], [3., 4.]])) + 1.0)
    model, run = exported(tf.get_default_graph(), x, y)
    (got,) = run(np.float32([[1, 0], [0, 1]]))
    with tf.Session() as sess:
        np.testing.assert_allclose(got, sess.run(y, {x: [[1, 0], [0, 1]]}), rtol=1e-6)
    assert [o.name for o in model.graph.output] == ["Softmax"]


def test_outputs_may_be_inputs_constants_or_variables(exported):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    c = tf.constant([1.5, 2.5], name="c")
    v = tf.Variable([3.0, 4.0], name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, run = exported(sess, [x], [x, c, v, v.read_value(), x + c])
    got = run(np.float32([[1, 2]]))
    for g, w in zip(got, [[[1, 2]], [1.5, 2.5], [3, 4], [3, 4], [[2.5, 4.5]]], strict=True):
        np.testing.assert_allclose(g, w)


def test_conv_pool_chains_share_one_transpose_per_value(exported):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    w = tf.constant(f32(3, 3, 3, 3))
    h = tf.nn.max_pool(tf.nn.conv2d(x, w, 1, "SAME"), 2, 2, "VALID")
    h = tf.nn.avg_pool(h, 2, 2, "VALID")
    outs = [h, tf.nn.conv2d(x, w, 1, "VALID")]
    model, _ = exported(tf.get_default_graph(), [x], outs)
    ops = [n.op_type for n in model.graph.node]
    # x once to NCHW (shared by both convs), back to NHWC only for the two outputs
    assert ops.count("Transpose") == 1 + 2
