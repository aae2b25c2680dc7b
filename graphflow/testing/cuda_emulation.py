"""The cuda executor over its host emulation, for tests on machines without a GPU: NumPy as its
array module and the generated CUDA C compiled for the host ("cuda-emulated"), registered only
while a test uses it."""

from __future__ import annotations

import contextlib

from graphflow.executors.base import register_executor, unregister_executor
from graphflow.executors.cuda import emulate
from graphflow.executors.cuda.backend import EmulatedBackend
from graphflow.executors.cuda.executor import CudaExecutor


class EmulatedCudaExecutor(CudaExecutor):
    name = "cuda-emulated"
    backend = EmulatedBackend()

    def available(self):
        return emulate.available()


@contextlib.contextmanager
def emulated_executor():
    """Register the emulated cuda executor for the block; yields its name."""
    register_executor(EmulatedCudaExecutor)
    try:
        yield EmulatedCudaExecutor.name
    finally:
        unregister_executor(EmulatedCudaExecutor.name)
