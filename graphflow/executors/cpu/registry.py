"""The CPU executor's kernel table (graphflow.executors.kernels describes the contract).

`cpu_kernel(*op_types, ...)` registers a factory that gets the plan step (its op's attributes and
its values' specialised shapes) and returns a `Kernel`: by default `fn(out, *inputs)` writing into
`out` (a preallocated array, a tuple of them, or None) and returning a fresh result. Kernels that
may return a view of an input say `fresh=False`; those that may write over a dying input say
`in_place=True`. `reference_kernel(reason, *op_types)` declares that the NumPy reference is the
right CPU implementation, and why.
"""

from __future__ import annotations

from graphflow.executors.control_flow import register_control_flow
from graphflow.executors.kernels import Kernel, KernelTable

CPU_KERNELS = KernelTable("cpu")
register_control_flow(CPU_KERNELS, "cpu")
cpu_kernel = CPU_KERNELS.register
reference_kernel = CPU_KERNELS.fallback

__all__ = ["CPU_KERNELS", "Kernel", "cpu_kernel", "reference_kernel"]
