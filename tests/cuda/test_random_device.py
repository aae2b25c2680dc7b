"""Random ops on the device (kernels_random.py), run by the executor over the emulated backend:
no longer host fallbacks, seeded streams per op key repeating across sessions, the contracts
(shapes, dtypes, ranges, truncation at two standard deviations) and the distributions, and the
normal quantile the truncated normal is drawn through."""

import math

import numpy as np
import pytest

import graphflow as gf
from graphflow.executors import executor_status
from graphflow.executors.cuda import emulate
from graphflow.executors.cuda.kernels_random import DEVICE_RANDOM, PHI_2, ndtri
from graphflow.executors.cuda.state import CupyState
from graphflow.executors.cuda.table import CUDA_KERNELS
from graphflow.testing.cuda_emulation import emulated_executor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]
pytestmark = pytest.mark.skipif(not emulate.available()[0], reason=emulate.available()[1])
N = 20_000


@pytest.fixture(scope="module", params=["cuda-emulated", pytest.param("cuda", marks=[
    pytest.mark.gpu, pytest.mark.skipif(not CUDA_OK, reason=CUDA_WHY or "cuda available")])])
def executor(request):
    """The executor over the host emulation everywhere, and on the device where there is one."""
    if request.param == "cuda":
        yield "cuda"
        return
    with emulated_executor() as name:
        yield name


@pytest.fixture
def no_host_draws(monkeypatch):
    def refuse(self, key, seed=None, seed2=None):
        raise AssertionError(f"{key} drew from the host's stream")

    monkeypatch.setattr(CupyState, "rng", refuse)


def _phi(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def test_random_ops_are_native_on_cuda():
    for op_type in DEVICE_RANDOM:
        assert CUDA_KERNELS.entry(op_type).fallback is None, op_type
    assert CUDA_KERNELS.entry("Multinomial").fallback  # still drawn on the host, and says why


def test_ndtri_inverts_the_normal_cdf():
    x = np.linspace(-2.5, 2.5, 2001)  # past the truncated normal's [-2, 2]
    p = np.array([_phi(v) for v in x])
    np.testing.assert_allclose(ndtri(np, p), x, rtol=1e-13, atol=1e-13)
    tails = np.linspace(-5.0, 5.0, 101)  # 1 - p loses digits there: p itself is the limit
    np.testing.assert_allclose(ndtri(np, np.array([_phi(v) for v in tails])), tails, rtol=1e-9)
    assert ndtri(np, np.array([0.5]))[0] == 0.0


def _ks(sample, cdf):
    """Kolmogorov-Smirnov distance of a sample from a CDF."""
    s = np.sort(sample.astype(np.float64))
    f = np.array([cdf(v) for v in s])
    n = len(s)
    return max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))


def _graph(build, seed=7):
    graph = gf.Graph()
    with graph.as_default():
        gf.set_random_seed(seed)
        out = build()
    return graph, out


def _draw(executor, build, runs=1, feed=None):
    graph, out = _graph(build)
    with gf.Session(graph=graph, executor=executor) as sess:
        return [sess.run(out, feed) for _ in range(runs)]


def test_uniform_normal_and_truncated_normal_keep_their_distributions(executor, no_host_draws):
    u, z, t = _draw(executor, lambda: [gf.random_uniform([N]), gf.random_normal([N]),
                                       gf.truncated_normal([N])])[0]
    assert u.dtype == z.dtype == t.dtype == np.float32 and u.shape == z.shape == (N,)
    assert 0.0 <= u.min() and u.max() < 1.0
    assert np.abs(t).max() <= 2.0
    bound = 1.63 / math.sqrt(N)  # the 1% critical distance
    assert _ks(u, lambda v: min(max(v, 0.0), 1.0)) < bound
    assert _ks(z, _phi) < bound
    mass = 2.0 * PHI_2 - 1.0
    assert _ks(t, lambda v: (_phi(v) - (1.0 - PHI_2)) / mass) < bound


def test_seeded_streams_repeat_across_sessions_and_advance_between_runs(executor):
    first = _draw(executor, lambda: gf.random_normal([5]), runs=2)
    again = _draw(executor, lambda: gf.random_normal([5]), runs=2)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], first[1])


def test_two_ops_draw_from_their_own_streams(executor):
    a, b = _draw(executor, lambda: [gf.random_uniform([4]), gf.random_uniform([4])])[0]
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("dtype", [gf.float16, gf.float64])
def test_other_float_dtypes(executor, dtype):
    (z, t) = _draw(executor, lambda: [gf.random_normal([300], dtype=dtype),
                                      gf.truncated_normal([300], dtype=dtype)])[0]
    assert z.dtype == t.dtype == dtype.np and np.abs(t).max() <= 2.0


def test_uniform_integers_with_constant_and_fed_bounds(executor, no_host_draws):
    (ints,) = _draw(executor, lambda: gf.random_uniform([N], minval=-3, maxval=5,
                                                      dtype=gf.int32))
    assert ints.dtype == np.int32 and set(np.unique(ints)) == set(range(-3, 5))
    graph = gf.Graph()
    with graph.as_default():
        hi = gf.placeholder(gf.int64, [])
        out = gf.random_uniform([50], minval=gf.constant(10, gf.int64), maxval=hi,
                                dtype=gf.int64, seed=1)
    with gf.Session(graph=graph, executor=executor) as sess:
        got = sess.run(out, {hi: 12})
        assert got.dtype == np.int64 and set(np.unique(got)) <= {10, 11}
        with pytest.raises(gf.errors.InvalidArgumentError, match=r"RandomUniformInt.*Need "
                                                                 r"minval < maxval: 10 >= 10"):
            sess.run(out, {hi: 10})


def test_a_run_time_shape(executor):
    graph = gf.Graph()
    with graph.as_default():
        x = gf.placeholder(gf.float32, [None, 3])
        noise = gf.random_uniform(gf.shape(x), seed=3)
    with gf.Session(graph=graph, executor=executor) as sess:
        assert sess.run(noise, {x: np.zeros((4, 3), np.float32)}).shape == (4, 3)
        assert sess.run(noise, {x: np.zeros((2, 3), np.float32)}).shape == (2, 3)


def test_dropout_draws_its_mask_on_the_device(executor, no_host_draws):
    (y,) = _draw(executor, lambda: gf.nn.dropout(gf.ones([N]), rate=0.25, seed=5))
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert abs(float(np.mean(y == 0.0)) - 0.25) < 0.02
