"""Special functions on the CPU: ufuncs where NumPy has them (arctan2, expm1), the fused
evaluator's libm opcodes for erfc and lgamma (one call over the whole array), and the NumPy
references for digamma, polygamma and zeta, which are already vectorised series."""

from __future__ import annotations

import numpy as np

from graphflow._ext import fused as _ext
from graphflow.executors.cpu.registry import Kernel, cpu_kernel, reference_kernel

_OPCODES = {name: i for i, (name, _, _) in enumerate(_ext.opcode_table())}


@cpu_kernel("Atan2", "Expm1", in_place=True)
def _ufunc(node):
    ufunc = {"Atan2": np.arctan2, "Expm1": np.expm1}[node.type]
    return Kernel(lambda out, *args: np.asarray(ufunc(*args)) if out is None else
                  ufunc(*args, out=out))


@cpu_kernel("Erfc", "Lgamma", in_place=True)
def _libm(node):
    """The evaluator's opcode over float32/float64 (the reference for other dtypes, or when the
    extension was built before the op declared its scalar expression)."""
    opcode = _OPCODES.get(node.type)
    dtype = np.dtype(node.outputs[0].dtype.np)
    if opcode is None or dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        compute = node.op.compute
        return Kernel(lambda x: compute(x), passes_out=False)

    def run(out, x):
        y = _ext.math(opcode, x).reshape(np.shape(x))
        if out is None:
            return y
        np.copyto(out, y)
        return out

    return Kernel(run, quiet=True)


reference_kernel("NumPy has no digamma, polygamma or zeta; the reference's vectorised Cephes "
                 "series (graphflow.ops.special_math) is the whole computation",
                 "Digamma", "Polygamma", "Zeta")
