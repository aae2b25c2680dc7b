"""The course's fixed-weight examples (SEEDS.md §3.2), written as its TF1 code is written."""

import numpy as np
import pytest

import graphflow as tf

RTOL = 1e-6


def test_constants_divide_then_subtract():
    x = tf.constant(10)
    y = tf.constant(2)
    z = tf.subtract(tf.divide(x, y), tf.cast(tf.constant(1), tf.float64))
    with tf.Session() as sess:
        output = sess.run(z)
    assert output == 4.0
    assert type(output) is np.float64


def test_507_with_int32_and_float32_raises():
    a = tf.placeholder(tf.int32)
    b = tf.placeholder(tf.float32)
    c = tf.constant(2)
    with pytest.raises(TypeError, match="cast"):
        a * a * b + b + c  # noqa: B018 - the course claims 507.0; TF1 raises


def test_507_all_float32():
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    c = tf.constant(2, dtype=tf.float32)
    result = a * a * b + b + c
    with tf.Session() as sess:
        out = sess.run(result, feed_dict={a: 10, b: 5.0})
    assert out == 507.0 and type(out) is np.float32


def test_507_with_casts():
    a = tf.placeholder(tf.int32)
    b = tf.placeholder(tf.float32)
    c = tf.constant(2)
    af = tf.cast(a, tf.float32)
    result = af * af * b + b + tf.cast(c, tf.float32)
    with tf.Session() as sess:
        assert sess.run(result, {a: 10, b: 5.0}) == 507.0


def test_xw_plus_b():
    x = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable([[-0.5, 0.7], [0.2, -0.8], [0.1, 0.2]])
    b = tf.Variable([0.1, 0.2])
    y = tf.add(tf.matmul(x, W), b)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, feed_dict={x: [[0.2, 0.5, 0.6]]})
    assert out.dtype == np.float32 and out.shape == (1, 2)
    np.testing.assert_allclose(out, [[0.16, 0.06]], rtol=RTOL, atol=1e-7)


def test_broadcast_add():
    m = tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]])
    v = tf.constant([1, 2, 3])
    with tf.Session() as sess:
        out = sess.run(m + v)
    np.testing.assert_array_equal(out, [[2, 4, 6], [5, 7, 9], [8, 10, 12], [11, 13, 15]])
    assert out.dtype == np.int32


@pytest.mark.parametrize(
    "logits, expected",
    [([2.0, 1.0, 0.1], [0.65900114, 0.24243297, 0.09856589]),
     ([1.2, 0.9, 0.4], [0.45659032, 0.33825043, 0.20515925]),
     ([3.0, 1.0, 0.2], [0.8360188, 0.11314284, 0.05083836]),
     ([1.0, 2.0, 3.0], [0.09003057, 0.24472847, 0.66524096])],
)
def test_softmax(logits, expected):
    with tf.Session() as sess:
        out = sess.run(tf.nn.softmax(logits))
    np.testing.assert_allclose(out, expected, rtol=RTOL)


WEIGHTS_0 = [[0.1, 0.2, 0.4], [0.4, 0.6, 0.6], [0.5, 0.9, 0.1], [0.8, 0.2, 0.8]]
WEIGHTS_1 = [[0.1, 0.6], [0.2, 0.1], [0.7, 0.9]]


def test_relu_net():
    weights = [tf.Variable(WEIGHTS_0), tf.Variable(WEIGHTS_1)]
    biases = [tf.Variable(tf.zeros(3)), tf.Variable(tf.zeros(2))]
    features = tf.Variable([[1.0, 2.0, 3.0, 4.0], [-1.0, -2.0, -3.0, -4.0],
                            [11.0, 12.0, 13.0, 14.0]])
    hidden_layer = tf.add(tf.matmul(features, weights[0]), biases[0])
    hidden_layer = tf.nn.relu(hidden_layer)
    logits = tf.add(tf.matmul(hidden_layer, weights[1]), biases[1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(logits)
    np.testing.assert_allclose(out, [[5.11, 8.44], [0.0, 0.0], [24.01, 38.24]], rtol=RTOL)


def test_mlp_forward_with_sigmoid():
    np.random.seed(42)
    X = np.random.randn(4)
    W1 = np.random.normal(0, 0.1, size=(4, 3))
    W2 = np.random.normal(0, 0.1, size=(3, 2))
    np.testing.assert_allclose(X, [0.49671415, -0.1382643, 0.64768854, 1.52302986], rtol=RTOL)

    x = tf.placeholder(tf.float64, [None, 4])
    w1 = tf.Variable(W1)
    w2 = tf.Variable(W2)
    hidden = tf.sigmoid(tf.matmul(x, w1))
    output = tf.sigmoid(tf.matmul(hidden, w2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        h, out = sess.run([hidden, output], {x: X.reshape(1, 4)})
    np.testing.assert_allclose(h, [[0.41492192, 0.42604313, 0.5002434]], rtol=RTOL)
    np.testing.assert_allclose(out, [[0.49815196, 0.48539772]], rtol=RTOL)


def test_sigmoid_step():
    x = tf.constant([1.0, 2.0])
    y = tf.constant(0.5)
    w = tf.Variable([0.5, -0.5])
    learnrate = 0.5
    nn_output = tf.sigmoid(tf.reduce_sum(x * w))
    error = y - nn_output
    del_w = learnrate * error * nn_output * (1 - nn_output) * x
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, dw = sess.run([nn_output, del_w])
    np.testing.assert_allclose(out, 0.37754067, rtol=RTOL)
    np.testing.assert_allclose(dw, [0.0143892, 0.0287784], rtol=1e-5)


def test_concert_perceptron():
    rows = tf.constant([[1, 1, 1], [1, 0, 1], [1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 1, 0],
                        [0, 0, 1]], dtype=tf.float32)
    weights = tf.constant([[35.0], [20.0], [30.0]])
    fire = tf.cast(tf.matmul(rows, weights) > 60.0, tf.int32)
    equal_weights = tf.cast(tf.matmul(rows, tf.constant([[33.0], [33.0], [33.0]])) > 60.0,
                            tf.int32)
    with tf.Session() as sess:
        out, out_equal = sess.run([fire, equal_weights])
    np.testing.assert_array_equal(out[:, 0], [1, 1, 0, 0, 0, 0, 0])
    assert int(np.sum(out_equal[:, 0] != out[:, 0])) == 2
