"""Reductions on the device, launching the generated kernels of reduce.py from the plan's module.

Sum, Mean, Max, Min, Prod, All, Any, ArgMax, ArgMin, BiasAddGrad, SumToShape and L2Loss launch
their partial and final kernels over the flat input, into the planned buffer (the output is
written flat, so keepdims costs nothing); a two-pass step keeps its partials workspace for the
lowered step's life. Steps the generator refuses (float16, int8 / int16 / unsigned inputs,
shapes known only at run time) run the CuPy calls of kernels_math.py.
"""

from __future__ import annotations

from graphflow.executors.cuda.kernels_generated import empty, renders, step_launcher
from graphflow.executors.cuda.kernels_math import (
    cupy_arg,
    cupy_bias_add_grad,
    cupy_l2loss,
    cupy_reduce,
    cupy_sum_to_shape,
)
from graphflow.executors.cuda.reduce import (
    ARG_TYPES,
    REDUCTION_TYPES,
    reduction_axes,
    workspace,
)
from graphflow.executors.cuda.table import Kernel, Lowering, cuda_kernel

_CUPY = {"BiasAddGrad": cupy_bias_add_grad, "L2Loss": cupy_l2loss,
         "SumToShape": cupy_sum_to_shape, **{t: cupy_arg for t in ARG_TYPES}}


@cuda_kernel(*REDUCTION_TYPES)
def _reduction(step, lowering: Lowering) -> Kernel:
    if lowering.launcher is None and not renders(step):
        return _CUPY.get(step.type, cupy_reduce)(step, lowering)
    launcher, names = step_launcher(step, lowering)
    xp, spec = lowering.backend.xp, step.outputs[0]
    params = [tuple(p.name for p in launcher.module.kernels[n].params) for n in names]
    spaces = workspace(xp, step)
    empty_axis = step.type in ARG_TYPES and 0 in [
        step.inputs[0].shape.as_list()[a] for a in reduction_axes(step)]

    def reduce(out, x, *like):  # SumToShape's `like`: only its shape, known statically
        if empty_axis:
            raise ValueError(f"{step.type} over an empty dimension {step.op.axis} of shape "
                             f"{x.shape}")
        out = out if out is not None else empty(xp, spec)
        arrays = {"x": xp.ascontiguousarray(x).reshape(-1), "y": out.reshape(-1), **spaces}
        for name, args in zip(names, params, strict=True):
            launcher.launch(name, [arrays[a] for a in args])
        return out

    return Kernel(reduce, quiet=True)
