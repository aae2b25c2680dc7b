"""Data movement (slices, strided slices and their gradient, tiles, pads, fills, splits, unstacks)
and FusedBatchNorm as generated kernels, built by the host C++ compiler and run on poisoned
outputs: copies agree with the reference bit for bit over every element width, sums and batch
statistics within float tolerances, on hypothesis-generated values and shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.core import dtypes
from graphflow.executors import executor_status
from graphflow.executors.cuda import CodegenError, emulate, render_step, render_steps
from graphflow.executors.cuda.emulate_plan import PlanEmulator, run_launched
from graphflow.executors.cuda.movement import MOVEMENT_TYPES, resolve_spec
from graphflow.ops.indexing import StridedSlice, StridedSliceGrad, numpy_key
from graphflow.ops.slicing import Pad, Tile
from graphflow.testing import strategies
from graphflow.testing.cuda_emulation import emulated_executor

CUDA_OK, CUDA_WHY = executor_status()["cuda"]
SUMMED = ("MirrorPadGrad", "FusedBatchNorm")  # compared within tolerances, not bit for bit


def _emulator(case, cache={}):  # noqa: B006 - one emulator per plan
    if id(case) not in cache:
        cache[id(case)] = PlanEmulator(case.plan)
    return cache[id(case)]


def _bits(a):
    a = np.ascontiguousarray(a)
    return a.view(np.dtype(f"u{a.dtype.itemsize}"))


def _check_plan(h, case, feeds):
    got = _emulator(case).run(case.feed_order(feeds))
    with np.errstate(all="ignore"):
        ref = case.reference(feeds)
    assert len(got) == len(ref)
    for k, (a, b) in enumerate(zip(got, ref, strict=True)):
        fetch = case.fetches[k]
        what = f"fetch {k}: {fetch.name}"
        b = np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype, what
        if fetch.op.type in SUMMED:
            h.assert_agrees(a, b, what, scaled=True)
        else:
            np.testing.assert_array_equal(_bits(a), _bits(b), err_msg=what)


def test_every_movement_op_renders_a_kernel(movement_case):
    plan = movement_case.plan
    module = _emulator(movement_case).module
    types = {s.type for i, s in enumerate(plan.steps) if i in module.steps}
    assert types >= set(MOVEMENT_TYPES)
    split = next(i for i, s in enumerate(plan.steps) if s.type == "Split")
    assert len(module.steps[split]) == len(plan.steps[split].outputs)  # one kernel per part


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_movement_is_bit_exact_with_the_reference(h, movement_case, data):
    h.require_emulation()
    _check_plan(h, movement_case, data.draw(movement_case.strategy(special=True)))


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_batch_norm_agrees_with_the_reference(h, batch_norm_case, data):
    h.require_emulation()
    _check_plan(h, batch_norm_case, data.draw(batch_norm_case.strategy(special=True)))


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_float64_batch_norm_agrees_with_the_reference(h, batch_norm64_case, data):
    h.require_emulation()
    _check_plan(h, batch_norm64_case, data.draw(batch_norm64_case.strategy(special=False)))


# --- index arithmetic on generated shapes ------------------------------------------------------
def _run(h, op, x):
    step = h.make_step(op, [h.spec(dtypes.as_dtype(x.dtype), x.shape)], "case")
    module = render_steps([(0, step)])
    return run_launched(emulate.build(module), step, module.steps[0], [x])


@st.composite
def _cases(draw):
    shape = draw(strategies.shapes(0, 3))
    x = draw(strategies.values(draw(strategies.dtype_of("any")), shape))
    kind = draw(st.sampled_from(["slice", "grad", "tile", "pad"]))
    if kind in ("slice", "grad"):
        spec = draw(strategies.index_spec(shape))
        if kind == "slice":
            return StridedSlice(spec=spec), x, x[numpy_key(spec)]
        dy = np.asarray(x[numpy_key(spec)])
        want = np.zeros_like(x)
        want[numpy_key(spec)] = dy
        return StridedSliceGrad(spec=spec, shape=shape), dy, want
    if kind == "tile":
        mult = tuple(draw(st.integers(0, 3)) for _ in shape)
        return Tile(multiples=mult), x, np.tile(x, mult) if x.ndim else x
    mode = draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
    limit = {"CONSTANT": 3, "REFLECT": -1, "SYMMETRIC": 0}[mode]
    pads = tuple(tuple(draw(st.integers(0, max(0, d + limit) if limit <= 0 else limit))
                       for _ in "ba") for d in shape)
    if mode != "CONSTANT" and any(max(p) > d - (mode == "REFLECT") for p, d in zip(pads, shape)):
        mode = "CONSTANT"
    value = 1 if x.dtype != np.bool_ else True
    op = Pad(paddings=pads, mode=mode, constant_values=value)
    return op, x, op.compute(x)


@settings(max_examples=15, deadline=None)
@given(case=_cases())
def test_index_arithmetic_on_generated_shapes_and_specs(h, case):
    h.require_emulation()
    op, x, want = case
    got, = _run(h, op, x)
    want = np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(_bits(got), _bits(want), err_msg=f"{op} on {x!r}")


def test_resolve_spec_drops_ints_and_keeps_new_axes():
    per_axis, out_axes = resolve_spec((("int", -1), ("newaxis",), ("ellipsis",),
                                       ("slice", 4, 0, -3)), (3, 4, 5))
    assert per_axis == [("int", 2), ("slice", 0, 1, 4), ("slice", 4, -3, 2)]
    assert out_axes == [None, 1, 2]


def test_copies_of_strings_are_refused_naming_the_step(h):
    step = h.make_step(Tile(multiples=(2,)), [h.spec(dtypes.string, (3,))], "names")
    with pytest.raises(CodegenError, match=r"Tile 'names' .*fixed-width numbers and bools, "
                                           r"not object values"):
        render_step(step)


# --- the executor itself: the emulated backend here, the GPU where there is one ---------------
def _session_check(h, case, executor, feeds):
    with gf.Session(graph=case.graph, executor=executor) as sess:
        got = sess.run(case.fetches, dict(zip(case.placeholders, feeds, strict=True)))
    with np.errstate(all="ignore"):
        ref = case.reference(feeds)
    for fetch, a, b in zip(case.fetches, got, ref, strict=True):
        a, b = np.asarray(a), np.asarray(b)
        if fetch.op.type in SUMMED:
            h.assert_agrees(a, b, f"{fetch.name} on {executor}", scaled=True)
        else:
            np.testing.assert_array_equal(_bits(a), _bits(b), err_msg=f"{fetch.name} on {executor}")


@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_the_emulated_executor_agrees(h, movement_case, batch_norm_case, data):
    h.require_emulation()
    with emulated_executor() as name:
        for case in (movement_case, batch_norm_case):
            _session_check(h, case, name, data.draw(case.strategy(special=True)))


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA_OK, reason=CUDA_WHY or "cuda available")
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_the_gpu_agrees(h, movement_case, batch_norm_case, batch_norm64_case, data):
    for case in (movement_case, batch_norm_case, batch_norm64_case):
        _session_check(h, case, "cuda", data.draw(case.strategy(special=True)))


def test_shapes_that_follow_values_compile_per_shape(h):
    h.require_emulation()
    graph = gf.Graph()
    with graph.as_default():
        n = gf.placeholder(gf.int32, [])
        value = gf.placeholder(gf.float32, [])
        filled = gf.fill(gf.stack([n, 3]), value)  # its shape is known only at run time
        fetches = [filled, gf.slice(filled, [1, 0], [-1, 2]), gf.tile(filled, [1, 2]),
                   gf.pad(filled, [[0, 1], [2, 0]], mode="SYMMETRIC")]
    with emulated_executor() as name, gf.Session(graph=graph, executor=name) as sess:
        for rows, v in ((4, 1.5), (2, -0.0), (4, 3.0)):
            feed = {n: rows, value: v}
            got = sess.run(fetches, feed)
            ref = gf.Session(graph=graph, executor="reference").run(fetches, feed)
            for fetch, a, b in zip(fetches, got, ref, strict=True):
                np.testing.assert_array_equal(_bits(a), _bits(b), err_msg=fetch.name)
        plan = sess.compiled_plan(fetches, feed)
    dynamic = [s for s in plan.steps if s.type in ("Fill", "Slice", "Tile", "Pad")]
    assert dynamic and all(s.device == "cuda:0" and not s.outputs[0].shape.is_fully_defined()
                           for s in dynamic), [(s.type, s.device) for s in dynamic]
