"""NVRTC through ctypes: compile a generated module to PTX or cubin without a driver or a GPU.

The library comes from the `nvidia-cuda-nvrtc` wheel (`pip install nvidia-cuda-nvrtc`, or the
`cuda-test` extra), found under the `nvidia` namespace package: CUDA 13's `nvidia/cu13/lib` or
CUDA 12's `nvidia/cuda_nvrtc/lib`. CuPy's public compile API queries the device, so it cannot be
used without one. The CUDA 13 wheel's libnvrtc has no RUNPATH: its `libnvrtc-builtins` is loaded
first, by full path, so the dynamic loader finds it already there.

`compile_module(module, target="ptx" | "cubin", arch="sm_90")` returns the image bytes, NVRTC's
log, the compile time and, for cubin, each kernel's registers and spills parsed from ptxas's
verbose report. A compile error raises `CudaCompileError` naming NVRTC's file:line, the source
line, and the kernel and step it belongs to.
"""

from __future__ import annotations

import ctypes
import glob
import os
import re
import threading
import time
from typing import NamedTuple

from graphflow.errors import GraphflowError

_INSTALL = "pip install nvidia-cuda-nvrtc (or graphflow's cuda-test extra)"
_lock = threading.Lock()
_lib = None
_cache: dict = {}


class CudaCompileError(GraphflowError, RuntimeError):
    """NVRTC refused a generated module; the message has its file:line and the source line."""


class NvrtcMissing(GraphflowError, ImportError):
    """The nvidia-cuda-nvrtc wheel is not installed (or its library does not load)."""


class Resources(NamedTuple):
    registers: int
    spill_stores: int  # bytes
    spill_loads: int  # bytes
    stack: int  # bytes of stack frame


class Compiled(NamedTuple):
    target: str  # "ptx" or "cubin"
    arch: str
    image: bytes
    log: str
    seconds: float
    resources: dict  # kernel name -> Resources (cubin only)


def _library_dirs() -> list[str]:
    try:
        import nvidia
    except ImportError:
        return []
    dirs = []
    for root in getattr(nvidia, "__path__", []):
        dirs += sorted(glob.glob(os.path.join(root, "cu1*", "lib")), reverse=True)
        dirs += glob.glob(os.path.join(root, "cuda_nvrtc", "lib"))
    return dirs


def load() -> ctypes.CDLL:
    """The NVRTC library (loaded once); raises NvrtcMissing saying how to install it."""
    global _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for d in _library_dirs():
            libs = sorted(glob.glob(os.path.join(d, "libnvrtc.so.*")))
            if not libs:
                continue
            try:
                for builtins in sorted(glob.glob(os.path.join(d, "libnvrtc-builtins.so.*"))):
                    ctypes.CDLL(builtins, mode=ctypes.RTLD_GLOBAL)
                lib = ctypes.CDLL(libs[0])
            except OSError as err:
                tried.append(f"{libs[0]}: {err}")
                continue
            _declare(lib)
            _lib = lib
            return lib
        detail = f" ({'; '.join(tried)})" if tried else ""
        raise NvrtcMissing(f"NVRTC is not available: the nvidia-cuda-nvrtc wheel is not "
                           f"installed or does not load{detail}; {_INSTALL}")


def available() -> tuple[bool, str]:
    """(True, "") when NVRTC loads here, else (False, why)."""
    try:
        load()
    except NvrtcMissing as err:
        return False, str(err)
    return True, ""


def _declare(lib) -> None:
    p, size = ctypes.c_void_p, ctypes.c_size_t
    lib.nvrtcGetErrorString.restype = ctypes.c_char_p
    lib.nvrtcGetErrorString.argtypes = [ctypes.c_int]
    lib.nvrtcVersion.argtypes = [ctypes.POINTER(ctypes.c_int)] * 2
    lib.nvrtcCreateProgram.argtypes = [ctypes.POINTER(p), ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.c_int, p, p]
    lib.nvrtcCompileProgram.argtypes = [p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    lib.nvrtcDestroyProgram.argtypes = [ctypes.POINTER(p)]
    for name in ("ProgramLog", "PTX", "CUBIN"):
        getattr(lib, f"nvrtcGet{name}Size").argtypes = [p, ctypes.POINTER(size)]
        getattr(lib, f"nvrtcGet{name}").argtypes = [p, ctypes.c_char_p]


def version() -> tuple[int, int]:
    lib = load()
    major, minor = ctypes.c_int(), ctypes.c_int()
    _check(lib, lib.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor)), "nvrtcVersion")
    return major.value, minor.value


