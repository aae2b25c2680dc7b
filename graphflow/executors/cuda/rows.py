"""Softmax, log-softmax and the dense softmax cross-entropy as generated kernels, one thread per
row (a row: the entries along the op's axis at one (outer, inner) position).

A thread makes three passes over its row: the maximum (a NaN wins, as in NumPy's max), the sum
of `exp(x - max)` accumulated in float64 (the reference's pairwise float32 sum is more accurate
than a sequential float32 one; float64 is more accurate than both), then the results:
`z - log(sum)` for log-softmax, its exponential for softmax (the reference's
`exp(log_softmax)`), `-sum(labels * (z - log(sum)))` for the cross-entropy's loss. No shared
memory: rows are short next to the batch in the models this serves (class logits), and a block
per row with a tree reduction is future work (docs/cuda.md). An empty row or batch is no work.
"""

from __future__ import annotations

import math
from typing import NamedTuple

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


class Rows(NamedTuple):
    outer: int  # positions before the axis
    n: int  # the axis: a row's length
    inner: int  # positions after the axis: the stride between a row's entries

    @property
    def size(self) -> int:
        return self.outer * self.n * self.inner


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
    at = f"base + k * {g.inner}"
    if step.type == "Softmax":
        final = [f"for ({it} k = 0; k < {g.n}; ++k) y[{at}] = M_EXP((x[{at}] - m) - lse);"]
    elif step.type == "LogSoftmax":
        final = [f"for ({it} k = 0; k < {g.n}; ++k) y[{at}] = (x[{at}] - m) - lse;"]
    else:
        final = ["double loss = 0.0;",
                 f"for ({it} k = 0; k < {g.n}; ++k) "
                 f"loss += (double)(labels[{at}] * ((x[{at}] - m) - lse));",
                 "y[i] = (T)(-loss);"]
    body = [f"typedef {t} T;"]
    if rows:
        body += [grid_stride(it, rows) + " {", *["    " + s for s in [
            f"const {it} base = (i / {g.inner}) * {g.n * g.inner} + i % {g.inner};",
            "T m = x[base];",
            f"for ({it} k = 1; k < {g.n}; ++k) {{ const T v = x[{at}]; "
            "if (v > m || v != v) m = v; }",
            "double s = 0.0;",
            f"for ({it} k = 0; k < {g.n}; ++k) s += (double)M_EXP(x[{at}] - m);",
            "const T lse = (T)M_LOG((T)s);", *final]], "}"]
    kind = step.type.lower().replace("softmaxcrossentropywithlogits", "xent")
    name, text = named(kind, params, body)
    return KernelSource(name, params, rows, text, kind)  # work: one thread per row
