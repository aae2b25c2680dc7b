"""A session's state on the GPU: variables as device arrays for the session's life.

`to_host` is `cupy.asnumpy` and `from_host` `cupy.asarray` (through the executor's backend, so
the same class holds NumPy arrays under the host emulation the tests use). Random streams are
the host's: random ops are declared host fallbacks that draw from `HostState.rng`'s per-key NumPy
generator, so a seeded graph draws the cpu executor's numbers on cuda too, at the cost of one
copy to the device per draw (a cuRAND stream per key would differ from cpu's; future work).
"""

from __future__ import annotations

import numpy as np

from graphflow.executors.state import HostState


class CupyState(HostState):
    """Variables as device arrays (writable: in-place updates write them), by key."""

    def __init__(self, graph, backend):
        super().__init__(graph)
        self.backend = backend

    def write_variable(self, key: str, value):
        if not self.backend.is_value(value):
            value = self.backend.asarray(np.asarray(value))
        self.variables[key] = value
        return value

    def to_host(self, value) -> np.ndarray:
        return self.backend.asnumpy(value) if self.backend.is_value(value) else np.asarray(value)

    def from_host(self, array):
        return self.backend.asarray(np.asarray(array))

    def shape_of(self, value) -> tuple:
        return tuple(value.shape)
