"""Reductions as generated kernels (reduce.py), built by the host C++ compiler and run on
poisoned outputs: Sum, Mean, Max, Min, Prod, All, Any, ArgMax, ArgMin, BiasAddGrad, SumToShape and
L2Loss agree with the reference on one-chunk and two-pass reductions, NaN / inf inputs, empty
reductions (identities), integer and bool inputs, and on hypothesis-drawn shapes and axes."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.core import dtypes
from graphflow.executors import executor_status
from graphflow.executors.cuda import emulate, render_plan, render_steps
from graphflow.executors.cuda.emulate_plan import PlanEmulator, run_launched
from graphflow.executors.cuda.reduce import (
    CHUNK,
    REDUCTION_TYPES,
    reduction_geometry,
    render_reduction,
)
from graphflow.executors.cuda.source import CodegenError
from graphflow.ops.reduce import ArgMax, ArgMin, Max, Mean, Min, Prod, Sum
from graphflow.testing.cuda_emulation import emulated_executor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]


def _check(h, case, feeds, cache={}):  # noqa: B006 - one emulator per plan
    emulator = cache.get(id(case)) or cache.setdefault(id(case), PlanEmulator(case.plan))
    got = emulator.run(case.feed_order(feeds))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the reference's mean of nothing
        ref = case.reference(feeds)
    for k, (a, b) in enumerate(zip(got, ref, strict=True)):
        _agree(h, a, b, f"fetch {k}: {case.fetches[k].name}")


def _agree(h, got, ref, what):
    """Integers and bools exactly, floats within the dtype's tolerance (scaled for sums)."""
    got, ref = np.asarray(got), np.asarray(ref)
    if ref.dtype.kind in "iub":
        assert got.dtype == ref.dtype, f"{what}: dtype {got.dtype} vs {ref.dtype}"
        np.testing.assert_array_equal(got.reshape(ref.shape), ref, err_msg=what)
    else:
        h.assert_agrees(got, ref, what, scaled=True)


def test_every_reduction_is_generated(reduce_case):
    plan = reduce_case.plan
    module = render_plan(plan)
    types = {s.type for i, s in enumerate(plan.steps) if i in module.steps}
    assert types >= set(REDUCTION_TYPES)
    assert all(i in module.steps for i, s in enumerate(plan.steps) if s.type in REDUCTION_TYPES)
    kinds = {k.kind for k in module.kernels.values()}
    assert {"reduce", "reducepart", "reducefinal"} <= kinds  # one chunk and two passes


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_reductions_agree_with_the_reference(h, reduce_case, data):
    h.require_emulation()
    _check(h, reduce_case, data.draw(reduce_case.strategy(special=True)))


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_float64_reductions_agree_with_the_reference(h, reduce64_case, data):
    h.require_emulation()
    _check(h, reduce64_case, data.draw(reduce64_case.strategy(special=True)))


def test_nan_propagates_and_ties_take_the_lowest_index(h, reduce_case):
    h.require_emulation()
    feeds = [np.zeros(p.shape.as_list(), p.dtype.np) for p in reduce_case.placeholders]
    feeds[1][0, 650] = np.nan  # past the first chunk: the final pass must keep it
    feeds[1][1, 3] = feeds[1][1, 600] = 7.0  # a tie across chunks
    feeds[0][1, 2, 3] = np.inf
    _check(h, reduce_case, feeds)
    got = dict(zip([t.name for t in reduce_case.fetches],
                   PlanEmulator(reduce_case.plan).run(reduce_case.feed_order(feeds))))
    assert np.isnan(got["Max_3:0"][0]) and got["Max_3:0"][1] == 7.0
    assert got["ArgMax_2:0"].tolist() == [650, 3]  # the first NaN; the lowest of the tied


_OPS = {"Sum": Sum, "Mean": Mean, "Max": Max, "Min": Min, "Prod": Prod}


@st.composite
def _problems(draw):
    rank = draw(st.integers(1, 4))
    shape = draw(st.lists(st.integers(0, 5), min_size=rank, max_size=rank))
    if draw(st.booleans()):  # a long axis: two passes
        shape[draw(st.integers(0, rank - 1))] = draw(st.integers(CHUNK + 1, 3 * CHUNK))
    op = draw(st.sampled_from([*_OPS, "ArgMax", "ArgMin"]))
    if op.startswith("Arg"):
        axis = draw(st.integers(-rank, rank - 1))
        if shape[axis] == 0:
            shape[axis] = 1
        return op, shape, axis, False
    axes = draw(st.lists(st.integers(0, rank - 1), unique=True, max_size=rank))
    return op, shape, tuple(axes), draw(st.booleans())


