"""Softmax, log-softmax and the dense softmax cross-entropy as generated kernels over rows (a row:
the entries along the op's axis at one (outer, inner) position).

Three passes over each row: the maximum (a NaN wins, as in NumPy's max), the sum of
`exp(x - max)` accumulated in float64 (the reference's pairwise float32 sum is more accurate than
a sequential float32 one; float64 is more accurate than both), then the results: `z - log(sum)`
for log-softmax, its exponential for softmax (the reference's `exp(log_softmax)`),
`-sum(labels * (z - log(sum)))` for the cross-entropy's loss. A contiguous row (inner size 1) of
ROW_BLOCK or more entries takes a block per row, its threads reading neighbouring entries and
the maximum and sums going through shared-memory trees (blocktree.py); shorter or strided rows
(class logits, a softmax over a leading axis) take a thread per row, where a warp's threads
read neighbouring rows or inner positions. An empty row or batch is no work.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from graphflow.executors.cuda.blocktree import (
    block_prologue,
    block_tree,
    block_work,
    units_loop,
)
from graphflow.executors.cuda.source import (
    CodegenError,
    KernelSource,
    Param,
    ctype,
    grid_stride,
    index_type,
    named,
)
from graphflow.ops.nn_ops import xent_problem

ROW_TYPES = ("Softmax", "LogSoftmax", "SoftmaxCrossEntropyWithLogits")
ROW_BLOCK = 64  # contiguous rows at least this long take a block each


class Rows(NamedTuple):
    outer: int  # positions before the axis
    n: int  # the axis: a row's length
    inner: int  # positions after the axis: the stride between a row's entries

    @property
    def size(self) -> int:
        return self.outer * self.n * self.inner

    @property
    def blocks(self) -> bool:
        """True when a block per row serves it (a long contiguous row)."""
        return self.inner == 1 and self.n >= ROW_BLOCK


def row_geometry(step) -> Rows:
    spec = step.inputs[-1]  # the logits (the cross-entropy's labels come first)
    if not spec.shape.is_fully_defined() or spec.shape.rank == 0:
        raise CodegenError(f"{step.describe()}: the CUDA kernel needs the static shape (rank 1 or "
                           f"more) of its logits, got {spec.shape}")
    shape = spec.shape.as_list()
    if step.type == "SoftmaxCrossEntropyWithLogits":
        problem = xent_problem(step.inputs[0].shape.as_list(), shape)
        if problem:
            raise CodegenError(f"{step.describe()}: {problem}")
        axis = len(shape) - 1
    else:
        axis = step.op.axis % len(shape)
    return Rows(math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1:]))


def render_rows(step) -> KernelSource:
    """The kernel of a softmax, log-softmax or cross-entropy step."""
    if step.type not in ROW_TYPES:
        raise CodegenError(f"{step.describe()} is not a row-wise op")
    g = row_geometry(step)
    t = ctype(step.outputs[0].dtype)
    rows = g.outer * g.inner if g.size else 0
    it = index_type(g.size)
    xent = step.type == "SoftmaxCrossEntropyWithLogits"
    params = ((Param("labels", t, "in", g.size),) if xent else ()) + \
        (Param("x", t, "in", g.size), Param("y", t, "out", rows if xent else g.size))
    kind = step.type.lower().replace("softmaxcrossentropywithlogits", "xent")
    if g.blocks and rows:
        body = _block_rows(step.type, t, it, g, rows)
        name, text = named(kind + "block", params, body)
        return KernelSource(name, params, block_work(rows), text, kind + "block")
    body = [f"typedef {t} T;"]
    if rows:
        body += [grid_stride(it, rows) + " {",
                 *["    " + s for s in _thread_row(step.type, it, g)], "}"]
    name, text = named(kind, params, body)
    return KernelSource(name, params, rows, text, kind)  # work: one thread per row


def _results(op_type: str, loop: str, at: str) -> list[str]:
    """The last pass over a row, `loop` its entries' loop header, `at` an entry's index."""
    if op_type == "Softmax":
        return [f"{loop} y[{at}] = M_EXP((x[{at}] - m) - lse);"]
    if op_type == "LogSoftmax":
        return [f"{loop} y[{at}] = (x[{at}] - m) - lse;"]
    return ["double loss = 0.0;",
            f"{loop} loss += (double)(labels[{at}] * ((x[{at}] - m) - lse));"]


def _thread_row(op_type: str, it: str, g: Rows) -> list[str]:
    """A thread per row `i`: its entries read with the inner stride."""
    at, loop = f"base + k * {g.inner}", f"for ({it} k = 0; k < {g.n}; ++k)"
    done = ["y[i] = (T)(-loss);"] if op_type == "SoftmaxCrossEntropyWithLogits" else []
    return [f"const {it} base = (i / {g.inner}) * {g.n * g.inner} + i % {g.inner};",
            "T m = x[base];",
            f"for ({it} k = 1; k < {g.n}; ++k) {{ const T v = x[{at}]; "
            "if (v > m || v != v) m = v; }",
            "double s = 0.0;",
            f"{loop} s += (double)M_EXP(x[{at}] - m);",
            "const T lse = (T)M_LOG((T)s);", *_results(op_type, loop, at), *done]


def _block_rows(op_type: str, t: str, it: str, g: Rows, rows: int) -> list[str]:
    """A block per contiguous row `u`: the maximum and the sums through shared-memory trees."""
    xent = op_type == "SoftmaxCrossEntropyWithLogits"
    loop = f"if (tid < lanes) for ({it} k = ({it})tid; k < {g.n}; k += ({it})lanes)"
    at = "base + k"
    arrays = [("gf_max", "T"), ("gf_sum", "double"), *([("gf_loss", "double")] if xent else [])]
    row = [f"const {it} base = u * {g.n};",
           "T m = -(T)(1.0 / 0.0);",
           f"{loop} {{ const T v = x[{at}]; if (v > m || v != v) m = v; }}",
           *block_tree([("gf_max", "m", "T", "v")], "if (v > m || v != v) m = v;"),
           "m = gf_max[0];",
           "double s = 0.0;",
           f"{loop} s += (double)M_EXP(x[{at}] - m);",
           *block_tree([("gf_sum", "s", "double", "v")], "s += v;"),
           "const T lse = (T)M_LOG((T)gf_sum[0]);",
           *_results(op_type, loop, at)]
    if xent:  # its own array: gf_sum[0] may still be read by a thread behind this one
        row += [*block_tree([("gf_loss", "loss", "double", "v")], "loss += v;"),
                "if (tid == 0) y[u] = (T)(-loss);"]
    return [f"typedef {t} T;", *block_prologue(arrays), units_loop(it, rows) + " {",
            *["    " + s for s in row], "}"]
