"""FusedElementwise on the CPU: the member program compiled once per plan for the C evaluator.

The evaluator (ext/fused/) runs a register program over cache-sized blocks on every core, with
its own SIMD exp/log/tanh/sigmoid. Each input is read in one of three layouts: full (the output's
shape), scalar, or tiled (`data[(i // div) % period]`: bias rows, columns, channel vectors); any
other broadcast is materialised with np.broadcast_to once per call. Comparisons and logical ops
hold their bools as 0 / 1 of the float type, so `cast(x > 0, float32)` costs one select.
Programs the evaluator cannot run (other member ops, integer dtypes, casts other than bool to the
program's float type, bool outputs) use the op's NumPy reference instead.
"""

from __future__ import annotations

import math

import numpy as np

from graphflow._ext import fused as _ext
from graphflow.executors.cpu.registry import CPU_KERNELS, Kernel, cpu_kernel
from graphflow.ops.registry import get_op


def _allowed(op_type: str):
    return getattr(get_op(op_type), "allowed", None)


def _makes_bool(op_type: str) -> bool:
    out = getattr(get_op(op_type), "out_dtype", None)
    return out is not None and out.is_bool


# Opcodes as compiled into the evaluator: generated from the ops' `scalar` declarations.
_OPCODES = {name: i for i, (name, _, _) in enumerate(_ext.opcode_table())}
# What each opcode reads and makes, from the op definitions: comparisons make bools of T
# operands, logical ops make bools of bools (both held as 0 / 1 of the float type).
_COMPARISONS = {t for t in _OPCODES if _allowed(t) != "bool" and _makes_bool(t)}
_LOGICAL = {t for t in _OPCODES if _allowed(t) == "bool"}
# No work: the member's value is its argument's register (Cast only from bool, held as 0 / 1).
_ALIASES = {"Identity", "StopGradient", "Cast"}
_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_L1_BYTES = 24 * 1024  # register file per thread: most of a 32 KB L1 data cache


def _layout(ishape: tuple, oshape: tuple):
    """(kind, div, period) reading an input of `ishape` broadcast to `oshape`; None: materialise."""
    if np.broadcast_shapes(ishape, oshape) != oshape:
        raise ValueError(f"input shape {ishape} does not broadcast to {oshape}")
    n, size = math.prod(oshape), math.prod(ishape)
    if size == n:
        return _ext.FULL, 1, max(n, 1)
    if size == 1:
        return _ext.SCALAR, 1, 1
    padded = (1,) * (len(oshape) - len(ishape)) + tuple(ishape)
    dims = [(a, b) for a, b in zip(padded, oshape, strict=True) if b != 1]
    kept = [k for k, (a, b) in enumerate(dims) if a == b]
    if kept != list(range(kept[0], kept[-1] + 1)):
        return None  # e.g. [n, 1, k] on [n, m, k]: not one (i // div) % period pattern
    div = math.prod(b for _, b in dims[kept[-1] + 1:])
    return _ext.TILE, div, math.prod(b for _, b in dims[kept[0]:kept[-1] + 1])


def _readers(program) -> list:
    """How many times each member's result is read by later members."""
    uses = [0] * len(program)
    for _, _, refs in program:
        for r in refs:
            if r < 0:
                uses[-r - 1] += 1
    return uses


# A Mul whose only reader is an Add or Sub becomes part of it: one pass instead of two (three
# when both operands are such Muls).
_MULTIPLY_ADDS = {("Add", 0): _ext.MUL_ADD, ("Add", 1): _ext.MUL_ADD,
                  ("Sub", 0): _ext.MUL_SUB, ("Sub", 1): _ext.SUB_MUL,
                  ("Add", 2): _ext.MUL_MUL_ADD, ("Sub", 2): _ext.MUL_MUL_SUB}


def _multiply_adds(program, results):
    """The program with single-use Muls folded into the Add/Sub reading them.

    The folded member becomes (opcode, None, operands) computing a * b + c (or a * b - c,
    c - a * b, a * b + c * e, a * b - c * e); each Mul it absorbed stays in place as
    ("", None, ()) so refs keep their meaning.
    """
    uses, pinned, out = _readers(program), set(results), list(program)

    def single_mul(r):
        return r < 0 and out[-r - 1][0] == "Mul" and uses[-r - 1] == 1 and -r - 1 not in pinned

    for j, (t, _, refs) in enumerate(program):
        if t not in ("Add", "Sub"):
            continue
        muls = [side for side, r in enumerate(refs) if single_mul(r)]
        if not muls:
            continue
        if len(muls) == 2:
            operands, key = (*out[-refs[0] - 1][2], *out[-refs[1] - 1][2]), (t, 2)
        else:
            side = muls[0]
            operands, key = (*out[-refs[side] - 1][2], refs[1 - side]), (t, side)
        out[j] = (_MULTIPLY_ADDS[key], None, operands)
        for side in muls:
            out[-refs[side] - 1] = ("", None, ())
    return out


