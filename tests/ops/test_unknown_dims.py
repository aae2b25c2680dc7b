"""Shapes as TF1 gives them when batch, height or width are unknown while building.

The expected static shapes are TF1's (tf.compat.v1 in graph mode, `get_shape().as_list()`), recorded
here as literals. Gradients of conv2d and pooling take the input's shape at run time when it is not
static (a `shape(x)` input, as TF1's Conv2DBackpropInput takes `input_sizes`), so one graph runs for
any fed height and width; the values are checked against finite differences and against the same
graph built with known shapes, on every executor available here.
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names
from graphflow.testing.agreement import assert_agree
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = executor_names(available_only=True)  # reference, cpu and the strict test executor


def as_list(t):
    return None if t.shape.rank is None else t.shape.as_list()


# (input shape, filter shape, strides, padding) -> TF1's (y, dx, dw) static shapes.
CONV_SHAPES = [
    ([None, None, None, 3], [3, 3, 3, 8], [1, 1, 1, 1], "SAME",
     ([None, None, None, 8], [None, None, None, 3], [3, 3, 3, 8])),
    ([None, 28, None, 3], [5, 5, 3, 4], [1, 2, 2, 1], "VALID",
     ([None, 12, None, 4], [None, 28, None, 3], [5, 5, 3, 4])),
    ([4, None, 10, 2], [2, 2, 2, 3], [1, 2, 2, 1], "SAME",
     ([4, None, 5, 3], [4, None, 10, 2], [2, 2, 2, 3])),
    ([None, 9, 9, 2], [3, 3, 2, 3], [1, 2, 2, 1], "SAME",
     ([None, 5, 5, 3], [None, 9, 9, 2], [3, 3, 2, 3])),
    ([None, None, None, None], [3, 3, None, 8], [1, 1, 1, 1], "VALID",
     ([None, None, None, 8], [None, None, None, None], [3, 3, None, 8])),
    # TF1 gives dx [None] * 4 for an input of unknown rank; graphflow also knows the channels
    # from the filter (a refinement, listed in graphflow/compat/differences.py).
    (None, [3, 3, 3, 8], [1, 1, 1, 1], "SAME",
     ([None, None, None, 8], [None, None, None, 3], [3, 3, 3, 8])),
]


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,expected", CONV_SHAPES)
def test_conv2d_and_its_gradients_have_tf1_static_shapes(x_shape, w_shape, strides, padding,
                                                          expected):
    x = tf.placeholder(tf.float32, x_shape)
    w = tf.placeholder(tf.float32, w_shape)
    y = tf.nn.conv2d(x, w, strides=strides, padding=padding)
    dx, dw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    assert (as_list(y), as_list(dx), as_list(dw)) == expected


# (kind, input shape, window, stride, padding) -> TF1's (y, dx) static shapes.
POOL_SHAPES = [
    (kind, *case) for kind in ("max", "avg") for case in [
        ([None, None, None, 3], 2, 2, "SAME", ([None, None, None, 3], [None, None, None, 3])),
        ([None, 7, None, 3], 3, 2, "VALID", ([None, 3, None, 3], [None, 7, None, 3])),
        ([None, 7, None, 3], 3, 2, "SAME", ([None, 4, None, 3], [None, 7, None, 3])),
        (None, 2, 2, "VALID", ([None, None, None, None], [None, None, None, None])),
        ([2, 5, 6, 1], 2, 1, "VALID", ([2, 4, 5, 1], [2, 5, 6, 1])),
    ]]


@pytest.mark.parametrize("kind,x_shape,k,s,padding,expected", POOL_SHAPES)
def test_pools_and_their_gradients_have_tf1_static_shapes(kind, x_shape, k, s, padding,
                                                           expected):
    x = tf.placeholder(tf.float32, x_shape)
    pool = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool
    y = pool(x, [1, k, k, 1], [1, s, s, 1], padding)
    dx, = tf.gradients(tf.reduce_sum(y * y), [x])
    assert (as_list(y), as_list(dx)) == expected


def test_backprop_input_takes_a_runtime_sizes_tensor_as_tf1():
    xi = tf.placeholder(tf.float32, [None, None, None, 3])
    dy = tf.placeholder(tf.float32, [None, None, None, 8])
    w = tf.zeros([3, 3, 3, 8])
    bpi = tf.nn.conv2d_backprop_input(tf.shape(xi), w, dy, [1, 1, 1, 1], "SAME")
    assert bpi.shape.as_list() == [None, None, None, 3]
    x = tf.placeholder(tf.float32, [None, 256])
    t1 = tf.nn.conv2d_transpose(tf.placeholder(tf.float32, [None, 7, 7, 8]), tf.zeros([3, 3, 4, 8]),
                                tf.stack([tf.shape(x)[0], 14, 14, 4]), [1, 2, 2, 1])
    assert t1.shape.as_list() == [None, 14, 14, 4]
    t2 = tf.nn.conv2d_transpose(dy, w, tf.shape(xi), [1, 2, 2, 1])
    assert t2.shape.as_list() == [None, None, None, 3]
    with pytest.raises(TypeError, match="input_sizes"):
        tf.nn.conv2d_backprop_input(tf.placeholder(tf.float32, [4]), w, dy, [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="vector of 4 sizes"):
        tf.nn.conv2d_backprop_input(tf.placeholder(tf.int32, [3]), w, dy, [1, 1, 1, 1], "SAME")


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("padding,stride", [("SAME", 1), ("VALID", 2), ("SAME", 2)])
def test_gradients_with_unknown_dims_match_finite_differences(executor, padding, stride):
    rng = np.random.default_rng(stride)
    x, w = rng.uniform(-1, 1, (2, 7, 6, 2)), rng.uniform(-1, 1, (3, 3, 2, 3))

    def build(x, w):
        hidden = tf.placeholder_with_default(x, [None, None, None, 2])  # dims unknown here
        y = tf.nn.conv2d(hidden, w, [1, stride, stride, 1], padding)
        return [tf.nn.avg_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
                tf.nn.max_pool(y, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")]

    assert check_gradients(build, [x, w], executor=executor) < 1e-7


@pytest.mark.parametrize("executor", EXECUTORS)
def test_second_order_gradients_with_unknown_dims(executor):
    rng = np.random.default_rng(5)
    x, w = rng.uniform(-1, 1, (1, 5, 4, 2)), rng.uniform(-1, 1, (2, 2, 2, 2))

    def build(x, w):
        hidden = tf.placeholder_with_default(x, [None, None, None, None])
        y = tf.nn.conv2d(hidden, w, [1, 1, 1, 1], "SAME")
        gx, gw = tf.gradients(tf.reduce_sum(y * y), [hidden, w])
        return [gx, gw]

    assert check_gradients(build, [x, w], executor=executor) < 1e-7


def _conv_pool_grads(x, w):
    y = tf.nn.avg_pool(tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"), [1, 2, 2, 1], [1, 2, 2, 1],
                       "SAME")
    y = tf.nn.max_pool(tf.nn.relu(y), [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    return tf.gradients(tf.reduce_sum(y * y), [x, w])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_one_graph_runs_for_any_fed_height_and_width(executor):
    """The same unknown-dims graph, fed several image sizes, gives what graphs built with each
    size known give."""
    rng = np.random.default_rng(0)
    w_val = rng.uniform(-1, 1, (3, 3, 2, 3)).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    grads = _conv_pool_grads(x, tf.constant(w_val))
    assert grads[0].shape.as_list() == [None, None, None, 2]
    with tf.Session(executor=executor) as sess:
        for shape in [(1, 5, 5, 2), (2, 8, 3, 2), (3, 1, 9, 2)]:
            x_val = rng.uniform(-1, 1, shape).astype(np.float32)
            got = sess.run(grads, {x: x_val})
            with tf.Graph().as_default():
                known = _conv_pool_grads(tf.constant(x_val), tf.constant(w_val))
                with tf.Session(executor=executor) as ref:
                    expected = ref.run(known)
            for g, e in zip(got, expected, strict=True):
                assert_agree(g, e, f"{executor} {shape}")


@pytest.mark.parametrize("executor", EXECUTORS)
def test_runtime_sizes_that_contradict_the_static_ones_fail_naming_the_op(executor):
    dy = tf.placeholder(tf.float32, [None, None, None, 8])
    sizes = tf.placeholder(tf.int32, [4])
    out = tf.nn.conv2d_backprop_input(sizes, tf.zeros([3, 3, 3, 8]), dy, [1, 1, 1, 1], "SAME")
    with tf.Session(executor=executor) as sess:
        ok = sess.run(out, {dy: np.ones((1, 4, 5, 8), np.float32), sizes: [1, 4, 5, 3]})
        assert ok.shape == (1, 4, 5, 3)
        with pytest.raises(tf.errors.GraphflowError, match="Conv2DBackpropInput"):
            sess.run(out, {dy: np.ones((1, 4, 5, 8), np.float32), sizes: [1, 6, 5, 3]})


def test_dropout_keeps_x_static_shape_whatever_keep_prob_shape():
    x = tf.placeholder(tf.float32, [None, 256])
    assert tf.nn.dropout(x, tf.placeholder(tf.float32)).shape.as_list() == [None, 256]
    assert tf.nn.dropout(x, rate=tf.placeholder(tf.float32)).shape.as_list() == [None, 256]
    assert tf.nn.dropout(x, tf.placeholder(tf.float32, [])).shape.as_list() == [None, 256]
    assert tf.nn.dropout(x, 0.5, noise_shape=[1, 256]).shape.as_list() == [None, 256]
    assert tf.nn.dropout(tf.placeholder(tf.float32), 0.5).shape.rank is None
    with pytest.raises(ValueError, match="must have rank 0"):  # TF1: "Shape (2,) must have rank 0"
        tf.nn.dropout(x, tf.placeholder(tf.float32, [2]))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_dense_layer_after_dropout_with_a_keep_prob_placeholder(executor):
    x = tf.placeholder(tf.float32, [None, 4])
    keep_prob = tf.placeholder(tf.float32)
    h = tf.layers.dense(tf.nn.dropout(tf.layers.dense(x, 8, tf.nn.relu), keep_prob), 3)
    assert h.shape.as_list() == [None, 3]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(h, {x: np.ones((5, 4)), keep_prob: 1.0}).shape == (5, 3)


def test_cross_entropies_merge_the_static_shapes_of_labels_and_logits():
    labels = tf.placeholder(tf.float32, [None, 10])
    logits = tf.placeholder(tf.float32, [32, None])
    assert tf.nn.softmax_cross_entropy_with_logits(
        labels=labels, logits=logits).shape.as_list() == [32]
    assert tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=labels, logits=logits).shape.as_list() == [32]
    sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.placeholder(tf.float32, [None, 3]),
                                                  logits=tf.placeholder(tf.float32, [5, None]))
    assert sig.shape.as_list() == [5, 3]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_softmax_cross_entropy_casts_integer_labels_as_tf1(executor):
    labels = tf.constant([[0, 1, 0], [1, 0, 0]])
    logits = tf.constant([[1., 2., 3.], [3., 2., 1.]])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert v1.dtype == tf.float32 and v2.dtype == tf.float32
    with tf.Session(executor=executor) as sess:
        for value in sess.run([v1, v2]):  # TF1's values
            np.testing.assert_allclose(value, [1.4076058864593506, 0.40760594606399536],
                                       rtol=1e-6)
    with pytest.raises(TypeError):  # TF1 raises TypeError here too (no cast in the sigmoid)
        tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)


def test_as_list_on_unknown_rank_raises_tf1_value_error():
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown "
                                         r"TensorShape\.$"):
        tf.placeholder(tf.float32).get_shape().as_list()


def test_as_list_works_where_tf1_does():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.layers.conv2d(x, 4, 5, padding="same", activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(y, 2, 2)
    flat = tf.layers.flatten(p)
    assert y.get_shape().as_list() == [None, 28, 28, 4]
    assert p.get_shape().as_list() == [None, 14, 14, 4]
    assert flat.get_shape().as_list() == [None, 784]
    assert tf.reshape(p, [-1, 14 * 14 * 4]).get_shape().as_list() == [None, 784]
    assert tf.reduce_mean(p, axis=[1, 2]).get_shape().as_list() == [None, 4]
    assert tf.concat([p, p], axis=3).get_shape().as_list() == [None, 14, 14, 8]
    assert tf.shape(p).get_shape().as_list() == [4]


# TF1's `get_shape().as_list()` (None: unknown rank) of common ops on the partly known inputs of
# `_partly_known`, recorded from tf.compat.v1 in graph mode with the same expressions.
AS_LIST = [
    ('tf.reshape(a, [-1, 6])', [None, 6]),
    ('tf.reshape(a, tf.stack([tf.shape(a)[0], -1]))', [None, None]),
    ('tf.reshape(a, tf.shape(b))', [None, None, 4]),
    ('tf.squeeze(c)', None),
    ('tf.squeeze(c, [2])', [None, 3]),
    ('tf.expand_dims(a, 1)', [None, 1, 3, 4]),
    ('tf.tile(a, [2, 1, 1])', [None, 3, 4]),
    ('tf.one_hot(i, 5)', [None, 5]),
    ('tf.gather(a, i)', [None, 3, 4]),
    ('tf.gather(a, [0, 1], axis=1)', [None, 2, 4]),
    ('tf.argmax(a, 1)', [None, 4]),
    ('tf.reduce_sum(a, 1)', [None, 4]),
    ('tf.reduce_sum(a, [1, 2], keepdims=True)', [None, 1, 1]),
    ('tf.reduce_mean(a)', []),
    ('tf.concat([a, a], 0)', [None, 3, 4]),
    ('tf.concat([a, b], 2)', [None, 3, 8]),
    ('tf.stack([a, a])', [2, None, 3, 4]),
    ('tf.split(a, 2, axis=2)[0]', [None, 3, 2]),
    ('tf.transpose(a)', [4, 3, None]),
    ('tf.transpose(a, [0, 2, 1])', [None, 4, 3]),
    ('tf.matmul(a, d)', [None, 3, 5]),
    ('tf.matmul(m, n)', [None, None]),
    ('tf.cast(a, tf.int32)', [None, 3, 4]),
    ('tf.where(a > 0)', [None, 3]),
    ('tf.where(a > 0, a, b)', [None, 3, 4]),
    ('tf.maximum(a, 0.)', [None, 3, 4]),
    ('a + e', [None, 3, 4]),
    ('a * b', [None, 3, 4]),
    ('tf.nn.softmax(a)', [None, 3, 4]),
    ('tf.nn.bias_add(a, tf.zeros([4]))', [None, 3, 4]),
    ('tf.layers.dense(a, 3)', [None, 3, 3]),
    ('tf.layers.flatten(a)', [None, 12]),
    ('tf.shape(a)', [3]),
    ('tf.size(a)', []),
    ('tf.rank(a)', []),
    ('tf.zeros_like(a)', [None, 3, 4]),
    ('tf.fill(tf.shape(a), 1.)', [None, 3, 4]),
    ('tf.zeros(tf.shape(a))', [None, 3, 4]),
    ('tf.pad(a, [[0, 0], [1, 1], [2, 2]])', [None, 5, 8]),
    ('tf.slice(a, [0, 1, 0], [-1, 2, -1])', [None, 2, 4]),
    ('a[:, 1:3]', [None, 2, 4]),
    ('a[..., 0]', [None, 3]),
    ('a[:, None]', [None, 1, 3, 4]),
    ('tf.nn.top_k(a, 2)[0]', [None, 3, 2]),
    ('tf.clip_by_value(a, 0., 1.)', [None, 3, 4]),
    ('tf.nn.l2_normalize(a, 1)', [None, 3, 4]),
    ('tf.nn.moments(a, [0])[0]', [3, 4]),
    ('tf.reduce_max(a, axis=-1, keepdims=True)', [None, 3, 1]),
    ('tf.nn.embedding_lookup(m, i)', [None, 6]),
    ('tf.broadcast_to(e, [2, 3, 4])', [2, 3, 4]),
    ('tf.nn.dropout(a, 0.5)', [None, 3, 4]),
    ('tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=m)', [None]),
    ('tf.layers.conv2d(img, 2, 3)', [None, 3, 3, 2]),
    ('tf.layers.max_pooling2d(img, 2, 2)', [None, 2, 2, 3]),
    ('tf.nn.conv2d_transpose(img, tf.zeros([3, 3, 2, 3]), '
     'tf.stack([tf.shape(img)[0], 10, 10, 2]), [1, 2, 2, 1])', [None, 10, 10, 2]),
    ('tf.range(tf.shape(a)[0])', [None]),
]


def _partly_known() -> dict:
    return {"a": tf.placeholder(tf.float32, [None, 3, 4]),
            "b": tf.placeholder(tf.float32, [None, None, 4]),
            "c": tf.placeholder(tf.float32, [None, 3, 1]),
            "d": tf.placeholder(tf.float32, [None, 4, 5]), "e": tf.placeholder(tf.float32, [4]),
            "i": tf.placeholder(tf.int32, [None]), "m": tf.placeholder(tf.float32, [None, 6]),
            "n": tf.placeholder(tf.float32, [6, None]),
            "img": tf.placeholder(tf.float32, [None, 5, 5, 3])}


@pytest.mark.parametrize("expr,expected", AS_LIST, ids=[c[0] for c in AS_LIST])
def test_static_shapes_of_common_ops_are_tf1s(expr, expected):
    shape = eval(expr, {"tf": tf, **_partly_known()}).get_shape()  # the expression TF1 ran
    assert (None if shape.rank is None else shape.as_list()) == expected


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_cnn_of_unknown_image_size_trains_on_images_of_two_sizes(executor):
    """tf.layers conv/pool with unknown height and width, globally averaged, minimised by SGD."""
    rng = np.random.default_rng(4)
    tf.set_random_seed(4)  # the layers' initial weights too
    x = tf.placeholder(tf.float32, [None, None, None, 1])
    y = tf.placeholder(tf.int64, [None])
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.average_pooling2d(tf.layers.max_pooling2d(h, 2, 2), 2, 1, padding="same")
    logits = tf.layers.dense(tf.reduce_mean(h, axis=[1, 2]), 3)
    assert logits.shape.as_list() == [None, 3]
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        for shape in [(4, 8, 8, 1), (2, 11, 7, 1), (4, 8, 8, 1)]:
            feed = {x: rng.uniform(size=shape), y: rng.integers(0, 3, shape[0])}
            before = sess.run(loss, feed)
            sess.run(train, feed)
            assert np.isfinite(before) and sess.run(loss, feed) < before


def test_the_cuda_kernels_run_the_runtime_sizes_steps():
    """The generated CUDA C (run on the host by the plan emulator) ignores the sizes input of
    Conv2DBackpropInput and AvgPoolGrad: the plan's specialised shapes give the geometry."""
    from graphflow.executors.cuda import emulate
    from graphflow.executors.cuda.emulate_plan import PlanEmulator

    ok, why = emulate.available()
    if not ok:
        pytest.skip(why)
    rng = np.random.default_rng(0)
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    grads = _conv_pool_grads(x, tf.constant(rng.uniform(-1, 1, (3, 3, 2, 3)).astype(np.float32)))
    x_val = rng.uniform(-1, 1, (2, 7, 6, 2)).astype(np.float32)
    with tf.Session(executor="reference") as sess:
        plan = sess.compiled_plan(grads, {x: x_val})
        expected = sess.run(grads, {x: x_val})
    arity = {s.type: len(s.in_slots) for s in plan.steps}
    assert arity["Conv2DBackpropInput"] == 3 and arity["AvgPoolGrad"] == 2
    for got, want in zip(PlanEmulator(plan).run([x_val]), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5)


