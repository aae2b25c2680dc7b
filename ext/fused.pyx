# cython: language_level=3
"""Python side of the FusedElementwise evaluator in ext/fused/ (see fused_eval.c).

`Evaluator` holds one compiled register program; calling it is the CPU kernel
`fn(out, *inputs)`. It checks and lays out the operands, then runs the C loop without the GIL.
"""

import numpy as np

cimport numpy as cnp
from libc.stdint cimport int32_t, int64_t
from libc.stdlib cimport free, malloc

cnp.import_array()

cdef extern from "fused.h" nogil:
    ctypedef struct gf_ins:
        int32_t op, dst, a, b, c, e
    ctypedef struct gf_src:
        const void *data
        int64_t div, period
        int32_t kind
    ctypedef struct gf_prog:
        int32_t nin, nreg, nins, nout
        const gf_ins *ins
        const int32_t *out_regs
    int gf_run_f32(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n,
                   int64_t block)
    int gf_run_f64(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n,
                   int64_t block)
    int GF_NUM_OPS
    int GF_OP_MUL_ADD, GF_OP_MUL_SUB, GF_OP_SUB_MUL, GF_OP_MUL_MUL_ADD, GF_OP_MUL_MUL_SUB
    int GF_NUM_ALL_OPS
    const char *const gf_op_names[]
    const char *const gf_op_exprs[]
    const int gf_op_arity[]
    void gf_math_f32(int op, const float *x, float *y, int64_t n)
    void gf_math_f64(int op, const double *x, double *y, int64_t n)

FULL, SCALAR, TILE = 0, 1, 2
# The evaluator's own multiply-adds, after the generated opcodes: (op, dst, a, b, c) computes
# a * b + c, a * b - c, c - a * b; (op, dst, a, b, c, e) a * b + c * e, a * b - c * e.
MUL_ADD, MUL_SUB, SUB_MUL = GF_OP_MUL_ADD, GF_OP_MUL_SUB, GF_OP_SUB_MUL
MUL_MUL_ADD, MUL_MUL_SUB = GF_OP_MUL_MUL_ADD, GF_OP_MUL_MUL_SUB


def opcode_table():
    """(op type, arity, scalar expression) of each opcode, in opcode order, as compiled in."""
    return [(gf_op_names[i].decode(), gf_op_arity[i], gf_op_exprs[i].decode())
            for i in range(GF_NUM_OPS)]
PREPARE = -1  # layout decided per call by the `prepare` callback (materialised broadcasts)


cdef enum:
    _SMALL = 8  # operands whose tables live on the stack


cdef inline bint _overlap(cnp.ndarray a, cnp.ndarray b):
    cdef char *pa = <char *>cnp.PyArray_DATA(a)
    cdef char *pb = <char *>cnp.PyArray_DATA(b)
    return pa < pb + cnp.PyArray_NBYTES(b) and pb < pa + cnp.PyArray_NBYTES(a)


