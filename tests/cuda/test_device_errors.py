"""Index errors found on the device and read once per run: the generated index check (run on
the host emulation, poisoned outputs), the executor's error buffer over the emulated backend (no
flag read back per op, the first failing step named with its line, the buffer reset, what a
failing training step leaves in its variables), and the check's NVRTC compile."""

import numpy as np
import pytest

import graphflow as gf
from graphflow.compiler.plan import ValueSpec
from graphflow.executors import executor_status
from graphflow.executors.cuda import emulate, nvrtc, render_steps
from graphflow.executors.cuda.bounds import ERROR_WORDS, render_index_check
from graphflow.executors.cuda.table import DEFAULT_BACKEND
from graphflow.ops.gather import GatherV2
from graphflow.testing.cuda_emulation import EmulatedCudaExecutor, emulated_executor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]
pytestmark = pytest.mark.skipif(not emulate.available()[0], reason=emulate.available()[1])


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
def no_flag_reads(monkeypatch):
    """Fail any synchronous bounds check (one flag read back per op): the device path has none."""
    def refuse(mask):
        raise AssertionError("a bounds check read a flag back from the device")

    monkeypatch.setattr(EmulatedCudaExecutor.backend, "any", refuse)
    monkeypatch.setattr(DEFAULT_BACKEND, "any", refuse)


def _gather_step(h, dtype, n_params, index_shape):
    return h.make_step(GatherV2(axis=0), [h.spec(gf.float32, [n_params, 2]),
                                          h.spec(dtype, index_shape)], name="g")


@pytest.mark.parametrize("dtype", [gf.int32, gf.int64])
def test_the_check_kernel_copies_good_indices_and_records_the_first_bad_one(h, dtype):
    step = _gather_step(h, dtype, 5, [3, 40])
    module = render_steps([(0, step)])
    (name,) = module.steps[0]
    lib = emulate.build(module)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 5, size=(3, 40)).astype(dtype.np)
    idx[1, 7], idx[2, 30] = 5, -3
    safe = emulate.poisoned((3, 40), np.int64)
    err = np.zeros(ERROR_WORDS, np.uint64)
    lib.launch(name, [idx, safe, err])
    good = (idx >= 0) & (idx < 5)
    np.testing.assert_array_equal(safe[good], idx[good])
    np.testing.assert_array_equal(safe[~good], 0)  # in-range stand-ins, nothing poisoned left
    value, position = err[1:].view(np.int64)
    assert err[0] == 1 and (value, position) in ((5, 47), (-3, 110))
    assert idx.reshape(-1)[position] == value


def test_good_indices_leave_the_slot_untouched(h):
    step = _gather_step(h, gf.int32, 4, [10])
    module = render_steps([(0, step)])
    lib = emulate.build(module)
    err = np.zeros(ERROR_WORDS, np.uint64)
    safe = emulate.poisoned((10,), np.int64)
    lib.launch(module.steps[0][0], [np.arange(10, dtype=np.int32) % 4, safe, err])
    assert not err.any()
    np.testing.assert_array_equal(safe, np.arange(10) % 4)


def test_the_check_kernel_compiles_with_nvrtc(h):
    ok, why = nvrtc.available()
    if not ok:
        pytest.skip(why)
    steps = [_gather_step(h, gf.int32, 5, [7]), _gather_step(h, gf.int64, 3, [2, 9])]
    module = render_steps(enumerate(steps))
    compiled = nvrtc.compile_module(module, "cubin")
    assert set(compiled.resources) == set(module.kernels)
    assert not any(r.spill_stores or r.spill_loads for r in compiled.resources.values())
    assert "atomicCAS" in module.source and {k.kind for k in module.kernels.values()} == {
        "indexcheck"}


def test_render_refuses_what_it_cannot_bound(h):
    with pytest.raises(gf.errors.GraphflowError, match="empty axis"):
        render_index_check(_gather_step(h, gf.int32, 0, [3]))
    with pytest.raises(gf.errors.GraphflowError, match="static shape"):
        render_index_check(h.make_step(GatherV2(axis=0), [
            h.spec(gf.float32, [4, 2]), ValueSpec(gf.int32, gf.TensorShape([None]))]))


def _two_gathers():
    graph = gf.Graph()
    with graph.as_default():
        params = gf.placeholder(gf.float32, [4, 3])
        first = gf.placeholder(gf.int32, [2])
        second = gf.placeholder(gf.int64, [2, 2])
        a = gf.gather(params, first)
        b = gf.gather(params * 2.0, second)
        out = gf.reduce_sum(a) + gf.reduce_sum(b)
    return graph, params, first, second, out


