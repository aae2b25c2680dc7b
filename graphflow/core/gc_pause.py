"""Pausing Python's cyclic garbage collector over one bounded piece of graphflow's own work.

Building a gradient or compiling a plan allocates tens of thousands of objects that stay alive
until the call returns. Each burst of allocations sets off collections that scan those young
objects again and again, and a full collection (every object of the process) each time the heap
has grown by a quarter: 30-40% of the time to differentiate and compile a 10k-op graph, and all
of it finds nothing to free. Reference counting still frees what those calls drop; the collector
resumes, as the process had it, once the outermost paused call returns.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading

_lock = threading.Lock()
_depth = 0
_resume = False


@contextlib.contextmanager
def gc_paused():
    """No cyclic collection inside the block (nested and thread-safe: counted, under a lock)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()


def without_gc(fn):
    """Decorator: run `fn` inside `gc_paused()`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper
