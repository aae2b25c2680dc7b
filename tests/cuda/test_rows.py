"""Softmax, log-softmax and the dense cross-entropy as generated kernels (a thread per short or
strided row, a block per long contiguous one), built by the host C++ compiler and run on
NaN-poisoned outputs: they agree with the reference along every axis, on one-class rows and an
empty batch, with NaNs and infinities in the logits, for any block size and both barrier
schedules of the emulation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors import executor_status
from graphflow.executors.cuda import emulate
from graphflow.executors.cuda.emulate_plan import PlanEmulator
from graphflow.executors.cuda.rows import ROW_TYPES
from graphflow.testing.cuda_emulation import emulated_executor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]


def _check(h, case, feeds, cache={}):  # noqa: B006 - one emulator per plan
    emulator = cache.get(id(case)) or cache.setdefault(id(case), PlanEmulator(case.plan))
    got = emulator.run(case.feed_order(feeds))
    with np.errstate(all="ignore"):
        ref = case.reference(feeds)
    for k, (a, b) in enumerate(zip(got, ref, strict=True)):
        h.assert_agrees(a, b, f"fetch {k}: {case.fetches[k].name}", scaled=True)
    return emulator


def test_every_row_op_is_generated(h, rows_case):
    h.require_emulation()
    emulator = PlanEmulator(rows_case.plan)
    steps = rows_case.plan.steps
    generated = {steps[i].type for i in emulator.module.steps}
    assert generated >= set(ROW_TYPES)
    assert all(i in emulator.module.steps for i, s in enumerate(steps) if s.type in ROW_TYPES)
    kinds = {k.kind for k in emulator.module.kernels.values()}  # short rows and rows of 300
    assert kinds >= {"softmax", "logsoftmax", "xent", "softmaxblock", "logsoftmaxblock",
                     "xentblock"}


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_rows_agree_with_the_reference(h, rows_case, data):
    h.require_emulation()
    _check(h, rows_case, data.draw(rows_case.strategy(special=True)))


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_float64_rows_agree_with_the_reference(h, rows64_case, data):
    h.require_emulation()
    _check(h, rows64_case, data.draw(rows64_case.strategy(special=True)))


@pytest.mark.parametrize("block, order", [(32, 1), (48, 0), (56, 1), (300, 0)])
def test_block_rows_agree_on_any_block_and_either_barrier_schedule(h, rows_case, block, order):
    """A block per row of 300: block sizes that are not powers of two or exceed the shared
    arrays, both barrier schedules; a row with a NaN, a row of -inf, one with a -inf among
    finite logits and a finite one (a race's NaN or stale value shows in the last two)."""
    h.require_emulation()
    rng = np.random.default_rng(block + order)
    feeds = [rng.standard_normal(p.shape.as_list()).astype(np.float32)
             for p in rows_case.placeholders]
    long = feeds[-1]
    long[0, 250], long[1, :], long[2, 7] = np.nan, -np.inf, -np.inf
    library = emulate.build(PlanEmulator(rows_case.plan).module)
    with emulate.launches(library, block, order):
        _check(h, rows_case, feeds)


def test_the_emulated_executor_agrees(h, rows_case):
    h.require_emulation()
    rng = np.random.default_rng(3)
    feeds = [rng.standard_normal(p.shape.as_list()).astype(np.float32)
             for p in rows_case.placeholders]
    feed = dict(zip(rows_case.placeholders, feeds, strict=True))
    with emulated_executor() as name, gf.Session(graph=rows_case.graph, executor=name) as sess:
        got = sess.run(rows_case.fetches, feed)
    for fetch, a, b in zip(rows_case.fetches, got, rows_case.reference(feeds), strict=True):
        h.assert_agrees(np.asarray(a), np.asarray(b), fetch.name, scaled=True)


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA_OK, reason=CUDA_WHY or "cuda available")
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_the_gpu_agrees(h, rows_case, rows64_case, data):
    for case in (rows_case, rows64_case):
        feeds = data.draw(case.strategy(special=True))
        feed = dict(zip(case.placeholders, feeds, strict=True))
        with gf.Session(graph=case.graph, executor="cuda") as sess:
            got = sess.run(case.fetches, feed)
        with np.errstate(all="ignore"):
            ref = case.reference(feeds)
        for fetch, a, b in zip(case.fetches, got, ref, strict=True):
            h.assert_agrees(np.asarray(a), np.asarray(b), f"{fetch.name} on cuda", scaled=True)
