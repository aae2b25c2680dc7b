"""Reductions as generated kernels (reduce.py), built by the host C++ compiler and run on
poisoned outputs: Sum, Mean, Max, Min, Prod, All, Any, ArgMax, ArgMin, BiasAddGrad, SumToShape and
L2Loss agree with the reference on one-chunk reductions, thread passes down columns and block
passes (shared-memory trees) along rows, NaN / inf inputs, empty reductions (identities), integer
and bool inputs, any block size and both barrier schedules, and hypothesis-drawn shapes and
axes."""

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
    SPAN,
    reduction_geometry,
    render_reduction,
)
from graphflow.executors.cuda.source import CodegenError
from graphflow.ops.reduce import All, Any, ArgMax, ArgMin, Max, Mean, Min, Prod, Sum
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
    # one chunk, two thread passes (columns), a block per row
    assert {"reduce", "reducepart", "reducefinal", "reduceblock"} <= kinds


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


@pytest.mark.parametrize("shape, axis, kinds", [
    ([2, 70000], 1, ("reduceblockpart", "reducefinal")),
    ([70001], 0, ("reduceblockpart", "reducefinal")),
    ([1100000], 0, ("reduceblockpart", "reduceblock")),
    ([70000, 3], 0, ("reducepart", "reducepart", "reducefinal"))])
def test_long_reductions_agree_and_read_coalesced(h, shape, axis, kinds):
    """Along a row, block passes of up to SPAN values (70000 -> 18 -> 1, 1.1M -> 269 -> 1);
    down a column, thread passes of CHUNK (70000 -> 274 -> 2 -> 1); a NaN, ties and an inf."""
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
            assert tuple(module.kernels[n].kind for n in module.steps[k]) == kinds
            (got,) = run_launched(lib, step, module.steps[k], [x])
            _agree(h, got, np.asarray(op.compute(x)), f"{op.type} over {axis} of {shape}")
    first = module.kernels[module.steps[0][0]].text
    if axis == len(shape) - 1:  # a block's threads stride over one contiguous span
        assert f"lo = c * {-(-shape[axis] // (-(-shape[axis] // SPAN)))};" in first
        assert "r += (int)lanes" in first and "__syncthreads();" in first
    else:  # interleaved, outputs fastest: a warp's threads read neighbouring elements
        assert "r += 274" in first and "o = i % 3" in first and "__shared__" not in first


def _block_cases(h):
    """Block reductions of every kind of fold: sums in float64, NaN-propagating extremes, the
    arg reductions' index ties, integer wrap-around, bools; one pass and two."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal((3, 5000)).astype(np.float32)
    x[0, 4500] = np.nan
    x[1, [17, 4096]] = 8.0  # a tie across the two spans
    x[2, 300:] = -np.inf
    ints = rng.integers(-2**31, 2**31 - 1, (2, 700), dtype=np.int64).astype(np.int32)
    flags = rng.random((4, 600)) < 0.999
    ops = [(Sum(axis=(1,), keepdims=False), x), (Mean(axis=(1,), keepdims=False), x),
           (Max(axis=(1,), keepdims=False), x), (Min(axis=(1,), keepdims=False), x),
           (ArgMax(axis=1), x), (ArgMin(axis=1), x), (Sum(axis=(1,), keepdims=False), ints),
           (Prod(axis=(1,), keepdims=False), ints), (All(axis=(1,), keepdims=False), flags),
           (Any(axis=(1,), keepdims=False), ~flags)]
    return [(op, a, h.make_step(op, [h.spec(dtypes.as_dtype(a.dtype), a.shape)], f"b{k}"))
            for k, (op, a) in enumerate(ops)]


@pytest.mark.parametrize("block, order", [(32, 1), (48, 0), (56, 1), (33, 1), (300, 0)])
def test_block_passes_agree_on_any_block_and_either_barrier_schedule(h, block, order):
    """The shared-memory trees are right for block sizes that are not powers of two or exceed
    the shared arrays, and under both barrier schedules of the emulation (a missing barrier
    would show in one of them)."""
    h.require_emulation()
    cases = _block_cases(h)
    module = render_steps((k, step) for k, (_, _, step) in enumerate(cases))
    with emulate.launches(emulate.build(module), block, order) as lib:
        for k, (op, a, step) in enumerate(cases):
            assert any("block" in module.kernels[n].kind for n in module.steps[k])
            (got,) = run_launched(lib, step, module.steps[k], [a])
            _agree(h, got, np.asarray(op.compute(a)), f"{op.type} of {a.dtype} {a.shape}")


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