def test_layers_with_a_training_placeholder_keep_static_shapes_as_tf1():
    """TF1's smart_cond keeps the branches' shape for `training=tf.placeholder(tf.bool)` (a
    tensor of unknown rank); so do graphflow's layers (TF1's as_list() values)."""
    x = tf.placeholder(tf.float32, [None, 256])
    rate, training = tf.placeholder(tf.float32), tf.placeholder(tf.bool)
    assert tf.layers.dropout(x, rate=rate, training=training).shape.as_list() == [None, 256]
    assert tf.layers.dropout(x, 0.5, training=training).shape.as_list() == [None, 256]
    assert tf.layers.batch_normalization(x, training=training).shape.as_list() == [None, 256]
    dense = tf.layers.dense(tf.layers.dropout(x, rate=rate, training=training), 10)
    assert dense.shape.as_list() == [None, 10]
    with pytest.raises(ValueError, match="scalar"):
        tf.layers.dropout(x, training=tf.placeholder(tf.bool, [2]))


# The same for nn ops and their gradients on inputs of unknown dims or rank (`_nn_inputs`).
NN_AS_LIST = [
    ('tf.nn.moments(img, [0, 1, 2])[1]', [3]),
    ('tf.nn.moments(img, [1, 2], keep_dims=True)[0]', [None, 1, 1, 3]),
    ('tf.nn.fused_batch_norm(img, tf.ones([3]), tf.zeros([3]))[0]', [None, None, None, 3]),
    ('tf.nn.fused_batch_norm(img, tf.ones([3]), tf.zeros([3]))[1]', [3]),
    ('tf.nn.batch_normalization(img, 0., 1., 0., 1., 1e-3)', [None, None, None, 3]),
    ('tf.nn.in_top_k(m, l, 1)', [None]),
    ('tf.nn.l2_loss(img)', []),
    ("tf.nn.conv2d(img, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], 'SAME', dilations=[1, "
     '2, 2, 1])', [None, None, None, 2]),
    ("tf.nn.max_pool(u, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')", [None, None, None, None]),
    ("tf.nn.conv2d(u, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], 'VALID')", [None, None, None, 2]),
    ('tf.nn.softmax(u)', None),
    ('tf.nn.softmax_cross_entropy_with_logits_v2(labels=u, logits=m)', [None]),
    ('tf.nn.sparse_softmax_cross_entropy_with_logits(labels=l, logits=u)', [None]),
    ('tf.nn.bias_add(img, tf.zeros([3]))', [None, None, None, 3]),
    ('tf.nn.relu(u)', None),
    ('tf.nn.dropout(u, 0.5)', None),
    ('tf.nn.dropout(img, u)', [None, None, None, 3]),
    ('tf.nn.top_k(img, 2)[1]', [None, None, None, 2]),
    ('tf.nn.l2_normalize(img, [1, 2])', [None, None, None, 3]),
    ('tf.nn.conv2d_backprop_filter(img, [3, 3, 3, 2], tf.zeros([1, 4, 4, 2]), [1, 1, '
     "1, 1], 'SAME')", [3, 3, 3, 2]),
    ('tf.gradients(tf.reduce_sum(tf.nn.max_pool(u, [1, 2, 2, 1], [1, 2, 2, 1], '
     "'SAME')), u)[0]", [None, None, None, None]),
    ('tf.gradients(tf.reduce_sum(tf.nn.avg_pool(u, [1, 2, 2, 1], [1, 2, 2, 1], '
     "'SAME')), u)[0]", [None, None, None, None]),
    ('tf.gradients(tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits_v2(labels=u, '
     'logits=m)), m)[0]', [None, 10]),
    ('tf.gradients(tf.reduce_sum(tf.nn.fused_batch_norm(img, tf.ones([3]), '
     'tf.zeros([3]))[0]), img)[0]', [None, None, None, 3]),
]
# Where graphflow knows more than TF1 (graphflow/compat/differences.py BEHAVIOUR): TF1's value,
# graphflow's.
NN_REFINED = [
    ('tf.nn.sigmoid_cross_entropy_with_logits(labels=u, logits=m)',
     None, [None, 10]),
    ("tf.gradients(tf.reduce_sum(tf.nn.conv2d(u, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], "
     "'VALID')), u)[0]", [None, None, None, None], [None, None, None, 3]),
    ('tf.gradients(tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits_v2(labels=u, '
     'logits=m)), u)[0]', None, [None, 10]),
]


