"""The generated index check of GatherV2, ScatterAddTo and the sparse cross-entropy's labels.

Reading a flag back per check costs a device synchronisation per op, so the check is a kernel
instead: each thread copies its index into a workspace of safe indices, replacing one outside
`[0, bound)` with 0, and the first thread that finds one claims the step's slot of the plan's
error buffer (an atomic compare-and-swap on its flag) and records the bad value and its flat
position. The step's CuPy call (take, add.at, take_along_axis) then reads only the safe indices,
so nothing is touched out of bounds; the executor reads the whole buffer once per run
(device_errors.py) and raises naming the op. The bound and the number of indices come from the
static shapes; a step without them (or with an empty axis, where no index is safe) keeps the
synchronous check of device_errors.check_range.
"""

from __future__ import annotations

from typing import NamedTuple

from graphflow.executors.cuda.source import (
    CodegenError,
    KernelSource,
    Param,
    grid_stride,
    index_type,
    named,
)

ERROR_WORDS = 3  # a step's slot: [claimed flag, bad value, flat position], as uint64
INDEX_CTYPES = {"int32": "int", "int64": "long long"}

# atomicCAS on the device; the host emulation runs one thread at a time, so a plain test-and-set
CLAIM = """/* the first thread to find a bad index claims its step's error slot */
#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
GF_DEVICE bool gf_claim_error(unsigned long long* err) {
    return atomicCAS(err, 0ULL, 1ULL) == 0ULL;
}
#else
GF_DEVICE bool gf_claim_error(unsigned long long* err) {
    if (*err != 0ULL) return false;
    *err = 1ULL;
    return true;
}
#endif
"""


class Checked(NamedTuple):
    """Where a checked step's indices are and what bounds them (from its static shapes)."""

    position: int  # the indices' input position
    name: str  # the input's name in messages ("indices", "labels")
    what: str  # "index" or "label"
    bound: int  # valid indices are [0, bound)
    shape: tuple  # the indices' shape


CHECKED_TYPES = ("GatherV2", "ScatterAddTo", "SparseSoftmaxCrossEntropyWithLogits")


def _static(spec, step, what: str) -> list:
    if not spec.shape.is_fully_defined():
        raise CodegenError(f"{step.describe()}: the device index check needs the static shape "
                           f"of its {what}, got {spec.shape}")
    return spec.shape.as_list()


def checked(step) -> Checked:
    """The indices and bound of a checked step; CodegenError when its shapes are not static."""
    if step.type == "GatherV2":
        params = _static(step.inputs[0], step, "params")
        axis = step.op.axis + len(params) if step.op.axis < 0 else step.op.axis
        position, name, what, bound = 1, "indices", "index", params[axis] if params else 0
    elif step.type == "ScatterAddTo":
        shape = _static(step.outputs[0], step, "result")
        axis = step.op.axis + len(shape) if step.op.axis < 0 else step.op.axis
        position, name, what, bound = 1, "indices", "index", shape[axis] if shape else 0
    elif step.type == "SparseSoftmaxCrossEntropyWithLogits":
        logits = _static(step.inputs[1], step, "logits")
        position, name, what, bound = 0, "labels", "label", logits[-1] if logits else 0
    else:
        raise CodegenError(f"{step.describe()}: no device index check for {step.type}")
    spec = step.inputs[position]
    shape = tuple(_static(spec, step, name))
    if spec.dtype.name not in INDEX_CTYPES:
        raise CodegenError(f"{step.describe()}: the device index check takes int32 or int64 "
                           f"{name}, not {spec.dtype.name}")
    if bound == 0:
        raise CodegenError(f"{step.describe()}: an empty axis has no safe index")
    return Checked(position, name, what, int(bound), shape)


def render_index_check(step) -> tuple[tuple, tuple]:
    """((the check kernel,), (its device function,)): indices in, safe int64 indices and the
    step's error slot out."""
    info = checked(step)
    n = 1
    for d in info.shape:
        n *= d
    ctype = INDEX_CTYPES[step.inputs[info.position].dtype.name]
    params = (Param("idx", ctype, "in", n), Param("safe", "long long", "out", n),
              Param("err", "unsigned long long", "out", ERROR_WORDS))
    body = [grid_stride(index_type(n), n) + " {",
            "    const long long v = (long long)idx[i];",
            f"    const bool bad = v < 0 || v >= {info.bound}LL;",
            "    safe[i] = bad ? 0LL : v;",
            "    if (bad && gf_claim_error(err)) {",
            "        err[1] = (unsigned long long)v;",
            "        err[2] = (unsigned long long)i;",
            "    }",
            "}"]
    name, text = named("indexcheck", params, body)
    return (KernelSource(name, params, n, text, "indexcheck"),), (CLAIM,)
