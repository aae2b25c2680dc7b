"""CUDA-graph capture (capture.py): which steps a segment may hold and how a plan splits (pure
host logic), and the capture state machine run by the executor over the emulated backend made
to record launches (a recording is replayed as a graph would be: the same kernels on the same
raw addresses), checked against the reference executor run by run; on a GPU (marked `gpu`)
replay gives what direct launches give."""

import numpy as np
import pytest

import graphflow as gf
from graphflow.executors import executor_status
from graphflow.executors.base import register_executor, unregister_executor
from graphflow.executors.cuda import emulate
from graphflow.executors.cuda.backend import EmulatedBackend
from graphflow.executors.cuda.capture import MAX_RECAPTURES, NOT_CAPTURED, segments
from graphflow.testing.cuda_emulation import EmulatedCudaExecutor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]


class CapturingEmulatedExecutor(EmulatedCudaExecutor):
    name = "cuda-emulated-capture"
    backend = EmulatedBackend(captures=True)


@pytest.fixture(scope="module")
def executor():
    if not emulate.available()[0]:
        pytest.skip(emulate.available()[1])
    register_executor(CapturingEmulatedExecutor)
    try:
        yield CapturingEmulatedExecutor.name
    finally:
        unregister_executor(CapturingEmulatedExecutor.name)


def test_segments_are_the_long_enough_runs_of_capturable_steps():
    T, F = True, False
    assert segments([T, T, F, T, T, T, F, T]) == [(0, 2), (3, 6)]
    assert segments([T, F, T, F]) == []
    assert segments([T, T, T], min_steps=3) == [(0, 3)]
    assert segments([]) == []


