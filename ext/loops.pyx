# cython: language_level=3, boundscheck=True
"""The While loop driver, compiled: the per-iteration loop of graphflow's While kernel.
(Bounds are checked here: a mismatched sub-plan raises IndexError instead of crashing.)

Each iteration runs the cond sub-plan, brings its predicate to the host (the one value that
crosses: device values stay the executor's), runs the body sub-plan, carries the loop
variables, records what a gradient needs and checks the shape invariants, calling each
sub-plan's `RunnableCore._run` directly. The Python side (graphflow/executors/control_flow.py)
decides what to compile; a sub-plan whose inputs' shapes change calls back into it
(`SubPlanCore.lookup`) to find or compile the plan for the new shapes.
"""

import numpy as np
cimport numpy as cnp

from graphflow._ext.fastpath cimport RunnableCore

cnp.import_array()


cdef inline list _run_plan(RunnableCore runnable, object state, list values):
    """`runnable(state, values)` without Python dispatch; the caller holds NumPy's errstate."""
    cdef object state_lock = state.lock if runnable.locks_state else None
    cdef object lock = runnable.lock
    if lock is not None:
        lock.acquire()
    if state_lock is not None:
        state_lock.acquire()
    try:
        return runnable._run(state, values, None)
    finally:
        if state_lock is not None:
            state_lock.release()
        if lock is not None:
            lock.release()


cdef inline tuple _shape(object state, object value, bint on_host):
    if on_host and type(value) is np.ndarray:
        return value.shape
    return tuple(state.shape_of(value))


cdef class SubPlanCore:
    """A sub-graph's compiled plans, one per signature of its inputs' shapes.

    Fields are filled in by graphflow.executors.control_flow.SubPlans, whose `lookup(shapes)`
    returns `(runnable, on_host)` for new shapes: `on_host` is None, or per fetch whether a host
    fallback computed it (it is then moved to the executor's device). `positions` maps the
    fetches onto the deduplicated ones the plan computes (None: the same).
    """

    cdef public bint on_host
    cdef public object positions
    cdef public tuple last_shapes
    cdef public object last_runnable
    cdef public object last_fallbacks

    def __call__(self, object state, list values):
        return self.call(state, values)

    cdef tuple shapes(self, object state, list values):
        cdef Py_ssize_t i, n = len(values)
        cdef list shapes = [None] * n
        for i in range(n):
            shapes[i] = _shape(state, values[i], self.on_host)
        return tuple(shapes)

    cdef list call(self, object state, list values):
        cdef tuple shapes = self.shapes(state, values)
        if self.last_runnable is None or shapes != self.last_shapes:
            self.last_runnable, self.last_fallbacks = self.lookup(shapes)
            self.last_shapes = shapes
        cdef list results = _run_plan(<RunnableCore?>self.last_runnable, state, values)
        cdef Py_ssize_t k
        if self.last_fallbacks is not None:
            for k in range(len(results)):
                if self.last_fallbacks[k]:
                    results[k] = state.from_host(results[k])
        if self.positions is None:
            return results
        cdef list positions = self.positions
        cdef list picked = [None] * len(positions)
        for k in range(len(positions)):
            picked[k] = results[<Py_ssize_t>positions[k]]
        return picked


cdef inline bint _truth(object state, object value, bint on_host) except -1:
    cdef object host = value if on_host else state.to_host(value)
    if type(host) is np.ndarray or isinstance(host, np.generic):
        return bool(host)
    return bool(np.asarray(host))


cdef inline bint _shape_fits(tuple actual, tuple expected):
    cdef Py_ssize_t i, n = len(actual)
    if n != len(expected):
        return False
    for i in range(n):
        if expected[i] is not None and expected[i] != actual[i]:
            return False
    return True


def run_while(object state, list values, list captured, Py_ssize_t limit,
              SubPlanCore cond, list cond_idx, SubPlanCore body, list body_idx,
              list checked, object shape_error, list accumulators, object entries,
              bint on_host):
    """Iterate until the predicate is false or `limit` iterations ran (-1: no limit).

    `values` are the loop variables, `captured` the tensors the sub-graphs capture (`cond_idx`
    and `body_idx` pick each sub-plan's inputs from their concatenation). The body returns the
    loop variables, then one value per list of `accumulators` (stacked outputs and records).
    `entries` (a list, or None) receives each iteration's loop variables as it starts.
    `checked` holds `(i, dims)` per shape invariant; a loop variable that does not fit is passed
    to `shape_error(i, shape)`, which raises. Returns `(values, iterations)`.
    """
    cdef Py_ssize_t n = len(values), count = 0, i, j
    cdef Py_ssize_t n_cond = len(cond_idx), n_body = len(body_idx)
    cdef Py_ssize_t n_acc = len(accumulators), n_checked = len(checked)
    cdef list env, args, out
    cdef tuple check, actual
    with np.errstate(all="ignore"):  # as each sub-plan's own call would (TF1: silent NaN)
        while limit < 0 or count < limit:
            env = values + captured
            args = [None] * n_cond
            for i in range(n_cond):
                args[i] = env[<Py_ssize_t>cond_idx[i]]
            if not _truth(state, cond.call(state, args)[0], on_host):
                break
            if entries is not None:
                entries.append(values)
            args = [None] * n_body
            for i in range(n_body):
                args[i] = env[<Py_ssize_t>body_idx[i]]
            out = body.call(state, args)
            values = out[:n]
            for j in range(n_checked):
                check = <tuple>checked[j]
                i = <Py_ssize_t>check[0]
                actual = _shape(state, values[i], on_host)
                if not _shape_fits(actual, <tuple>check[1]):
                    shape_error(i, actual)
            for j in range(n_acc):
                (<list>accumulators[j]).append(out[n + j])
            count += 1
    return values, count
