"""FusedBatchNorm (NHWC) as generated kernels, training and inference, without shared memory.

Training needs each channel's mean and variance over the M = N * H * W rows. A thread per
channel would leave most of the GPU idle, so the sums run in two stages: a thread per (chunk of
ROWS rows, channel) writes a partial sum into a float64 workspace (adjacent threads read adjacent
channels: coalesced), then a thread per channel adds the partials. The variance is a second
such pass over the squared deviations from the mean (two passes, as NumPy's `var`), all in
float64 as the reference accumulates. Then one thread per element normalises:
`y = (x - mean) * (inv * scale) + offset`, `inv = 1 / sqrt(var + epsilon)` in float64, the
reference's order of operations. The reported variance is Bessel-corrected (TF1's fused kernel);
inference copies `mean` / `variance` through and subtracts the mean in the element type, as the
reference does. The gradient is composed from reductions (ops/nn_norm.py): no kernel of its own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graphflow.executors.cuda.source import (
    CodegenError,
    KernelSource,
    Param,
    ctype,
    grid_stride,
    index_type,
    named,
)

ROWS = 128  # rows summed by one thread of the partial-sum stage


class BatchNormGeometry(NamedTuple):
    m: int  # rows: N * H * W
    c: int  # channels
    chunks: int  # partial sums per channel

    @property
    def size(self) -> int:
        return self.m * self.c


def batch_norm_geometry(step) -> BatchNormGeometry:
    spec = step.inputs[0]
    if not spec.shape.is_fully_defined() or spec.shape.rank != 4:
        raise CodegenError(f"{step.describe()}: the CUDA kernels need x's static 4-D (NHWC) "
                           f"shape, got {spec.shape}")
    n, h, w, c = spec.shape.as_list()
    m = n * h * w
    return BatchNormGeometry(m, c, -(-m // ROWS))


def _kernel(kind, t, params, work, it, body) -> KernelSource:
    lines = [grid_stride(it, work) + " {", *["    " + s for s in body], "}"] if work else []
    name, text = named(kind, params, [f"typedef {t} T;", *lines])
    return KernelSource(name, params, work, text, kind)


def _partial(g, t, it, deviations: bool) -> KernelSource:
    """part[k, c]: the sum over rows [k * ROWS, (k + 1) * ROWS) of x (or of (x - mean)^2)."""
    params = [Param("x", t, "in", g.size)]
    if deviations:
        params.append(Param("stats", "double", "in", 2 * g.c))
    params.append(Param("part", "double", "out", g.chunks * g.c))
    value = "const double d = (double)x[r * {c} + c] - stats[c]; acc += d * d;" if deviations \
        else "acc += (double)x[r * {c} + c];"
    body = [f"const {it} c = i % {g.c}, k = i / {g.c};", "double acc = 0.0;",
            f"const {it} end = (k + 1) * {ROWS} < {g.m} ? (k + 1) * {ROWS} : {g.m};",
            f"for ({it} r = k * {ROWS}; r < end; ++r) {{ {value.format(c=g.c)} }}",
            "part[i] = acc;"]
    return _kernel("bndev" if deviations else "bnsum", t, tuple(params), g.chunks * g.c, it, body)


def _total(g, it) -> list[str]:
    return ["double acc = 0.0;",
            f"for ({it} k = 0; k < {g.chunks}; ++k) acc += part[k * {g.c} + i];",
            f"const double v = acc / (double){g.m};"]


def render_batch_norm(step) -> tuple[KernelSource, ...]:
    """The kernels of a FusedBatchNorm step, in launch order (see `batch_norm_arguments`)."""
    g = batch_norm_geometry(step)
    t = ctype(step.outputs[0].dtype)
    it = index_type(g.size, 2 * g.c)
    eps = repr(float(step.op.epsilon))
    outs = (Param("mean_out", t, "out", g.c), Param("var_out", t, "out", g.c))
    stats_out = Param("stats", "double", "out", 2 * g.c)
    if step.op.is_training:
        factor = repr(g.m / max(g.m - 1, 1))  # Bessel's correction of the reported variance
        part = Param("part", "double", "in", g.chunks * g.c)
        mean = _kernel("bnmean", t, (part, stats_out), g.c, it, [*_total(g, it), "stats[i] = v;"])
        var = _kernel("bnvar", t, (part, stats_out, *outs), g.c, it, [
            *_total(g, it), f"stats[{g.c} + i] = 1.0 / sqrt(v + {eps});",
            "mean_out[i] = (T)stats[i];", f"var_out[i] = (T)(v * {factor});"])
        stages = [_partial(g, t, it, False), mean, _partial(g, t, it, True), var]
        centred = "(double)x[i] - stats[c]"
    else:
        ins = (Param("mean", t, "in", g.c), Param("variance", t, "in", g.c))
        stages = [_kernel("bnstats", t, (*ins, stats_out, *outs), g.c, it, [
            "stats[i] = (double)mean[i];",
            f"stats[{g.c} + i] = 1.0 / sqrt((double)variance[i] + {eps});",
            "mean_out[i] = mean[i];", "var_out[i] = variance[i];"])]
        centred = "(double)(x[i] - (T)stats[c])"  # the reference subtracts in x's type
    params = (Param("x", t, "in", g.size), Param("stats", "double", "in", 2 * g.c),
              Param("scale", t, "in", g.c), Param("offset", t, "in", g.c),
              Param("y", t, "out", g.size))
    norm = _kernel("bnnorm", t, params, g.size, it, [
        f"const {it} c = i % {g.c};",
        f"y[i] = (T)(({centred}) * (stats[{g.c} + c] * (double)scale[c]) + (double)offset[c]);"])
    return (*stages, norm)


def batch_norm_arguments(kernel: KernelSource) -> tuple[str, ...]:
    """The names of a batch-norm kernel's arguments: the step's inputs (x, scale, offset, mean,
    variance), outputs (y, mean_out, var_out) and workspaces (part, stats)."""
    return tuple(p.name for p in kernel.params)


def workspace_sizes(step) -> dict:
    """Float64 elements of each workspace the step's kernels use."""
    g = batch_norm_geometry(step)
    sizes = {"stats": 2 * g.c}
    if step.op.is_training:
        sizes["part"] = g.chunks * g.c
    return sizes


def workspace(xp, step) -> dict:
    return {k: xp.zeros(max(n, 1), dtype=np.float64) for k, n in workspace_sizes(step).items()}
