"""Where the cuda executor's values live and its generated kernels launch: CuPy, imported lazily.

`CupyBackend` is the real one: `xp` is the `cupy` module (imported on first use, never at
`import graphflow`), values are `cupy.ndarray`s, and a plan's generated module is compiled once
with `cupy.RawModule(code=..., options=...)` by the GPU image's own NVRTC, cached by `Module.key`.
`EmulatedBackend` (test support) runs the same executor code with NumPy as `xp` and the generated
CUDA C compiled for the host by `emulate`, so the executor's lowering, kernel selection, buffers
and bounds checks are exercised without a GPU. Both launch kernels by name with a grid-stride
grid, so a kernel's launch is one call. Both can capture a segment's launches (capture.py):
CuPy into a CUDA graph on a side stream, replayed on the current one; the emulation (when made
with `captures=True`) by recording the launches' kernel names and raw buffer addresses and
launching them again on replay, so the host logic of capture runs everywhere.
"""

from __future__ import annotations

import ctypes
import os
import threading

import numpy as np

BLOCK = 256
_MAX_BLOCKS = 65_535


def cupy_status() -> tuple[bool, str]:
    """(True, "") when CuPy is installed and a CUDA GPU answers, else (False, why not)."""
    try:
        import cupy
    except ImportError:
        return False, "CuPy is not installed (pip install graphflow[cuda])"
    try:
        if cupy.cuda.is_available():
            return True, ""
    except Exception as err:  # noqa: BLE001 - any driver failure is the reason
        return False, f"no usable CUDA GPU: {type(err).__name__}: {err}"
    return False, f"no usable CUDA GPU: {_driver_error(cupy)}"


def _driver_error(cupy) -> str:
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as err:  # noqa: BLE001 - cudaErrorInsufficientDriver, no device, ...
        return f"{type(err).__name__}: {err}"
    return "the CUDA runtime reports no device" if n == 0 else \
        f"cupy.cuda.is_available() is False although {n} device(s) are counted"


class CupyBackend:
    """Values as cupy arrays; generated modules compiled by `cupy.RawModule`."""

    name = "cupy"
    options = ("--std=c++17",)

    def __init__(self):
        self._xp = None
        self._modules: dict = {}
        self._lock = threading.Lock()
        self._stream = None
        # GRAPHFLOW_CUDA_GRAPHS=0 turns capture off (every step launched directly)
        self.captures = os.environ.get("GRAPHFLOW_CUDA_GRAPHS", "1") != "0"

    @property
    def xp(self):
        if self._xp is None:
            import cupy

            self._xp = cupy
        return self._xp

    def asnumpy(self, value) -> np.ndarray:
        return self.xp.asnumpy(value)

    def asarray(self, array):
        return self.xp.asarray(array)

    def is_value(self, value) -> bool:
        return isinstance(value, self.xp.ndarray)

    def any(self, mask) -> bool:
        """One device-to-host read of a reduced flag (the bounds checks)."""
        return bool(self.xp.any(mask))

    def compile(self, module) -> CupyLauncher:
        with self._lock:
            raw = self._modules.get(module.key)
            if raw is None:
                raw = self.xp.RawModule(code=module.source, options=self.options)
                if module.kernels:  # compile now (NVRTC), not at the first launch of a run
                    raw.get_function(next(iter(module.kernels)))
                self._modules[module.key] = raw
        return CupyLauncher(raw, module)

    def used_bytes(self) -> int:
        return int(self.xp.get_default_memory_pool().used_bytes())

    def addresses(self, values) -> tuple | None:
        """The device addresses a captured graph reads (None: a value is not C-contiguous)."""
        if not all(v.flags.c_contiguous for v in values):
            return None
        return tuple(v.data.ptr for v in values)

    def capture(self, launch):
        """A CUDA graph of what `launch()` queues, captured on a side stream (the legacy default
        stream cannot be captured); nothing runs until the graph is launched."""
        if self._stream is None:
            self._stream = self.xp.cuda.Stream(non_blocking=True)
        with self._stream:
            self._stream.begin_capture()
            try:
                launch()
            finally:
                graph = self._stream.end_capture()
        return graph

    def replay(self, graph) -> None:
        graph.launch()  # on the current stream, in order with the run's other launches


class CupyLauncher:
    """`launch(name, arrays)`: one kernel of a compiled module over its grid-stride work."""

    def __init__(self, raw, module):
        self.raw = raw
        self.module = module
        self._functions: dict = {}

    def launch(self, name: str, arrays) -> None:
        fn = self._functions.get(name)
        if fn is None:
            fn = self._functions[name] = (self.raw.get_function(name),
                                          grid_of(self.module.kernels[name].work))
        function, grid = fn
        if grid:
            function((grid,), (BLOCK,), tuple(arrays))


def grid_of(work: int) -> int:
    return min(_MAX_BLOCKS, -(-work // BLOCK))


class EmulatedBackend:
    """Test support: NumPy as the array module and the generated code emulated on the host."""

    name = "emulated"

    def __init__(self, captures: bool = False):
        self.xp = np
        self.captures = captures
        self._recording = None

    def asnumpy(self, value) -> np.ndarray:
        return np.array(value, copy=True)

    def asarray(self, array):
        return np.array(array, copy=True)

    def is_value(self, value) -> bool:
        return isinstance(value, np.ndarray)

    def any(self, mask) -> bool:
        return bool(np.any(mask))

    def compile(self, module):
        from graphflow.executors.cuda import emulate

        return RecordingLauncher(self, emulate.build(module))

    def used_bytes(self) -> int:
        return 0

    def addresses(self, values) -> tuple | None:
        if not all(v.flags.c_contiguous for v in values):
            return None
        return tuple(v.ctypes.data for v in values)

    def capture(self, launch) -> list:
        """The launches `launch()` makes, recorded (kernel, name, raw buffers), not run."""
        self._recording = []
        try:
            launch()
            return self._recording
        finally:
            self._recording = None

    def replay(self, graph) -> None:
        for library, name, buffers in graph:
            library.launch(name, [_at(*b) for b in buffers])


def _at(address: int, dtype, size: int) -> np.ndarray:
    """The `size` elements of `dtype` at a raw address, as a graph holds its buffers."""
    nbytes = size * np.dtype(dtype).itemsize
    return np.frombuffer((ctypes.c_char * max(nbytes, 1)).from_address(address), dtype,
                         count=size)


class RecordingLauncher:
    """The emulated module's launcher: launches, or records them while a capture is on."""

    def __init__(self, backend, library):
        self.backend = backend
        self.library = library
        self.module = library.module

    def launch(self, name: str, arrays, grid=None, block: int = 32) -> None:
        recording = self.backend._recording
        if recording is None:
            self.library.launch(name, arrays, grid, block)
            return
        if not all(a.flags.c_contiguous for a in arrays):
            raise RuntimeError(f"{name}: a captured launch needs C-contiguous buffers (a copy "
                               "made here would be gone when the graph is replayed)")
        recording.append((self.library, name, [(a.ctypes.data, a.dtype, a.size) for a in arrays]))
