"""graphflow.layers (and tf.contrib.layers): variables, shapes, parameter counts, values."""

import numpy as np
import pytest

import graphflow as tf


def count(variables):
    return sum(int(np.prod(v.shape.as_list())) for v in variables)


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_dense_784_256_10_has_203530_parameters_named_as_tf1():
    x = tf.placeholder(tf.float32, [None, 784])
    h = tf.layers.dense(x, 256, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 10)
    assert logits.shape.as_list() == [None, 10]
    assert count(tf.trainable_variables()) == 203_530
    assert [v.name for v in tf.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert h.name == "dense/Relu:0"


def test_dense_computes_x_w_plus_b_then_the_activation():
    x = np.array([[0.2, 0.5, 0.6]], np.float32)
    w = [[-0.5, 0.7], [0.2, -0.8], [0.1, 0.2]]
    y = tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer(w),
                        bias_initializer=tf.constant_initializer([0.1, 0.2]))
    z = tf.layers.dense(x, 2, activation=tf.nn.relu, use_bias=False,
                        kernel_initializer=tf.constant_initializer(w))
    got, relu = run([y, z])
    np.testing.assert_allclose(got, [[0.16, 0.06]], rtol=1e-6)
    np.testing.assert_allclose(relu, [[0.06, 0.0]], atol=1e-7)
    assert len(tf.trainable_variables()) == 3


def test_dense_on_rank_3_inputs_contracts_the_last_axis():
    x = tf.placeholder(tf.float32, [None, 4, 3])
    y = tf.layers.dense(x, 5, kernel_initializer=tf.ones_initializer())
    assert y.shape.as_list() == [None, 4, 5]
    out = run(y, {x: np.ones((2, 4, 3))})
    np.testing.assert_array_equal(out, np.full((2, 4, 5), 3.0))


def test_layers_share_variables_by_name_with_reuse():
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.layers.dense(x, 2, name="fc")
    b = tf.layers.dense(x, 2, name="fc", reuse=True)
    assert len(tf.trainable_variables()) == 2
    with pytest.raises(ValueError, match="Variable fc/kernel already exists"):
        tf.layers.dense(x, 2, name="fc")
    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
        c = tf.layers.dense(x, 2, name="fc")
        d = tf.layers.dense(x, 2, name="fc")
    assert len(tf.trainable_variables()) == 4
    feed = {x: np.random.RandomState(0).rand(3, 3)}
    va, vb, vc, vd = run([a, b, c, d], feed)
    np.testing.assert_array_equal(va, vb)
    np.testing.assert_array_equal(vc, vd)


def test_kernel_regularizer_adds_its_penalty_to_the_regularization_losses():
    x = tf.placeholder(tf.float32, [None, 2])
    tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer([[1.0, 2.0], [3.0, 4.0]]),
                    kernel_regularizer=tf.contrib.layers.l2_regularizer(0.5))
    (loss,) = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert run(loss) == pytest.approx(0.5 * 30 / 2)
    assert tf.contrib.layers.l2_regularizer(0.0)(loss) is None
    assert run(tf.contrib.layers.l1_regularizer(0.1)(tf.constant([-1.0, 2.0]))) == \
        pytest.approx(0.3)


def test_contrib_fully_connected_uses_weights_and_biases_and_relu_by_default():
    x = tf.placeholder(tf.float32, [None, 4])
    h = tf.contrib.layers.fully_connected(x, 3, weights_initializer=tf.constant_initializer(-1.0))
    logits = tf.contrib.layers.fully_connected(h, 2, activation_fn=None)
    assert [v.name for v in tf.trainable_variables()] == [
        "fully_connected/weights:0", "fully_connected/biases:0",
        "fully_connected_1/weights:0", "fully_connected_1/biases:0"]
    assert logits.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(run(h, {x: np.ones((1, 4))}), np.zeros((1, 3)))


def test_flatten_keeps_the_batch_axis():
    x = tf.placeholder(tf.float32, [None, 5, 5, 16])
    f = tf.layers.flatten(x)
    assert f.shape.as_list() == [None, 400] and f.name == "flatten/Reshape:0"
    y = tf.placeholder(tf.float32, [None, None, 3])
    g = tf.contrib.layers.flatten(y)
    assert run(g, {y: np.zeros((2, 4, 3))}).shape == (2, 12)


