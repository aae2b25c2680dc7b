"""Max and average pooling kernels (NHWC, TF1's padding), one thread per output element.

The forward kernels run a thread per pooled cell; the gradients gather, a thread per input cell
summing over the windows that hold it, so no atomics are needed and sums are deterministic.
The max tie rule lives in one device function per geometry, `gf_argmax_*`: a window's first NaN,
else its first maximum in row-major order, among its real (unpadded) cells only; a window's first
real cell holds the place until something beats it, so an all -inf window routes to it. Average
pooling divides by the number of real cells in the window (`gf_count_*`), TF1's SAME rule.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graphflow.executors.cuda.source import (
    CodegenError,
    KernelSource,
    Param,
    ctype,
    digest,
    grid_stride,
    index_type,
    named,
    unravel,
)
from graphflow.ops.nn_geometry import window

POOL_TYPES = ("MaxPool", "AvgPool", "MaxPoolGrad", "MaxPoolGradGrad", "AvgPoolGrad")


class PoolGeometry(NamedTuple):
    n: int
    h: int
    w: int
    c: int
    kh: int
    kw: int
    oh: int
    ow: int
    sh: int
    sw: int
    pt: int
    pl: int


def pool_geometry(step) -> PoolGeometry:
    if step.type not in POOL_TYPES:
        raise CodegenError(f"{step.describe()} is not a pooling op")
    spec = step.outputs[0] if step.type == "AvgPoolGrad" else step.inputs[0]
    if not spec.shape.is_fully_defined() or spec.shape.rank != 4:
        raise CodegenError(f"{step.describe()}: the CUDA kernels need the input's static 4-D "
                           f"shape, got {spec.shape}")
    x = tuple(spec.shape.as_list())
    op = step.op
    problem = op.run_problem(x)
    if problem:
        raise CodegenError(f"{step.describe()}: {problem}")
    kh, kw = op.ksize[1], op.ksize[2]
    win = window(x[1], x[2], kh, kw, op.strides, (1, 1, 1, 1), op.padding)
    return PoolGeometry(*x, kh, kw, win.oh, win.ow, op.strides[1], op.strides[2], win.pt, win.pl)


def _suffix(g: PoolGeometry) -> str:
    return digest(repr(tuple(g)), 8)


def argmax_function(g: PoolGeometry) -> str:
    """The offset in x of window (n, oh, ow, c)'s first NaN, else its first maximum."""
    return "\n".join([
        f"template <typename T> GF_DEVICE long long gf_argmax_{_suffix(g)}"
        "(const T* x, long long n, long long oh, long long ow, long long c) {",
        "    T best = (T)0;",
        "    long long at = -1;",
        f"    for (long long ki = 0; ki < {g.kh}; ++ki) {{",
        f"        const long long h = oh * {g.sh} - {g.pt} + ki;",
        f"        if (h < 0 || h >= {g.h}) continue;",
        f"        for (long long kj = 0; kj < {g.kw}; ++kj) {{",
        f"            const long long w = ow * {g.sw} - {g.pl} + kj;",
        f"            if (w < 0 || w >= {g.w}) continue;",
        f"            const long long off = ((n * {g.h} + h) * {g.w} + w) * {g.c} + c;",
        "            const T v = x[off];",
        "            if (at < 0 || v > best || (v != v && best == best)) { best = v; at = off; }",
        "        }", "    }", "    return at;", "}"])


def count_function(g: PoolGeometry) -> str:
    """How many real cells window (oh, ow) covers."""
    return "\n".join([
        f"GF_DEVICE long long gf_count_{_suffix(g)}(long long oh, long long ow) {{",
        f"    const long long h0 = oh * {g.sh} - {g.pt}, w0 = ow * {g.sw} - {g.pl};",
        f"    const long long h1 = h0 + {g.kh} < {g.h} ? h0 + {g.kh} : {g.h};",
        f"    const long long w1 = w0 + {g.kw} < {g.w} ? w0 + {g.kw} : {g.w};",
        "    return (h1 - (h0 > 0 ? h0 : 0)) * (w1 - (w0 > 0 ? w0 : 0));", "}"])


