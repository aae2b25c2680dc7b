"""The generated CUDA C, built by the host C++ compiler with launches as loops over blocks and
threads, agrees with the reference on NaN-poisoned outputs: every scalar op on broadcast layouts,
fused programs, im2col + GEMM convolutions and their gradients, pooling and its gradients. Kernels
with shared memory and barriers run each block's threads together, under a deterministic schedule
that exposes a missing `__syncthreads()`."""

import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphflow.executors.cuda import emulate, render_steps
from graphflow.executors.cuda.elementwise import scalar_ops
from graphflow.executors.cuda.emulate_plan import PlanEmulator
from graphflow.executors.cuda.source import KernelSource, Module, Param, digest


@pytest.fixture(scope="module")
def scalar_lib(h, scalar_steps):
    h.require_emulation()
    module = render_steps(enumerate(scalar_steps))
    return emulate.build(module), module


@pytest.fixture(scope="module")
def fused_lib(h, fused_steps):
    h.require_emulation()
    module = render_steps(enumerate(fused_steps))
    return emulate.build(module), module


def _check_step(h, lib, module, index, step, inputs):
    outs = lib.run(module.steps[index][0], inputs)
    with np.errstate(all="ignore"):
        ref = step.op.compute(*inputs)
    ref = ref if isinstance(ref, tuple) else (ref,)
    for k, (got, want) in enumerate(zip(outs, ref, strict=True)):
        h.assert_agrees(got, want, f"{step.describe()} result {k}, inputs {inputs}")


@pytest.mark.parametrize("op_type", sorted(scalar_ops()))
@given(data=st.data())
def test_scalar_op_agrees_with_reference(h, scalar_lib, scalar_steps, op_type, data):
    lib, module = scalar_lib
    for index, step in enumerate(scalar_steps):
        if step.type == op_type:
            inputs = [data.draw(h.values(v.dtype, v.shape.as_list())) for v in step.inputs]
            _check_step(h, lib, module, index, step, inputs)


@pytest.mark.parametrize("index", range(8))
@given(data=st.data())
def test_fused_program_agrees_with_reference(h, fused_lib, fused_steps, index, data):
    lib, module = fused_lib
    step = fused_steps[index]
    inputs = [data.draw(h.values(v.dtype, v.shape.as_list())) for v in step.inputs]
    _check_step(h, lib, module, index, step, inputs)


def _check_plan(h, case, feeds, emulator_cache={}):  # noqa: B006 - one emulator per plan
    emulator = emulator_cache.get(id(case))
    if emulator is None:
        emulator = emulator_cache[id(case)] = PlanEmulator(case.plan)
    got = emulator.run(case.feed_order(feeds))
    with np.errstate(all="ignore"):
        ref = case.reference(feeds)
    assert len(got) == len(ref)
    for k, (a, b) in enumerate(zip(got, ref, strict=True)):
        h.assert_agrees(a, b, f"fetch {k}: {case.fetches[k].name}", scaled=True)
    return emulator


@given(data=st.data())
def test_im2col_gemm_convolutions_agree_with_reference(h, conv_case, data):
    h.require_emulation()
    _check_plan(h, conv_case, data.draw(conv_case.strategy(special=False)))


@given(data=st.data())
def test_float64_convolutions_agree_with_reference(h, float64_case, data):
    h.require_emulation()
    _check_plan(h, float64_case, data.draw(float64_case.strategy(special=False)))


@given(data=st.data())
def test_pools_agree_with_reference_on_ties_nans_and_infinities(h, pool_case, data):
    h.require_emulation()
    _check_plan(h, pool_case, data.draw(pool_case.strategy(special=True)))


