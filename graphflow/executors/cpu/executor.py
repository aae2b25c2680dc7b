"""The CPU executor: kernels from the CPU table, buffers preallocated per plan and reused."""

from __future__ import annotations

import os
import threading

import numpy as np

from graphflow._ext.fastpath import run_runnable
from graphflow._ext.runloop import Instruction, openmp_set_num_threads
from graphflow.executors.base import Executor, Runnable, register_executor
from graphflow.executors.cpu.registry import kernel_for


def configured_threads() -> int:
    """GRAPHFLOW_NUM_THREADS, else every core."""
    value = os.environ.get("GRAPHFLOW_NUM_THREADS")
    if value:
        try:
            n = int(value)
        except ValueError:
            raise ValueError(
                f"GRAPHFLOW_NUM_THREADS must be a positive integer, not {value!r}") from None
        if n < 1:
            raise ValueError(f"GRAPHFLOW_NUM_THREADS must be a positive integer, not {value!r}")
        return n
    return os.cpu_count() or 1


@register_executor
class CpuExecutor(Executor):
    name = "cpu"

    def __init__(self):
        openmp_set_num_threads(configured_threads())

    def lower(self, plan) -> Runnable:
        buffers = [np.empty(n, dtype=np.uint8) for n in plan.buffers]

        def view(value):
            if value.buffer is None:
                return None
            n = value.shape.num_elements() * value.dtype.np.itemsize
            return buffers[value.buffer][:n].view(value.dtype.np).reshape(value.shape.as_list())

        instructions = []
        warns = False
        for step in plan.steps:
            kernel = kernel_for(step.node)
            outs = [view(v) for v in step.node.outputs]
            out = outs[0] if len(outs) == 1 else (tuple(outs) if any(
                o is not None for o in outs) else None)
            instructions.append(Instruction(kernel.fn, step.inputs, step.outputs, step.frees,
                                            kernel.takes_context, step.node,
                                            kernel.passes_out, out))
            warns = warns or not kernel.quiet
        return CpuRunnable(plan, instructions, buffers, warns)


class CpuRunnable(Runnable):
    """A lowered plan with its own buffers: runs of it are serialised by a lock.

    NumPy's floating-point error state is set to 'ignore' for the run (TF1 never warns or raises
    on inf/nan), except for plans whose kernels are all `quiet` (they cannot raise one), which
    skips the cost of entering `np.errstate` on tiny graphs.
    """

    def __init__(self, plan, instructions, buffers, warns: bool):
        super().__init__(plan, instructions)
        self.buffers = buffers
        self.warns = warns
        self.lock = threading.Lock()

    def __call__(self, state, feed_values, observer=None):
        with self.lock:
            if self.warns:
                with np.errstate(all="ignore"):
                    return run_runnable(self, state, feed_values, observer)
            return run_runnable(self, state, feed_values, observer)