def lenet(x):
    h = tf.layers.conv2d(x, 6, 5, activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 16, 5, activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(h, 2, 2)
    f = tf.layers.flatten(p)
    h = tf.layers.dense(f, 120, activation=tf.nn.relu)
    h = tf.layers.dense(h, 84, activation=tf.nn.relu)
    return p, f, tf.layers.dense(h, 10)


def test_lenet_5_has_61706_parameters_and_tf1_shapes():
    x = tf.placeholder(tf.float32, [None, 32, 32, 1])
    pool2, flat, logits = lenet(x)
    assert pool2.shape.as_list() == [None, 5, 5, 16]
    assert flat.shape.as_list() == [None, 400]
    assert count(tf.trainable_variables()) == 61_706
    assert tf.trainable_variables()[0].name == "conv2d/kernel:0"
    assert tf.trainable_variables()[2].shape.as_list() == [5, 5, 6, 16]
    assert run(logits, {x: np.zeros((2, 32, 32, 1))}).shape == (2, 10)


def test_signs_convnet_shapes():
    """SEEDS #12: conv SAME, relu, maxpool 8/8 SAME, conv, relu, maxpool 4/4, flatten, fc(6)."""
    x = tf.placeholder(tf.float32, [None, 64, 64, 3])
    xavier = tf.contrib.layers.xavier_initializer(seed=0)
    w1 = tf.get_variable("W1", [4, 4, 3, 8], initializer=xavier)
    w2 = tf.get_variable("W2", [2, 2, 8, 16], initializer=xavier)
    a1 = tf.nn.relu(tf.nn.conv2d(x, w1, strides=[1, 1, 1, 1], padding="SAME"))
    p1 = tf.nn.max_pool(a1, ksize=[1, 8, 8, 1], strides=[1, 8, 8, 1], padding="SAME")
    a2 = tf.nn.relu(tf.nn.conv2d(p1, w2, strides=[1, 1, 1, 1], padding="SAME"))
    p2 = tf.nn.max_pool(a2, ksize=[1, 4, 4, 1], strides=[1, 4, 4, 1], padding="SAME")
    flat = tf.contrib.layers.flatten(p2)
    z3 = tf.contrib.layers.fully_connected(flat, 6, activation_fn=None)
    shapes = [t.shape.as_list()[1:] for t in (a1, p1, a2, p2, flat, z3)]
    assert shapes == [[64, 64, 8], [8, 8, 8], [8, 8, 16], [2, 2, 16], [64], [6]]
    assert run(z3, {x: np.random.RandomState(1).randn(2, 64, 64, 3)}).shape == (2, 6)


def test_conv2d_layer_is_a_cross_correlation_edge_detector():
    """SEEDS 3.2: the vertical edge filter on a 6x6 image, VALID."""
    a = np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                  [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]], np.float32)
    k = np.array([[1, 0, -1]] * 3, np.float32).reshape(3, 3, 1, 1)
    y = tf.layers.conv2d(a.reshape(1, 6, 6, 1), 1, (3, 3), use_bias=False,
                         kernel_initializer=tf.constant_initializer(k))
    expected = [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]]
    np.testing.assert_array_equal(run(y)[0, :, :, 0], expected)
    same = tf.layers.conv2d(tf.zeros([1, 32, 32, 3]), 20, 8, strides=2, padding="same")
    valid = tf.contrib.layers.conv2d(tf.zeros([1, 32, 32, 3]), 20, 8, stride=2, padding="VALID")
    assert same.shape.as_list() == [1, 16, 16, 20] and valid.shape.as_list() == [1, 13, 13, 20]
    assert count(tf.trainable_variables()[-2:]) == 8 * 8 * 3 * 20 + 20
    assert tf.trainable_variables()[-2].name == "Conv/weights:0"


def test_pooling_layers_match_the_quiz():
    x = np.array([[0, 1, 0.5, 10], [2, 2.5, 1, -8], [4, 0, 5, 6], [15, 1, 2, 3]],
                 np.float32).reshape(1, 4, 4, 1)
    mx = tf.layers.max_pooling2d(x, 2, 2)
    avg = tf.layers.average_pooling2d(x, (2, 2), (2, 2))
    same = tf.layers.max_pooling2d(x, 2, 2, padding="same")
    contrib = tf.contrib.layers.max_pool2d(x, 2)
    got = run([mx, avg, same, contrib])
    np.testing.assert_array_equal(got[0][0, :, :, 0], [[2.5, 10], [15, 6]])
    np.testing.assert_allclose(got[1][0, :, :, 0], [[1.375, 0.875], [5.0, 4.0]])
    np.testing.assert_array_equal(got[2], got[0])
    np.testing.assert_array_equal(got[3], got[0])
    assert mx.name.startswith("max_pooling2d/")
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        tf.layers.max_pooling2d(x, 2, 2, padding="full")


