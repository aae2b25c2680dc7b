"""tf.layers classes on the `Layer` base: TF1's names (objects, variables, ops), building on the
first call and sharing afterwards, weights/losses/updates, input checks, output shapes with
unknown batch and spatial sizes, and values recorded from TF 2.21's legacy tf.compat.v1.layers
(tf_keras) in graph mode."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.layers.conv import conv1d_apply, conv_apply
from graphflow.layers.conv_transpose import transpose_apply
from graphflow.testing.gradient_check import check_gradients


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def names(variables):
    return [v.name for v in variables]


def test_names_follow_tf1_objects_scopes_and_ops():
    x = tf.placeholder(tf.float32, [None, 4])
    d = tf.layers.Dense(3)
    assert d.name == "dense_1" and not d.built  # TF1's object name, before any call
    y, y2 = d(x), d(x)
    assert d.built and d.name == "dense_1" and d.scope_name == "dense"
    assert names(d.variables) == ["dense/kernel:0", "dense/bias:0"]
    assert (y.name, y2.name) == ("dense/BiasAdd:0", "dense/BiasAdd_1:0")  # one name scope
    assert y.op.inputs[0].op.name == "dense/MatMul"
    d2 = tf.layers.Dense(3)
    assert (d2.name, d2(x).name) == ("dense_2", "dense_1/BiasAdd:0")
    assert names(d2.weights) == ["dense_1/kernel:0", "dense_1/bias:0"]
    d3, d4 = tf.layers.Dense(3, name="fc"), tf.layers.Dense(3, name="fc")
    d3(x), d4(x)
    assert (d3.name, d4.name) == ("fc", "fc")
    assert names(d3.weights + d4.weights) == ["fc/kernel:0", "fc/bias:0", "fc_1/kernel:0",
                                              "fc_1/bias:0"]
    assert tf.layers.dense(x, 2).name == "dense_2/BiasAdd:0"  # the function: scope dense_2
    assert tf.layers.Dense(2, activation=tf.nn.relu)(x).name == "dense_3/Relu:0"
    with tf.variable_scope("outer"):
        o = tf.layers.Dense(2)
        o(x)
    assert names(o.weights) == ["outer/dense/kernel:0", "outer/dense/bias:0"]
    assert len(tf.trainable_variables()) == 14


def test_a_layer_called_twice_shares_its_variables():
    x1 = tf.placeholder(tf.float32, [None, 4])
    x2 = tf.placeholder(tf.float32, [None, 4])
    layer = tf.layers.Dense(3, kernel_initializer=tf.ones_initializer(),
                            bias_initializer=tf.constant_initializer(0.5))
    y1, y2 = layer(x1), layer(x2)
    assert len(tf.trainable_variables()) == 2 and layer.kernel.shape.as_list() == [4, 3]
    feed = np.float32([[1, -2, 3, 0.5]])
    a, b = run([y1, y2], {x1: feed, x2: feed})
    np.testing.assert_array_equal(a, [[3.0, 3.0, 3.0]])
    np.testing.assert_array_equal(a, b)
    assert layer.count_params() == 15
    assert layer.compute_output_shape([None, 4]).as_list() == [None, 3]


def test_weights_trainable_or_not_losses_and_updates():
    x = tf.placeholder(tf.float32, [None, 4])
    frozen = tf.layers.Dense(2, trainable=False)
    frozen(x)
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 2
    assert tf.trainable_variables() == [] and len(tf.global_variables()) == 2
    reg = tf.layers.Dense(2, kernel_regularizer=lambda w: tf.reduce_sum(w),
                          activity_regularizer=lambda t: tf.reduce_mean(t), name="reg")
    reg(x)
    collected = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert reg.losses == collected and len(collected) == 2
    assert collected[0].name == "reg/kernel/Regularizer/Sum:0"
    assert collected[1].name.startswith("reg/ActivityRegularizer/")
    assert reg.updates == []


def test_input_spec_errors_name_the_layer_the_shapes_and_the_line():
    layer = tf.layers.Dense(3)
    layer(tf.placeholder(tf.float32, [None, 4]))
    with pytest.raises(ValueError, match=r'layer "dense_1" called at .*test_layer_classes.py:\d+.*'
                                         r"expected axis -1 of input shape to have value 4, "
                                         r"but received input with shape \(\?, 5\)"):
        layer(tf.placeholder(tf.float32, [None, 5]))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        tf.layers.Conv2D(2, 3)(tf.placeholder(tf.float32, [None, 8, 2]))
    with pytest.raises(TypeError, match="unexpected keyword arguments: unitz"):
        tf.layers.Dense(3, unitz=2)


def test_a_custom_layer_builds_with_add_weight():
    class My(tf.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", [int(input_shape[-1]), 2],
                                     initializer=tf.ones_initializer())
            self.built = True

        def call(self, inputs):
            return tf.matmul(inputs, self.w)

    x = tf.placeholder(tf.float32, [None, 3])
    layer = My()
    out = layer(x)
    assert (layer.name, names(layer.weights), out.name) == ("my_1", ["my/w:0"], "my/MatMul:0")
    assert layer.compute_output_shape([None, 3]).as_list() == [None, 2]  # by a scratch graph
    assert names(layer.weights) == ["my/w:0"] and len(tf.global_variables()) == 1
    np.testing.assert_array_equal(run(out, {x: np.ones((1, 3))}), [[3.0, 3.0]])


def test_batch_normalization_class_weights_and_updates():
    x = tf.placeholder(tf.float32, [None, 3])
    bn = tf.layers.BatchNormalization(momentum=0.5)
    out = bn(x, training=True)
    assert bn.name == "batch_normalization_1"
    assert names(bn.weights) == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                                 "batch_normalization/moving_mean:0",
                                 "batch_normalization/moving_variance:0"]
    assert names(bn.trainable_weights) == names(bn.weights)[:2]
    assert [u.op.name for u in bn.updates] == ["batch_normalization/AssignMovingAvg",
                                               "batch_normalization/AssignMovingAvg_1"]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == bn.updates
    inference = bn(x)  # training=False by default: the moving statistics, no new updates
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    data = np.random.RandomState(0).randn(16, 3).astype(np.float32) * 2 + 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        y, _ = sess.run([out, bn.updates], {x: data})
        mean = sess.run(bn.moving_mean)
        z = sess.run(inference, {x: data})
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(mean, 0.5 * data.mean(0), rtol=1e-5)
    var = 0.5 + 0.5 * data.var(0)
    np.testing.assert_allclose(z, (data - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)


def test_dropout_class_takes_training_at_call_time():
    x = np.ones((100, 40), np.float32)
    layer = tf.layers.Dropout(0.25, seed=3)
    assert (layer.name, layer.rate) == ("dropout_1", 0.25)
    off, on = layer(x), layer(x, training=True)
    assert off.name == "dropout/Identity:0"
    a, b = run([off, on])
    np.testing.assert_array_equal(a, x)
    assert set(np.unique(b)) == {0.0, np.float32(1 / 0.75)}


def test_flatten_class_and_channels_first():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    flat = tf.layers.Flatten()
    assert flat(x).shape.as_list() == [None, 6] and flat.name == "flatten_1"
    data = np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3)
    first = tf.layers.Flatten(data_format="channels_first")(data)
    np.testing.assert_array_equal(run(first)[0], data.transpose(0, 2, 3, 1).reshape(-1))
    assert flat.compute_output_shape([None, 4, 5]).as_list() == [None, 20]


def test_conv_and_pool_classes_give_tf1s_shapes_names_and_kernels():
    img = tf.placeholder(tf.float32, [None, 8, 8, 2])
    conv = tf.layers.Conv2D(4, 3, padding="same")
    out = conv(img)
    assert (conv.name, out.shape.as_list(), out.name) == ("conv2d_1", [None, 8, 8, 4],
                                                          "conv2d/BiasAdd:0")
    assert names(conv.weights) == ["conv2d/kernel:0", "conv2d/bias:0"]
    ct = tf.layers.Conv2DTranspose(5, 3, strides=2, padding="same")
    t = ct(img)
    assert (ct.name, t.shape.as_list(), t.name) == ("conv2d_transpose_1", [None, 16, 16, 5],
                                                    "conv2d_transpose/BiasAdd:0")
    assert [v.shape.as_list() for v in ct.weights] == [[3, 3, 5, 2], [5]]
    valid = tf.layers.Conv2DTranspose(5, (3, 2), strides=(2, 3), padding="valid")(img)
    assert valid.shape.as_list() == [None, 17, 24, 5]
    seq = tf.placeholder(tf.float32, [None, 10, 2])
    c1 = tf.layers.Conv1D(4, 3, padding="same")
    s = c1(seq)
    assert (c1.name, s.shape.as_list()) == ("conv1d_1", [None, 10, 4])
    assert [v.shape.as_list() for v in c1.weights] == [[3, 2, 4], [4]]
    mp = tf.layers.MaxPooling2D(2, 2)
    assert (mp.name, mp(img).shape.as_list()) == ("max_pooling2d_1", [None, 4, 4, 2])
    assert mp(img).name == "max_pooling2d/MaxPool_1:0"  # the second call, as TF1
    assert tf.layers.AveragePooling2D(3, 2, padding="same")(img).shape.as_list() == \
        [None, 4, 4, 2]
    assert tf.layers.MaxPooling1D(2, 2)(seq).shape.as_list() == [None, 5, 2]
    assert conv.compute_output_shape([None, 8, 8, 2]).as_list() == [None, 8, 8, 4]
    assert ct.compute_output_shape([None, 8, 8, 2]).as_list() == [None, 16, 16, 5]


IMG = np.arange(2 * 3 * 3 * 2, dtype=np.float32).reshape(2, 3, 3, 2) / 10
KERNEL_T = (np.arange(3 * 3 * 4 * 2, dtype=np.float32).reshape(3, 3, 4, 2) - 30) / 50
SEQ = (np.arange(2 * 7 * 3, dtype=np.float32).reshape(2, 7, 3) - 20) / 10
KERNEL_1D = (np.arange(3 * 3 * 2, dtype=np.float32).reshape(3, 3, 2) - 9) / 10


def test_conv2d_transpose_values_equal_tf1_with_unknown_batch_height_and_width():
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    same = tf.layers.Conv2DTranspose(4, 3, strides=2, padding="same",
                                     kernel_initializer=tf.constant_initializer(KERNEL_T),
                                     bias_initializer=tf.constant_initializer(0.5))(x)
    valid = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="valid", use_bias=False,
                                       kernel_initializer=tf.constant_initializer(KERNEL_T))
    assert same.shape.as_list() == valid.shape.as_list() == [None, None, None, 4]  # TF1's
    a, b = run([same, valid], {x: IMG})
    assert a.shape == (2, 6, 6, 4) and b.shape == (2, 7, 7, 4)
    np.testing.assert_allclose(a[1, :, :, 1], [
        [-1.5340002, -0.9419999, -2.6039999, -1.0979999, -2.916, -1.2540001],
        [0.24200001, 0.834, 1.14, 0.87, 1.2119999, 0.906],
        [-0.67600036, 0.6999998, 0.84399986, 0.77199984, 0.98800015, 0.84399986],
        [0.15799999, 0.94200003, 1.3560001, 0.978, 1.428, 1.0139999],
        [-0.8440001, 0.9160001, 1.2759998, 0.9879999, 1.4200001, 1.06],
        [0.074, 1.05, 1.5719999, 1.086, 1.6439999, 1.122]], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b[0, :, :, 2][[0, 3, 6]], [
        [-0.05, -0.034, -0.272, -0.174, -0.552, -0.314, -0.17],
        [-0.038, 0.17, 0.328, 0.222, 0.432, 0.274, 0.61],
        [1.126, 1.526, 3.232, 1.77, 3.72, 2.014, 2.542]], rtol=1e-5, atol=1e-6)


def test_nn_conv2d_transpose_with_a_run_time_batch():
    """tf.nn.conv2d_transpose with output_shape built from tf.shape: the layer's own path."""
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    w = tf.constant(KERNEL_T)
    out_shape = tf.stack([tf.shape(x)[0], 6, 6, 4])
    y = tf.nn.conv2d_transpose(x, w, out_shape, [1, 2, 2, 1], padding="SAME")
    assert y.shape.as_list() == [None, 6, 6, 4]
    got = run(y, {x: IMG})
    layer = tf.layers.conv2d_transpose(IMG, 4, 3, strides=2, padding="same", use_bias=False,
                                       kernel_initializer=tf.constant_initializer(KERNEL_T))
    np.testing.assert_allclose(got, run(layer), rtol=1e-6)


