"""Run a whole plan with its generated kernels emulated on the host: what the CUDA executor does.

Each step the code generator renders runs its kernels through `emulate` (on NaN-poisoned outputs);
the convolutions' GEMMs, which the CUDA executor leaves to cuBLAS, are NumPy matmuls over the same
columns matrix; data movement, batch norm and the reductions run the executor's own kernels
(kernels_movement.py, kernels_reduce.py) over the emulated module; every other step runs its op's
NumPy reference. Comparing the fetches with `Session(executor="reference")` checks the generated
code and the executor's lowerings end to end, without a GPU. Test support: stateless plans only.
"""

from __future__ import annotations

import time

import numpy as np

from graphflow.executors.cuda import emulate
from graphflow.executors.cuda.backend import EmulatedBackend
from graphflow.executors.cuda.codegen import CONV_TYPES, render_plan
from graphflow.executors.cuda.conv import conv_geometry
from graphflow.executors.cuda.kernels_movement import MOVEMENT_TYPES
from graphflow.executors.cuda.reduce import REDUCTION_TYPES
from graphflow.executors.cuda.table import CUDA_KERNELS, Lowering

# steps run by the executor's own kernel over the emulated module, on poisoned outputs
LAUNCHED = (*MOVEMENT_TYPES, "FusedBatchNorm", *REDUCTION_TYPES)


class PlanEmulator:
    """A plan with its module built for the host; call `run(feeds)` for the fetched values."""

    def __init__(self, plan):
        self.plan = plan
        self.module = render_plan(plan)
        self.library = emulate.build(self.module)
        self.kernel_seconds = 0.0  # time spent in emulated launches, summed over runs

    def run(self, feeds) -> list:
        plan, values = self.plan, dict(self.plan.constants)
        for s, v in zip(plan.feed_slots, feeds, strict=True):
            values[s] = np.asarray(v, dtype=plan.slot_values[s].dtype.np)
        for index, step in enumerate(plan.steps):
            args = [values[s] for s in step.in_slots]
            if step.op.stateful or step.op.takes_context:
                raise ValueError(f"{step.describe()}: the plan emulator runs stateless plans only")
            names = self.module.steps.get(index)
            if names is None:
                result = step.op.compute(*args)
                outs = list(result) if isinstance(result, tuple) else [result]
            else:
                start = time.perf_counter()
                outs = self._generated(step, names, args)
                self.kernel_seconds += time.perf_counter() - start
            for s, spec, v in zip(step.out_slots, step.outputs, outs, strict=True):
                values[s] = np.asarray(v).reshape(spec.shape.as_list())
            for s in step.frees:
                values.pop(s, None)
        return [values[s] for s in plan.fetch_slots]

    def _generated(self, step, names, args) -> list:
        lib = self.library
        if step.type in LAUNCHED:
            return run_launched(lib, step, names, args)
        if step.type == "AvgPoolGrad":
            args = args[:1]  # a trailing sizes input is not kernel data
        if step.type not in CONV_TYPES:
            return lib.run(names[0], args)
        g = conv_geometry(step)
        if step.type == "Conv2D":  # y = im2col(x) @ w
            cols, = lib.run(names[0], [args[0]])
            return [cols.reshape(g.rows, g.depth) @ args[1].reshape(g.depth, g.oc)]
        if step.type == "Conv2DBackpropFilter":  # dw = im2col(x).T @ dy
            cols, = lib.run(names[0], [args[0]])
            return [cols.reshape(g.rows, g.depth).T @ args[1].reshape(g.rows, g.oc)]
        w, dy = args[:2]  # Conv2DBackpropInput: dx = col2im(dy @ w.T)
        dcols = np.ascontiguousarray(dy.reshape(g.rows, g.oc) @ w.reshape(g.depth, g.oc).T)
        return lib.run(names[0], [dcols])


def run_launched(library, step, names, args) -> list:
    """A LAUNCHED step's outputs: the executor's own kernel over `library`, outputs poisoned."""
    kernel = CUDA_KERNELS.entry(step.type).factory(step, Lowering(EmulatedBackend(), library,
                                                                  names))
    outs = tuple(emulate.poisoned(s.shape.as_list(), s.dtype.np) for s in step.outputs)
    result = kernel.fn(outs[0] if len(outs) == 1 else outs, *args)
    return list(result) if isinstance(result, tuple) else [result]