def test_unwritten_outputs_stay_poisoned(h, fused_lib, fused_steps):
    lib, module = fused_lib
    name = module.steps[0][0]
    kernel = module.kernels[name]
    inputs = [np.ones(p.size, dtype=np.float32 if p.ctype == "float" else bool)
              for p in kernel.params if p.role == "in"]
    outs = [np.full(p.size, np.nan, np.float32) if p.ctype == "float" else
            np.full(p.size, 2, np.uint8).view(bool) for p in kernel.params if p.role == "out"]
    lib.launch(name, [*inputs, *outs], grid=1, block=1)  # one thread strides over all
    assert not np.isnan(outs[0]).any()
    with pytest.raises(emulate.EmulationError, match="at least 12 elements"):
        lib.launch(name, [inputs[0][:5], *inputs[1:], *outs])


def test_emulation_time_at_one_million_elements(h, fused_steps):
    h.require_emulation()
    from graphflow.core import dtypes
    from graphflow.ops.registry import get_op

    step = h.make_step(get_op("Mul")(), [h.spec(dtypes.float32, (1 << 20,)),
                                         h.spec(dtypes.float32, ())], "w2")
    module = render_steps([(0, step)])
    lib = emulate.build(module)
    x = np.random.default_rng(0).standard_normal(1 << 20).astype(np.float32)
    start = time.perf_counter()
    out, = lib.run(module.steps[0][0], [x, np.float32(2.0)], grid=1024, block=256)
    seconds = time.perf_counter() - start
    np.testing.assert_array_equal(out, x * np.float32(2.0))
    print(f"\nemulated 1M-element kernel in {seconds * 1e3:.1f} ms")


_TREE = """extern "C" __global__ void tree(const double* x, double* y) {
    __shared__ double s[64];
    const unsigned int t = threadIdx.x;
    double acc = 0.0;
    for (unsigned int r = t; r < 1000; r += blockDim.x) acc += x[r];
    s[t] = acc;
    STORED
    for (unsigned int w = blockDim.x / 2; w > 0; w /= 2) {
        if (t < w) s[t] = acc = acc + s[t + w];
        STEP
    }
    if (t == 0) y[blockIdx.x] = acc;
}
"""


def _module(text: str, name: str, sizes) -> Module:
    params = (Param("x", "double", "in", sizes[0]), Param("y", "double", "out", sizes[1]))
    kernel = KernelSource(name, params, sizes[1] * 32, text, "test")
    return Module(text, {name: kernel}, {0: (name,)}, ("double",), digest(text), {}, {})


@pytest.mark.parametrize("stored, step, wrong_in", [
    ("__syncthreads();", "__syncthreads();", ()),
    ("", "__syncthreads();", (0,)),  # ascending: lane 0 reads lane 16's entry before it is stored
    ("__syncthreads();", "", (1,))])  # descending: lane 0 adds lane 1's entry of the last step
def test_a_missing_barrier_gives_a_wrong_answer_in_one_schedule(h, stored, step, wrong_in):
    """Between barriers each thread runs alone, ascending then descending (or the reverse), and
    shared memory starts as NaN: a read that lacks its barrier sees a poisoned or stale value the
    same way on every run, and one of the two schedules runs the reader before its writer."""
    h.require_emulation()
    lib = emulate.build(_module(_TREE.replace("STORED", stored).replace("STEP", step), "tree",
                                (1000, 4)))
    x = np.arange(1000.0)
    for order in (0, 1):
        for _ in range(2):  # deterministic: the same answer each time
            (y,) = lib.run("tree", [x], grid=4, block=32, order=order)
            assert (order in wrong_in) == (not np.array_equal(y, np.full(4, x.sum()))), y


def test_a_barrier_not_reached_by_every_thread_raises(h):
    h.require_emulation()
    text = ('extern "C" __global__ void split(const double* x, double* y) {\n'
            "    if (threadIdx.x == 3) return;\n    __syncthreads();\n"
            "    y[threadIdx.x] = x[threadIdx.x];\n}\n")
    lib = emulate.build(_module(text, "split", (32, 32)))
    with pytest.raises(emulate.EmulationError, match=r"split: in block 0 of 2 \(32 threads\), "
                                                     r"some threads exited while others waited"):
        lib.run("split", [np.ones(32)], grid=2, block=32)
