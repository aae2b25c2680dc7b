# cython: language_level=3
"""The compiled loop that runs a lowered plan.

`Session.run` makes one call into `run_program`, which walks the plan's instructions over a list of
slots: it gathers each instruction's inputs, calls its kernel, stores the outputs and frees the
slots whose last reader has run. Executors differ only in the kernels they put in the table.
"""

cimport openmp
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cython.parallel cimport prange

from time import perf_counter_ns


cdef class Instruction:
    """One step of a lowered plan: a kernel and the slots it reads, writes and frees."""

    cdef public object kernel
    cdef public tuple in_slots
    cdef public tuple out_slots
    cdef public tuple free_slots
    cdef public bint takes_context
    cdef public bint passes_out
    cdef public object out
    cdef public object node

    def __init__(self, kernel, in_slots, out_slots, free_slots=(), takes_context=False, node=None,
                 passes_out=False, out=None):
        self.kernel = kernel
        self.in_slots = tuple(in_slots)
        self.out_slots = tuple(out_slots)
        self.free_slots = tuple(free_slots)
        self.takes_context = takes_context
        self.node = node
        self.passes_out = passes_out  # kernel(out, *inputs): `out` is its preallocated result
        self.out = out

    def __repr__(self):
        return f"Instruction({self.node!r}, in={self.in_slots}, out={self.out_slots})"


def run_program(list instructions, list slots, object context, object on_error,
                object observer=None):
    """Run `instructions` in order over `slots`; `on_error(instruction, args, exc)` must raise.

    `observer(instruction, start_ns, end_ns, result)`, when given, sees every step as it ends
    (per-op profiling and NaN/Inf checking); without one nothing is timed.
    """
    cdef Py_ssize_t i, k, n = len(instructions), n_in, n_out, skip
    cdef Instruction ins
    cdef tuple args, in_slots
    cdef object out, value
    cdef long long start = 0
    for i in range(n):
        ins = <Instruction>instructions[i]
        in_slots = ins.in_slots
        n_in = len(in_slots)
        # The call's argument tuple is built in place: (context,) (out,) then the inputs.
        skip = ins.takes_context + ins.passes_out
        args = PyTuple_New(skip + n_in)
        if ins.takes_context:
            Py_INCREF(context)
            PyTuple_SET_ITEM(args, 0, context)
        if ins.passes_out:
            value = ins.out
            Py_INCREF(value)
            PyTuple_SET_ITEM(args, skip - 1, value)
        for k in range(n_in):
            value = slots[<Py_ssize_t>in_slots[k]]
            Py_INCREF(value)
            PyTuple_SET_ITEM(args, skip + k, value)
        if observer is not None:
            start = perf_counter_ns()
        try:
            out = ins.kernel(*args)
        except Exception as exc:
            on_error(ins, list(args[skip:]), exc)
            raise
        if observer is not None:
            observer(ins, start, perf_counter_ns(), out)
        n_out = len(ins.out_slots)
        if n_out == 1:
            slots[<Py_ssize_t>ins.out_slots[0]] = out
        else:
            for k in range(n_out):
                slots[<Py_ssize_t>ins.out_slots[k]] = out[k]
        for k in range(len(ins.free_slots)):
            slots[<Py_ssize_t>ins.free_slots[k]] = None
    return slots


def shape_matches(tuple actual, tuple expected):
    """True when `actual` fits `expected`, whose entries may be None (unknown)."""
    cdef Py_ssize_t i, n = len(actual)
    if n != len(expected):
        return False
    for i in range(n):
        if expected[i] is not None and expected[i] != actual[i]:
            return False
    return True


def openmp_max_threads():
    """Threads OpenMP will use; proves the extension was linked with OpenMP."""
    return openmp.omp_get_max_threads()


def openmp_parallel_sum(double[::1] values):
    """Sum with an OpenMP reduction; used by `graphflow info` to check the threads really run."""
    cdef Py_ssize_t i, n = values.shape[0]
    cdef double total = 0.0
    with nogil:
        for i in prange(n, schedule="static"):
            total += values[i]
    return total


def openmp_set_num_threads(int n):
    """Threads for the OpenMP kernels of every compiled module (GRAPHFLOW_NUM_THREADS)."""
    if n < 1:
        raise ValueError("the thread count must be at least 1")
    openmp.omp_set_num_threads(n)
