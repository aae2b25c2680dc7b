"""The reference executor: each op's NumPy `compute`, run by the compiled loop. The oracle."""

from __future__ import annotations

from graphflow.executors.base import Executor, register_executor
from graphflow.executors.kernels import KernelTable, reference_factory

# Every registered op's kernel is its own `compute`, so the table serves any op type.
REFERENCE_KERNELS = KernelTable("reference", default=reference_factory)


@register_executor
class ReferenceExecutor(Executor):
    name = "reference"
    table = REFERENCE_KERNELS
