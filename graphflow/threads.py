"""How many threads graphflow's OpenMP kernels and the BLAS library use, decided together.

The cpu executor runs one kernel at a time: an OpenMP kernel of ours, or a matrix product in the
BLAS library NumPy links (OpenBLAS, MKL, BLIS...). Both thread pools are set here, once, when an
executor starts (`apply_thread_policy`), through threadpoolctl for BLAS:

- `GRAPHFLOW_NUM_THREADS=N` governs both: N OpenMP threads and N BLAS threads.
- Otherwise OpenMP uses `OMP_NUM_THREADS` if set, else every core. BLAS keeps a count the user
  gave it (OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, BLIS_NUM_THREADS, OMP_NUM_THREADS); with none,
  it gets 1 thread on a machine with at most 2 cores, else as many as OpenMP.

Why 1 BLAS thread on small machines: OpenBLAS's worker threads spin after each product, waiting
for the next, while our OpenMP threads and the main thread need the same cores. On a busy 2-core
machine (2026-12-02) a 64-128-64-10 MLP Adam step took a median of 107 ms with 2 BLAS threads and
0.55-1.0 ms with one, with the same losses; a second BLAS thread gains at most 2x, on large
products of an idle machine. `GRAPHFLOW_NUM_THREADS=2` asks for it. The limit is set on the
process's BLAS, so NumPy code outside graphflow sees it too.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

NUM_THREADS = "GRAPHFLOW_NUM_THREADS"
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                  "OMP_NUM_THREADS")
SMALL_MACHINE_CORES = 2  # at most this many cores: BLAS gets one thread unless told otherwise


@dataclass(frozen=True)
class ThreadPolicy:
    """The thread counts graphflow sets; `blas` None leaves BLAS as the user configured it."""

    openmp: int
    blas: int | None
    reason: str


def _positive(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return n


def cores() -> int:
    """Cores this process may run on (its CPU affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def thread_policy() -> ThreadPolicy:
    """The counts the environment asks for (see the module docstring)."""
    n = _positive(NUM_THREADS)
    if n is not None:
        return ThreadPolicy(n, n, f"{NUM_THREADS}={n} sets both")
    omp = _positive("OMP_NUM_THREADS")
    openmp = omp if omp is not None else cores()
    for name in BLAS_VARIABLES:
        if _positive(name) is not None:
            return ThreadPolicy(openmp, None, f"BLAS threads left as {name} sets them")
    if cores() <= SMALL_MACHINE_CORES:
        return ThreadPolicy(openmp, 1, f"1 BLAS thread on a machine with {cores()} cores "
                                       f"(its spinning threads would take the cores of OpenMP)")
    return ThreadPolicy(openmp, openmp, "BLAS threads as many as OpenMP's")


def configured_threads() -> int:
    """Threads for graphflow's OpenMP kernels."""
    return thread_policy().openmp


_applied_blas: list = []  # (count, len(sys.modules)) of the BLAS limit last applied, if any


def apply_thread_policy() -> ThreadPolicy:
    """Set OpenMP's threads (for the calling thread and those it starts) and BLAS's (for the
    process). Finding the BLAS libraries costs about 1.5 ms, so it is redone only for a new count
    or once modules were imported since (an import may load another BLAS, such as SciPy's)."""
    from graphflow._ext.runloop import openmp_set_num_threads

    policy = thread_policy()
    openmp_set_num_threads(policy.openmp)
    key = (policy.blas, len(sys.modules))
    if policy.blas is not None and _applied_blas != [key]:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=policy.blas, user_api="blas")
        _applied_blas[:] = [(policy.blas, len(sys.modules))]  # threadpoolctl's own imports too
    return policy


def blas_libraries() -> list[dict]:
    """Each loaded BLAS library: name, version, threading layer and current threads."""
    import numpy  # noqa: F401  (loads NumPy's BLAS, so that threadpoolctl finds it)
    from threadpoolctl import threadpool_info

    return [{"name": lib.get("internal_api"), "version": lib.get("version"),
             "threading_layer": lib.get("threading_layer"), "threads": lib.get("num_threads"),
             "filepath": lib.get("filepath")}
            for lib in threadpool_info() if lib.get("user_api") == "blas"]
