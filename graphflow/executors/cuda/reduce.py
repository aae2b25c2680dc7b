"""Reductions (Sum, Mean, Max, Min, Prod, All, Any over any axes; ArgMax, ArgMin over one; the sums
of BiasAddGrad, SumToShape, L2Loss) as generated kernels: block passes with shared-memory trees
along contiguous runs, thread passes of partials elsewhere.

The input's dimensions are merged into runs of kept and reduced ones, so the reduction is over
`extent` elements for each of `outputs` results, the offsets unravelled from the static strides.
When the innermost run is reduced and `extent` exceeds CHUNK, block passes fold it: a block per
(output, span of up to SPAN values), its threads striding over neighbouring elements, a tree in
shared memory (blocktree.py) leaving one partial per span, until CHUNK or fewer are left. Column
reductions (the innermost run kept, so a warp's threads already read neighbouring outputs) and
the last CHUNK partials take thread passes: a thread per (chunk, output) folds the interleaved
values c, c + chunks, ... Passes repeat until one value per output is left (docs/cuda.md,
"Reductions"). The tail is fused: Mean's divide, L2Loss's square and half, the dtype's cast and
the flat write (keepdims costs nothing) happen in the last pass.

Float sums and means accumulate in float64 (more accurate than the reference's pairwise float32
sum), float products in the element type (so they overflow to inf, and inf * 0 is NaN, where the
reference's product does), integer sums and products in unsigned 64-bit arithmetic (wrapping as
NumPy's do; an integer mean truncates toward zero, as TF1's). Max and Min propagate NaN; an empty
reduction gives the identity (0, 1, -inf / +inf or the integer limits, True / False; a float mean
NaN). ArgMax / ArgMin keep the first NaN, else the lowest index of the extreme value (the folds
compare indices, so no order of partials matters); an empty axis raises before any launch.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from graphflow.executors.cuda.blocktree import (
    block_prologue,
    block_tree,
    block_work,
    units_loop,
)
from graphflow.executors.cuda.source import CodegenError, KernelSource, Param, grid_stride, named
from graphflow.ops.broadcast_grad import sum_axes
from graphflow.ops.reduce import normalize_axes

REDUCE_TYPES = ("Sum", "Mean", "Max", "Min", "Prod", "All", "Any")
ARG_TYPES = ("ArgMax", "ArgMin")
SUM_TYPES = ("BiasAddGrad", "SumToShape", "L2Loss")  # sums over axes of their own
REDUCTION_TYPES = (*REDUCE_TYPES, *ARG_TYPES, *SUM_TYPES)
CHUNK = 256  # reduced elements folded by one thread of a thread pass
SPAN = 4096  # reduced elements folded by one block of a block pass (16 per thread of 256)

# element types of the reductions (the elementwise generator has no integers)
_CTYPES = {np.dtype(np.float32): "float", np.dtype(np.float64): "double",
           np.dtype(np.int32): "int", np.dtype(np.int64): "long long",
           np.dtype(np.bool_): "unsigned char"}
ACC_NP = {"double": np.float64, "float": np.float32, "unsigned long long": np.uint64,
          "long long": np.int64, "int": np.int32, "unsigned char": np.bool_}
_LIMITS = {"int": ("(-2147483647 - 1)", "2147483647"),
           "long long": ("(-9223372036854775807LL - 1)", "9223372036854775807LL")}


class Geometry(NamedTuple):
    kept: tuple  # (size, stride) of the kept runs, outermost first
    reduced: tuple  # (size, stride) of the reduced runs, outermost first
    outputs: int
    extent: int
    levels: tuple  # partials per output after each pass; the last is 1 (one pass: (1,))
    blocks: tuple  # for each pass, True when it is a block pass (shared-memory tree)

    @property
    def size(self) -> int:
        return self.outputs * self.extent

    @property
    def chunks(self) -> int:
        return self.levels[0]


def _passes(extent: int, contiguous: bool) -> tuple[tuple, tuple]:
    """(partials per output after each pass, which passes are block passes).

    More than CHUNK values along a contiguous (innermost, reduced) run take block passes of up
    to SPAN values each, a block's threads reading neighbouring elements; a column reduction
    (the innermost run kept: a warp's threads already read neighbouring outputs) and the last
    CHUNK or fewer partials take thread passes of about CHUNK values each."""
    levels, blocks, n = [], [], extent
    while contiguous and n > CHUNK:  # the partials (o, c) are contiguous along c too
        n = -(-n // SPAN)
        levels.append(n)
        blocks.append(True)
    while n > CHUNK:
        n = -(-n // CHUNK)
        levels.append(n)
        blocks.append(False)
    if n > 1 or not levels:
        levels.append(1)
        blocks.append(False)
    return tuple(levels), tuple(blocks)


def _ctype(dtype, step) -> str:
    try:
        return _CTYPES[np.dtype(getattr(dtype, "np", dtype))]
    except KeyError:
        raise CodegenError(f"{step.describe()}: the CUDA reduction kernels have no element type "
                           f"for {dtype}") from None


def reduction_axes(step) -> tuple:
    """The axes of the input the step reduces (its shape known statically)."""
    rank = step.inputs[0].shape.rank
    if step.type == "L2Loss":
        return tuple(range(rank))
    if step.type == "BiasAddGrad":
        if rank < 2:
            raise CodegenError(f"{step.describe()}: out_backprop must have at least 2 "
                               f"dimensions, got {step.inputs[0].shape}")
        channel = 1 if step.op.data_format == "NCHW" else rank - 1
        return tuple(i for i in range(rank) if i != channel)
    if step.type == "SumToShape":
        like = step.inputs[1].shape
        if not like.is_fully_defined():
            raise CodegenError(f"{step.describe()}: the CUDA kernel needs the static shape of "
                               f"`like`, got {like}")
        return sum_axes(tuple(step.inputs[0].shape.as_list()), tuple(like.as_list()))
    axis = (step.op.axis,) if step.type in ARG_TYPES else step.op.axis
    return tuple(normalize_axes(axis, rank))


def reduction_geometry(step) -> Geometry:
    spec = step.inputs[0]
    if not spec.shape.is_fully_defined():
        raise CodegenError(f"{step.describe()}: the CUDA kernel needs the input's static shape, "
                           f"got {spec.shape}")
    shape, axes = spec.shape.as_list(), set(reduction_axes(step))
    runs, stride = [], 1  # innermost first: [size, stride, reduced?], size-1 dims dropped
    for d in reversed(range(len(shape))):
        if shape[d] != 1:
            if runs and runs[-1][2] == (d in axes) and runs[-1][1] * runs[-1][0] == stride:
                runs[-1][0] *= shape[d]
            else:
                runs.append([shape[d], stride, d in axes])
        stride *= shape[d]
    runs.reverse()
    kept = tuple((s, t) for s, t, r in runs if not r)
    reduced = tuple((s, t) for s, t, r in runs if r)
    outputs = math.prod(s for s, _ in kept)
    extent = math.prod(s for s, _ in reduced) if outputs else 0
    contiguous = bool(reduced) and reduced[-1][1] == 1
    return Geometry(kept, reduced, outputs, extent, *_passes(extent, contiguous))


def _offset(name: str, var: str, dims, it: str) -> list[str]:
    """Lines declaring `name`, the element offset of flat index `var` over `dims`."""
    if not dims:
        return [f"const {it} {name} = 0;"]
    lines, terms, rest = [], [], var
    for k in reversed(range(len(dims))):
        size, stride = dims[k]
        coord = rest if k == 0 else f"({rest} % {size})"
        terms.append(f"{coord} * {stride}")
        if k:
            lines.append(f"const {it} {name}_{k} = {rest} / {size};")
            rest = f"{name}_{k}"
    return [*lines, f"const {it} {name} = {' + '.join(terms)};"]


class _Fold(NamedTuple):
    acc: str  # accumulator C type
    init: str
    step: str  # folds `v` into `acc` (for ArgMax / ArgMin also `at` / index `j`)
    finish: str  # the result from `acc`


def _fold(kind: str, t: str, extent: int) -> _Fold:
    floating = t in ("float", "double")
    if kind == "L2Loss":  # sum(t * t) / 2
        if not floating:
            raise CodegenError(f"L2Loss: no CUDA kernel for {t} inputs")
        return _Fold("double", "0", "acc += (double)v * (double)v;", "(T)(acc / 2.0)")
    kind = "Sum" if kind in SUM_TYPES else kind
    if kind in ("Sum", "Mean", "Prod"):
        acc = "double" if floating else "unsigned long long"
        op = "*=" if kind == "Prod" else "+="
        cast = "(double)" if floating else "(unsigned long long)(long long)"
        if kind == "Prod" and floating:  # in T: overflow to inf where the reference's does
            acc, cast = "T", ""
        if kind == "Mean" and floating:
            finish = f"(T)(acc / (double){extent})"  # 0 / 0: NaN, as NumPy's empty mean
        elif kind == "Mean":
            finish = f"(T)((long long)acc / {max(extent, 1)}LL)"
        else:
            finish = "(T)(long long)acc" if not floating else "(T)acc"
        return _Fold(acc, "1" if kind == "Prod" else "0", f"acc {op} {cast}v;", finish)
    if kind in ("Max", "Min"):
        cmp = ">" if kind == "Max" else "<"
        if floating:
            init = f"({'-' if kind == 'Max' else ''}(T)(1.0 / 0.0))"
        else:
            init = _LIMITS[t][0 if kind == "Max" else 1]
        return _Fold("T", init, f"if (v {cmp} acc || v != v) acc = v;", "acc")
    if kind in ("All", "Any"):
        op = "&=" if kind == "All" else "|="
        return _Fold("unsigned char", "1" if kind == "All" else "0",
                     f"acc {op} (unsigned char)(v != 0);", "acc")
    cmp = ">" if kind == "ArgMax" else "<"  # the first NaN wins, then the first extreme value
    return _Fold("T", "0", f"if (at < 0 || (v != v ? (acc == acc || j < at) : (acc == acc && "
                           f"(v {cmp} acc || (v == acc && j < at))))) {{ acc = v; at = j; }}",
                 "at")


def render_reduction(step) -> tuple[KernelSource, ...]:
    """The kernels of a reduction step, in launch order: one pass per level of partials."""
    if step.type not in REDUCTION_TYPES:
        raise CodegenError(f"{step.describe()} is not a reduction")
    g = reduction_geometry(step)
    t, out_t = _ctype(step.inputs[0].dtype, step), _ctype(step.outputs[0].dtype, step)
    if (t == "unsigned char") != (step.type in ("All", "Any")):
        raise CodegenError(f"{step.describe()}: no CUDA reduction kernel for {t} inputs")
    arg = step.type in ARG_TYPES
    fold = _fold(step.type, t, g.extent)
    acc_t = t if fold.acc == "T" else fold.acc
    it = "long long" if max(g.size, g.outputs * g.levels[0]) > (1 << 30) else "int"
    y = Param("y", out_t, "out", g.outputs)
    src = (Param("x", t, "in", g.size),)
    kept, reduced, extent, kernels = g.kept, g.reduced, g.extent, []
    partial = _partial_fold(step.type, fold)
    for level, (chunks, block) in enumerate(zip(g.levels, g.blocks, strict=True)):
        # adjacent threads read adjacent elements: chunks fastest when the innermost run is
        # reduced, outputs fastest otherwise (the partials keep that layout for the next pass)
        c_fast = bool(reduced) and reduced[-1][1] == 1
        last = chunks == 1
        dst = (y,) if last else tuple(
            Param(f"part{level}{suffix}", ctype, "out", g.outputs * chunks)
            for suffix, ctype in (("", acc_t), ("_at", "long long"))[:1 + arg])
        if block:
            kernels.append(_block_pass("reduceblock" if last else "reduceblockpart", t, it,
                                       fold, src, dst, kept, reduced, extent, g.outputs, chunks,
                                       first=level == 0, partial=partial))
        else:
            kind = "reduce" if len(g.levels) == 1 else "reducefinal" if last else "reducepart"
            kernels.append(_pass(kind, t, it, fold, src, dst, kept, reduced, extent, g.outputs,
                                 chunks, c_fast, first=level == 0, partial=partial))
        src = tuple(p._replace(role="in") for p in dst)
        if c_fast:  # partial (o, c) at o * chunks + c
            kept, reduced = ((g.outputs, chunks),), ((chunks, 1),)
        else:  # at c * outputs + o
            kept, reduced = ((g.outputs, 1),), ((chunks, g.outputs),)
        extent = chunks
    return tuple(kernels)


def _pass(kind, t, it, fold, src, dst, kept, reduced, extent, outputs, chunks, c_fast, first,
          partial) -> KernelSource:
    """One pass: a thread per (chunk c, output o) folds the values r = c, c + chunks, ... of its
    output's `extent` (interleaved: a warp reads consecutive elements) into a partial, or the
    result when `chunks` is 1."""
    arg = fold.finish == "at"
    at = ["long long at = -1;"] if arg else []
    if chunks == 1:
        where = [f"const {it} c = 0, o = i;"]
    elif c_fast:
        where = [f"const {it} c = i % {chunks}, o = i / {chunks};"]
    else:
        where = [f"const {it} c = i / {outputs}, o = i % {outputs};"]
    read = f"const T v = x[base + off];{' const long long j = (long long)r;' if arg else ''}" \
        if first else (f"const {src[0].ctype} v = {src[0].name}[base + off];"
                       + (f" const long long j = {src[1].name}[base + off];" if arg else ""))
    if last := chunks == 1:
        write = [f"{dst[0].name}[o] = ({dst[0].ctype})({fold.finish});"]
    else:
        write = [f"{dst[0].name}[i] = acc;", *([f"{dst[1].name}[i] = at;"] if arg else [])]
    body = [*where, *_offset("base", "o", kept, it), f"{fold.acc} acc = {fold.init};", *at,
            f"for ({it} r = c; r < {extent}; r += {chunks}) {{",
            *["    " + s for s in _offset("off", "r", reduced, it)],
            "    " + read, "    " + (fold.step if first else partial), "}", *write]
    work = outputs if last else outputs * chunks
    params = (*src, *dst)
    lines = [grid_stride(it, work) + " {", *["    " + s for s in body], "}"] if work else []
    name, text = named(kind, params, [f"typedef {t} T;", *lines])
    return KernelSource(name, params, work, text, kind)


def _block_pass(kind, t, it, fold, src, dst, kept, reduced, extent, outputs, chunks, first,
                partial) -> KernelSource:
    """One block pass: a block per unit (output o, chunk c) folds the contiguous span c of o's
    `extent` (its threads striding over neighbouring elements), then a shared-memory tree
    leaves the partial, or the result when `chunks` is 1, in lane 0."""
    arg = fold.finish == "at"
    acc_t = t if fold.acc == "T" else fold.acc
    span = -(-extent // chunks)
    slots = [("gf_acc", "acc", acc_t, "v"), *([("gf_at", "at", "long long", "j")] if arg else [])]
    where = [f"const {it} c = 0, o = u;", f"const {it} lo = 0, hi = {extent};"] if chunks == 1 \
        else [f"const {it} c = u % {chunks}, o = u / {chunks};", f"const {it} lo = c * {span};",
              f"const {it} hi = lo + {span} < {extent} ? lo + {span} : {extent};"]
    read = f"const T v = x[base + off];{' const long long j = (long long)r;' if arg else ''}" \
        if first else (f"const {src[0].ctype} v = {src[0].name}[base + off];"
                       + (f" const long long j = {src[1].name}[base + off];" if arg else ""))
    combine = f"if (j >= 0) {{ {fold.step} }}" if arg else partial  # a lane that read nothing
    if chunks == 1:
        write = [f"if (tid == 0) {dst[0].name}[o] = ({dst[0].ctype})({fold.finish});"]
    else:
        write = [f"if (tid == 0) {{ {dst[0].name}[u] = acc;"
                 f"{f' {dst[1].name}[u] = at;' if arg else ''} }}"]
    loop = [*where, *_offset("base", "o", kept, it), f"{fold.acc} acc = {fold.init};",
            *(["long long at = -1;"] if arg else []),
            f"if (tid < lanes) for ({it} r = lo + ({it})tid; r < hi; r += ({it})lanes) {{",
            *["    " + s for s in _offset("off", "r", reduced, it)],
            "    " + read, "    " + (fold.step if first else partial), "}",
            *block_tree(slots, combine), *write]
    units = outputs * chunks
    params = (*src, *dst)
    body = [f"typedef {t} T;", *block_prologue([(a, c) for a, _, c, _ in slots]),
            units_loop(it, units) + " {", *["    " + s for s in loop], "}"]
    name, text = named(kind, params, body)
    return KernelSource(name, params, block_work(units), text, kind)


def _partial_fold(kind: str, fold: _Fold) -> str:
    """Folding a partial (already an accumulator) into `acc`."""
    if kind in ("Sum", "Mean", *SUM_TYPES):
        return "acc += v;"
    if kind == "Prod":
        return "acc *= v;"
    if kind == "All":
        return "acc &= v;"
    if kind == "Any":
        return "acc |= v;"
    return fold.step


def workspace(xp, step) -> dict:
    """The partials of each pass but the last (none for one pass), kept for the step's life."""
    return {p.name: xp.zeros(max(p.size, 1), dtype=ACC_NP[p.ctype])
            for k in render_reduction(step)[:-1] for p in k.params if p.role == "out"}
