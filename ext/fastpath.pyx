# cython: language_level=3
"""The per-call path of `Session.run` once its signature is known, compiled.

A run then costs: checking each fed array's dtype and shape, one dict lookup for the plan
compiled for these shapes, the run loop, and rebuilding the fetch structure. Neither class holds
a Session: a signature is given the executor's state and the run's observer explicitly.
"""

import numpy as np
cimport numpy as cnp
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM

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


cdef class RunnableCore:
    """Fields filled in by graphflow.executors.base.Runnable; calling it runs the plan once.

    Returns the fetched values on the host: those living on the executor's device are copied
    out through the state, and host arrays that alias a feed or the state are copied, inside the
    locks, so the caller never shares memory with either.
    """

    # fields: graphflow/_ext/fastpath.pxd (ext/loops.pyx calls `_run` without Python dispatch)

    def __call__(self, object state, list values, object observer=None):
        return self._call(state, values, observer)

    cdef list _call(self, object state, list values, object observer):
        cdef object state_lock = state.lock if self.locks_state else None
        if self.lock is None and state_lock is None and not self.warns:
            return self._run(state, values, observer)
        if self.lock is not None:
            self.lock.acquire()
        if state_lock is not None:
            state_lock.acquire()
        try:
            if self.warns:
                with np.errstate(all="ignore"):
                    return self._run(state, values, observer)
            return self._run(state, values, observer)
        finally:
            if state_lock is not None:
                state_lock.release()
            if self.lock is not None:
                self.lock.release()

    cdef list _run(self, object state, list values, object observer):
        cdef list slots = list(self.template)
        cdef Py_ssize_t i, n = len(self.feed_slots)
        cdef list feed_slots = self.feed_slots
        if self.on_host:
            for i in range(n):
                slots[<Py_ssize_t>feed_slots[i]] = values[i]
        else:
            for i in range(n):
                slots[<Py_ssize_t>feed_slots[i]] = state.from_host(values[i])
        run_program(self.instructions, slots, state, self.on_error, observer)
        cdef list fetch_slots = self.fetch_slots
        cdef Py_ssize_t k, m = len(fetch_slots)
        cdef list results = [None] * m
        cdef list copies = self.copies
        for k in range(m):
            r = slots[<Py_ssize_t>fetch_slots[k]]
            if not self.on_host and self.fetch_on_device[k]:
                r = state.to_host(r)
            elif type(r) is cnp.ndarray and cnp.PyArray_NDIM(<cnp.ndarray>r) != 0 and (
                    copies[k] or not cnp.PyArray_ISWRITEABLE(<cnp.ndarray>r)):
                r = r.copy()
            results[k] = r
        return results


cdef class SignatureCore:
    """Fields filled in by graphflow.run_signature.RunSignature; `call` is the hot path."""

    cdef public list feed_tensors
    cdef public list feed_dtypes
    cdef public list feed_dims
    cdef public dict runnables
    cdef public list leaf_index
    cdef public object structure
    cdef public object state
    cdef public object convert_feed
    cdef public object pack

    def call(self, raw_values, observer=None):
        """Run with the feed values in `feed_tensors` order; returns the fetch structure."""
        return self._call(raw_values, observer)

    cdef object _call(self, object raw_values, object observer):
        cdef Py_ssize_t i, n = len(self.feed_tensors)
        cdef list values = [None] * n
        cdef list feed_dtypes = self.feed_dtypes, feed_dims = self.feed_dims
        cdef tuple shapes = PyTuple_New(n)
        cdef object v, dt, shape
        for i in range(n):
            v = raw_values[i]
            if type(v) is cnp.ndarray:
                dt = <object>cnp.PyArray_DESCR(<cnp.ndarray>v)
                if dt is feed_dtypes[i] or dt == feed_dtypes[i]:
                    shape = v.shape
                    if _shape_fits(shape, feed_dims[i]):
                        values[i] = v
                        Py_INCREF(shape)
                        PyTuple_SET_ITEM(shapes, i, shape)
                        continue
            v = self.convert_feed(self.feed_tensors[i], v)
            values[i] = v
            shape = v.shape
            Py_INCREF(shape)
            PyTuple_SET_ITEM(shapes, i, shape)
        runnable = self.runnables.get(shapes)
        if runnable is None:
            runnable = self.compile(shapes)
        cdef list results
        if isinstance(runnable, RunnableCore):  # skip the Python call (none overrides __call__)
            results = (<RunnableCore>runnable)._call(self.state, values, observer)
        else:
            results = runnable(self.state, values, observer)
        cdef Py_ssize_t k, j
        for k in range(len(results)):
            r = results[k]
            if type(r) is cnp.ndarray and cnp.PyArray_NDIM(<cnp.ndarray>r) == 0:
                results[k] = r[()]
        if self.structure is None:  # one fetch: no structure to rebuild
            j = self.leaf_index[0]
            return results[j] if j >= 0 else None
        cdef list leaves = [results[j] if j >= 0 else None for j in self.leaf_index]
        return self.pack(self.structure, leaves)