@settings(max_examples=8, deadline=None)
@given(problem=_problems(), data=st.data())
def test_drawn_shapes_and_axes_agree(h, problem, data):
    h.require_emulation()
    op_type, shape, axis, keep = problem
    op = (ArgMax if op_type == "ArgMax" else ArgMin)(axis=axis) if op_type.startswith("Arg") \
        else _OPS[op_type](axis=axis, keepdims=keep)
    step = h.make_step(op, [h.spec(dtypes.float32, shape)])
    module = render_steps([(0, step)])
    lib = emulate.build(module)
    x = data.draw(h.values(dtypes.float32, shape))
    if op_type == "Prod":  # near 1: where a long float32 product overflows depends on the order
        x = (1 + x / 1000).astype(np.float32)
    (got,) = run_launched(lib, step, module.steps[0], [x])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the reference's mean of nothing
        ref = np.asarray(op.compute(x))
    _agree(h, got, ref, f"{op_type} over {axis} of {shape}")
    assert len(module.steps[0]) == len(reduction_geometry(step).levels)


@pytest.mark.parametrize("shape, axis", [([2, 70000], 1), ([70000, 3], 0), ([70001], 0)])
def test_three_passes_agree_and_read_coalesced(h, shape, axis):
    """70,000 values fold in three passes (70000 -> 274 -> 2 -> 1); a NaN, ties and an inf."""
    h.require_emulation()
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape).astype(np.float32)
    flat = x.reshape(-1)
    flat[[5, 40000]] = 9.0  # ties far apart: the lowest index wins
    ops = [Sum(axis=(axis,), keepdims=False), Mean(axis=(axis,), keepdims=True),
           Max(axis=(axis,), keepdims=False), ArgMax(axis=axis), ArgMin(axis=axis)]
    steps = [h.make_step(op, [h.spec(dtypes.float32, shape)], f"s{k}") for k, op in enumerate(ops)]
    module = render_steps(enumerate(steps))
    lib = emulate.build(module)
    for nan in (False, True):
        if nan:
            flat[60000] = np.nan
        for k, (op, step) in enumerate(zip(ops, steps, strict=True)):
            assert len(module.steps[k]) == 3
            (got,) = run_launched(lib, step, module.steps[k], [x])
            _agree(h, got, np.asarray(op.compute(x)), f"{op.type} over {axis} of {shape}")
    first = module.kernels[module.steps[0][0]].text
    assert "r += 274" in first  # interleaved: a warp's threads read neighbouring elements
    # the fastest-varying thread coordinate is the one along the memory's innermost run
    assert ("c = i % 274" in first) == (axis == len(shape) - 1) != ("o = i % 3" in first)


def test_refused_dtypes_name_the_step(h):
    step = h.make_step(Sum(axis=(0,), keepdims=False), [h.spec(dtypes.float16, [4, 3])])
    with pytest.raises(CodegenError, match="Sum.*float16"):
        render_reduction(step)


def test_an_empty_arg_axis_raises_before_any_launch(h):
    h.require_emulation()
    step = h.make_step(ArgMax(axis=1), [h.spec(dtypes.float32, [3, 0])])
    module = render_steps([(0, step)])
    with pytest.raises(ValueError, match="ArgMax over an empty dimension"):
        run_launched(emulate.build(module), step, module.steps[0], [np.zeros((3, 0), np.float32)])


def test_the_emulated_executor_agrees(h, reduce_case):
    h.require_emulation()
    rng = np.random.default_rng(5)
    feeds = [(rng.integers(-9, 9, p.shape.as_list()) if p.dtype.np != np.float32
              else rng.standard_normal(p.shape.as_list())).astype(p.dtype.np)
             for p in reduce_case.placeholders]
    feed = dict(zip(reduce_case.placeholders, feeds, strict=True))
    with emulated_executor() as name, gf.Session(graph=reduce_case.graph, executor=name) as sess:
        got = sess.run(reduce_case.fetches, feed)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the reference's mean of nothing
        ref = reduce_case.reference(feeds)
    for fetch, a, b in zip(reduce_case.fetches, got, ref, strict=True):
        _agree(h, a, b, fetch.name)


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA_OK, reason=CUDA_WHY or "cuda available")
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_the_gpu_agrees(h, reduce_case, reduce64_case, data):
    for case in (reduce_case, reduce64_case):
        feeds = data.draw(case.strategy(special=True))
        feed = dict(zip(case.placeholders, feeds, strict=True))
        with gf.Session(graph=case.graph, executor="cuda") as sess:
            got = sess.run(case.fetches, feed)
        with np.errstate(all="ignore"):
            ref = case.reference(feeds)
        for fetch, a, b in zip(case.fetches, got, ref, strict=True):
            _agree(h, a, b, f"{fetch.name} on cuda")
