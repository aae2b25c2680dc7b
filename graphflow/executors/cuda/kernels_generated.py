"""Steps the code generator renders: elementwise ops, fused groups, convolutions and pools.

The executor renders every such step of a plan into one module and compiles it once; each step's
kernel here launches its kernels from that module on contiguous device arrays, writing into the
planned buffer when there is one. The convolutions are the generated im2col / col2im kernels and
one GEMM through `xp.matmul` (cuBLAS), the columns matrix a workspace kept by the kernel.
Elementwise steps the generator refuses (integer dtypes: it computes in float32 or float64) run as
the array module's ufuncs, member by member (`kernels_ufunc`).
"""

from __future__ import annotations

import math

import numpy as np

from graphflow.executors.cuda.codegen import CONV_TYPES, render_step, render_steps
from graphflow.executors.cuda.conv import conv_geometry
from graphflow.executors.cuda.elementwise import fusable_op_types, scalar_ops
from graphflow.executors.cuda.kernels_ufunc import ufunc_kernel
from graphflow.executors.cuda.pool import POOL_TYPES
from graphflow.executors.cuda.source import CodegenError
from graphflow.executors.cuda.table import CUDA_KERNELS, Kernel, Lowering, cuda_kernel

CUDA_KERNELS.declare_fusable(fusable_op_types())


def renders(step) -> bool:
    """True when the generator renders this step (False: its dtypes or shapes are refused)."""
    try:
        render_step(step)
    except CodegenError:
        return False
    return True


def step_launcher(step, lowering: Lowering):
    """The launcher and kernel names for this step: the plan's module, or one of its own."""
    if lowering.launcher is not None:
        return lowering.launcher, lowering.names
    module = render_steps([(0, step)])
    return lowering.backend.compile(module), module.steps[0]


def empty(xp, spec):
    return xp.empty(tuple(spec.shape.as_list()), dtype=spec.dtype.np)


def _elementwise(step, lowering: Lowering) -> Kernel:
    if lowering.launcher is None and not renders(step):
        return ufunc_kernel(step, lowering.backend.xp)
    launcher, (name,) = step_launcher(step, lowering)
    xp, specs, nin = lowering.backend.xp, step.outputs, len(step.inputs)
    single = len(specs) == 1

    def run(out, *inputs):
        if len(inputs) != nin:
            raise ValueError(f"expected {nin} inputs, got {len(inputs)}")
        outs = (out,) if single else tuple(out or (None,) * len(specs))
        outs = tuple(o if o is not None else empty(xp, s) for o, s in zip(outs, specs))
        launcher.launch(name, [*(xp.ascontiguousarray(a) for a in inputs), *outs])
        return outs[0] if single else outs

    return Kernel(run, quiet=True)


cuda_kernel("FusedElementwise", *scalar_ops(), in_place=True)(_elementwise)


@cuda_kernel(*CONV_TYPES)
def _conv(step, lowering: Lowering) -> Kernel:
    launcher, (name,) = step_launcher(step, lowering)
    xp, g, spec = lowering.backend.xp, conv_geometry(step), step.outputs[0]
    dtype = np.dtype(spec.dtype.np)
    cols = xp.empty((g.rows, g.depth), dtype=dtype)  # the workspace, kept between runs

    def result(out):
        return out if out is not None else empty(xp, spec)

    if step.type == "Conv2D":  # y = im2col(x) @ w
        def conv2d(out, x, w):
            launcher.launch(name, [xp.ascontiguousarray(x), cols])
            out = result(out)
            xp.matmul(cols, w.reshape(g.depth, g.oc), out=out.reshape(g.rows, g.oc))
            return out

        return Kernel(conv2d, quiet=True)
    if step.type == "Conv2DBackpropFilter":  # dw = im2col(x).T @ dy
        def conv2d_filter(out, x, dy, *sizes):
            launcher.launch(name, [xp.ascontiguousarray(x), cols])
            out = result(out)
            xp.matmul(cols.T, dy.reshape(g.rows, g.oc), out=out.reshape(g.depth, g.oc))
            return out

        return Kernel(conv2d_filter, quiet=True)

    def conv2d_input(out, w, dy, *sizes):  # dx = col2im(dy @ w.T)
        xp.matmul(dy.reshape(g.rows, g.oc), w.reshape(g.depth, g.oc).T, out=cols)
        out = result(out)
        launcher.launch(name, [cols, out])
        return out

    return Kernel(conv2d_input, quiet=True)


@cuda_kernel(*POOL_TYPES)
def _pool(step, lowering: Lowering) -> Kernel:
    launcher, (name,) = step_launcher(step, lowering)
    xp, spec = lowering.backend.xp, step.outputs[0]
    size = math.prod(spec.shape.as_list())

    data = 1 if step.type == "AvgPoolGrad" else len(step.inputs)  # not its sizes input

    def pool(out, *inputs):
        inputs = inputs[:data]
        out = out if out is not None else empty(xp, spec)
        if size:
            launcher.launch(name, [*(xp.ascontiguousarray(a) for a in inputs), out])
        return out

    return Kernel(pool, quiet=True)