cdef class Evaluator:
    """A register program over `nin` inputs and `nreg` registers for outputs of `shape`.

    `code` is a list of (op, dst, a, b), or (op, dst, a, b, c[, e]) for a multiply-add;
    `layouts` one (kind, div, period) per input, kind PREPARE meaning
    `prepare(i, array) -> (array, kind, div, period)` decides at run time.
    """

    cdef gf_prog prog
    cdef gf_ins *ins
    cdef int32_t *out_regs
    cdef int32_t *kinds
    cdef int64_t *divs
    cdef int64_t *periods
    cdef int64_t n, block
    cdef bint f64
    cdef int typenum, ndim
    cdef cnp.npy_intp *dims
    cdef object dtype, shape, prepare

    def __cinit__(self, list code, int nin, int nreg, list out_regs, list layouts, tuple shape,
                  dtype, int64_t block, prepare=None):
        cdef Py_ssize_t k
        self.ins = <gf_ins *>malloc(max(len(code), 1) * sizeof(gf_ins))
        self.out_regs = <int32_t *>malloc(max(len(out_regs), 1) * sizeof(int32_t))
        self.kinds = <int32_t *>malloc(max(nin, 1) * sizeof(int32_t))
        self.divs = <int64_t *>malloc(max(nin, 1) * sizeof(int64_t))
        self.periods = <int64_t *>malloc(max(nin, 1) * sizeof(int64_t))
        self.dims = <cnp.npy_intp *>malloc(max(len(shape), 1) * sizeof(cnp.npy_intp))
        if not (self.ins and self.out_regs and self.kinds and self.divs and self.periods
                and self.dims):
            raise MemoryError()
        for k, ins in enumerate(code):
            op, dst, a, b = ins[:4]
            operands = 4 if op >= GF_OP_MUL_MUL_ADD else 3 if op >= GF_NUM_OPS else 2
            if not 0 <= op < GF_NUM_ALL_OPS or len(ins) != 2 + operands:
                raise ValueError(f"FusedElementwise: instruction {k} {ins!r} is not an opcode "
                                 "with its operands")
            self.ins[k].op, self.ins[k].dst, self.ins[k].a, self.ins[k].b = op, dst, a, b
            self.ins[k].c = ins[4] if operands > 2 else b
            self.ins[k].e = ins[5] if operands > 3 else self.ins[k].c
        for k, r in enumerate(out_regs):
            self.out_regs[k] = r
        for k, (kind, div, period) in enumerate(layouts):
            self.kinds[k], self.divs[k], self.periods[k] = kind, div, period
        self.prog.nin, self.prog.nreg = nin, nreg
        self.prog.nins, self.prog.nout = len(code), len(out_regs)
        self.prog.ins, self.prog.out_regs = self.ins, self.out_regs
        self.dtype, self.shape, self.prepare = np.dtype(dtype), shape, prepare
        self.f64 = self.dtype == np.float64
        self.typenum = self.dtype.num
        self.ndim = len(shape)
        for k, d in enumerate(shape):
            self.dims[k] = d
        self.n = int(np.prod(shape, dtype=np.int64))
        self.block = block

    def __dealloc__(self):
        free(self.ins)
        free(self.out_regs)
        free(self.kinds)
        free(self.divs)
        free(self.periods)
        free(self.dims)

    def __call__(self, out, *inputs):
        cdef int nin = self.prog.nin, nout = self.prog.nout, i, k, rc = 0
        cdef cnp.ndarray arr, o
        cdef object a
        cdef int32_t kind
        cdef int64_t div, period, size
        # Operand tables on the stack for the usual few operands: no allocation per call, and
        # concurrent calls of one evaluator (runs that only compute) share nothing.
        cdef gf_src src_small[_SMALL]
        cdef void *optr_small[_SMALL]
        cdef gf_src *src = src_small
        cdef void **optr = optr_small
        cdef list keep = None  # inputs converted or copied here, alive until the loop has run
        if len(inputs) != nin:
            raise TypeError(f"FusedElementwise takes {nin} inputs, got {len(inputs)}")
        if out is None:
            outs = [None] * nout
        elif nout == 1 and not isinstance(out, tuple):
            outs = [out]
        else:
            outs = list(out)
        given = None  # outputs the C loop cannot write directly: filled by a copy afterwards
        for k in range(nout):
            o_k = outs[k]
            if o_k is not None and not (type(o_k) is cnp.ndarray and self._native(o_k)
                                        and cnp.PyArray_SIZE(<cnp.ndarray>o_k) == self.n):
                given = given or {}
                given[k] = o_k
                o_k = None
            if o_k is None:
                outs[k] = cnp.PyArray_EMPTY(self.ndim, self.dims, self.typenum, 0)
        if self.n == 0:
            for k, o in (given or {}).items():
                outs[k] = o
            return outs[0] if nout == 1 else tuple(outs)
        if nin > _SMALL:
            src = <gf_src *>malloc(nin * sizeof(gf_src))
        if nout > _SMALL:
            optr = <void **>malloc(nout * sizeof(void *))
        if not src or not optr:
            if src != src_small:
                free(src)
            if optr != optr_small:
                free(optr)
            raise MemoryError()
        try:
            for i in range(nin):
                a = inputs[i]
                kind, div, period = self.kinds[i], self.divs[i], self.periods[i]
                if kind == PREPARE:
                    a, kind, div, period = self.prepare(i, a)
                if type(a) is not cnp.ndarray or not self._native(a):
                    a = np.ascontiguousarray(a, dtype=self.dtype)
                arr = a
                size = cnp.PyArray_SIZE(arr)
                if size != (self.n if kind == FULL else 1 if kind == SCALAR else period):
                    raise ValueError(f"FusedElementwise: input {i} has shape {np.shape(arr)}, "
                                     f"which does not fit the output shape {self.shape}")
                for k in range(nout):  # results land after each block: only exact aliases are safe
                    o = outs[k]
                    if _overlap(arr, o) and (kind != FULL or
                                             cnp.PyArray_DATA(arr) != cnp.PyArray_DATA(o)):
                        arr = arr.copy()
                        break
                if arr is not inputs[i]:
                    if keep is None:
                        keep = []
                    keep.append(arr)
                src[i].data, src[i].kind, src[i].div, src[i].period = (
                    cnp.PyArray_DATA(arr), kind, div, period)
            for k in range(nout):
                optr[k] = cnp.PyArray_DATA(<cnp.ndarray>outs[k])
            with nogil:
                if self.f64:
                    rc = gf_run_f64(&self.prog, src, optr, self.n, self.block)
                else:
                    rc = gf_run_f32(&self.prog, src, optr, self.n, self.block)
        finally:
            if src != src_small:
                free(src)
            if optr != optr_small:
                free(optr)
        if rc != 0:
            raise MemoryError("FusedElementwise: out of memory for block buffers")
        if given:
            for k, o in given.items():
                np.copyto(o, outs[k].reshape(np.shape(o)))
                outs[k] = o
        return outs[0] if nout == 1 else tuple(outs)

    cdef inline bint _native(self, cnp.ndarray a):
        """The evaluator's dtype in native byte order, C-contiguous: the loop reads it as is."""
        return (cnp.PyArray_TYPE(a) == self.typenum and cnp.PyArray_ISNOTSWAPPED(a)
                and cnp.PyArray_IS_C_CONTIGUOUS(a))


def math(int op, x):
    """Apply opcode `op` (a unary one) to a float32/float64 array with the kernel's own math."""
    cdef cnp.ndarray a = np.ascontiguousarray(x)
    cdef cnp.ndarray y = np.empty_like(a)
    cdef int64_t n = a.size
    if a.dtype == np.float32:
        with nogil:
            gf_math_f32(op, <const float *>cnp.PyArray_DATA(a), <float *>cnp.PyArray_DATA(y), n)
    elif a.dtype == np.float64:
        with nogil:
            gf_math_f64(op, <const double *>cnp.PyArray_DATA(a), <double *>cnp.PyArray_DATA(y), n)
    else:
        raise TypeError(f"math: float32 or float64 only, not {a.dtype}")
    return y
