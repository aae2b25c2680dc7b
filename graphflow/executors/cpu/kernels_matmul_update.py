"""MatMulUpdate on the CPU: `var += sign * scale * op(a) @ op(b)` as one BLAS gemm with beta = 1,
into the variable's own array when the plan found that safe (ops/matmul_update.py says why).

Transposes are passed to BLAS as flags on views. A variable whose array is not its own contiguous
storage is first copied (once: the copy then is its storage), as the FusedUpdate kernel does.
"""

from __future__ import annotations

import numpy as np

from graphflow.executors.cpu.blas import gemm_into, native_gemm
from graphflow.executors.cpu.registry import Kernel, cpu_kernel


@cpu_kernel("MatMulUpdate", updates_in_place=True, fresh=False)
def _matmul_update(step):
    op = step.op
    key, shape = op.key, tuple(step.outputs[0].shape.as_list())
    dtype = np.dtype(step.outputs[0].dtype.np)
    ta, tb, sign, in_place = op.transpose_a, op.transpose_b, op.sign, step.updates_in_place

    def matmul_update(ctx, out, scale, a, b):
        var = ctx.read_variable(key)
        if var.shape != shape or var.dtype != dtype or a.dtype != dtype or b.dtype != dtype \
                or a.ndim != 2 or b.ndim != 2 or np.ndim(scale) != 0:
            return op.compute(ctx, scale, a, b)  # the reference's own checks and messages
        a, b = (a.T if ta else a), (b.T if tb else b)
        if a.shape[1] != b.shape[0] or (a.shape[0], b.shape[1]) != shape:
            return op.compute(ctx, scale, a.T if ta else a, b.T if tb else b)
        if not in_place or var.base is not None or not var.flags.owndata \
                or not var.flags.c_contiguous:
            var = ctx.write_variable(key, np.array(var, copy=True, order="C"))
        var.flags.writeable = True
        try:
            gemm_into(a, b, var, sign * float(scale), 1.0)
        finally:
            var.flags.writeable = False
        return var

    # without NumPy's cblas the product and the sum go through NumPy, which may warn (inf, nan)
    return Kernel(matmul_update, passes_out=True, takes_context=True, quiet=native_gemm())