def _nn_inputs() -> dict:
    return {"img": tf.placeholder(tf.float32, [None, None, None, 3]),
            "u": tf.placeholder(tf.float32), "m": tf.placeholder(tf.float32, [None, 10]),
            "l": tf.placeholder(tf.int32, [None])}


@pytest.mark.parametrize("expr,expected", NN_AS_LIST, ids=[c[0] for c in NN_AS_LIST])
def test_static_shapes_of_nn_ops_and_gradients_are_tf1s(expr, expected):
    shape = eval(expr, {"tf": tf, **_nn_inputs()}).get_shape()  # the expression TF1 ran
    assert (None if shape.rank is None else shape.as_list()) == expected


@pytest.mark.parametrize("expr,tf1,ours", NN_REFINED, ids=[c[0] for c in NN_REFINED])
def test_where_graphflow_knows_more_than_tf1_it_agrees_with_tf1s_known_dims(expr, tf1, ours):
    shape = eval(expr, {"tf": tf, **_nn_inputs()}).get_shape()
    assert shape.as_list() == ours
    assert tf1 is None or all(a is None or a == b for a, b in zip(tf1, ours, strict=True))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_filter_gradient_of_a_filter_of_unknown_height_and_width(executor):
    """TF1: static shape [None, None, 3, 2]; the values (sum 6768.937) are TF1's."""
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    w = tf.placeholder(tf.float32, [None, None, 3, 2])
    dy = tf.placeholder(tf.float32, [None, None, None, 2])
    direct = tf.nn.conv2d_backprop_filter(x, tf.shape(w), dy, [1, 1, 1, 1], "SAME")
    assert direct.shape.as_list() == [None, None, 3, 2]
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    gw = tf.gradients(tf.reduce_sum(y * y), w)[0]
    assert gw.shape.as_list() == [None, None, 3, 2]
    rng = np.random.default_rng(0)
    with tf.Session(executor=executor) as sess:
        value = sess.run(gw, {x: rng.uniform(size=(2, 5, 5, 3)), w: rng.uniform(size=(3, 2, 3, 2))})
    assert value.shape == (3, 2, 3, 2)
    np.testing.assert_allclose(value.sum(), 6768.93701171875, rtol=1e-5)


def test_where_keeps_x_shape_for_a_condition_of_unknown_rank_as_tf1s_select():
    cond, a = tf.placeholder(tf.bool), tf.placeholder(tf.float32, [None, 3])
    assert tf.where(cond, a, a * 2).shape.as_list() == [None, 3]  # TF1: [None, 3]
