"""The reference executor: each op's NumPy `compute`, run by the compiled loop. The oracle."""

from __future__ import annotations

from graphflow.executors.base import Executor, register_executor


@register_executor
class ReferenceExecutor(Executor):
    name = "reference"

    def kernel_for(self, node):
        return node.op.compute, node.op.takes_context
