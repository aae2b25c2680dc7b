"""The cuda executor's kernel table, and what its factories are given when a plan is lowered.

Factories take `(step, lowering)`: the plan step and a `Lowering` with the backend (`xp`, the
array module: `cupy` on a GPU) and, for steps the code generator rendered, the compiled module's
launcher, the names of the step's kernels and the plan's device error buffer (device_errors.py).
Called as `factory(step)` (the contract's `KernelTable.lookup`), a factory gets the default CuPy
backend and compiles its own module.
Nothing here imports CuPy: the table is complete and importable without it.
"""

from __future__ import annotations

from typing import NamedTuple

from graphflow.executors.control_flow import register_control_flow
from graphflow.executors.cuda.backend import CupyBackend
from graphflow.executors.kernels import Kernel, KernelTable

CUDA_KERNELS = KernelTable("cuda")
# If/While drive their sub-plans on the device; only While's predicate comes to the host.
register_control_flow(CUDA_KERNELS, "cuda")
DEFAULT_BACKEND = CupyBackend()


class Lowering(NamedTuple):
    backend: object  # CupyBackend or EmulatedBackend
    launcher: object | None = None  # the plan module's launcher, for generated steps
    names: tuple = ()  # the step's kernels in that module, in launch order
    errors: object | None = None  # the plan's DeviceErrors, for bounds-checked steps


def cuda_kernel(*op_types: str, **flags):
    """Register `factory(step, lowering)` for `op_types` (flags as `KernelTable.register`)."""

    def deco(factory):
        def entry(step, lowering: Lowering | None = None):
            return factory(step, lowering or Lowering(DEFAULT_BACKEND))

        entry.__name__ = factory.__name__
        entry.takes_lowering = True
        CUDA_KERNELS.register(*op_types, **flags)(entry)
        return factory

    return deco


host_fallback = CUDA_KERNELS.fallback

__all__ = ["CUDA_KERNELS", "DEFAULT_BACKEND", "Kernel", "Lowering", "cuda_kernel",
           "host_fallback"]
