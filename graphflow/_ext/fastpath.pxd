# cython: language_level=3
"""RunnableCore's layout, so other compiled modules (ext/loops.pyx) call `_run` directly.

It lives beside the module, where `cimport graphflow._ext.fastpath` finds it."""


cdef class RunnableCore:
    cdef public list template
    cdef public list feed_slots
    cdef public list fetch_slots
    cdef public list instructions
    cdef public list copies
    cdef public list fetch_on_device
    cdef public object on_error
    cdef public object lock
    cdef public bint warns
    cdef public bint locks_state
    cdef public bint on_host

    cdef list _run(self, object state, list values, object observer)
    cdef list _call(self, object state, list values, object observer)  # _run inside the locks
