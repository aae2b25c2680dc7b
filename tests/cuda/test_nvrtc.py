"""Every generated kernel compiles with NVRTC (the nvidia-cuda-nvrtc wheel, no driver, no GPU) to
PTX and to sm_90 cubin, in one program per target; errors name NVRTC's file:line and the step."""

import re
import time

import pytest

from graphflow.executors.cuda import nvrtc, render_plan, render_steps


@pytest.fixture(scope="module")
def suite(h, scalar_steps, fused_steps, conv_case, pool_case, float64_case, movement_case,
          batch_norm_case, batch_norm64_case, rows_case, rows64_case, reduce_case, reduce64_case):
    """Every kernel family in one module: scalar ops on every layout, fused programs, im2col /
    col2im (float32 and float64), pools, data movement over every element width, batch norm
    (training and inference, float32 and float64), softmax / log-softmax / cross-entropy rows (a
    thread or a block per row), reductions (one chunk, thread passes and block passes with
    shared-memory trees, every dtype)."""
    h.require_nvrtc()
    steps = [*scalar_steps, *fused_steps]
    for case in (conv_case, pool_case, float64_case, movement_case, batch_norm_case,
                 batch_norm64_case, rows_case, rows64_case, reduce_case, reduce64_case):
        steps += [s for i, s in enumerate(case.plan.steps) if i in render_plan(case.plan).steps]
    return render_steps(enumerate(steps))


@pytest.mark.parametrize("target", ["ptx", "cubin"])
def test_every_generated_kernel_compiles(suite, target):
    start = time.perf_counter()
    compiled = nvrtc.compile_module(suite, target)
    seconds = time.perf_counter() - start
    assert compiled.image, compiled.log
    kinds = {k.kind for k in suite.kernels.values()}
    assert kinds == {"elementwise", "fused", "im2col", "col2im", "maxpool", "avgpool",
                     "maxpoolgrad", "maxpoolgradgrad", "avgpoolgrad", "slice", "stridedslice",
                     "stridedslicegrad", "tile", "pad", "mirrorpadgrad", "fill", "split",
                     "unpack", "bnsum", "bnmean", "bndev", "bnvar", "bnstats", "bnnorm",
                     "softmax", "logsoftmax", "xent", "softmaxblock", "logsoftmaxblock",
                     "xentblock", "reduce", "reducepart", "reducefinal", "reduceblock"}
    if target == "ptx":
        text = compiled.image.decode()
        missing = [n for n in suite.kernels if f".entry {n}(" not in text]
        assert not missing, missing
    else:
        assert set(compiled.resources) == set(suite.kernels)
        spilled = {n: r for n, r in compiled.resources.items() if r.spill_stores or r.spill_loads}
        assert not spilled, spilled
        assert all(0 < r.registers <= 255 for r in compiled.resources.values())
        worst = max(compiled.resources.items(), key=lambda kv: kv[1].registers)
        print(f"\n{len(suite.kernels)} kernels, cubin sm_90 in {seconds:.2f} s; "
              f"most registers: {worst[0]} ({worst[1].registers})")
    assert nvrtc.compile_module(suite, target) is compiled  # cached by key, target and arch


def test_every_pass_of_long_reductions_compiles(h):
    """Block passes of partials and final block passes (the fixture's reductions are short),
    every fold kind, in cubin for sm_90 without spills; ptxas's shared memory per kernel."""
    h.require_nvrtc()
    from graphflow.core import dtypes
    from graphflow.ops.reduce import All, ArgMin, Max, Mean, Prod, Sum

    steps = [h.make_step(op, [h.spec(dtype, shape)], f"r{k}") for k, (op, dtype, shape) in
             enumerate([(Sum(axis=(1,), keepdims=False), dtypes.float32, [2, 70000]),
                        (Mean(axis=(0,), keepdims=False), dtypes.float64, [1100000]),
                        (Max(axis=(1,), keepdims=True), dtypes.float32, [3, 1100000]),
                        (ArgMin(axis=0), dtypes.float64, [70001]),
                        (Prod(axis=(1,), keepdims=False), dtypes.int64, [2, 70000]),
                        (All(axis=(0,), keepdims=False), dtypes.bool_, [70000]),
                        (Sum(axis=(0, 2), keepdims=False), dtypes.int32, [300, 2, 30])])]
    module = render_steps(enumerate(steps))
    assert {"reduceblock", "reduceblockpart", "reducefinal"} <= \
        {k.kind for k in module.kernels.values()}
    compiled = nvrtc.compile_module(module, "cubin")
    assert set(compiled.resources) == set(module.kernels)
    assert not any(r.spill_stores or r.spill_loads for r in compiled.resources.values())
    smem = sorted({int(n) for n in re.findall(r"(\d+) bytes smem", compiled.log)})
    assert smem and max(smem) <= 48 * 1024  # the static shared memory limit of a block
    print(f"\n{len(module.kernels)} reduction kernels in {compiled.seconds:.2f} s: registers "
          f"{sorted({r.registers for r in compiled.resources.values()})}, "
          f"shared memory {smem} bytes")


def test_compile_error_names_file_line_source_and_step(h, fused_steps):
    h.require_nvrtc()
    module = render_steps([(0, fused_steps[0])])
    name = next(iter(module.kernels))
    broken = module.source.replace("const T t0 = ", "const T t0 = (", 1)
    line = broken.splitlines().index(next(s for s in broken.splitlines() if "t0 = (" in s)) + 1
    bad = module._replace(source=broken, key="0" * 64)
    with pytest.raises(nvrtc.CudaCompileError) as err:
        nvrtc.compile_module(bad, "ptx")
    message = str(err.value)
    assert f"graphflow_000000000000.cu:{line}: error:" in message
    assert f"    {line} | const T t0 = (gf_op_Mul<T>(a0, a3);" in message
    assert f"in kernel {name}, generated for FusedElementwise 'f1' (built at " in message


def test_plain_source_errors_name_their_line(h):
    h.require_nvrtc()
    source = 'extern "C" __global__ void k(float* x) {\n    x[0] = (1 + ;\n}\n'
    with pytest.raises(nvrtc.CudaCompileError, match=r"bad\.cu:2: error: .*\n    2 \| x\[0\]"):
        nvrtc.compile_source(source, "cubin", name="bad.cu")


def test_missing_wheel_says_how_to_install(monkeypatch):
    monkeypatch.setattr(nvrtc, "_lib", None)
    monkeypatch.setattr(nvrtc, "_library_dirs", lambda: [])
    ok, why = nvrtc.available()
    assert not ok and "pip install nvidia-cuda-nvrtc" in why
    with pytest.raises(nvrtc.NvrtcMissing, match="cuda-test extra"):
        nvrtc.compile_source("", "ptx")


def test_version_is_cuda_12_or_later(h):
    h.require_nvrtc()
    assert nvrtc.version() >= (12, 0)
