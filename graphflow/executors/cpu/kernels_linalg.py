"""Matrix products through NumPy's BLAS, with transposes passed as views (no copies)."""

from __future__ import annotations

import numpy as np

from graphflow.executors.cpu.registry import Kernel, cpu_kernel


def _t(x):
    return np.swapaxes(x, -1, -2)


@cpu_kernel("MatMul", "BatchMatMulV2")
def _matmul(node):
    attrs = node.op.attrs
    ta = attrs.get("transpose_a", False) or attrs.get("adj_x", False)
    tb = attrs.get("transpose_b", False) or attrs.get("adj_y", False)

    def matmul(out, a, b):
        a = _t(a) if ta else a
        b = _t(b) if tb else b
        return np.matmul(a, b, out=out) if out is not None else np.matmul(a, b)

    return Kernel(matmul)


@cpu_kernel("AddN")
def _add_n(node):
    def add_n(out, *xs):
        if out is None:
            out = np.empty(np.broadcast_shapes(*(np.shape(x) for x in xs)),
                           dtype=np.result_type(*xs))
        if len(xs) == 1:
            np.copyto(out, xs[0])
            return out
        np.add(xs[0], xs[1], out=out)
        for x in xs[2:]:
            np.add(out, x, out=out)
        return out

    return Kernel(add_n)
