"""conv2d: SEEDS.md's exact examples, TF1's SAME/VALID sizes and padding split, gradients for every
padding, stride and dilation, conv2d_transpose, on the reference and CPU executors."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.ops.nn_geometry import window
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = ["reference", "cpu"]

A = [[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3], [0, 1, 3, 1, 7, 8],
     [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]]
B = [[10, 10, 10, 0, 0, 0]] * 3 + [[0, 0, 0, 10, 10, 10]] * 3
I_WORKED = [[81, 2, 209, 44, 71, 58], [24, 56, 108, 98, 12, 112], [91, 0, 189, 65, 79, 232],
            [12, 0, 0, 5, 1, 71], [2, 32, 23, 58, 8, 208], [4, 23, 2, 1, 3, 9]]
K_WORKED = [[0, 1, 1], [1, 0, 0], [1, 0, 1]]


def conv_single(image, kernel, executor, padding="VALID", stride=1):
    x = tf.constant(np.array(image, np.float32)[None, :, :, None])
    w = tf.constant(np.array(kernel, np.float32)[:, :, None, None])
    y = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding=padding)
    with tf.Session(executor=executor) as sess:
        return sess.run(y)[0, :, :, 0]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_edge_detection_vertical(executor):
    out = conv_single(A, [[1, 0, -1]] * 3, executor)
    np.testing.assert_array_equal(out, [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7],
                                        [-3, -2, -3, -16]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_edge_detection_horizontal(executor):
    out = conv_single(B, [[1, 1, 1], [0, 0, 0], [-1, -1, -1]], executor)
    np.testing.assert_array_equal(out, [[0, 0, 0, 0], [30, 10, -10, -30], [30, 10, -10, -30],
                                        [0, 0, 0, 0]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_worked_example_is_cross_correlation_not_convolution(executor):
    out = conv_single(I_WORKED, K_WORKED, executor)
    np.testing.assert_array_equal(out, [[515, 374, 491, 524], [267, 211, 300, 265],
                                        [226, 344, 175, 582], [8, 61, 34, 140]])
    flipped = conv_single(I_WORKED, np.flip(K_WORKED), executor)
    assert flipped[0, 0] == 489  # what a flipped kernel (true convolution) would give


def test_conv_quiz_shape():
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    y = tf.nn.conv2d(x, tf.ones([2, 2, 1, 3]), [1, 2, 2, 1], "VALID")
    assert y.shape.as_list() == [1, 2, 2, 3]


@pytest.mark.parametrize("shape,filt,stride,padding,expected,pads", [
    ((1, 10, 10, 3), (5, 5, 3, 64), 2, "SAME", (1, 5, 5, 64), (1, 2)),
    ((1, 32, 32, 3), (8, 8, 3, 20), 2, "SAME", (1, 16, 16, 20), (3, 3)),
    ((1, 32, 32, 3), (8, 8, 3, 20), 2, "VALID", (1, 13, 13, 20), (0, 0)),
])
def test_tf1_output_sizes_and_padding_split(shape, filt, stride, padding, expected, pads):
    x = tf.placeholder(tf.float32, [None, *shape[1:]])
    y = tf.nn.conv2d(x, tf.zeros(filt), [1, stride, stride, 1], padding)
    assert y.shape.as_list() == [None, *expected[1:]]
    win = window(shape[1], shape[2], filt[0], filt[1], (1, stride, stride, 1), (1, 1, 1, 1),
                 padding)
    assert (win.pt, win.pb) == pads and (win.pl, win.pr) == pads
    with tf.Session(executor="cpu") as sess:
        assert sess.run(y, {x: np.ones(shape, np.float32)}).shape == expected


@pytest.mark.parametrize("executor", EXECUTORS)
def test_same_padding_puts_the_odd_cell_bottom_right(executor):
    # 1x4 row, 2-wide window, stride 1, SAME: pad 1, all of it on the right
    x = np.array([1, 2, 3, 4], np.float32).reshape(1, 1, 4, 1)
    out = conv_single(x[0, :, :, 0], [[1, 10]], executor, "SAME")
    np.testing.assert_array_equal(out, [[21, 32, 43, 4]])


def test_explicit_padding_and_dilation_match_a_padded_valid_conv():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 6, 5, 3)), rng.standard_normal((2, 3, 3, 4))
    pads = [[0, 0], [1, 2], [0, 1], [0, 0]]
    y = tf.nn.conv2d(x, w, [1, 2, 1, 1], pads, dilations=[1, 2, 1, 1])
    dilated = np.zeros((3, 3, 3, 4))
    dilated[::2] = w  # a dilation of 2 along the height = zeros between the filter rows
    xp = np.pad(x, [(0, 0), (1, 2), (0, 1), (0, 0)])
    z = tf.nn.conv2d(xp, dilated, [1, 2, 1, 1], "VALID")
    for executor in EXECUTORS:
        with tf.Session(executor=executor) as sess:
            got, want = sess.run([y, z])
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("padding", ["SAME", "VALID", [[0, 0], [2, 1], [1, 0], [0, 0]]])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("executor", EXECUTORS)
def test_gradients_wrt_input_and_filter(padding, stride, executor):
    rng = np.random.default_rng(stride)
    x, w = rng.uniform(-1, 1, (2, 5, 4, 2)), rng.uniform(-1, 1, (3, 2, 2, 3))

    def build(x, w):
        return tf.nn.conv2d(x, w, [1, stride, stride, 1], padding)

    assert check_gradients(build, [x, w], executor=executor) < 1e-7


@pytest.mark.parametrize("executor", EXECUTORS)
def test_second_order_gradient_through_the_backprops(executor):
    rng = np.random.default_rng(3)
    x, w = rng.uniform(-1, 1, (1, 4, 4, 2)), rng.uniform(-1, 1, (2, 2, 2, 2))

    def build(x, w):
        y = tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME")
        gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, w])
        return [gx, gw]

    assert check_gradients(build, [x, w], executor=executor) < 1e-7


@pytest.mark.parametrize("executor", EXECUTORS)
def test_conv2d_transpose_is_the_input_gradient(executor):
    rng = np.random.default_rng(1)
    x = tf.placeholder(tf.float32, [None, 7, 7, 2])
    w = tf.constant(rng.standard_normal((3, 3, 2, 4)).astype(np.float32))
    y = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    dy = tf.placeholder(tf.float32, [None, 4, 4, 4])
    up = tf.nn.conv2d_transpose(dy, w, [tf.shape(x)[0], 7, 7, 2], [1, 2, 2, 1], "SAME")
    assert up.shape.as_list() == [None, 7, 7, 2]
    grad = tf.gradients(y, x, grad_ys=dy)[0]
    feed = {x: rng.standard_normal((3, 7, 7, 2)), dy: rng.standard_normal((3, 4, 4, 4))}
    with tf.Session(executor=executor) as sess:
        a, b = sess.run([up, grad], feed)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_shape_errors_are_clear():
    with pytest.raises(Exception, match="in_channels"):
        tf.nn.conv2d(tf.zeros([1, 5, 5, 3]), tf.zeros([3, 3, 2, 4]), [1, 1, 1, 1], "VALID")
    with pytest.raises(Exception, match="does not fit"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([3, 3, 1, 1]), [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match=r"\[1, h, w, 1\]"):
        tf.nn.conv2d(tf.zeros([1, 5, 5, 1]), tf.zeros([3, 3, 1, 1]), [2, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="SAME"):
        tf.nn.conv2d(tf.zeros([1, 5, 5, 1]), tf.zeros([3, 3, 1, 1]), [1, 1, 1, 1], "FULL")


def test_float16_falls_back_to_the_reference_on_cpu():
    x = np.arange(16, dtype=np.float16).reshape(1, 4, 4, 1)
    y = tf.nn.conv2d(x, np.ones((2, 2, 1, 1), np.float16), [1, 1, 1, 1], "VALID")
    with tf.Session(executor="cpu") as sess:
        out = sess.run(y)
    assert out.dtype == np.float16 and out[0, 0, 0, 0] == 0 + 1 + 4 + 5
