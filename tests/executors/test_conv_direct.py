"""The CPU executor's direct convolution loops (small filters: no im2col matrix, no BLAS), for
the forward and both gradients: the reference executor's values in float32 and float64, over
one and several input channels, output channels that fill no whole vector or several,
strides, dilations, paddings and odd image sizes, on one thread and two."""

import numpy as np
import pytest
from graphflow._ext.runloop import openmp_set_num_threads

import graphflow as tf
from graphflow._ext import nn_kernels as native
from graphflow.executors.cpu import kernels_nn
from graphflow.executors.cpu.executor import configured_threads
from graphflow.testing.gradient_check import check_gradients

rng = np.random.default_rng(11)

# (x shape, filter shape, strides, padding, dilations)
CASES = [
    ((4, 28, 28, 1), (5, 5, 1, 6), 1, "VALID", 1),  # LeNet's first layer (threaded)
    ((3, 12, 12, 6), (5, 5, 6, 16), 1, "VALID", 1),  # and its second
    ((2, 9, 7, 1), (3, 2, 1, 17), (1, 2), "SAME", 1),  # one channel, strided width
    ((2, 11, 13, 1), (3, 3, 1, 5), 1, "SAME", (2, 3)),  # one channel, dilated, padded
    ((1, 6, 40, 1), (2, 7, 1, 3), 2, "VALID", 1),  # a row longer than the vectors
    ((2, 10, 9, 3), (3, 3, 3, 5), (2, 1), "SAME", 1),
    ((2, 8, 9, 2), (2, 3, 2, 33), 1, [[0, 0], [2, 1], [0, 3], [0, 0]], (1, 2)),
    ((1, 7, 7, 5), (7, 7, 5, 2), 3, "SAME", 1),  # windows mostly padding
]


def _graph(x_shape, w_shape, strides, padding, dilations, dtype):
    x = tf.placeholder(tf.as_dtype(dtype), x_shape)
    w = tf.constant(rng.standard_normal(w_shape).astype(dtype))
    y = tf.nn.conv2d(x, w, strides, padding, dilations=dilations)
    probe = tf.constant(rng.standard_normal(y.shape.as_list()).astype(dtype))
    dx, dw = tf.gradients(tf.reduce_sum(y * probe), [x, w])
    return x, [y, dx, dw]


class _NoIm2col:
    """Stands in for the native module and fails on im2col: the direct loops must need none."""

    def __init__(self, real):
        self.real = real

    def im2col(self, *args):
        raise AssertionError("a small convolution built an im2col matrix")

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "x{}-w{}-s{}-{}-d{}".format(*c))
def test_direct_convolutions_match_the_reference(case, dtype, threads, monkeypatch):
    assert kernels_nn._direct(case[1])
    monkeypatch.setattr(kernels_nn, "native", _NoIm2col(native))
    x, fetches = _graph(*case, dtype)
    feed = {x: rng.standard_normal(case[0]).astype(dtype)}
    got = {}
    openmp_set_num_threads(threads)
    try:
        for ex in ("reference", "cpu"):
            with tf.Session(executor=ex) as sess:
                got[ex] = [sess.run(fetches, feed) for _ in range(2)]  # the plan's second run
    finally:
        openmp_set_num_threads(configured_threads())
    tol = 1e-4 if dtype == np.float32 else 1e-11
    for ref, cpu in zip(got["reference"], got["cpu"]):
        for a, b in zip(ref, cpu):
            np.testing.assert_allclose(b, a, rtol=tol, atol=tol)


@pytest.mark.parametrize("case", [CASES[0], CASES[2], CASES[3], CASES[6]],
                         ids=["lenet1", "c1-strided", "c1-dilated", "explicit-pads"])
def test_direct_convolution_gradients_match_finite_differences(case):
    x_shape, w_shape, strides, padding, dilations = case
    x = rng.uniform(-1, 1, (1, *x_shape[1:]))
    w = rng.uniform(-1, 1, w_shape)

    def build(x, w):
        return tf.nn.conv2d(x, w, strides, padding, dilations=dilations)

    assert check_gradients(build, [x, w], executor="cpu") < 1e-7


def test_a_padding_cell_times_an_infinite_gradient_is_nan_as_in_the_reference():
    x = tf.constant(np.ones((1, 3, 3, 1), np.float32))
    dy = np.ones((1, 3, 3, 2), np.float32)
    dy[0, 0, 0, 1] = np.inf
    dw = tf.nn.conv2d_backprop_filter(x, [3, 3, 1, 2], tf.constant(dy), [1, 1, 1, 1], "SAME")
    with tf.Session(executor="cpu") as cpu, tf.Session(executor="reference") as ref:
        got, want = cpu.run(dw), ref.run(dw)
    np.testing.assert_array_equal(got, want)
    assert np.isnan(want[0, 0, 0, 1])


@pytest.mark.parametrize("call", [
    lambda: native.conv_forward(np.ones((1, 4, 4, 1), np.float32), np.ones((5, 1, 1, 2),
                                np.float32), np.empty((1, 1, 4, 2), np.float32), 1, 1, 1, 1),
    lambda: native.conv_forward(np.ones((1, 4, 4, 2), np.float32), np.ones((2, 2, 3, 2),
                                np.float32), np.empty((1, 3, 3, 2), np.float32), 1, 1, 1, 1),
    lambda: native.conv_filter_grad(np.ones((1, 4, 4, 1)), np.ones((1, 3, 3, 2)),
                                    np.empty((2, 2, 1, 2)), 2, 1, 1, 1),
    lambda: native.conv_input_grad(np.ones((2, 2, 1, 2)), np.ones((1, 3, 3, 2)),
                                   np.empty((1, 4, 4, 1)), 1, 1, 0, 1),
], ids=["window past the image", "channels", "stride past the image", "dilation 0"])
def test_the_native_loops_refuse_a_window_that_does_not_fit(call):
    with pytest.raises(ValueError):
        call()