def test_conv1d_and_1d_pools_equal_tf1():
    s = tf.placeholder(tf.float32, [None, 7, 3])
    z = tf.layers.conv1d(s, 2, 3, strides=2, padding="same",
                         kernel_initializer=tf.constant_initializer(KERNEL_1D))
    mp = tf.layers.max_pooling1d(s, 2, 2, padding="same")
    ap = tf.layers.AveragePooling1D(3, 2)(s)
    assert [t.shape.as_list() for t in (z, mp, ap)] == [[None, 4, 2], [None, 4, 3],
                                                        [None, 3, 3]]
    c, m, p = run([z, mp, ap], {s: SEQ})
    np.testing.assert_allclose(c, [[[-1.75, -2.8], [2.37, 1.2], [1.83, 1.2], [0.95, 0.8]],
                                   [[0.77, 0.98], [0.48, 1.2], [-0.06, 1.2], [-4.09, -2.98]]],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m[1], [[0.4, 0.5, 0.6], [1.0, 1.1, 1.2], [1.6, 1.7, 1.8],
                                      [1.9, 2.0, 2.1]], rtol=1e-6)
    np.testing.assert_allclose(p[0], [[-1.7, -1.6, -1.5], [-1.1, -1.0, -0.9],
                                      [-0.5, -0.4, -0.3]], rtol=1e-5)


