"""Host emulation of generated CUDA kernels: the same source, compiled by the system C++ compiler.

No CPU emulator runs CUDA C, but the generated kernels are plain C++ once a small header defines
`__global__` and `__device__` away and makes `threadIdx`, `blockIdx`, `blockDim` and `gridDim`
thread-local variables: a launch then becomes a loop over blocks and threads (`gf_emu_launch_*`,
one wrapper per kernel, rendered here). This holds for kernels without `__shared__` memory or
`__syncthreads()`, which is every kernel the code generator makes; those that need a GPU do not
pass through here. Test support, kept in the package so that tests and scripts share it.

Built libraries are cached under the temporary directory keyed by the source hash (and in this
process). `run` poisons every output with NaN (bool outputs with 2) before the launch, so an
element a kernel never writes cannot pass for a right answer (integer outputs, the bit copies of
movement.py, get every bit set). The default launch uses small odd grids, so every grid-stride
loop really strides.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time

import numpy as np

from graphflow.errors import GraphflowError

HEADER = r"""/* graphflow host emulation of CUDA launches: loops over blocks and threads. */
#include <math.h>
struct gf_dim3 { unsigned int x, y, z; };
static thread_local gf_dim3 threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define GF_EMU_LAUNCH(kernel, grid, block, ...)                              \
    gridDim = {grid, 1, 1}; blockDim = {block, 1, 1};                        \
    for (unsigned int b_ = 0; b_ < grid; ++b_)                               \
        for (unsigned int t_ = 0; t_ < block; ++t_) {                        \
            blockIdx = {b_, 0, 0}; threadIdx = {t_, 0, 0}; kernel(__VA_ARGS__); \
        }
"""
FLAGS = ("-O1", "-std=c++17", "-shared", "-fPIC", "-ffp-contract=off", "-fno-fast-math", "-w")
_NP = {"float": np.dtype(np.float32), "double": np.dtype(np.float64),
       "unsigned char": np.dtype(np.bool_), "unsigned short": np.dtype(np.uint16),
       "unsigned int": np.dtype(np.uint32), "unsigned long long": np.dtype(np.uint64),
       "int": np.dtype(np.int32), "long long": np.dtype(np.int64)}
_lock = threading.Lock()
_libs: dict = {}


class EmulationError(GraphflowError, RuntimeError):
    """The host compiler refused a module, or a launch got buffers that do not fit."""


def compiler() -> str | None:
    return shutil.which(os.environ.get("CXX", "g++")) or shutil.which("c++")


def available() -> tuple[bool, str]:
    if compiler() is None:
        return False, "no host C++ compiler (g++ or $CXX) to emulate CUDA kernels with"
    return True, ""


def _wrappers(module) -> str:
    lines = []
    for name, k in module.kernels.items():
        args = ", ".join(f"({'const ' if p.role == 'in' else ''}{p.ctype}*)a[{j}]"
                         for j, p in enumerate(k.params))
        lines.append(f'extern "C" void gf_emu_launch_{name}(unsigned int grid, unsigned int '
                     f"block, void** a) {{ GF_EMU_LAUNCH({name}, grid, block, {args}) }}")
    return "\n".join(lines) + "\n"


def emulation_source(module) -> str:
    """The C++ the host compiler builds: header, the module's source as is, launch wrappers."""
    return HEADER + "#line 1 \"module.cu\"\n" + module.source + _wrappers(module)


class Library:
    """A built module: `launch(name, arrays, grid, block)` runs one kernel."""

    def __init__(self, module, path: str, seconds: float):
        self.module = module
        self.path = path
        self.build_seconds = seconds
        self.cdll = ctypes.CDLL(path)

    def launch(self, name: str, arrays, grid: int | None = None, block: int = 32) -> None:
        kernel = self.module.kernels[name]
        if len(arrays) != len(kernel.params):
            raise EmulationError(f"{name} takes {len(kernel.params)} buffers, got {len(arrays)}")
        for p, a in zip(kernel.params, arrays, strict=True):
            if not isinstance(a, np.ndarray) or a.dtype != _NP[p.ctype] or \
                    not a.flags.c_contiguous or a.size < p.size or \
                    (p.role == "out" and not a.flags.writeable):
                raise EmulationError(f"{name}: {p.role}put {p.name} needs a C-contiguous "
                                     f"{'writable ' if p.role == 'out' else ''}{_NP[p.ctype]} "
                                     f"array of at least {p.size} elements")
        if kernel.work == 0:
            return
        if grid is None:  # a few odd-sized blocks: every grid-stride loop takes several turns
            grid = max(1, min(7, -(-kernel.work // block)))
        ptrs = (ctypes.c_void_p * len(arrays))(*[a.ctypes.data for a in arrays])
        getattr(self.cdll, f"gf_emu_launch_{name}")(ctypes.c_uint(grid), ctypes.c_uint(block),
                                                    ptrs)

    def run(self, name: str, inputs, grid: int | None = None, block: int = 32) -> list:
        """Launch kernel `name` on `inputs`; returns its outputs, poisoned before the launch."""
        kernel = self.module.kernels[name]
        ins = [np.ascontiguousarray(a) for a in inputs]
        outs = [poisoned(p.size, _NP[p.ctype]) for p in kernel.params[len(ins):]]
        self.launch(name, [*ins, *outs], grid, block)
        return outs


def poisoned(shape, dtype) -> np.ndarray:
    """An array no kernel output can pass for: NaN floats, bools holding 2 (neither False nor
    True), other types with every bit set (a NaN, when the bits of floats are copied)."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return np.full(shape, 2, np.uint8).view(np.bool_)
    if dtype.kind == "f":
        return np.full(shape, np.nan, dtype)
    size = int(np.prod(shape))
    return np.full(size * dtype.itemsize, 0xFF, np.uint8).view(dtype).reshape(shape)


def _cache_dir() -> str:
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    path = os.path.join(tempfile.gettempdir(), f"graphflow-cuda-emulate-{uid}")
    os.makedirs(path, exist_ok=True)
    return path


def build(module) -> Library:
    """The module built for the host (cached by its source hash, on disk and in this process)."""
    ok, why = available()
    if not ok:
        raise EmulationError(why)
    source = emulation_source(module)
    key = hashlib.sha256((source + " ".join(FLAGS)).encode()).hexdigest()[:32]
    with _lock:
        lib = _libs.get(key)
        if lib is not None:
            return lib
        path = os.path.join(_cache_dir(), f"{key}.so")
        start = time.perf_counter()
        if not os.path.exists(path):
            _compile(source, path)
        lib = _libs[key] = Library(module, path, time.perf_counter() - start)
        return lib


def _compile(source: str, path: str) -> None:
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=os.path.dirname(path))
    os.close(fd)
    src = tmp[:-3] + ".cpp"
    try:
        with open(src, "w", encoding="utf-8") as f:
            f.write(source)
        done = subprocess.run([compiler(), *FLAGS, "-x", "c++", src, "-o", tmp],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise EmulationError(f"the host compiler refused the emulated module:\n"
                                 f"{done.stderr[-4000:]}")
        os.replace(tmp, path)  # atomic: a concurrent build of the same key is harmless
    finally:
        for leftover in (src, tmp):
            if os.path.exists(leftover):
                os.unlink(leftover)