def test_one_read_per_run_names_the_first_failing_op_then_resets(executor, no_flag_reads):
    graph, params, first, second, out = _two_gathers()
    p = np.arange(12, dtype=np.float32).reshape(4, 3)
    good = {params: p, first: np.array([0, 3], np.int32), second: np.array([[1, 2], [3, 0]])}
    expected = p[[0, 3]].sum() + 2 * p[[1, 2, 3, 0]].sum()
    with gf.Session(graph=graph, executor=executor) as sess:
        assert sess.run(out, good) == pytest.approx(expected)
        with pytest.raises(gf.errors.InvalidArgumentError) as err:
            sess.run(out, {**good, first: np.array([0, 4], np.int32),
                           second: np.array([[1, -1], [3, 0]])})
        message = str(err.value)
        assert "GatherV2 'GatherV2' (built at " in message and "test_device_errors.py:" in message
        assert "indices[1] = 4 is not in [0, 4)" in message  # the first gather, in plan order
        assert "indices: value of shape (2,) and dtype int32" in message
        with pytest.raises(gf.errors.InvalidArgumentError, match=r"indices\[0, 1\] = -1 is not "
                                                                 r"in \[0, 4\)"):
            sess.run(out, {**good, second: np.array([[1, -1], [3, 0]])})
        assert sess.run(out, good) == pytest.approx(expected)  # the buffer was reset


def test_the_check_is_one_instruction_at_the_end_of_the_plan(executor):
    graph, params, first, second, out = _two_gathers()
    feed = {params: np.zeros((4, 3), np.float32), first: np.array([0, 1], np.int32),
            second: np.zeros((2, 2), np.int64)}
    with gf.Session(graph=graph, executor=executor) as sess:
        metadata = gf.RunMetadata()
        sess.run(out, feed, options=gf.RunOptions(trace_level=gf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
    types = [t.type for t in metadata.step_stats]
    assert types[-1] == "DeviceErrorCheck" and types.count("DeviceErrorCheck") == 1
    assert types.count("GatherV2") == 2


def _embedding_step(lr=0.5):
    graph = gf.Graph()
    with graph.as_default():
        ids = gf.placeholder(gf.int32, [3])
        emb = gf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="emb")
        other = gf.Variable(np.ones(3, np.float32), name="other")
        loss = gf.reduce_sum(gf.gather(emb, ids) * other)
        train = gf.train.GradientDescentOptimizer(lr).minimize(loss)
        init = gf.global_variables_initializer()
    return graph, ids, emb, other, loss, train, init


def test_a_failing_training_step_says_which_updates_it_applied(executor, no_flag_reads):
    """TF1's rule: the step raises, and its later assigns may have run. Here they all have, on
    the stand-in index 0 (as a run fed 0 there), and the message names the variables."""
    graph, ids, emb, other, loss, train, init = _embedding_step()
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        with pytest.raises(gf.errors.InvalidArgumentError) as err:
            sess.run([loss, train], {ids: np.array([1, 9, 2], np.int32)})
        assert "indices[1] = 9 is not in [0, 4)" in str(err.value)
        assert "Variables this run updated after it" in str(err.value)
        assert "emb" in str(err.value) and "other" in str(err.value)
        after = sess.run([emb, other])
    with gf.Session(graph=graph, executor="reference") as ref:
        ref.run(init)
        ref.run(train, {ids: np.array([1, 0, 2], np.int32)})
        expected = ref.run([emb, other])
    for got, want in zip(after, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_a_later_host_failure_reports_the_device_error_first(executor):
    graph = gf.Graph()
    with graph.as_default():
        params = gf.placeholder(gf.float32, [3, 2])
        ids = gf.placeholder(gf.int32, [2])
        checked = gf.check_numerics(gf.gather(params, ids), "gathered")
    p = np.ones((3, 2), np.float32)
    p[0] = np.nan  # the stand-in row: the host's CheckNumerics would fail on it
    with gf.Session(graph=graph, executor=executor) as sess:
        with pytest.raises(gf.errors.InvalidArgumentError, match=r"GatherV2.*indices\[0\] = 7"):
            sess.run(checked, {params: p, ids: np.array([7, 1], np.int32)})
        with pytest.raises(gf.errors.InvalidArgumentError, match="gathered"):
            sess.run(checked, {params: p, ids: np.array([0, 1], np.int32)})


def test_an_empty_axis_keeps_the_synchronous_check(executor):
    graph = gf.Graph()
    with graph.as_default():
        params = gf.placeholder(gf.float32, [0, 3])
        ids = gf.placeholder(gf.int32, [2])
        out = gf.gather(params, ids)
    with gf.Session(graph=graph, executor=executor) as sess:
        with pytest.raises(gf.errors.InvalidArgumentError,
                           match=r"GatherV2 .*indices\[0\] = 0 is not in \[0, 0\)"):
            sess.run(out, {params: np.zeros((0, 3), np.float32), ids: np.array([0, 0])})
