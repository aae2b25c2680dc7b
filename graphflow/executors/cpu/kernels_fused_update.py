"""FusedUpdate on the CPU: `var - lr * grad` in one pass of the fused evaluator, into the
variable's own array when the plan found that safe (ops/fused_update.py says why).

The evaluator reads the variable's value as one more input and writes its result over that same
array: an exact alias, which it supports (each block is read before it is written). Programs it
cannot run (integer variables, members it lacks) use the op's reference: the absorbed ops, then
the original update.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from graphflow.executors.cpu.kernels_fused import compile_evaluator
from graphflow.executors.cpu.registry import Kernel, cpu_kernel


def _evaluator(step):
    """The one-pass evaluator of the step's program plus its combine, or None."""
    op = step.op
    var = step.outputs[0]  # the variable's new value: its dtype and shape
    nin = len(step.inputs)
    shim = SimpleNamespace(
        op=SimpleNamespace(program=op.combined_program(nin), results=(len(op.program),)),
        inputs=[*step.inputs, var], outputs=[var])
    return compile_evaluator(shim)


@cpu_kernel("FusedUpdate", updates_in_place=True, fresh=False)
def _fused_update(step):
    op = step.op
    evaluator = _evaluator(step)
    if evaluator is None:
        return Kernel(op.compute, passes_out=False, takes_context=True)
    key, shape = op.key, tuple(step.outputs[0].shape.as_list())
    in_place = step.updates_in_place

    def fused_update(ctx, out, *inputs):
        var = ctx.read_variable(key)
        if var.shape != shape:  # the update's own check and message
            return op.compute(ctx, *inputs)
        if not in_place:
            return ctx.write_variable(key, evaluator(None, *inputs, var))
        if var.base is not None or not var.flags.owndata or not var.flags.c_contiguous:
            var = ctx.write_variable(key, np.array(var, copy=True, order="C"))
        var.flags.writeable = True
        try:
            evaluator(var, *inputs, var)
        finally:
            var.flags.writeable = False
        return var

    return Kernel(fused_update, passes_out=True, takes_context=True, quiet=True)
