"""A session's state on the GPU: variables as device arrays for the session's life.

`to_host` is `cupy.asnumpy` and `from_host` `cupy.asarray` (through the executor's backend, so
the same class holds NumPy arrays under the host emulation the tests use). Random ops draw on
the device from `device_rng`, one `xp.random` Generator per op key seeded from (seed, seed2) as
on cpu: cuRAND-based on a GPU, so seeded streams repeat across sessions but differ from cpu's
(kernels_random.py). The host ops still drawing on the host (Multinomial, the candidate
samplers) keep `HostState.rng`.
"""

from __future__ import annotations

import numpy as np

from graphflow.executors.state import HostState


class CupyState(HostState):
    """Variables as device arrays (writable: in-place updates write them), by key."""

    def __init__(self, graph, backend):
        super().__init__(graph)
        self.backend = backend
        self._device_rngs: dict = {}

    def device_rng(self, key: str, seed=None, seed2=None):
        """The device stream of a random op: seeded ops repeat across sessions, unseeded do not."""
        gen = self._device_rngs.get(key)
        if gen is None:
            gen = self.backend.xp.random.default_rng(None if seed is None else [seed, seed2 or 0])
            self._device_rngs[key] = gen
        return gen

    def clear(self) -> None:
        super().clear()
        self._device_rngs.clear()

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
