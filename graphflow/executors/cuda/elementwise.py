"""Elementwise steps (fused groups and single ops) rendered to CUDA C from the ops' `scalar` text.

Each op with a `scalar` declaration (graphflow.ops.registry: C over x, y of element type T)
becomes one device function template, `gf_op_<Type><T>(x, y)`, so its text is used exactly as
declared, with no substitution; nothing here lists op types. A FusedElementwise step's
`program` (member op type, attributes, argument refs) becomes straight-line code inside one
grid-stride loop over the group's output shape. Bools are held as 0 / 1 of T, as in the cpu
evaluator: comparisons make them, logical ops combine them, Cast from bool (and Identity,
StopGradient) is no work; Cast to bool compares with zero. Inputs are read by index arithmetic
from the static shapes: dimensions are coalesced where every operand agrees on being broadcast or
not, then a full-size operand reads `[i]`, a scalar `[0]`, any other layout the sum of its strides
times the output coordinates. A result smaller than the output shape is written by the threads at
coordinate zero of its broadcast dimensions only.
"""

from __future__ import annotations

import math
import re

import numpy as np

import graphflow.ops  # noqa: F401 - registers every op, so `scalar_ops` sees them all
from graphflow.executors.cuda.source import (
    CodegenError,
    KernelSource,
    Param,
    ctype,
    digest,
    grid_stride,
    index_type,
    kernel_text,
)
from graphflow.ops.registry import get_op, registered_ops

# No work: the member's value is its argument's (Cast: between T and bool, see `_member`).
ALIASES = ("Identity", "StopGradient")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def scalar_ops() -> dict:
    """Op type -> op class, for every registered op that declares a `scalar` expression."""
    return {t: cls for t, cls in sorted(registered_ops().items())
            if cls.elementwise and isinstance(cls.scalar, str)}


def fusable_op_types() -> set:
    """The member op types a fused CUDA kernel evaluates: every scalar op, the aliases, Cast."""
    return set(scalar_ops()) | set(ALIASES) | {"Cast"}


def scalar_function(op_type: str) -> str:
    """The device function template of one op's scalar expression."""
    cls = get_op(op_type)
    arity = len(cls.input_names)
    args = ", ".join(f"T {v}" for v in ("x", "y")[:arity])
    return (f"template <typename T> GF_DEVICE T {_fn_name(op_type)}({args}) "
            f"{{ return (T)({cls.scalar}); }}")


def _fn_name(op_type: str) -> str:
    return "gf_op_" + re.sub(r"\W", "_", op_type)


# --- broadcast layouts ---------------------------------------------------------------------------
def coalesce(shapes, oshape):
    """(dims, strides per operand) over coalesced output dimensions.

    `strides[k][m]` is operand k's element stride along coalesced dimension m (0: broadcast).
    """
    rank = len(oshape)
    padded = []
    for s in shapes:
        if len(s) > rank or any(a not in (1, b) for a, b in zip(s[::-1], oshape[::-1])):
            raise ValueError(f"shape {tuple(s)} does not broadcast to {tuple(oshape)}")
        padded.append((1,) * (rank - len(s)) + tuple(s))
    dims, flags = [], []
    for d in range(rank):
        if oshape[d] == 1:
            continue
        f = tuple(p[d] == oshape[d] for p in padded)
        if flags and flags[-1] == f:
            dims[-1] *= oshape[d]
        else:
            dims.append(oshape[d])
            flags.append(f)
    strides = []
    for k in range(len(shapes)):
        stride, row = 1, [0] * len(dims)
        for m in reversed(range(len(dims))):
            if flags[m][k]:
                row[m] = stride
                stride *= dims[m]
        strides.append(row)
    return dims, strides


class _Index:
    """The offset expression of each operand, and the coordinate code they need."""

    def __init__(self, shapes, oshape):
        self.dims, self.strides = coalesce(shapes, oshape)
        self.work = math.prod(oshape)
        self.needs_coords = False

    def kind(self, k: int) -> str:
        row = self.strides[k]
        if all(s == 0 for s in row):
            return "scalar"
        full = [1] * len(row)
        for m in reversed(range(len(row) - 1)):
            full[m] = full[m + 1] * self.dims[m + 1]
        return "full" if row == full else "strided"

    def offset(self, k: int) -> str:
        kind = self.kind(k)
        if kind == "full":
            return "i"
        if kind == "scalar":
            return "0"
        self.needs_coords = True
        return " + ".join(f"c{m} * {s}" if s != 1 else f"c{m}"
                          for m, s in enumerate(self.strides[k]) if s)

    def guard(self, k: int) -> str | None:
        """For a result smaller than the output: the condition under which a thread writes it."""
        kind = self.kind(k)
        if kind == "full" or self.work <= 1:
            return None
        if kind == "scalar":
            return "i == 0"
        self.needs_coords = True
        return " && ".join(f"c{m} == 0" for m, s in enumerate(self.strides[k]) if s == 0)

    def coords(self, index: str) -> list[str]:
        if not self.needs_coords:
            return []
        lines, rest = [], "i"
        for m in reversed(range(len(self.dims))):
            if m == 0:
                lines.append(f"const {index} c0 = {rest};")
            else:
                lines.append(f"const {index} c{m} = {rest} % {self.dims[m]};")
                lines.append(f"const {index} r{m} = {rest} / {self.dims[m]};")
                rest = f"r{m}"
        return lines


