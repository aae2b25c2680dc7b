# cython: language_level=3
"""The per-call path of `Session.run` once its signature is known, compiled.

A run then costs: checking each fed array's dtype and shape, one dict lookup for the plan
compiled for these shapes, the run loop, and rebuilding the fetch structure.
"""

import numpy as np
cimport numpy as cnp

from graphflow._ext.runloop import run_program

cnp.import_array()


cdef inline bint _shape_fits(tuple actual, object dims):
    cdef Py_ssize_t i, n
    if dims is None:
        return True
    n = len(actual)
    if n != len(<tuple>dims):
        return False
    for i in range(n):
        d = (<tuple>dims)[i]
        if d is not None and d != actual[i]:
            return False
    return True


cdef class SignatureCore:
    """Fields filled in by graphflow.run_signature.RunSignature; `call` is the hot path."""

    cdef public list feed_tensors
    cdef public list feed_dtypes
    cdef public list feed_dims
    cdef public dict runnables
    cdef public list leaf_index
    cdef public object structure
    cdef public object session
    cdef public object convert_feed
    cdef public object pack

    def call(self, raw_values):
        cdef Py_ssize_t i, n = len(self.feed_tensors)
        cdef list values = [None] * n
        cdef object v, dt
        for i in range(n):
            v = raw_values[i]
            if type(v) is np.ndarray:
                dt = v.dtype
                if (dt is self.feed_dtypes[i] or dt == self.feed_dtypes[i]) and \
                        _shape_fits(v.shape, self.feed_dims[i]):
                    values[i] = v
                    continue
            values[i] = self.convert_feed(self.feed_tensors[i], v)
        cdef tuple shapes = tuple([values[i].shape for i in range(n)])
        runnable = self.runnables.get(shapes)
        if runnable is None:
            runnable = self.compile(shapes)
            self.runnables[shapes] = runnable
        cdef list results = runnable(self.session.state, values, self.session._observer)
        cdef list copies = runnable.plan.fetch_aliases_feed
        cdef Py_ssize_t k
        for k in range(len(results)):
            r = results[k]
            if type(r) is np.ndarray:
                if cnp.PyArray_NDIM(<cnp.ndarray>r) == 0:
                    results[k] = r[()]
                elif copies[k] or not cnp.PyArray_ISWRITEABLE(<cnp.ndarray>r):
                    results[k] = r.copy()
        cdef list leaves = [results[j] if j >= 0 else None for j in self.leaf_index]
        if self.structure is None:
            return leaves[0]
        return self.pack(self.structure, leaves)


def run_runnable(object runnable, object state, list values, object observer=None):
    """A lowered plan's run: fill the slots, run the loop, collect the fetched slots."""
    cdef list slots = list(runnable.template)
    cdef Py_ssize_t i
    cdef list feed_slots = runnable.feed_slots
    for i in range(len(feed_slots)):
        slots[<Py_ssize_t>feed_slots[i]] = values[i]
    run_program(runnable.instructions, slots, state, runnable.on_error, observer)
    return [slots[<Py_ssize_t>s] for s in runnable.fetch_slots]
