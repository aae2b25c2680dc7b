"""`gemm_into(a, b, c, alpha, beta)`: c = alpha * a @ b + beta * c in c's own storage.

The cblas functions are NumPy's own (the library NumPy's matmul calls, so the thread limits of
graphflow/threads.py apply to them too), found once by name in the libraries threadpoolctl lists;
only the ILP64 ones (NumPy 2's bundled OpenBLAS: `scipy_cblas_sgemm64_`) are taken, since an
integer width guessed wrong would corrupt memory. Without them, or for operands BLAS cannot read
in place, the same result comes from NumPy: a product, then one more pass into `c`.
"""

from __future__ import annotations

import ctypes
import os

import numpy as np

from graphflow._ext import blas as _blas

# (sgemm, dgemm) names of ILP64 cblas builds: NumPy 2's scipy-openblas, then plain OpenBLAS.
ILP64_NAMES = (("scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_"),
               ("cblas_sgemm64_", "cblas_dgemm64_"))
_state: dict = {}


def _find() -> bool:
    """Point the extension at NumPy's ILP64 cblas gemm, if there is one; True when found."""
    from threadpoolctl import threadpool_info

    numpy_dir = os.path.dirname(os.path.dirname(np.__file__))
    paths = [lib["filepath"] for lib in threadpool_info() if lib.get("user_api") == "blas"]
    paths.sort(key=lambda p: not p.startswith(numpy_dir + os.sep + "numpy"))  # NumPy's first
    for path in paths:
        try:
            lib = ctypes.CDLL(path, mode=getattr(os, "RTLD_NOLOAD", 0) | os.RTLD_LOCAL)
        except OSError:
            continue
        for s_name, d_name in ILP64_NAMES:
            s, d = getattr(lib, s_name, None), getattr(lib, d_name, None)
            if s is not None and d is not None:
                _blas.set_gemm(ctypes.cast(s, ctypes.c_void_p).value,
                               ctypes.cast(d, ctypes.c_void_p).value)
                return True
    return False


def native_gemm() -> bool:
    """True when gemm_into accumulates inside BLAS (looked up once per process)."""
    if "found" not in _state:
        np.ones((1, 1), np.float32) @ np.ones((1, 1), np.float32)  # NumPy's BLAS is loaded
        _state["found"] = _find()
    return _state["found"]


def gemm_into(a: np.ndarray, b: np.ndarray, c: np.ndarray, alpha: float, beta: float) -> None:
    """c = alpha * a @ b + beta * c, written into `c` (C-contiguous, a's dtype; a and b 2-D)."""
    if native_gemm() and c.dtype in (np.float32, np.float64) and a.dtype == b.dtype == c.dtype \
            and _blas.gemm(a, b, c, alpha, beta):
        return
    product = np.matmul(a, b)
    if alpha != 1:
        np.multiply(product, np.asarray(alpha, c.dtype), out=product)
    if beta == 0:
        np.copyto(c, product)
        return
    if beta != 1:
        np.multiply(c, np.asarray(beta, c.dtype), out=c)
    np.add(c, product, out=c)
