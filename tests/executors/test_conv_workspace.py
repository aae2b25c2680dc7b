"""The CPU filter gradient reading its forward Conv2D's im2col matrix (the GEMM path of larger
convolutions, forced here for small ones), and max pooling's loops: same values as the
reference executor, and the matrix built once per run."""

import numpy as np
import pytest
from graphflow._ext.runloop import openmp_set_num_threads

import graphflow as tf
from graphflow.executors.cpu import kernels_nn
from graphflow.executors.cpu.executor import configured_threads

rng = np.random.default_rng(7)


class _CountingIm2col:
    """Stands in for the native module: counts im2col calls, forwards everything."""

    def __init__(self, native):
        self.native, self.calls = native, 0

    def im2col(self, *args):
        self.calls += 1
        return self.native.im2col(*args)

    def __getattr__(self, name):
        return getattr(self.native, name)


@pytest.fixture
def im2col_calls(monkeypatch):
    monkeypatch.setattr(kernels_nn, "DIRECT_MAX_WEIGHTS", 0)  # every convolution through GEMM
    counter = _CountingIm2col(kernels_nn.native)
    monkeypatch.setattr(kernels_nn, "native", counter)
    return counter


def _run_both(fetches, feed):
    out = {}
    for ex in ("reference", "cpu"):
        with tf.Session(executor=ex) as sess:
            out[ex] = [sess.run(fetches, feed) for _ in range(2)]  # a second run reuses the plan
    return out


@pytest.mark.parametrize("strides, padding, dilations", [
    (1, "VALID", 1), (2, "SAME", 1), ((1, 3), "SAME", 1), (1, "SAME", 2), (1, "VALID", (2, 1))])
@pytest.mark.parametrize("channels", [1, 3])
def test_filter_gradient_reuses_the_forward_matrix(im2col_calls, strides, padding, dilations,
                                                    channels):
    x = tf.placeholder(tf.float32, [2, 9, 8, channels])
    w = tf.constant(rng.standard_normal((3, 2, channels, 4)).astype(np.float32))
    y = tf.nn.conv2d(x, w, strides, padding, dilations=dilations)
    probe = tf.constant(rng.standard_normal(y.shape.as_list()).astype(np.float32))
    dw = tf.gradients(tf.reduce_sum(y * probe), w)[0]
    feed = {x: rng.standard_normal((2, 9, 8, channels)).astype(np.float32)}
    got = _run_both([y, dw], feed)
    for ref, cpu in zip(got["reference"], got["cpu"]):
        for a, b in zip(ref, cpu):
            np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-4)
    assert im2col_calls.calls == 2  # one per run: the filter gradient built none of its own


def test_a_matrix_from_another_run_or_window_is_never_read(im2col_calls):
    """New values each run, a filter gradient of another size on the same input, and one with
    no forward Conv2D in its plan: each builds the matrix it needs."""
    x = tf.placeholder(tf.float32, [2, 7, 7, 2])
    w = tf.constant(rng.standard_normal((3, 3, 2, 5)).astype(np.float32))
    y = tf.nn.conv2d(x, w, 1, "SAME")
    dy = tf.constant(rng.standard_normal((2, 7, 7, 5)).astype(np.float32))
    same = tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 5], dy, [1, 1, 1, 1], "SAME")
    other = tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 5], dy, [1, 1, 1, 1], "SAME")
    with tf.Session(executor="cpu") as cpu, tf.Session(executor="reference") as ref:
        for _ in range(3):
            feed = {x: rng.standard_normal((2, 7, 7, 2)).astype(np.float32)}
            for fetches in ([y, same, other], [other, same]):
                for a, b in zip(ref.run(fetches, feed), cpu.run(fetches, feed)):
                    np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-4)
    # per run of the first plan: forward + the 2x2 gradient; of the second: both gradients
    assert im2col_calls.calls == 3 * (2 + 2)


def test_lenet_step_matches_the_reference():
    from graphflow.bench.lenet import build_graph, init_params

    weights = {}
    for ex in ("reference", "cpu"):
        with tf.Graph().as_default():
            x, y, v, train = build_graph(init_params(np.random.default_rng(1)), 4)
            data = np.random.default_rng(2)
            feed = {x: data.standard_normal((4, 28, 28, 1)).astype(np.float32),
                    y: np.eye(10, dtype=np.float32)[data.integers(0, 10, 4)]}
            with tf.Session(executor=ex) as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(3):
                    sess.run(train, feed)
                weights[ex] = sess.run(v)
    for a, b in zip(weights["reference"], weights["cpu"]):
        np.testing.assert_allclose(b, a, rtol=2e-4, atol=2e-6)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("padding", ["VALID", "SAME"])
@pytest.mark.parametrize("ksize, stride", [(2, 2), (3, 1), (3, 2)])
def test_max_pool_with_ties_nans_and_threads_matches_the_reference(padding, ksize, stride,
                                                                   threads):
    openmp_set_num_threads(threads)
    try:
        _max_pool_agrees(padding, ksize, stride)
    finally:
        openmp_set_num_threads(configured_threads())


def _max_pool_agrees(padding, ksize, stride):
    x = rng.integers(-3, 3, (9, 11, 10, 7)).astype(np.float32)  # many ties
    x[rng.random(x.shape) < 0.02] = np.nan
    xt = tf.constant(x)
    y = tf.nn.max_pool(xt, [1, ksize, ksize, 1], [1, stride, stride, 1], padding)
    dy = tf.constant(rng.standard_normal(y.shape.as_list()).astype(np.float32))
    g = tf.gradients(y, xt, grad_ys=dy)[0]
    gg = tf.gradients(tf.reduce_sum(g * rng.standard_normal(x.shape).astype(np.float32)), dy)[0]
    got = _run_both([y, g, gg], None)
    for a, b in zip(got["reference"][0], got["cpu"][0]):
        np.testing.assert_array_equal(b, a)


@pytest.mark.parametrize("shape, row", [((5, 17, 9, 6), 17 * 9 * 6), ((3, 2, 3000, 2), 6000),
                                        ((40, 4, 5, 2, 3), 120), ((600, 7), 0), ((2, 3, 4), 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_add_with_few_channels_matches_the_reference(shape, row, dtype):
    """BiasAdd tiles b along an image (or an image row when images are long)."""
    assert kernels_nn._bias_row(np.empty(shape, dtype), np.empty(shape[-1], dtype), None) == row
    x = tf.placeholder(tf.as_dtype(dtype), shape)
    b = tf.Variable(rng.standard_normal(shape[-1]).astype(dtype))
    y = tf.nn.bias_add(x, b)
    step = tf.assign_add(b, tf.ones_like(b))  # a new bias each run: the tile is refilled
    feed = {x: rng.standard_normal(shape).astype(dtype)}
    for ex in ("reference", "cpu"):
        with tf.Session(executor=ex) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                got = sess.run(y, feed)
                np.testing.assert_array_equal(got, feed[x] + sess.run(b))
                sess.run(step)


def test_the_shared_matrices_keep_no_graph_alive():
    import gc
    import weakref

    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(rng.standard_normal((1, 5, 5, 1)).astype(np.float32))
        w = tf.Variable(rng.standard_normal((3, 3, 1, 2)).astype(np.float32))
        dw = tf.gradients(tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME")), w)[0]
        with tf.Session(executor="cpu") as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(dw)
    alive = weakref.ref(graph)
    del graph, x, w, dw, sess
    gc.collect()
    assert alive() is None
