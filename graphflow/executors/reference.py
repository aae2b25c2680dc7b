"""The reference executor: each op's NumPy `compute`, run by the compiled loop. The oracle."""

from __future__ import annotations

from graphflow.executors.base import Executor, register_executor
from graphflow.executors.control_flow import register_control_flow
from graphflow.executors.kernels import KernelTable, reference_factory

# Every registered op's kernel is its own `compute`, so the table serves any op type.
REFERENCE_KERNELS = KernelTable("reference", default=reference_factory)
register_control_flow(REFERENCE_KERNELS, "reference")  # sub-plans compiled for this executor


@register_executor
class ReferenceExecutor(Executor):
    name = "reference"
    table = REFERENCE_KERNELS