def _windows_of(g: PoolGeometry, it: str, inner: list[str]) -> list[str]:
    """Loop over the windows (oh, ow) holding input cell (h, w), running `inner` in each."""
    return [f"for ({it} ki = 0; ki < {g.kh}; ++ki) {{",
            f"    const {it} th = h + {g.pt} - ki;",
            f"    if (th < 0 || th % {g.sh} != 0 || th / {g.sh} >= {g.oh}) continue;",
            f"    const {it} oh = th / {g.sh};",
            f"    for ({it} kj = 0; kj < {g.kw}; ++kj) {{",
            f"        const {it} tw = w + {g.pl} - kj;",
            f"        if (tw < 0 || tw % {g.sw} != 0 || tw / {g.sw} >= {g.ow}) continue;",
            f"        const {it} ow = tw / {g.sw};",
            f"        const {it} o = ((n * {g.oh} + oh) * {g.ow} + ow) * {g.c} + c;",
            *["        " + s for s in inner], "    }", "}"]


def render_pool(step) -> tuple[KernelSource, tuple]:
    """The kernel of a pooling step and the device functions it calls."""
    g = pool_geometry(step)
    t = ctype(np.dtype(step.outputs[0].dtype.np))
    pooled, full = g.n * g.oh * g.ow * g.c, g.n * g.h * g.w * g.c
    it = index_type(pooled, full)
    amax, count = f"gf_argmax_{_suffix(g)}<T>", f"gf_count_{_suffix(g)}"
    out_coords = unravel(it, [("n", g.n), ("oh", g.oh), ("ow", g.ow), ("c", g.c)])
    in_coords = unravel(it, [("n", g.n), ("h", g.h), ("w", g.w), ("c", g.c)])
    kind = step.type.lower()
    if step.type == "MaxPool":
        names, work, coords = ("x",), pooled, out_coords
        inner, helpers = ["y[i] = x[" + amax + "(x, n, oh, ow, c)];"], (argmax_function(g),)
    elif step.type == "MaxPoolGradGrad":
        names, work, coords = ("x", "g"), pooled, out_coords
        inner, helpers = ["y[i] = g[" + amax + "(x, n, oh, ow, c)];"], (argmax_function(g),)
    elif step.type == "AvgPool":
        names, work, coords, helpers = ("x",), pooled, out_coords, (count_function(g),)
        inner = ["T acc = (T)0;",
                 f"for ({it} ki = 0; ki < {g.kh}; ++ki) {{",
                 f"    const {it} h = oh * {g.sh} - {g.pt} + ki;",
                 f"    if (h < 0 || h >= {g.h}) continue;",
                 f"    for ({it} kj = 0; kj < {g.kw}; ++kj) {{",
                 f"        const {it} w = ow * {g.sw} - {g.pl} + kj;",
                 f"        if (w >= 0 && w < {g.w}) acc += x[((n * {g.h} + h) * {g.w} + w) * "
                 f"{g.c} + c];", "    }", "}",
                 f"y[i] = acc / (T){count}(oh, ow);"]
    elif step.type == "MaxPoolGrad":
        names, work, coords, helpers = ("x", "dy"), full, in_coords, (argmax_function(g),)
        inner = ["T acc = (T)0;",
                 *_windows_of(g, it, [f"if ({amax}(x, n, oh, ow, c) == i) acc += dy[o];"]),
                 "y[i] = acc;"]
    else:  # AvgPoolGrad
        names, work, coords, helpers = ("dy",), full, in_coords, (count_function(g),)
        inner = ["T acc = (T)0;", *_windows_of(g, it, [f"acc += dy[o] / (T){count}(oh, ow);"]),
                 "y[i] = acc;"]
    sizes = {"x": full, "g": full, "dy": pooled}
    params = tuple(Param(p, t, "in", sizes[p]) for p in names) + \
        (Param("y", t, "out", work),)
    body = [f"typedef {t} T;", grid_stride(it, work) + " {",
            *["    " + s for s in coords + inner], "}"]
    name, text = named(kind, params, body)
    return KernelSource(name, params, work, text, kind), helpers
