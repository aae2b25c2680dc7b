"""Data-movement kernels, one thread per output element: slices, strided slices and their
gradient, tiles, pads (constant, reflect, symmetric) and the mirror-pad gradient, fills, splits
and unstacks.

Each output element reads one input element (or a constant) found by index arithmetic from the
static shapes, so these kernels copy bits: they are rendered over an unsigned integer of the
element's width (1, 2, 4 or 8 bytes), which serves every fixed-width dtype with one kernel text
and keeps -0.0 and NaN payloads exact. A gather maps output coordinate `o` of each axis to an
input coordinate: `start + step * o` (slices), `o % size` (tiles), `o - before` with a bounds test
(constant pads) or its reflection (mirror pads). The strided-slice gradient runs a thread per
element of the zero-filled result and tests whether the slice hits it (no atomics: a slice is
injective). Split and Unpack render one gather per output. MirrorPadGrad sums (float types), up
to three taps per axis: the cell itself and its mirror images in the two borders.
"""

from __future__ import annotations

import math
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

MOVEMENT_TYPES = ("Slice", "StridedSlice", "StridedSliceGrad", "Tile", "Pad", "MirrorPadGrad",
                  "Fill", "Split", "Unpack")
# the unsigned type a copy moves, by element width; 1 byte is the generator's bool type
BITS = {1: "unsigned char", 2: "unsigned short", 4: "unsigned int", 8: "unsigned long long"}
BITS_NP = {1: np.dtype(np.bool_), 2: np.dtype(np.uint16), 4: np.dtype(np.uint32),
           8: np.dtype(np.uint64)}


class Read(NamedTuple):
    """How one output axis's coordinate `o` picks the input's coordinate along `stride`.

    kind: "at" (start + step * o), "wrap" (o % size), "pad" (o - start when in [0, size), else
    the constant), "reflect" / "symmetric" (o - start mirrored into [0, size)).
    """

    kind: str
    stride: int
    start: int = 0
    step: int = 1
    size: int = 0


def strides(shape) -> list[int]:
    """Row-major element strides of `shape`."""
    out, acc = [], 1
    for d in reversed(list(shape)):
        out.append(acc)
        acc *= d
    return out[::-1]


def _shape(spec, step, what) -> tuple:
    if not spec.shape.is_fully_defined():
        raise CodegenError(f"{step.describe()}: the CUDA kernels need the static shape of its "
                           f"{what}, got {spec.shape} (plans are specialised on fed shapes)")
    return tuple(spec.shape.as_list())


def bits_of(dtype, step=None) -> str:
    """The unsigned C type that copies elements of `dtype` bit for bit."""
    np_dtype = np.dtype(getattr(dtype, "np", dtype))
    if np_dtype.kind not in "biuf" or np_dtype.itemsize not in BITS:
        where = f"{step.describe()}: " if step is not None else ""
        raise CodegenError(f"{where}the CUDA copy kernels move fixed-width numbers and bools, "
                           f"not {np_dtype} values")
    return BITS[np_dtype.itemsize]


def bit_pattern(value, dtype) -> str:
    """The C literal of `value` in `dtype`, as the bits of its element width."""
    np_dtype = np.dtype(getattr(dtype, "np", dtype))
    width = np.dtype(f"u{np_dtype.itemsize}")
    return f"0x{int(np.asarray(value, np_dtype).reshape(1).view(width)[0]):x}ull"


def _read_lines(it: str, k: int, r: Read) -> list[str]:
    o = f"o{k}"
    if r.kind == "at":
        if r.stride == 0:
            return []
        coord = o if (r.start, r.step) == (0, 1) else f"({r.start} + ({r.step}) * {o})"
        return [f"src += {coord} * {r.stride};"]
    if r.kind == "wrap":
        return [f"src += ({o} % {r.size}) * {r.stride};"]
    lines = [f"{{ {it} c = {o} - {r.start};"]
    if r.kind == "pad":
        lines.append(f"  ok = ok && c >= 0 && c < {r.size};")
    elif r.kind == "reflect":  # the edge is not repeated: -1 -> 1, size -> size - 2
        lines += ["  c = c < 0 ? -c : c;", f"  c = c >= {r.size} ? {2 * r.size - 2} - c : c;"]
    else:  # symmetric: the edge is repeated: -1 -> 0, size -> size - 1
        lines += ["  c = c < 0 ? -c - 1 : c;", f"  c = c >= {r.size} ? {2 * r.size - 1} - c : c;"]
    return [*lines, f"  src += c * {r.stride}; }}"]