def _model(x_source):
    """Elementwise, pooling, a reduction, a softmax row kernel: launch-only steps in a row."""
    rng = np.random.default_rng(0)
    graph = gf.Graph()
    with graph.as_default():
        v = gf.Variable(rng.standard_normal((4, 6, 6, 3)).astype(np.float32))
        x = x_source()
        a = gf.tanh(x * v + 1.0)
        p = gf.nn.max_pool(a, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        s = gf.reduce_sum(gf.exp(p) * 0.5, axis=[1, 2])
        y = gf.nn.softmax(s * 3.0 - 1.0) + 0.25
        init = gf.global_variables_initializer()
    return graph, v, x, y, init


def _lowered(sess, fetch, feed):
    plan = sess.compiled_plan(fetch, feed)
    runnable = sess.executor.lower(plan)
    order = list(plan.feeds)
    return runnable, (lambda f=None: runnable(sess.state, [
        np.asarray(f[t], t.dtype.np) for t in order]) if order else runnable(sess.state, []))


def _reference(graph, init, fetch, feed=None, setup=None):
    with gf.Session(graph=graph, executor="reference") as ref:
        ref.run(init)
        if setup is not None:
            ref.run(setup)
        return ref.run(fetch, feed)


def test_a_plan_splits_around_what_cannot_be_captured(executor):
    graph, v, x, y, init = _model(lambda: gf.Variable(np.ones((4, 6, 6, 3), np.float32)))
    with graph.as_default():
        logits = gf.matmul(gf.reshape(y, [4, 3]), gf.ones([3, 5])) * 2.0 + 1.0
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        runnable, _ = _lowered(sess, logits, None)
    assert runnable.segments, "no segment found"
    for segment in runnable.segments:
        types = [s.type for s in segment.node.steps]
        assert len(types) >= 2 and not set(types) & {*NOT_CAPTURED, "MatMul", "Reshape"}
        assert all(o.buffer is not None for s in segment.node.steps for o in s.outputs)


def test_replay_agrees_with_the_reference_and_recaptures_after_an_assign(executor):
    graph, v, x, y, init = _model(lambda: gf.Variable(np.linspace(-1, 1, 432, dtype=np.float32)
                                                      .reshape(4, 6, 6, 3)))
    with graph.as_default():
        scale = x.assign(x * -2.0)
    expected = _reference(graph, init, y)
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        runnable, run = _lowered(sess, y, None)
        for _ in range(4):
            np.testing.assert_allclose(run()[0], expected, rtol=1e-5, atol=1e-6)
        (segment,) = runnable.segments
        assert (segment.captures, segment.replays) == (1, 2)
        sess.run(scale)  # a new array for the variable: the graph's address is stale
        after = _reference(graph, init, y, setup=scale)
        for _ in range(3):
            np.testing.assert_allclose(run()[0], after, rtol=1e-5, atol=1e-6)
        assert (segment.captures, segment.replays, segment.misses) == (2, 4, 1)


def test_fed_inputs_are_right_whether_or_not_their_address_repeats(executor):
    graph, v, x, y, init = _model(lambda: gf.placeholder(gf.float32, [4, 6, 6, 3]))
    rng = np.random.default_rng(1)
    feeds = [rng.standard_normal((4, 6, 6, 3)).astype(np.float32) for _ in range(6)]
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        runnable, run = _lowered(sess, y, {x: feeds[0]})
        for f in feeds:
            np.testing.assert_allclose(run({x: f})[0], _reference(graph, init, y, {x: f}),
                                       rtol=1e-5, atol=1e-6)
        (segment,) = runnable.segments
        assert segment.captures <= MAX_RECAPTURES + 1 and segment.runs + segment.replays == 6


def test_sessions_run_captured_plans_like_direct_ones(executor):
    graph, v, x, y, init = _model(lambda: gf.placeholder(gf.float32, [4, 6, 6, 3]))
    f = np.random.default_rng(2).standard_normal((4, 6, 6, 3)).astype(np.float32)
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        got = [sess.run(y, {x: f}) for _ in range(4)]
        metadata = gf.RunMetadata()
        sess.run(y, {x: f}, options=gf.RunOptions(trace_level=gf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
    for g in got:
        np.testing.assert_allclose(g, _reference(graph, init, y, {x: f}), rtol=1e-5, atol=1e-6)
    assert "CapturedSegment" in [t.type for t in metadata.step_stats]


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA_OK, reason=CUDA_WHY or "cuda available")
def test_replay_on_the_gpu_gives_what_direct_launches_give(monkeypatch):
    from graphflow.executors.cuda.table import DEFAULT_BACKEND

    graph, v, x, y, init = _model(lambda: gf.Variable(np.linspace(-1, 1, 432, dtype=np.float32)
                                                      .reshape(4, 6, 6, 3)))
    results = {}
    for captures in (False, True):
        monkeypatch.setattr(DEFAULT_BACKEND, "captures", captures)
        with gf.Session(graph=graph, executor="cuda") as sess:
            sess.run(init)
            runnable, run = _lowered(sess, y, None)
            results[captures] = [run()[0] for _ in range(4)]
            assert bool(runnable.segments) == captures
            if captures:
                assert sum(s.replays for s in runnable.segments) >= 2
    for direct, replayed in zip(results[False], results[True], strict=True):
        np.testing.assert_array_equal(direct, replayed)
    np.testing.assert_allclose(results[True][-1], _reference(graph, init, y), rtol=1e-5,
                               atol=1e-6)


def test_a_refused_capture_leaves_the_segment_direct(executor, monkeypatch):
    def refuse(launch):
        raise RuntimeError("operation not permitted when stream is capturing")

    monkeypatch.setattr(CapturingEmulatedExecutor.backend, "capture", refuse)
    graph, v, x, y, init = _model(lambda: gf.Variable(np.ones((4, 6, 6, 3), np.float32)))
    expected = _reference(graph, init, y)
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        runnable, run = _lowered(sess, y, None)
        for _ in range(4):
            np.testing.assert_allclose(run()[0], expected, rtol=1e-5, atol=1e-6)
    (segment,) = runnable.segments
    assert segment.captures == segment.replays == 0 and segment.runs == 4
    assert "not permitted" in segment.refused