def test_dropout_is_identity_unless_training_then_scales_the_kept_values():
    x = np.ones((200, 50), np.float32)
    assert run(tf.layers.dropout(x, 0.5)).tolist() == x.tolist()
    dropped = run(tf.layers.dropout(x, rate=0.25, training=True, seed=1))
    assert set(np.unique(dropped)) == {0.0, np.float32(1 / 0.75)}
    assert (dropped == 0).mean() == pytest.approx(0.25, abs=0.02)


def test_dropout_training_can_be_a_fed_bool():
    x = tf.placeholder(tf.float32, [None, 100])
    training = tf.placeholder_with_default(False, [])
    y = tf.layers.dropout(x, rate=0.5, training=training)
    (grad,) = tf.gradients(tf.reduce_sum(y), x)
    ones = np.ones((20, 100), np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: ones}), ones)
        out, g = sess.run([y, grad], {x: ones, training: True})
    assert set(np.unique(out)) == {0.0, 2.0}
    np.testing.assert_array_equal(g, out)  # the gradient is the mask / keep
    with pytest.raises(TypeError, match="bool"):
        tf.layers.dropout(x, training=tf.placeholder(tf.float32, []))


def batch_norm_fixture(shape, training, **kwargs):
    x = tf.placeholder(tf.float32, [None, *shape[1:]])
    y = tf.layers.batch_normalization(x, training=training, **kwargs)
    data = np.random.RandomState(0).randn(*shape).astype(np.float32) * 3 + 2
    return x, y, data


def test_batch_norm_variables_collections_and_summary_counts():
    """HappyModel's BatchNormalization over 32 channels: 128 parameters, 64 non-trainable."""
    x = tf.placeholder(tf.float32, [None, 8, 8, 32])
    tf.layers.batch_normalization(x, training=True)
    names = [v.name for v in tf.global_variables()]
    assert names == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                     "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert count(tf.global_variables()) == 128 and count(tf.trainable_variables()) == 64
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2


def test_batch_norm_in_training_normalises_with_the_batch_and_updates_moving_averages():
    x, y, data = batch_norm_fixture((64, 3), True, momentum=0.9)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mm, mv = tf.global_variables()[2:]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, _ = sess.run([y, updates], {x: data})
        mean, var = sess.run([mm, mv])
    expected = (data - data.mean(0)) / np.sqrt(data.var(0) + 1e-3)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean, 0.1 * data.mean(0), rtol=1e-5)
    # 2-D inputs use the non-fused path: the biased batch variance feeds the moving average
    np.testing.assert_allclose(var, 0.9 + 0.1 * data.var(0), rtol=1e-5)


def test_batch_norm_4d_moving_variance_gets_tfs_fused_m_over_m_minus_1():
    x, y, data = batch_norm_fixture((4, 3, 3, 2), True, momentum=0.0)
    (_, mv) = tf.global_variables()[2:]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: data})
        var = sess.run(mv)
    np.testing.assert_allclose(var, data.reshape(-1, 2).var(0, ddof=1), rtol=1e-5)


def test_batch_norm_at_inference_uses_the_moving_statistics():
    x, y, data = batch_norm_fixture((10, 4), False, epsilon=0.0,
                                    moving_mean_initializer=tf.constant_initializer(2.0),
                                    moving_variance_initializer=tf.constant_initializer(4.0))
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    np.testing.assert_allclose(run(y, {x: data}), (data - 2.0) / 2.0, rtol=1e-6)


def test_batch_norm_training_can_be_fed_and_updates_only_when_training():
    training = tf.placeholder(tf.bool, [])
    x, y, data = batch_norm_fixture((32, 2), training, momentum=0.5, axis=1, epsilon=0.0)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mm = tf.global_variables()[2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        inference, _ = sess.run([y, updates], {x: data, training: False})
        np.testing.assert_allclose(inference, data, rtol=1e-6)  # mean 0, variance 1
        np.testing.assert_array_equal(sess.run(mm), [0.0, 0.0])
        train_out, _ = sess.run([y, updates], {x: data, training: True})
        np.testing.assert_allclose(sess.run(mm), 0.5 * data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(train_out.mean(0), [0, 0], atol=1e-5)


def test_batch_norm_over_channels_first_and_training_with_gradients():
    x = tf.placeholder(tf.float32, [None, 3, 4, 4])
    y = tf.layers.batch_normalization(x, axis=1, training=True)
    loss = tf.reduce_sum(tf.square(y - 1.0))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    data = np.random.RandomState(2).rand(5, 3, 4, 4).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, {x: data})
        sess.run(step, {x: data})
        beta, mm = sess.run(tf.global_variables()[1:3])
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    assert (beta > 0).all()  # y is pulled towards 1 through beta
    np.testing.assert_allclose(mm, 0.01 * data.mean(axis=(0, 2, 3)), rtol=1e-5)
