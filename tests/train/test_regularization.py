"""L2 regularisation and the loss collections, as TF1 scripts use them."""

import numpy as np
import pytest

import graphflow as tf


def test_l2_loss_is_half_the_sum_of_squares_and_its_gradient_is_w():
    w = tf.Variable([[1.0, -2.0], [3.0, 0.5]])
    loss = tf.nn.l2_loss(w)
    (g,) = tf.gradients(loss, w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, grad = sess.run([loss, g])
    assert value == pytest.approx((1 + 4 + 9 + 0.25) / 2)
    np.testing.assert_array_equal(grad, [[1.0, -2.0], [3.0, 0.5]])


def test_total_loss_adds_registered_losses_and_regularizers():
    w = tf.Variable([3.0, 4.0])
    data_loss = tf.reduce_sum(w) * 0.0 + 1.5
    tf.losses.add_loss(data_loss)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, 0.01 * tf.nn.l2_loss(w))
    total = tf.losses.get_total_loss()
    only_data = tf.losses.get_total_loss(add_regularization_losses=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(total) == pytest.approx(1.5 + 0.01 * 12.5)
        assert sess.run(only_data) == pytest.approx(1.5)
        assert sess.run(tf.losses.get_regularization_loss()) == pytest.approx(0.125)


def test_l2_penalty_shrinks_weights_during_training():
    w = tf.Variable([1.0, 1.0])
    loss = tf.reduce_sum(w * 0.0) + 0.1 * tf.nn.l2_loss(w)
    step = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_allclose(sess.run(w), [0.9, 0.9])


def test_no_losses_is_a_clear_error():
    with pytest.raises(ValueError, match="No losses"):
        tf.losses.get_total_loss()


def test_second_order_gradient_through_matmul():
    x = tf.placeholder(tf.float64, [2, 3])
    w = tf.constant(np.arange(6.0).reshape(3, 2))
    y = tf.reduce_sum(tf.square(tf.matmul(x, w)))
    (g,) = tf.gradients(y, x)
    (h,) = tf.gradients(tf.reduce_sum(g), x)
    with tf.Session() as sess:
        hv = sess.run(h, {x: np.ones((2, 3))})
    # g = 2 x W W^T, so d(sum g)/dx[i, k] = 2 * sum_j (W W^T)[k, j], the same for every row i
    ww = np.arange(6.0).reshape(3, 2) @ np.arange(6.0).reshape(3, 2).T
    np.testing.assert_allclose(hv, np.tile(2 * ww.sum(axis=1), (2, 1)))