def _allocate(program, results, nin: int):
    """Registers for the members: a temporary is reused once its last reader has run.

    Returns (code, nreg, result registers). A destination never shares a register with its own
    arguments (the C loops take restrict pointers); result registers are never reused. Members
    typed "" are skipped; an int type is a multiply-add opcode (see `_multiply_adds`).
    """
    uses = _readers(program)
    pinned = set(results)
    reg_of, left, free, code, nreg = [], {}, [], [], nin
    for j, (t, _, refs) in enumerate(program):
        args = [r if r >= 0 else reg_of[-r - 1] for r in refs]
        keep = uses[j] + (1 << 30 if j in pinned else 0)
        if t == "":
            reg_of.append(None)
            continue
        if t in _ALIASES:
            reg_of.append(args[0])
            if args[0] >= nin:
                left[args[0]] += keep - 1
            continue
        dst = free.pop() if free else nreg
        nreg = max(nreg, dst + 1)
        code.append((t, dst, *args) if isinstance(t, int) else
                    (_OPCODES[t], dst, args[0], args[-1]))
        for a in args:
            if a >= nin:
                left[a] -= 1
                if left[a] == 0:
                    free.append(a)
        reg_of.append(dst)
        left[dst] = keep
        if keep == 0:
            free.append(dst)
    return code, nreg, [reg_of[j] for j in results]


def _supported(program, input_kinds, dtype) -> bool:
    """True when every member runs natively: float members of `dtype`, bools held as 0 / 1."""
    kinds = []
    for t, attrs, refs in program:
        args = [input_kinds[r] if r >= 0 else kinds[-r - 1] for r in refs]
        if t in _COMPARISONS:
            ok, kind = all(a == "T" for a in args), "bool"
        elif t in _LOGICAL:
            ok, kind = all(a == "bool" for a in args), "bool"
        elif t == "Cast":
            ok, kind = args == ["bool"] and np.dtype(attrs["dtype"].np) == dtype, "T"
        elif t in _ALIASES:
            ok, kind = True, args[0]
        else:
            ok, kind = t in _OPCODES and all(a == "T" for a in args), "T"
        if not ok:
            return False
        kinds.append(kind)
    return True


def compile_evaluator(node):
    """An `Evaluator` for this FusedElementwise node, or None when its program is unsupported."""
    op = node.op
    dtype = np.dtype(node.outputs[0].dtype.np)
    if dtype not in _DTYPES or any(np.dtype(v.dtype.np) != dtype for v in node.outputs):
        return None
    input_kinds = ["T" if np.dtype(v.dtype.np) == dtype else "bool" if v.dtype.is_bool else None
                   for v in node.inputs]  # bool inputs are converted to 0 / 1 per call
    if not _supported(op.program, input_kinds, dtype):
        return None
    if not all(v.shape.is_fully_defined() for v in node.outputs):
        return None
    shape = tuple(node.outputs[0].shape.as_list())
    if any(tuple(v.shape.as_list()) != shape for v in node.outputs):
        return None
    n = math.prod(shape)

    def prepare(i, a):  # inputs whose layout is only known at run time, or must be materialised
        a = np.asarray(a)
        lay = _layout(a.shape, shape)
        if lay is None:
            return np.ascontiguousarray(np.broadcast_to(a, shape)), _ext.FULL, 1, max(n, 1)
        return (a, *lay)

    layouts = []
    for v in node.inputs:
        lay = _layout(tuple(v.shape.as_list()), shape) if v.shape.is_fully_defined() else None
        layouts.append(lay or (_ext.PREPARE, 1, 1))
    code, nreg, out_regs = _allocate(_multiply_adds(op.program, op.results), op.results,
                                     len(node.inputs))
    block = _L1_BYTES // (max(nreg, 1) * dtype.itemsize)
    block = min(2048, max(256, block - block % 16))
    # A small output needs no more registers than it has elements (rounded up to the SIMD
    # width): the evaluator's per-call setup grows with the block (W1's one-element runs).
    block = min(block, max(16, -(-n // 16) * 16))
    return _ext.Evaluator(code, len(node.inputs), nreg, out_regs, layouts, shape, dtype, block,
                          prepare)


def _reference(node):
    compute, nout = node.op.compute, len(node.outputs)

    def run(out, *inputs):
        res = compute(*inputs)
        if out is None:
            return res
        if nout == 1:
            np.copyto(out, res)
            return out
        return tuple(r if o is None else _copied(o, r) for o, r in zip(out, res, strict=True))

    return run


def _copied(out, value):
    np.copyto(out, value)
    return out


# The compiler fuses only what the evaluator runs natively (Cast: bool to float, or stays out).
CPU_KERNELS.declare_fusable(set(_OPCODES) | {"Cast"})


@cpu_kernel("FusedElementwise", in_place=True)
def _fused(node):
    evaluator = compile_evaluator(node)
    if evaluator is None:
        return Kernel(_reference(node))
    return Kernel(evaluator, quiet=True)  # the C evaluator never raises NumPy's warnings
