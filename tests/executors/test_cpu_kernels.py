"""The native kernels against NumPy at sizes that take their threaded paths, and at edge cases."""

import numpy as np
import pytest
from graphflow._ext.runloop import openmp_set_num_threads

from graphflow._ext import kernels as native
from graphflow.executors.cpu.executor import configured_threads

rng = np.random.default_rng(0)
F32 = dict(rtol=1e-5, atol=1e-5)


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"], autouse=True)
def threads(request):
    openmp_set_num_threads(request.param)
    yield
    openmp_set_num_threads(configured_threads())


@pytest.mark.parametrize("shape", [(1, 1_000_003, 1), (128, 784, 1), (1, 128, 784), (7, 300, 33),
                                   (3, 0, 5), (0, 4, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_sum_and_sum_of_squares(shape, dtype):
    x = rng.integers(-5, 5, shape).astype(dtype)
    out = np.empty((shape[0], shape[2]), dtype)
    fn = native.reduce3[{np.float32: "float", np.float64: "double", np.int32: "int32_t",
                         np.int64: "int64_t"}[dtype]]
    fn(x, out, 0, 0)
    np.testing.assert_allclose(out, x.sum(axis=1, dtype=dtype), **F32)
    fn(x, out, 4, 0)
    np.testing.assert_allclose(out, (x * x).sum(axis=1, dtype=dtype), **F32)


@pytest.mark.parametrize("shape", [(64, 500, 1), (1, 100, 700)])
def test_prod_max_min_propagate_nan(shape):
    x = rng.uniform(0.9, 1.1, shape)
    x[0, 3, 0] = np.nan
    out = np.empty((shape[0], shape[2]))
    for op, ref, init in [(1, np.prod, 1.0), (2, np.max, -np.inf), (3, np.min, np.inf)]:
        native.reduce3["double"](x, out, op, init)
        np.testing.assert_allclose(out, ref(x, axis=1), rtol=1e-12)


def test_float32_sum_of_a_million_is_accurate():
    x = rng.standard_normal(1_000_000).astype(np.float32) + 1
    out = np.empty((1, 1), np.float32)
    native.reduce3["float"](x.reshape(1, -1, 1), out, 0, 0)
    assert abs(out[0, 0] - x.sum(dtype=np.float64)) < 1e-6 * abs(x).sum()


@pytest.mark.parametrize("rows,n", [(128, 10), (4096, 32), (3, 1)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_rows(rows, n, dtype):
    x = (rng.standard_normal((rows, n)) * 20).astype(dtype)
    z = x - x.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    name = "float" if dtype == np.float32 else "double"
    out = np.empty_like(x)
    native.softmax_rows[name](x, out, True)
    np.testing.assert_allclose(out, log_p, rtol=1e-5, atol=1e-5)
    native.softmax_rows[name](x, out, False)
    np.testing.assert_allclose(out, np.exp(log_p), rtol=1e-5, atol=1e-6)
    labels = np.eye(n, dtype=dtype)[rng.integers(0, n, rows)]
    loss = np.empty(rows, dtype)
    native.softmax_xent_rows[name](labels, x, loss)
    np.testing.assert_allclose(loss, -(labels * log_p).sum(axis=1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("index", [np.int32, np.int64])
def test_gather_rows_and_bad_index(index):
    params = rng.standard_normal((3, 10000, 64)).astype(np.float32)
    idx = rng.integers(0, 10000, 5000).astype(index)
    out = np.empty((3, 5000, 64), np.float32)
    as_bytes = params.view(np.uint8)
    assert native.gather_rows[np.dtype(index).name + "_t"](
        as_bytes, idx, out.view(np.uint8)) == -1
    np.testing.assert_array_equal(out, np.take(params, idx, axis=1))
    idx[7] = -1
    assert native.gather_rows[np.dtype(index).name + "_t"](as_bytes, idx, out.view(np.uint8)) == 7


@pytest.mark.parametrize("shape", [(1, 50, 1), (1, 1000, 2048), (4, 300, 100)])
def test_scatter_add_accumulates_repeats_without_races(shape):
    outer, bound, inner = shape
    idx = rng.integers(0, bound, 20000 if inner < 1000 else 300).astype(np.int64)
    idx[:100] = 0  # many repeats of one row
    upd = rng.standard_normal((outer, idx.size, inner))
    out = np.full(shape, np.nan)
    assert native.scatter_add["double|int64_t"](upd, idx, out) == -1
    expected = np.zeros(shape)
    np.add.at(expected, (slice(None), idx), upd)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


def test_one_hot_off_range_and_threads():
    idx = rng.integers(-1, 1001, 70000).astype(np.int32)
    out = np.empty((70, 1000, 1000), np.float32)
    native.one_hot["int32_t|float"](idx, out, 2.0, -1.0)
    expected = np.where(idx.reshape(70, 1, 1000) == np.arange(1000).reshape(1, -1, 1), 2.0, -1.0)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("shape", [(1, 1), (33, 65), (784, 256), (1000, 3)])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64])
def test_transpose2d(shape, dtype):
    x = rng.integers(0, 200, shape).astype(dtype)
    word = {1: "uint8_t", 2: "uint16_t", 4: "uint32_t", 8: "uint64_t"}[x.itemsize]
    u = np.dtype(f"u{x.itemsize}")
    out = np.empty(shape[::-1], dtype)
    native.transpose2d[word](x.view(u), out.view(u))
    np.testing.assert_array_equal(out, x.T)


CRAFTED = """
import numpy as np
from graphflow._ext import nn_kernels as nk
x = np.ones((1, 4, 4, 2), np.float32)
out = np.empty((1, 2, 2, 2), np.float32)
calls = {
    "max_pool ksize 0": lambda: nk.max_pool(x, out, 0, 2, 2, 2, 0, 0),
    "max_pool stride 0": lambda: nk.max_pool(x, out, 2, 2, 0, 2, 0, 0),
    "max_pool pad past window": lambda: nk.max_pool(x, out, 2, 2, 2, 2, 5, 0),
    "max_pool output too big": lambda: nk.max_pool(x, np.empty((1, 9, 9, 2), np.float32),
                                                   2, 2, 1, 1, 0, 0),
    "max_pool channels": lambda: nk.max_pool(x, np.empty((1, 2, 2, 3), np.float32),
                                             2, 2, 2, 2, 0, 0),
    "avg_pool negative pad": lambda: nk.avg_pool(x, out, 2, 2, 2, 2, -1, 0),
    "avg_pool_grad big dy": lambda: nk.avg_pool_grad(np.ones((1, 8, 8, 2), np.float32), x,
                                                     2, 2, 1, 1, 0, 0),
    "max_pool_grad dx shape": lambda: nk.max_pool_grad(x, out, np.empty((1, 3, 3, 2),
                                                       np.float32), 2, 2, 2, 2, 0, 0),
    "max_pool_grad_grad g shape": lambda: nk.max_pool_grad_grad(
        x, np.ones((1, 2, 2, 2), np.float32), out, 2, 2, 2, 2, 0, 0),
    "im2col small cols": lambda: nk.im2col(x, np.empty((3, 8), np.float32),
                                           2, 2, 2, 2, 1, 1, 0, 0, 2, 2),
    "im2col dilation 0": lambda: nk.im2col(x, np.empty((4, 8), np.float32),
                                           2, 2, 2, 2, 0, 1, 0, 0, 2, 2),
    "col2im wide cols": lambda: nk.col2im(np.ones((4, 99), np.float32), x,
                                          2, 2, 2, 2, 1, 1, 0, 0, 2, 2),
    "xent shapes": lambda: nk.softmax_xent_rows(np.ones((2, 3)), np.ones((2, 4)), np.empty(2)),
    "xent no classes": lambda: nk.softmax_xent_rows(np.ones((2, 0)), np.ones((2, 0)),
                                                    np.empty(2)),
}
for name, call in calls.items():
    try:
        call()
        print("NO ERROR", name)
    except ValueError as err:
        print("CLEAN", name, "|", err)
"""


def test_native_nn_kernels_refuse_crafted_windows_without_touching_memory():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CRAFTED], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 14 and all(line.startswith("CLEAN") for line in lines), done.stdout


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("classes", [3, 70_000, 300_000])
def test_softmax_xent_rows_are_accurate_on_long_rows(dtype, classes):
    from graphflow._ext import nn_kernels

    logits = (rng.standard_normal((3, classes)) * 3).astype(dtype)
    labels = rng.random((3, classes)).astype(dtype)
    labels /= labels.sum(axis=1, keepdims=True)
    z = logits.astype(np.float64)
    lse = np.log(np.exp(z - z.max(1, keepdims=True)).sum(1)) + z.max(1)
    truth = -(labels * (z - lse[:, None])).sum(1)
    got = nn_kernels.softmax_xent_rows(labels, logits, np.empty(3, dtype))
    tol = 4 * np.finfo(dtype).eps if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(got, truth, rtol=tol)
