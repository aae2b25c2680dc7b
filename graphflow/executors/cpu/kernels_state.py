"""Kernels for ops that touch session state; optimizer updates are applied in place."""

from __future__ import annotations

import numpy as np

from graphflow.executors.cpu.registry import Kernel, cpu_kernel, reference_kernel

reference_kernel(
    "reads or writes session state or draws random numbers: the reference does exactly that",
    "Placeholder", "VariableV2", "ReadVariable", "Assign", "RandomStandardNormal",
    "TruncatedNormal", "RandomUniform", "RandomUniformInt", "RandomShuffle", quiet=True,
)
reference_kernel("returns its input (a view); there is nothing to compute",
                 "Identity", "StopGradient", "PlaceholderWithDefault", quiet=True)
reference_kernel("no work: constants are bound into the plan once, NoOp does nothing",
                 "Const", "NoOp", quiet=True)


def _in_place(node, ufunc):
    var_node = node.op.variable.op

    def update(ctx, out, value):
        var = ctx.read_variable(var_node)
        if value.shape != var.shape:
            node.op.check_runtime_shape(value)  # raises with TF1's message
        if var.base is not None or not var.flags.owndata:
            var = ctx.write_variable(var_node, np.array(var, copy=True))
        var.flags.writeable = True
        try:
            ufunc(var, value, out=var)
        finally:
            var.flags.writeable = False
        return var

    return Kernel(update, passes_out=True, takes_context=True)


@cpu_kernel("AssignAdd")
def _assign_add(node):
    return _in_place(node, np.add)


@cpu_kernel("AssignSub")
def _assign_sub(node):
    return _in_place(node, np.subtract)


reference_kernel("a NaN/Inf scan that passes its input through: NumPy's isnan/isinf is the work",
                 "CheckNumerics")