def _check(lib, code: int, what: str) -> None:
    if code != 0:
        raise CudaCompileError(f"{what} failed: {lib.nvrtcGetErrorString(code).decode()}")


def _get(lib, prog, name: str) -> bytes:
    n = ctypes.c_size_t()
    _check(lib, getattr(lib, f"nvrtcGet{name}Size")(prog, ctypes.byref(n)), f"nvrtcGet{name}")
    buf = ctypes.create_string_buffer(n.value)
    _check(lib, getattr(lib, f"nvrtcGet{name}")(prog, buf), f"nvrtcGet{name}")
    return buf.raw[:n.value]


def compile_source(source: str, target: str = "ptx", arch: str = "sm_90",
                   name: str = "graphflow.cu", options=(), module=None) -> Compiled:
    """Compile CUDA C `source`; a failure raises CudaCompileError with each error's file:line
    and source line (and its kernel and steps when `module` is the module `source` came from)."""
    if target not in ("ptx", "cubin"):
        raise ValueError(f"target must be 'ptx' or 'cubin', not {target!r}")
    lib = load()
    digits = arch.split("_")[-1]
    opts = [f"--gpu-architecture={'compute' if target == 'ptx' else 'sm'}_{digits}",
            "--std=c++17", *(["--ptxas-options=-v"] if target == "cubin" else []), *options]
    argv = (ctypes.c_char_p * len(opts))(*[o.encode() for o in opts])
    prog = ctypes.c_void_p()
    start = time.perf_counter()
    _check(lib, lib.nvrtcCreateProgram(ctypes.byref(prog), source.encode(), name.encode(), 0,
                                       None, None), "nvrtcCreateProgram")
    try:
        code = lib.nvrtcCompileProgram(prog, len(opts), argv)
        log = _get(lib, prog, "ProgramLog").rstrip(b"\0").decode(errors="replace")
        if code != 0:
            head = f"NVRTC could not compile {name} ({lib.nvrtcGetErrorString(code).decode()})"
            raise CudaCompileError(explain_errors(head, log, source, module))
        image = _get(lib, prog, "PTX" if target == "ptx" else "CUBIN")
    finally:
        lib.nvrtcDestroyProgram(ctypes.byref(prog))
    seconds = time.perf_counter() - start
    return Compiled(target, arch, image, log, seconds, parse_resources(log))


_ENTRY = re.compile(r"Compiling entry function '(\w+)'")
_FRAME = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")
_REGS = re.compile(r"Used (\d+) registers")
_ERROR = re.compile(r"^(?P<file>[^\s()]+)\((?P<line>\d+)\): (?P<what>(?:error|warning).*)$",
                    re.MULTILINE)


def parse_resources(log: str) -> dict:
    """Kernel name -> Resources, from ptxas's `-v` report in an NVRTC log."""
    found, current, frame = {}, None, (0, 0, 0)
    for line in log.splitlines():
        m = _ENTRY.search(line)
        if m:
            current, frame = m.group(1), (0, 0, 0)
            continue
        m = _FRAME.search(line)
        if m and current:
            frame = tuple(int(g) for g in m.groups())
        m = _REGS.search(line)
        if m and current:
            found[current] = Resources(int(m.group(1)), frame[1], frame[2], frame[0])
            current = None
    return found


def compile_module(module, target: str = "ptx", arch: str = "sm_90") -> Compiled:
    """Compile a generated Module (cached by its key, target and arch).

    A compile error names NVRTC's file:line, the offending source line and the kernel and the
    steps (op, name, where it was built) it was generated for.
    """
    key = (module.key, target, arch)
    found = _cache.get(key)
    if found is not None:
        return found
    compiled = compile_source(module.source, target, arch, f"graphflow_{module.key[:12]}.cu",
                              module=module)
    _cache[key] = compiled
    return compiled


def explain_errors(head: str, log: str, source: str, module=None) -> str:
    """Each error of NVRTC's log as file:line, the source line, and (given the module that
    `source` is) the kernel and the steps it was generated for; then the full log."""
    lines = source.splitlines()
    out = []
    for m in _ERROR.finditer(log):
        n = int(m.group("line"))
        text = lines[n - 1].strip() if 0 < n <= len(lines) else "?"
        where = f"{m.group('file')}:{n}: {m.group('what')}\n    {n} | {text}"
        for kernel, (first, last) in (module.lines.items() if module is not None else ()):
            if first <= n <= last:
                where += f"\n    in kernel {kernel}, generated for " + \
                    "; ".join(module.sites.get(kernel, ()))
        out.append(where)
    return "\n".join([head + ":", *out, "NVRTC's log:", log])