@pytest.mark.parametrize("apply,kernel_shape,inputs", [
    (lambda x, k: transpose_apply(x, k, None, (2, 2), "valid"), (3, 3, 2, 2), IMG[:1]),
    (lambda x, k: transpose_apply(x, k, None, (2, 1), "same"), (2, 3, 3, 2), IMG[:1]),
    (lambda x, k: conv_apply(x, k, None, (2, 2), "same", (1, 1)), (2, 2, 2, 3), IMG[:1]),
    (lambda x, k: conv1d_apply(x, k, None, (2,), "same", (1,)), (3, 3, 2), SEQ[:1]),
], ids=["transpose-valid", "transpose-same", "conv2d", "conv1d"])
def test_the_layers_products_have_gradients_by_finite_differences(apply, kernel_shape, inputs):
    """Each class's call is one of these functions of (inputs, kernel); both get gradients."""
    kernel = np.random.RandomState(1).randn(*kernel_shape)
    assert check_gradients(apply, [inputs.astype(np.float64), kernel]) < 1e-7


def test_layers_with_an_unknown_batch_train():
    """A small conv net of layer objects with None batch dims: shapes and one training step."""
    x = tf.placeholder(tf.float32, [None, 6, 6, 1])
    y = tf.placeholder(tf.int64, [None])
    h = tf.layers.Conv2D(3, 3, activation=tf.nn.relu)(x)
    h = tf.layers.MaxPooling2D(2, 2)(h)
    h = tf.layers.Flatten()(h)
    h = tf.layers.Dropout(0.1)(h, training=True)
    logits = tf.layers.Dense(2)(h)
    assert logits.shape.as_list() == [None, 2]
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    step = tf.train.AdamOptimizer(0.05).minimize(loss)
    rng = np.random.RandomState(0)
    data = rng.rand(32, 6, 6, 1).astype(np.float32)
    labels = (data[:, :3].mean(axis=(1, 2, 3)) > data[:, 3:].mean(axis=(1, 2, 3))).astype(int)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data, y: labels})
        for _ in range(60):
            sess.run(step, {x: data, y: labels})
        assert sess.run(loss, {x: data, y: labels}) < first


