"""The collective ops: allreduce, allgather and broadcast over the job's ranks, inside the graph.

Each is a registered, stateful op (never folded, merged or cached: its value depends on the
other ranks) whose compute hands NumPy buffers to mpi4py. Every rank builds the same graph, and
the compiler orders steps deterministically (ties by creation order), so all ranks enter the
collectives in the same order. In a job of one each is the identity (a copy). Gradients follow
Horovod: allreduce's is an allreduce, allgather's this rank's slice of a summed allreduce,
broadcast's the summed gradient on the root rank and zero elsewhere.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.distributed.comm import rank, world
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import gather
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec
from graphflow.ops.shape_ops import range as range_
from graphflow.ops.shape_ops import shape as shape_of

__all__ = ["allgather", "allreduce", "broadcast"]

TESTED = ("tested in tests/distributed: test_single_process.py (a job of one) and "
          "test_mpirun.py (two ranks under graphflow-run)")


def _check_dtype(x, what: str, numeric: bool = True) -> None:
    """Sums need numbers; moving data (gather, broadcast) takes booleans too, never strings."""
    if not (x.dtype.is_numeric or (x.dtype.is_bool and not numeric)):
        kind = "a numeric" if numeric else "a numeric or boolean"
        raise dtype_rule(f"{what} needs {kind} tensor; got {x.dtype.name}")


def _mpi_buffer(x: np.ndarray) -> np.ndarray:
    """A contiguous array MPI can reduce (MPI has no half floats: they travel as float32)."""
    x = np.ascontiguousarray(x)
    return x.astype(np.float32) if x.dtype == np.float16 else x


@register("MPIAllreduce")
class MPIAllreduce(Op):
    """The elementwise sum (or mean, `average=True`) of `tensor` over every rank."""

    attrs = {"average": True}
    input_names = ("tensor",)
    stateful = True
    fresh_output = True
    examples = NoExamples("its value comes from the other ranks; " + TESTED)

    def infer(self, x):
        _check_dtype(x, "allreduce")
        if self.average and not x.dtype.is_floating:
            raise dtype_rule(f"allreduce(average=True) of {x.dtype.name}: the mean of integers "
                             "is not an integer; pass average=False to sum them, or cast")
        return spec(x.dtype, x.shape)

    def compute(self, x):
        w = world()
        if w.size == 1:
            return np.array(x, copy=True)
        send = _mpi_buffer(x)
        shapes = w.comm.allgather(send.shape)  # a few microseconds; MPI itself cannot tell
        if any(s != send.shape for s in shapes):
            raise ValueError(f"allreduce: the ranks' tensors differ in shape: "
                             f"{[tuple(s) for s in shapes]} (rank order); every rank must "
                             "reduce a tensor of the same shape")
        out = np.empty_like(send)
        w.comm.Allreduce(send, out, op=w.mpi.SUM)
        if self.average:
            out /= w.size
        return out.astype(np.asarray(x).dtype, copy=False)

    def gradient(self, node, dy):
        return [allreduce(dy, average=self.average)]


@register("MPIAllgather")
class MPIAllgather(Op):
    """Every rank's `tensor` concatenated along axis 0, in rank order; the first dimension may
    differ between ranks, the others must agree."""

    input_names = ("tensor",)
    stateful = True
    fresh_output = True
    examples = NoExamples("its value comes from the other ranks; " + TESTED)

    def infer(self, x):
        _check_dtype(x, "allgather", numeric=False)
        if x.shape.ndims == 0:
            raise shape_rule("allgather needs a tensor of rank 1 or more (it concatenates "
                             "along axis 0); reshape a scalar to [1]")
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        return spec(x.dtype, None if dims is None else [None] + dims[1:])

    def compute(self, x):
        w = world()
        if w.size == 1:
            return np.array(x, copy=True)
        send = _mpi_buffer(x)
        shapes = w.comm.allgather(send.shape)
        if any(s[1:] != send.shape[1:] for s in shapes):
            raise ValueError(f"allgather: the ranks' tensors differ beyond axis 0: shapes "
                             f"{[tuple(s) for s in shapes]} (rank order)")
        row = int(np.prod(send.shape[1:], dtype=np.int64))
        counts = [s[0] * row for s in shapes]
        out = np.empty((sum(s[0] for s in shapes), *send.shape[1:]), send.dtype)
        w.comm.Allgatherv(send, [out, counts])
        return out.astype(np.asarray(x).dtype, copy=False)

    def gradient(self, node, dy):
        x = node.inputs[0]
        summed = allreduce(dy, average=False)
        rows = shape_of(x, out_type="int64")[:1]  # this rank's first dimension, as [n]
        start = reduce_sum(allgather(rows)[:rank()])
        return [gather(summed, range_(start, start + rows[0]))]


@register("MPIBroadcast")
class MPIBroadcast(Op):
    """`tensor` as rank `root_rank` has it, on every rank."""

    attrs = {"root_rank": 0}
    input_names = ("tensor",)
    stateful = True
    fresh_output = True
    examples = NoExamples("its value comes from the root rank; " + TESTED)

    def infer(self, x):
        _check_dtype(x, "broadcast", numeric=False)
        return spec(x.dtype, x.shape)

    def compute(self, x):
        w = world()
        if not 0 <= self.root_rank < w.size:
            raise ValueError(f"broadcast: root_rank {self.root_rank} is not a rank of this job "
                             f"of {w.size}")
        if w.size == 1:
            return np.array(x, copy=True)
        buf = np.array(_mpi_buffer(x), copy=True)
        w.comm.Bcast(buf, root=self.root_rank)
        return buf.astype(np.asarray(x).dtype, copy=False)

    def gradient(self, node, dy):
        summed = allreduce(dy, average=False)
        return [summed if rank() == self.root_rank else summed * 0]


def allreduce(tensor, average: bool = True, name: str | None = None) -> Tensor:
    """The mean (or, `average=False`, the sum) of `tensor` over every rank."""
    return apply_op(MPIAllreduce(average=bool(average)), [convert_to_tensor(tensor)],
                    name=name or "MPIAllreduce")


def allgather(tensor, name: str | None = None) -> Tensor:
    """Every rank's `tensor`, concatenated along axis 0 in rank order."""
    return apply_op(MPIAllgather(), [convert_to_tensor(tensor)],
                    name=name or "MPIAllgather")


def broadcast(tensor, root_rank: int = 0, name: str | None = None) -> Tensor:
    """`tensor`'s value on rank `root_rank`, on every rank."""
    return apply_op(MPIBroadcast(root_rank=int(root_rank)), [convert_to_tensor(tensor)],
                    name=name or "MPIBroadcast")