def render_gather(kind: str, bits: str, out_shape, in_size: int, reads, base: int = 0,
                  fill: str | None = None) -> KernelSource:
    """`y[o] = x[base + sum of each axis's read]`, or `fill` where a pad read falls outside."""
    work = math.prod(out_shape)
    it = index_type(work, in_size)
    params = (Param("x", bits, "in", in_size), Param("y", bits, "out", work))
    body = [f"typedef {bits} B;"]
    if work:
        coords = unravel(it, [(f"o{k}", d) for k, d in enumerate(out_shape)])
        lines = [f"{it} src = {base};"] + (["bool ok = true;"] if fill is not None else [])
        for k, r in enumerate(reads):
            lines += _read_lines(it, k, r)
        value = "x[src]" if fill is None else f"ok ? x[src] : (B){fill}"
        body += [grid_stride(it, work) + " {", *["    " + s for s in coords + lines],
                 f"    y[i] = {value};", "}"]
    name, text = named(kind, params, body)
    return KernelSource(name, params, work, text, kind)


# --- the ops' index maps ------------------------------------------------------------------------
def _full_slices(entries, rank: int) -> list:
    """The spec with its ellipsis (explicit, or implied at the end) as full slices (the op has
    checked that there is at most one and that the indices fit the rank)."""
    entries = list(entries)
    if not any(e[0] == "ellipsis" for e in entries):
        entries.append(("ellipsis",))
    fill = rank - sum(e[0] in ("int", "slice") for e in entries)
    out = []
    for e in entries:
        out.extend([("slice", None, None, 1)] * fill if e[0] == "ellipsis" else [e])
    return out


def resolve_spec(entries, shape) -> tuple[list, list]:
    """A strided-slice spec over `shape` as (per input axis: ("int", i) or ("slice", start,
    step, count), per output axis: the input axis it keeps, or None for a new axis)."""
    per_axis, out_axes, axis = [], [], 0
    for e in _full_slices(entries, len(shape)):
        if e[0] == "newaxis":
            out_axes.append(None)
            continue
        d = shape[axis]
        if e[0] == "int":
            per_axis.append(("int", e[1] + d if e[1] < 0 else e[1]))
        else:
            r = range(*slice(e[1], e[2], e[3]).indices(d))
            per_axis.append(("slice", r.start, r.step, len(r)))
            out_axes.append(axis)
        axis += 1
    return per_axis, out_axes


def _strided_slice(step, bits, x_shape, out_shape):
    per_axis, out_axes = resolve_spec(step.op.spec, x_shape)
    st = strides(x_shape)
    base = sum(e[1] * st[a] for a, e in enumerate(per_axis) if e[0] == "int")
    reads = [Read("at", 0) if a is None else Read("at", st[a], per_axis[a][1], per_axis[a][2])
             for a in out_axes]
    return (render_gather("stridedslice", bits, out_shape, math.prod(x_shape), reads, base),)


def render_strided_slice_grad(step, bits, dy_shape, out_shape) -> KernelSource:
    """Zeros of `out_shape` with `dy` at the slice: each thread tests whether the slice hits it."""
    per_axis, out_axes = resolve_spec(step.op.spec, out_shape)
    dst = strides(dy_shape)
    dy_axis = {a: dst[k] for k, a in enumerate(out_axes) if a is not None}
    work, dy_size = math.prod(out_shape), math.prod(dy_shape)
    it = index_type(work, dy_size)
    params = (Param("dy", bits, "in", dy_size), Param("y", bits, "out", work))
    body = [f"typedef {bits} B;"]
    if work:
        lines = [f"{it} src = 0;", "bool ok = true;"]
        for a, e in enumerate(per_axis):
            if e[0] == "int":
                lines.append(f"ok = ok && o{a} == {e[1]};")
                continue
            _, start, stride, count = e
            if stride == 1:
                lines.append(f"{{ const {it} q = o{a} - {start}; ok = ok && q >= 0 && "
                             f"q < {count}; src += q * {dy_axis[a]}; }}")
            else:
                lines.append(f"{{ const {it} d = o{a} - {start}; const {it} q = d / ({stride}); "
                             f"ok = ok && d % ({stride}) == 0 && q >= 0 && q < {count}; "
                             f"src += q * {dy_axis[a]}; }}")
        coords = unravel(it, [(f"o{k}", d) for k, d in enumerate(out_shape)])
        body += [grid_stride(it, work) + " {", *["    " + s for s in coords + lines],
                 "    y[i] = ok ? dy[src] : (B)0;", "}"]
    name, text = named("stridedslicegrad", params, body)
    return KernelSource(name, params, work, text, "stridedslicegrad")