class Block(tf.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.layers.Dense(3, kernel_regularizer=tf.nn.l2_loss)
        self.norm = tf.layers.BatchNormalization()

    def call(self, inputs, training=False):
        return self.norm(self.dense(inputs), training=training)


def test_layers_built_inside_a_layer_live_in_its_scope_and_keep_their_own_weights():
    """TF1: sub-layers called in `call` get variables `block/dense/...`, but tf.layers.Layer
    does not report them as its own (TF1's legacy layers bypass Keras's tracking)."""
    block = Block()
    x = tf.placeholder(tf.float32, [None, 4])
    out = block(x, training=True)
    assert out.shape.as_list() == [None, 3] and block.name == "block_1"
    assert names(tf.global_variables()) == [
        "block/dense/kernel:0", "block/dense/bias:0", "block/batch_normalization/gamma:0",
        "block/batch_normalization/beta:0", "block/batch_normalization/moving_mean:0",
        "block/batch_normalization/moving_variance:0"]
    assert block.weights == [] and block.losses == [] and block.updates == []
    assert names(block.dense.weights) == ["block/dense/kernel:0", "block/dense/bias:0"]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2


def test_a_tracking_layer_reports_its_sublayers_weights_losses_and_updates():
    """`tracks_sublayers = True` (Keras's rule, for the Keras layers built on this base)."""
    class Tracking(Block):
        tracks_sublayers = True

    block = Tracking()
    block(tf.placeholder(tf.float32, [None, 4]), training=True)
    assert names(block.trainable_weights) == [
        "tracking/dense/kernel:0", "tracking/dense/bias:0",
        "tracking/batch_normalization/gamma:0", "tracking/batch_normalization/beta:0"]
    assert names(block.non_trainable_weights) == [
        "tracking/batch_normalization/moving_mean:0",
        "tracking/batch_normalization/moving_variance:0"]
    assert len(block.losses) == 1 and len(block.updates) == 2
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2  # each update once
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 6


def test_compute_output_shape_leaves_the_layer_and_its_sublayers_untouched():
    block = Block()
    assert block.compute_output_shape([None, 4]).as_list() == [None, 3]
    assert not block.built and not block.dense.built and tf.global_variables() == []
    x = tf.placeholder(tf.float32, [None, 4])
    block(x)
    kernel = block.dense.kernel
    assert block.compute_output_shape([None, 4]).as_list() == [None, 3]
    assert block.dense.kernel is kernel and names(tf.global_variables())[0] == \
        "block/dense/kernel:0" and len(tf.global_variables()) == 6
