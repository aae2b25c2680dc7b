"""Host emulation of generated CUDA kernels: the same source, compiled by the system C++ compiler.

No CPU emulator runs CUDA C, but the generated kernels are plain C++ once a small header
(emulate_header.py) defines `__global__` and `__device__` away and makes `threadIdx`, `blockIdx`,
`blockDim` and `gridDim` thread-local variables: a launch then becomes a loop over blocks and
threads (`gf_emu_launch_*`, one wrapper per kernel, rendered here). A kernel with `__shared__`
memory or `__syncthreads()` (the block reductions of reduce.py and rows.py) runs each block's
threads as fibers under a deterministic schedule instead: barriers are real, shared memory is
poisoned before each block, and a barrier not reached by every thread of the block raises.
Test support, kept in the package so that tests and scripts share it.

Built libraries are cached under the temporary directory keyed by the source hash (and in this
process). `run` poisons every output with NaN (bool outputs with 2) before the launch, so an
element a kernel never writes cannot pass for a right answer (integer outputs, the bit copies of
movement.py, get every bit set). The default launch uses small odd grids, so every grid-stride
loop really strides.
"""

from __future__ import annotations

import contextlib
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
from graphflow.executors.cuda.emulate_header import BLOCKS, HEADER

# no _FORTIFY_SOURCE: its checked longjmp refuses the jumps between fiber stacks
FLAGS = ("-O1", "-std=c++17", "-U_FORTIFY_SOURCE", "-shared", "-fPIC", "-ffp-contract=off",
         "-fno-fast-math", "-w")
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


def uses_blocks(kernel) -> bool:
    """True when the kernel needs its block's threads together (shared memory, barriers)."""
    return "__shared__" in kernel.text or "__syncthreads" in kernel.text


def _wrappers(module) -> str:
    lines = []
    for name, k in module.kernels.items():
        args = ", ".join(f"({'const ' if p.role == 'in' else ''}{p.ctype}*)a[{j}]"
                         for j, p in enumerate(k.params))
        head = (f'extern "C" int gf_emu_launch_{name}(unsigned int grid, unsigned int block, '
                f"int order, void** a) {{ ")
        if uses_blocks(k):
            lines.append(head + f"return gf_emu_run_blocks(grid, block, order, "
                                f"[&] {{ {name}({args}); }}); }}")
        else:
            lines.append(head + f"GF_EMU_LAUNCH({name}, grid, block, {args}) return 0; }}")
    return "\n".join(lines) + "\n"


def emulation_source(module) -> str:
    """The C++ the host compiler builds: header, the module's source as is, launch wrappers."""
    blocks = BLOCKS if any(uses_blocks(k) for k in module.kernels.values()) else ""
    return HEADER + blocks + "#line 1 \"module.cu\"\n" + module.source + _wrappers(module)


class Library:
    """A built module: `launch(name, arrays, grid, block)` runs one kernel."""

    def __init__(self, module, path: str, seconds: float):
        self.module = module
        self.path = path
        self.build_seconds = seconds
        self.cdll = ctypes.CDLL(path)
        self.block = 32  # threads per block of a launch that names none
        self.order = 0  # the barrier schedule's first phase: 0 ascending threads, 1 descending

    def launch(self, name: str, arrays, grid: int | None = None, block: int | None = None,
               order: int | None = None) -> None:
        kernel = self.module.kernels[name]
        block = self.block if block is None else block
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
        fn = getattr(self.cdll, f"gf_emu_launch_{name}")
        fn.restype = ctypes.c_int
        failed = fn(ctypes.c_uint(grid), ctypes.c_uint(block),
                    ctypes.c_int(self.order if order is None else order), ptrs)
        if failed < 0:
            raise EmulationError(f"{name}: no host memory for the fibers of {block} threads")
        if failed:
            raise EmulationError(f"{name}: in block {failed - 1} of {grid} ({block} threads), "
                                 f"some threads exited while others waited at __syncthreads() "
                                 f"(a barrier in divergent code: undefined on a GPU)")

    def run(self, name: str, inputs, grid: int | None = None, block: int | None = None,
            order: int | None = None) -> list:
        """Launch kernel `name` on `inputs`; returns its outputs, poisoned before the launch."""
        kernel = self.module.kernels[name]
        ins = [np.ascontiguousarray(a) for a in inputs]
        outs = [poisoned(p.size, _NP[p.ctype]) for p in kernel.params[len(ins):]]
        self.launch(name, [*ins, *outs], grid, block, order)
        return outs


@contextlib.contextmanager
def launches(library: Library, block: int | None = None, order: int | None = None):
    """Within the block, launches of `library` that name no block size or schedule use these
    (e.g. a block size that is not a power of two, or the descending schedule first)."""
    saved = library.block, library.order
    library.block = saved[0] if block is None else block
    library.order = saved[1] if order is None else order
    try:
        yield library
    finally:
        library.block, library.order = saved


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