def render_mirror_pad_grad(step, t, dy_shape, out_shape) -> KernelSource:
    """`dx[i]`: the sum of dy over the cell's own place and its mirror images in the borders."""
    shift = 1 if step.op.mode == "REFLECT" else 0
    dst = strides(dy_shape)
    work, dy_size = math.prod(out_shape), math.prod(dy_shape)
    it = index_type(work, dy_size)
    params = (Param("dy", t, "in", dy_size), Param("y", t, "out", work))
    body = [f"typedef {t} T;"]
    if work:
        lines = []
        for k, ((b, a), m) in enumerate(zip(step.op.paddings, out_shape, strict=True)):
            lines += [f"{it} q{k}[3]; int n{k} = 0; q{k}[n{k}++] = {b} + o{k};",
                      f"{{ const {it} j = {b - 1 + shift} - o{k}; if (j >= 0 && j < {b}) "
                      f"q{k}[n{k}++] = j; }}",
                      f"{{ const {it} j = {m - 1 - shift} - o{k}; if (j >= 0 && j < {a}) "
                      f"q{k}[n{k}++] = {b + m} + j; }}"]
        lines.append("T acc = (T)0;")
        rank = len(out_shape)
        for k in range(rank):
            lines.append("  " * k + f"for (int u{k} = 0; u{k} < n{k}; ++u{k})")
        offset = " + ".join([f"q{k}[u{k}] * {dst[k]}" for k in range(rank)] or ["0"])
        lines.append("  " * rank + f"acc += dy[{offset}];")
        coords = unravel(it, [(f"o{k}", d) for k, d in enumerate(out_shape)])
        body += [grid_stride(it, work) + " {", *["    " + s for s in coords + lines],
                 "    y[i] = acc;", "}"]
    name, text = named("mirrorpadgrad", params, body)
    return KernelSource(name, params, work, text, "mirrorpadgrad")


def _pad(step, bits, x_shape, out_shape):
    op, st = step.op, strides(x_shape)
    kind = {"CONSTANT": "pad", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}[op.mode]
    reads = [Read(kind, s, b, 1, d) for s, (b, _), d in zip(st, op.paddings, x_shape,
                                                             strict=True)]
    fill = bit_pattern(op.constant_values, step.outputs[0].dtype) if kind == "pad" else None
    return (render_gather("pad", bits, out_shape, math.prod(x_shape), reads, fill=fill),)


def _parts(step, bits, x_shape, axis, offsets, keep_axis):
    st, size = strides(x_shape), math.prod(x_shape)
    kernels = []
    for spec, off in zip(step.outputs, offsets, strict=True):
        out_shape = _shape(spec, step, "results")
        reads = [Read("at", s) for a, s in enumerate(st) if keep_axis or a != axis]
        kernels.append(render_gather(step.type.lower(), bits, out_shape, size, reads,
                                     off * st[axis]))
    return tuple(kernels)


def render_movement(step) -> tuple[KernelSource, ...]:
    """The kernels of a data-movement step, one per output, in output order."""
    if step.type not in MOVEMENT_TYPES:
        raise CodegenError(f"{step.describe()} is not a data-movement op")
    op = step.op
    x_shape = _shape(step.inputs[0], step, "input")
    out_shape = _shape(step.outputs[0], step, "result")
    if step.type == "MirrorPadGrad":
        return (render_mirror_pad_grad(step, ctype(step.outputs[0].dtype), x_shape, out_shape),)
    bits = bits_of(step.outputs[0].dtype, step)
    size = math.prod(x_shape)
    if step.type == "Slice":
        reads = [Read("at", s, b) for s, b in zip(strides(x_shape), op.begin, strict=True)]
        return (render_gather("slice", bits, out_shape, size, reads),)
    if step.type == "StridedSlice":
        return _strided_slice(step, bits, x_shape, out_shape)
    if step.type == "StridedSliceGrad":
        return (render_strided_slice_grad(step, bits, x_shape, out_shape),)
    if step.type == "Tile":
        reads = [Read("at", s) if m == 1 else Read("wrap", s, size=d)
                 for s, m, d in zip(strides(x_shape), op.multiples, x_shape, strict=True)]
        return (render_gather("tile", bits, out_shape, size, reads),)
    if step.type == "Pad":
        return _pad(step, bits, x_shape, out_shape)
    if step.type == "Fill":  # every element reads the scalar value
        return (render_gather("fill", bits, out_shape, 1, [Read("at", 0)] * len(out_shape)),)
    axis = op.axis + len(x_shape) if op.axis < 0 else op.axis
    if step.type == "Unpack":
        return _parts(step, bits, x_shape, axis, range(len(step.outputs)), keep_axis=False)
    sizes = [_shape(s, step, "results")[axis] for s in step.outputs]  # Split
    return _parts(step, bits, x_shape, axis, np.cumsum([0, *sizes[:-1]]).tolist(),
                  keep_axis=True)
