"""max_pool and avg_pool: SEEDS.md's quiz and worked example, TF1's SAME rules (-inf padding for
max, real-cell count for avg), gradient routing to the first maximum, on both executors."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.ops.nn_geometry import window
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = ["reference", "cpu"]
QUIZ = [[0, 1, .5, 10], [2, 2.5, 1, -8], [4, 0, 5, 6], [15, 1, 2, 3]]
I_WORKED = [[81, 2, 209, 44, 71, 58], [24, 56, 108, 98, 12, 112], [91, 0, 189, 65, 79, 232],
            [12, 0, 0, 5, 1, 71], [2, 32, 23, 58, 8, 208], [4, 23, 2, 1, 3, 9]]


def run(t, executor, feed=None):
    with tf.Session(executor=executor) as sess:
        return sess.run(t, feed)


def image(a, dtype=np.float32):
    return np.asarray(a, dtype)[None, :, :, None]


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_max_pool_quiz(executor, padding):
    y = tf.nn.max_pool(image(QUIZ), [1, 2, 2, 1], [1, 2, 2, 1], padding)
    np.testing.assert_array_equal(run(y, executor)[0, :, :, 0], [[2.5, 10], [15, 6]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_max_pool_of_the_worked_image(executor):
    y = tf.nn.max_pool(image(I_WORKED), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    np.testing.assert_array_equal(run(y, executor)[0, :, :, 0],
                                  [[81, 209, 112], [91, 189, 232], [32, 58, 208]])


def test_same_pool_after_the_strided_conv_oracle():
    x = tf.placeholder(tf.float32, [None, 5, 5, 64])
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [None, 3, 3, 64]
    win = window(5, 5, 2, 2, (1, 2, 2, 1), (1, 1, 1, 1), "SAME")
    assert (win.pt, win.pb, win.pl, win.pr) == (0, 1, 0, 1)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_max_pool_same_padding_is_minus_infinity(executor):
    x = -1 - np.arange(9, dtype=np.float32).reshape(3, 3)  # all negative: a 0 pad would win
    y = tf.nn.max_pool(image(x), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    np.testing.assert_array_equal(run(y, executor)[0, :, :, 0], [[-1, -3], [-7, -9]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_avg_pool_same_divides_by_the_real_cells(executor):
    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    y = tf.nn.avg_pool(image(x), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(run(y, executor)[0, :, :, 0], [[2, 3.5], [6.5, 8]])
    ones = tf.nn.avg_pool(np.ones((2, 5, 4, 3), np.float32), [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    np.testing.assert_array_equal(run(ones, executor), np.ones((2, 3, 2, 3)))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_max_pool_gradient_goes_to_the_argmax(executor):
    x = tf.constant(image(QUIZ))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    g = tf.gradients(y, x, grad_ys=image([[1, 2], [3, 4]]))[0]
    expected = np.zeros((4, 4))
    expected[1, 1], expected[0, 3], expected[3, 0], expected[2, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(run(g, executor)[0, :, :, 0], expected)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_max_pool_ties_route_to_the_first_maximum_like_tf1(executor):
    x = tf.constant(image([[5, 5, 1], [5, 5, 5]]))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    g = tf.gradients(y, x, grad_ys=image([[1, 10]]))[0]
    np.testing.assert_array_equal(run(g, executor)[0, :, :, 0], [[1, 10, 0], [0, 0, 0]])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_overlapping_windows_accumulate_gradients(executor):
    x = tf.constant(image([[0, 0, 0], [0, 9, 0], [0, 0, 0]]))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    assert run(g, executor)[0, 1, 1, 0] == 4


@pytest.mark.parametrize("pool", [tf.nn.max_pool, tf.nn.avg_pool])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("ksize,stride", [(2, 2), (3, 1), (2, 3)])
@pytest.mark.parametrize("executor", EXECUTORS)
def test_pool_gradients_match_finite_differences(pool, padding, ksize, stride, executor):
    rng = np.random.default_rng(ksize * 10 + stride)
    x = (rng.permutation(2 * 5 * 4 * 2) * 0.25).reshape(2, 5, 4, 2)  # no ties

    def build(x):
        y = pool(x, [1, ksize, ksize, 1], [1, stride, stride, 1], padding)
        return [y, tf.gradients(tf.reduce_sum(y * y), x)[0]]  # and the second order

    assert check_gradients(build, [x], executor=executor) < 1e-7


def test_pool_rejects_batch_or_channel_windows():
    with pytest.raises(ValueError, match=r"\[1, h, w, 1\]"):
        tf.nn.max_pool(tf.zeros([1, 4, 4, 1]), [2, 2, 2, 1], [1, 2, 2, 1], "VALID")


def _special_image():
    x = np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2) % 7
    x[0, 0, 1, 0] = x[0, 3, 3, 1] = np.nan  # not a window's first cell
    x[0, 2, 0, 0] = np.nan  # the first cell of a window
    x[0, 0:2, 2:4, 1] = -np.inf  # an all -inf window
    return x


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
@pytest.mark.parametrize("stride", [1, 2])
def test_max_pool_propagates_nan_and_handles_minus_infinity(executor, padding, stride):
    x = _special_image()
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, stride, stride, 1], padding)
    got = run(y, executor)
    win = window(4, 4, 2, 2, (1, stride, stride, 1), (1, 1, 1, 1), padding)
    for i in range(win.oh):
        for j in range(win.ow):
            r, c = i * stride - win.pt, j * stride - win.pl
            cells = x[0, max(r, 0):r + 2, max(c, 0):c + 2]
            expected = np.max(cells.reshape(-1, 2), axis=0)  # NumPy's max propagates NaN
            np.testing.assert_array_equal(got[0, i, j], expected)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_max_pool_gradient_goes_to_the_first_nan_and_to_minus_infinity_windows(executor):
    x = tf.constant(_special_image())
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    dy = np.arange(1, 9, dtype=np.float32).reshape(1, 2, 2, 2)
    g = run(tf.gradients(y, x, grad_ys=dy)[0], executor)
    assert g[0, 0, 1, 0] == dy[0, 0, 0, 0]  # the NaN, not the larger 5 after it
    assert g[0, 2, 0, 0] == dy[0, 1, 0, 0] and g[0, 3, 3, 1] == dy[0, 1, 1, 1]
    assert g[0, 0, 2, 1] == dy[0, 0, 1, 1]  # an all -inf window: its first cell, as TF1
    assert np.sum(g) == np.sum(dy)  # every window routes its gradient somewhere


def test_max_pool_special_values_agree_across_executors():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    x[rng.random(x.shape) < 0.15] = np.nan
    x[rng.random(x.shape) < 0.15] = -np.inf
    xt = tf.constant(x)
    for padding in ("SAME", "VALID"):
        y = tf.nn.max_pool(xt, [1, 3, 2, 1], [1, 2, 1, 1], padding)
        dy = tf.constant(np.ones(y.shape.as_list(), np.float32))
        g = tf.gradients(y, xt, grad_ys=dy)[0]
        probe = rng.standard_normal(x.shape).astype(np.float32)
        gg = tf.gradients(tf.reduce_sum(g * probe), dy)[0]  # MaxPoolGradGrad: read at argmax
        ref, cpu = run([y, g, gg], "reference"), run([y, g, gg], "cpu")
        for a, b in zip(ref, cpu):
            np.testing.assert_array_equal(a, b)


def test_same_windows_larger_than_the_input_agree():
    x = np.random.default_rng(0).standard_normal((1, 3, 2, 2)).astype(np.float32)
    for pool in (tf.nn.max_pool, tf.nn.avg_pool):
        y = pool(x, [1, 5, 4, 1], [1, 1, 1, 1], "SAME")
        np.testing.assert_allclose(run(y, "cpu"), run(y, "reference"), rtol=1e-6)
