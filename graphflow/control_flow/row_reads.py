"""Captured tensors a loop body reads one row at a time (`x[k]`: scan, map_fn, the RNN loops).

Summing such a capture's gradient densely would add a whole [T, ...] tensor, zeros but for row
k, on every backward iteration: quadratic in the number of iterations. Instead the backward
loop differentiates with respect to the row the body read, emits (row gradient, k) per
iteration as stacked outputs, and one scatter-add after the loop builds the capture's gradient
(TF1 reaches the same cost through TensorArrays). Other uses of the capture keep the dense sum.
"""

from __future__ import annotations

from graphflow.core.node import Operation, Tensor
from graphflow.ops.gather import ScatterAddTo
from graphflow.ops.indexing import FULL
from graphflow.ops.registry import apply_op
from graphflow.ops.shape_ops import shape_arg


def _is_alias(op: Operation) -> bool:
    """An op passing its input through whole: Identity, or `x[...]`'s StridedSlice of full
    slices (`x[i]` for a runtime i is such a slice, then a gather)."""
    if op.type == "Identity":
        return True
    return op.type == "StridedSlice" and all(
        tuple(e) == FULL or tuple(e) == ("ellipsis",) for e in op.get_attr("spec"))


def _uses(t: Tensor, needed: set) -> list:
    """(consumer, the tensor it reads) for the needed uses of `t`, through aliases."""
    found = []
    for c in t.consumers():
        if c not in needed:
            continue
        found += _uses(c.outputs[0], needed) if _is_alias(c) else [(c, t)]
    return found


def _reads_a_row(op: Operation, src: Tensor) -> bool:
    """A GatherV2 of `src` along axis 0 with a scalar index."""
    if op.type != "GatherV2" or op.inputs[0] is not src or op.inputs[1] is src:
        return False
    rank, axis = src.shape.rank, op.get_attr("axis")
    first = axis == 0 or (rank is not None and axis + rank == 0)
    return first and op.inputs[1].shape.rank == 0


def row_reads(body, body_inputs, first: int, wanted: list) -> tuple[dict, set]:
    """For each node input index `first + j` (j in `wanted`) feeding one of `body`'s
    placeholders: the body's row reads of it ({j: [GatherV2 ops]}), and the set of j that still
    need a dense accumulator (some other use, or no row read at all)."""
    needed = set(body.needed_nodes())
    reads: dict = {}
    dense: set = set()
    for p, source in enumerate(body_inputs):
        j = source - first
        if j not in wanted:
            continue
        uses = _uses(body.inputs[p], needed)
        rows = list(dict.fromkeys(c for c, src in uses if _reads_a_row(c, src)))
        if rows:
            reads.setdefault(j, []).extend(rows)
        if not rows or len(rows) < len(uses):
            dense.add(j)
    dense.update(j for j in wanted if j not in reads)
    return reads, dense


def scatter_rows(grads: Tensor, indices: Tensor, like: Tensor) -> Tensor:
    """Zeros shaped like `like` with each row gradient `grads[t]` added at row `indices[t]`."""
    shape, extra = shape_arg(like)
    return apply_op(ScatterAddTo(axis=0, shape=shape), [grads, indices, *extra],
                    name="ScatterAddTo")
