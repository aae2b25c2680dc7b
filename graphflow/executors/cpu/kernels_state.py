"""Kernels for ops that touch session state; variable updates in place where the plan allows."""

from __future__ import annotations

import numpy as np

from graphflow.executors.cpu.registry import Kernel, cpu_kernel, reference_kernel

reference_kernel(
    "reads or writes session state or draws random numbers: the reference does exactly that",
    "Placeholder", "VariableV2", "ReadVariable", "Assign", "RandomStandardNormal",
    "TruncatedNormal", "RandomUniform", "RandomUniformInt", "RandomShuffle", quiet=True,
)
reference_kernel("tf.data iterators: host pipelines whose streams are Python objects in the "
                 "session state; the reference is their implementation",
                 "IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext", quiet=True)
reference_kernel("returns its input (a view); there is nothing to compute",
                 "Identity", "StopGradient", "PlaceholderWithDefault", quiet=True)
reference_kernel("no work: constants are bound into the plan once, NoOp does nothing",
                 "Const", "NoOp", quiet=True)
reference_kernel("never placed on the cpu executor: every step runs on the host already",
                 "Transfer", quiet=True)


def _update(step, ufunc):
    """assign_add / assign_sub: in the variable's own array when the plan found that safe."""
    op = step.op
    key = op.key
    if not step.updates_in_place:
        def update(ctx, out, value):
            op.check_runtime_shape(value)
            return ctx.write_variable(key, ufunc(ctx.read_variable(key), value))

        return Kernel(update, passes_out=True, takes_context=True)

    def update_in_place(ctx, out, value):
        var = ctx.read_variable(key)
        if value.shape != var.shape:
            op.check_runtime_shape(value)  # raises with TF1's message
        if var.base is not None or not var.flags.owndata:
            var = ctx.write_variable(key, np.array(var, copy=True))
        var.flags.writeable = True
        try:
            ufunc(var, value, out=var)
        finally:
            var.flags.writeable = False
        return var

    return Kernel(update_in_place, passes_out=True, takes_context=True)


@cpu_kernel("AssignAdd", updates_in_place=True, fresh=False)
def _assign_add(step):
    return _update(step, np.add)


@cpu_kernel("AssignSub", updates_in_place=True, fresh=False)
def _assign_sub(step):
    return _update(step, np.subtract)


reference_kernel("a NaN/Inf scan that passes its input through: NumPy's isnan/isinf is the work",
                 "CheckNumerics")
