"""The CPU executor (the default): compiled run loop, preallocated buffers, CPU kernel table."""

from graphflow.executors.cpu import (  # noqa: F401 - each module registers its kernels
    kernels_array,
    kernels_elementwise,
    kernels_fused,
    kernels_fused_update,
    kernels_linalg,
    kernels_matmul_update,
    kernels_misc,
    kernels_nn,
    kernels_nn_basic,
    kernels_reduce,
    kernels_special,
    kernels_state,
)
from graphflow.executors.cpu.executor import CpuExecutor, configured_threads
from graphflow.executors.cpu.registry import CPU_KERNELS, Kernel, cpu_kernel, reference_kernel

__all__ = ["CPU_KERNELS", "CpuExecutor", "Kernel", "configured_threads", "cpu_kernel",
           "reference_kernel"]