# --- programs ------------------------------------------------------------------------------------
def program_of(step):
    """(program, results) of a FusedElementwise step, or of a single scalar op as a program."""
    op = step.op
    if step.type == "FusedElementwise":
        return tuple(op.program), tuple(op.results)
    return ((step.type, dict(op.attrs), tuple(range(len(step.inputs)))),), (0,)


def _element_type(step):
    floats = {np.dtype(v.dtype.np) for v in (*step.inputs, *step.outputs)
              if np.dtype(v.dtype.np).kind == "f"}
    if len(floats) > 1 or (floats and floats.pop() not in _FLOATS) or any(
            np.dtype(v.dtype.np).kind not in "fb" for v in (*step.inputs, *step.outputs)):
        dtypes = sorted({v.dtype.name for v in (*step.inputs, *step.outputs)})
        raise CodegenError(f"{step.describe()}: a fused CUDA kernel computes in one of float32 "
                           f"or float64 (bools held as 0 / 1), but this group mixes {dtypes}")
    found = {np.dtype(v.dtype.np) for v in (*step.inputs, *step.outputs)} & set(_FLOATS)
    return found.pop() if found else np.dtype(np.float32)


def _member(step, op_type, attrs, args, kinds, dtype, j):
    """(C expression, kind) of member j over argument variables `args` of `kinds`."""
    if op_type in ALIASES:
        return args[0], kinds[0]
    if op_type == "Cast":
        to = np.dtype(attrs["dtype"].np)
        if to == np.bool_:
            return (args[0] if kinds[0] == "bool" else f"({args[0]} != (T)0) ? (T)1 : (T)0"), "bool"
        if to == dtype:
            return args[0], "T"
        raise CodegenError(f"{step.describe()}: member {j} casts to {to}, but the group computes "
                           f"in {dtype}; only casts between {dtype} and bool fuse on CUDA")
    cls = scalar_ops().get(op_type)
    if cls is None:
        raise CodegenError(f"{step.describe()}: member {j} is {op_type}, which declares no "
                           "`scalar` expression, so no CUDA kernel can evaluate it")
    out = getattr(cls, "out_dtype", None)
    kind = "bool" if out is not None and out.is_bool else kinds[0]
    return f"{_fn_name(op_type)}<T>({', '.join(args)})", kind


def render_elementwise(step) -> tuple[KernelSource, tuple]:
    """The kernel of an elementwise step and the device functions it calls (their text)."""
    program, results = program_of(step)
    dtype = _element_type(step)
    t = ctype(dtype)
    if not all(v.shape.is_fully_defined() for v in (*step.inputs, *step.outputs)):
        raise CodegenError(f"{step.describe()}: the CUDA kernel needs static shapes")
    ishapes = [tuple(v.shape.as_list()) for v in step.inputs]
    oshapes = [tuple(v.shape.as_list()) for v in step.outputs]
    try:
        oshape = tuple(int(d) for d in np.broadcast_shapes(*oshapes))
        index = _Index(ishapes + oshapes, oshape)
    except ValueError as err:
        raise CodegenError(f"{step.describe()}: {err}") from None
    params = tuple(Param(f"in{k}", ctype(v.dtype), "in", math.prod(s))
                   for k, (v, s) in enumerate(zip(step.inputs, ishapes))) + \
        tuple(Param(f"out{k}", ctype(v.dtype), "out", math.prod(s))
              for k, (v, s) in enumerate(zip(step.outputs, oshapes)))
    loop, used, names, kinds = [], set(), [], []
    for k, v in enumerate(step.inputs):
        is_bool = v.dtype.is_bool
        read = f"in{k}[{index.offset(k)}]"
        loop.append(f"const T a{k} = {f'(T)({read} != 0)' if is_bool else read};")
    input_kinds = ["bool" if v.dtype.is_bool else "T" for v in step.inputs]
    for j, (op_type, attrs, refs) in enumerate(program):
        args = [f"a{r}" if r >= 0 else names[-r - 1] for r in refs]
        arg_kinds = [input_kinds[r] if r >= 0 else kinds[-r - 1] for r in refs]
        expr, kind = _member(step, op_type, attrs, args, arg_kinds, dtype, j)
        if re.fullmatch(r"[at]\d+", expr):
            names.append(expr)  # an alias: no work
        else:
            loop.append(f"const T t{j} = {expr};")
            names.append(f"t{j}")
            if op_type in scalar_ops():
                used.add(op_type)
        kinds.append(kind)
    for k, (j, v) in enumerate(zip(results, step.outputs, strict=True)):
        if (kinds[j] == "bool") != v.dtype.is_bool:
            raise CodegenError(f"{step.describe()}: result {k} is held as {kinds[j]} but its "
                               f"output is {v.dtype.name}")
        value = f"(unsigned char)({names[j]} != (T)0)" if v.dtype.is_bool else names[j]
        pos = len(step.inputs) + k
        write = f"out{k}[{index.offset(pos)}] = {value};"
        guard = index.guard(pos)
        loop.append(f"if ({guard}) {write}" if guard else write)
    itype = index_type(index.work)
    body = [f"typedef {t} T;", grid_stride(itype, index.work) + " {",
            *["    " + line for line in index.coords(itype) + loop], "}"]
    kind = "fused" if step.type == "FusedElementwise" else "elementwise"
    name = f"gf_{kind}_{digest(repr(params) + chr(10).join(body))}"
    helpers = tuple(scalar_function(op_type) for op_type in sorted(used))
    return KernelSource(name, params, index.work, kernel_text(name, params, body), kind), helpers
