"""The CPU executor (the default): compiled run loop, preallocated buffers, CPU kernel table."""

from graphflow.executors.cpu import (  # noqa: F401 - each module registers its kernels
    kernels_array,
    kernels_elementwise,
    kernels_fused,
    kernels_linalg,
    kernels_nn,
    kernels_nn_basic,
    kernels_reduce,
    kernels_state,
)
from graphflow.executors.cpu.executor import CpuExecutor, configured_threads
from graphflow.executors.cpu.registry import KERNELS, REFERENCE_REASONS, Kernel, cpu_kernel

__all__ = ["KERNELS", "REFERENCE_REASONS", "CpuExecutor", "Kernel", "configured_threads",
           "cpu_kernel"]
