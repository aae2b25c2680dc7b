"""The CPU executor: kernels from the CPU table, buffers preallocated per plan and reused."""

from __future__ import annotations

import numpy as np

from graphflow.errors import ResourceExhaustedError
from graphflow.executors.base import Executor, register_executor
from graphflow.executors.cpu.registry import CPU_KERNELS
from graphflow.threads import apply_thread_policy, configured_threads  # noqa: F401


@register_executor
class CpuExecutor(Executor):
    """Runs each plan's steps into buffers allocated once per plan from its memory plan.

    NumPy's floating-point error state is 'ignore' during runs (TF1 never warns or raises on
    inf/nan), except for plans whose kernels are all `quiet`, which skips entering `np.errstate`.
    """

    name = "cpu"
    table = CPU_KERNELS

    def __init__(self):
        apply_thread_policy()  # OpenMP and BLAS threads together (graphflow/threads.py)

    def allocate(self, plan) -> list:
        try:
            return [np.empty(n, dtype=np.uint8) for n in plan.buffers]
        except MemoryError:
            raise ResourceExhaustedError(_allocation_failure(plan)) from None

    def output_buffers(self, plan, buffers):
        def view(spec):
            if spec.buffer is None:
                return None
            n = spec.shape.num_elements() * spec.dtype.np.itemsize
            return buffers[spec.buffer][:n].view(spec.dtype.np).reshape(spec.shape.as_list())

        for step in plan.steps:
            outs = [view(v) for v in step.outputs]
            yield outs[0] if len(outs) == 1 else (
                tuple(outs) if any(o is not None for o in outs) else None)


def _allocation_failure(plan) -> str:
    """Which buffers a plan asked for, naming the op of the largest, for a clear MemoryError."""
    total = sum(plan.buffers)
    largest = max(range(len(plan.buffers)), key=plan.buffers.__getitem__)
    step = next((s for s in plan.steps if any(v.buffer == largest for v in s.outputs)), None)
    what = f"; the largest ({plan.buffers[largest]:,} bytes) holds the result of " \
           f"{step.describe()}" if step is not None else ""
    return (f"Cannot allocate the {len(plan.buffers)} buffers ({total:,} bytes) this run needs"
            f"{what}. Feed smaller batches, or fetch less at once.")
