"""im2col and col2im kernels for NHWC conv2d with TF1's geometry (stride, dilation, padding).

CuPy 14 has no cuDNN, so a convolution is a GEMM over the columns matrix: `im2col` writes
`cols[N * OH * OW, KH * KW * C]` (row (n, oh, ow), column (kh, kw, c): the row-major order of an
HWIO filter reshaped to [KH * KW * C, OC]), zero where a tap falls in the padding. Then

- Conv2D: `y[N * OH * OW, OC] = cols @ w[K, OC]`;
- Conv2DBackpropFilter: `dw[K, OC] = cols.T @ dy[N * OH * OW, OC]`;
- Conv2DBackpropInput: `dcols = dy @ w.T`, and `col2im` sums each input cell's taps. It runs one
  thread per input element and gathers (no atomics), so its sums are deterministic.

The window (output size, padding before each axis) comes from graphflow.ops.nn_geometry, which
the ops' references and the cpu kernels use.
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
    unravel,
)
from graphflow.ops.nn_geometry import window


class ConvGeometry(NamedTuple):
    n: int
    h: int
    w: int
    c: int
    kh: int
    kw: int
    oc: int
    oh: int
    ow: int
    sh: int
    sw: int
    dh: int
    dw: int
    pt: int
    pl: int

    @property
    def rows(self) -> int:  # of the columns matrix (and of the GEMM's result)
        return self.n * self.oh * self.ow

    @property
    def depth(self) -> int:  # K: columns of the columns matrix, rows of the reshaped filter
        return self.kh * self.kw * self.c


def _dims(spec, step, what):
    if not spec.shape.is_fully_defined() or spec.shape.rank != 4:
        raise CodegenError(f"{step.describe()}: the CUDA kernels need the static 4-D shape of "
                           f"its {what}, got {spec.shape}")
    return tuple(spec.shape.as_list())


def conv_geometry(step) -> ConvGeometry:
    """The geometry of a Conv2D, Conv2DBackpropInput or Conv2DBackpropFilter step."""
    if step.type == "Conv2D":
        x, f = _dims(step.inputs[0], step, "input"), _dims(step.inputs[1], step, "filter")
    elif step.type == "Conv2DBackpropInput":
        x, f = _dims(step.outputs[0], step, "result"), _dims(step.inputs[0], step, "filter")
    elif step.type == "Conv2DBackpropFilter":
        x, f = _dims(step.inputs[0], step, "input"), _dims(step.outputs[0], step, "result")
    else:
        raise CodegenError(f"{step.describe()} is not a convolution")
    op = step.op
    problem = op.run_problem(x, f)
    if problem:
        raise CodegenError(f"{step.describe()}: {problem}")
    win = window(x[1], x[2], f[0], f[1], op.strides, op.dilations, op.padding)
    return ConvGeometry(x[0], x[1], x[2], x[3], f[0], f[1], f[3], win.oh, win.ow,
                        op.strides[1], op.strides[2], op.dilations[1], op.dilations[2],
                        win.pt, win.pl)


def render_im2col(g: ConvGeometry, dtype) -> KernelSource:
    """`cols[(n, oh, ow), (kh, kw, c)] = x[n, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw, c]`."""
    t = ctype(np.dtype(dtype))
    work = g.rows * g.depth
    it = index_type(work, g.n * g.h * g.w * g.c)
    params = (Param("x", t, "in", g.n * g.h * g.w * g.c), Param("cols", t, "out", work))
    coords = unravel(it, [("n", g.n), ("oh", g.oh), ("ow", g.ow), ("ki", g.kh), ("kj", g.kw),
                          ("c", g.c)])
    body = [f"typedef {t} T;", grid_stride(it, work) + " {", *["    " + s for s in coords],
            f"    const {it} h = oh * {g.sh} - {g.pt} + ki * {g.dh};",
            f"    const {it} w = ow * {g.sw} - {g.pl} + kj * {g.dw};",
            f"    cols[i] = (h >= 0 && h < {g.h} && w >= 0 && w < {g.w})",
            f"        ? x[((n * {g.h} + h) * {g.w} + w) * {g.c} + c] : (T)0;", "}"]
    name, text = named("im2col", params, body)
    return KernelSource(name, params, work, text, "im2col")


def render_col2im(g: ConvGeometry, dtype) -> KernelSource:
    """`dx[n, h, w, c]`: the sum of `dcols` over every (output cell, tap) that reads it."""
    t = ctype(np.dtype(dtype))
    work = g.n * g.h * g.w * g.c
    it = index_type(work, g.rows * g.depth)
    params = (Param("cols", t, "in", g.rows * g.depth), Param("dx", t, "out", work))
    coords = unravel(it, [("n", g.n), ("h", g.h), ("w", g.w), ("c", g.c)])
    body = [f"typedef {t} T;", grid_stride(it, work) + " {", *["    " + s for s in coords],
            "    T acc = (T)0;",
            f"    for ({it} ki = 0; ki < {g.kh}; ++ki) {{",
            f"        const {it} th = h + {g.pt} - ki * {g.dh};",
            f"        if (th < 0 || th % {g.sh} != 0 || th / {g.sh} >= {g.oh}) continue;",
            f"        for ({it} kj = 0; kj < {g.kw}; ++kj) {{",
            f"            const {it} tw = w + {g.pl} - kj * {g.dw};",
            f"            if (tw < 0 || tw % {g.sw} != 0 || tw / {g.sw} >= {g.ow}) continue;",
            f"            const {it} row = (n * {g.oh} + th / {g.sh}) * {g.ow} + tw / {g.sw};",
            f"            acc += cols[row * {g.depth} + (ki * {g.kw} + kj) * {g.c} + c];",
            "        }", "    }", "    dx[i] = acc;", "}"]
    name, text = named("col2im", params, body)
    return KernelSource(name, params, work, text, "col2im")


def render_conv(step) -> tuple[KernelSource, ...]:
    """The kernels of a convolution step, in launch order (the GEMMs are the executor's)."""
    g = conv_geometry(step)
    dtype = np.dtype(step.outputs[0].dtype.np)
    if step.type == "Conv2DBackpropInput":
        return (render_col2im(g, dtype),)
    return (render_im2col(g, dtype),)
