"""Data movement and batch norm on the device, launching the generated kernels of movement.py and
batchnorm.py from the plan's module.

Copies run over the elements' bits: each array is passed as a flat view of the unsigned type of
its width, so one kernel serves every fixed-width dtype. Split and Unpack launch one kernel per
output. FusedBatchNorm keeps its float64 workspaces (partial sums, per-channel statistics) for
the lowered step's life, as the convolutions keep their columns matrix; its input checks run
against the static shapes when the kernel is made and raise at run time, as the reference does.
A step whose shapes follow a value (Fill's dims, a gradient's shape input, or anything after
such a step) is specialised on each run's shapes and compiled once per shape (`per_shape`).
"""

from __future__ import annotations

import numpy as np

from graphflow.compiler.plan import Step, ValueSpec
from graphflow.core.shape import as_shape
from graphflow.executors.cuda.batchnorm import workspace
from graphflow.executors.cuda.kernels_generated import empty, step_launcher
from graphflow.executors.cuda.movement import BITS_NP, MOVEMENT_TYPES
from graphflow.executors.cuda.table import Kernel, Lowering, cuda_kernel


def results(xp, step, out) -> tuple:
    """The step's outputs: the planned buffers given in `out`, fresh arrays for the rest."""
    specs = step.outputs
    outs = (out,) if len(specs) == 1 else tuple(out or (None,) * len(specs))
    return tuple(o if o is not None else empty(xp, s) for o, s in zip(outs, specs, strict=True))


def _flat(array, view=None):
    array = array.reshape(-1)
    return array if view is None else array.view(view)


def _static(step) -> bool:
    return all(s.shape.is_fully_defined() for s in (*step.inputs, *step.outputs))


def _result_shapes(step, inputs, backend) -> list:
    """The outputs' shapes from the run's inputs (value-dependent ones read from the host)."""
    if step.type in ("Fill", "StridedSliceGrad") and len(inputs) > 1:
        return [[int(d) for d in backend.asnumpy(inputs[1])]]
    if step.type == "Split" and len(inputs) > 1:
        sizes = [int(v) for v in backend.asnumpy(inputs[1])]
        axis = step.op.axis % inputs[0].ndim
        if -1 in sizes:
            sizes[sizes.index(-1)] = inputs[0].shape[axis] - (sum(sizes) + 1)
        return [[*inputs[0].shape[:axis], v, *inputs[0].shape[axis + 1:]] for v in sizes]
    specs = [ValueSpec(s.dtype, as_shape(list(a.shape))) for s, a in zip(step.inputs, inputs,
                                                                         strict=True)]
    out = step.op.infer(*specs)
    return [o.shape.as_list() for o in (out if isinstance(out, list) else [out])]


def per_shape(factory):
    """`factory` for steps whose shapes the plan leaves open (they follow a value, e.g. Fill's
    dims): the step is specialised on each run's shapes, rendered and compiled once per shape."""

    def make(step, lowering: Lowering) -> Kernel:
        if _static(step):
            return factory(step, lowering)
        backend, kernels = lowering.backend, {}

        def run(out, *inputs):
            shapes = _result_shapes(step, inputs, backend)
            key = (tuple(a.shape for a in inputs), tuple(map(tuple, shapes)))
            kernel = kernels.get(key)
            if kernel is None:
                ins = [ValueSpec(s.dtype, as_shape(list(a.shape)))
                       for s, a in zip(step.inputs, inputs, strict=True)]
                outs = [ValueSpec(s.dtype, as_shape(list(d)))
                        for s, d in zip(step.outputs, shapes, strict=True)]
                concrete = Step(step.op, step.name, step.site, step.source, step.members, ins,
                                outs, step.in_slots, step.out_slots, step.frees, step.device)
                kernel = kernels[key] = factory(concrete, Lowering(backend))
            return kernel.fn(out, *inputs)

        return Kernel(run, quiet=True)

    make.__name__ = factory.__name__
    return make


@cuda_kernel(*MOVEMENT_TYPES)
@per_shape
def _movement(step, lowering: Lowering) -> Kernel:
    launcher, names = step_launcher(step, lowering)
    xp, single = lowering.backend.xp, len(step.outputs) == 1
    itemsize = np.dtype(step.outputs[0].dtype.np).itemsize
    view = None if step.type == "MirrorPadGrad" else BITS_NP[itemsize]

    def move(out, x, *shape_inputs):  # Fill's dims, a gradient's shape: not kernel data
        outs = results(xp, step, out)
        source = _flat(xp.ascontiguousarray(x), view)
        for name, o in zip(names, outs, strict=True):
            if o.size:
                launcher.launch(name, [source, _flat(o, view)])
        return outs[0] if single else outs

    return Kernel(move, quiet=True)


def _static_problem(step) -> str | None:
    """The op's input check on stand-ins of the static shapes (no memory: broadcast views)."""
    stand_ins = [np.broadcast_to(np.zeros((), s.dtype.np), s.shape.as_list())
                 for s in step.inputs]
    return step.op.input_problem(*stand_ins)


@cuda_kernel("FusedBatchNorm")
@per_shape
def _batch_norm(step, lowering: Lowering) -> Kernel:
    problem = _static_problem(step)
    launcher, names = step_launcher(step, lowering)
    xp = lowering.backend.xp
    params = [tuple(p.name for p in launcher.module.kernels[n].params) for n in names]
    spaces = workspace(xp, step)

    def batch_norm(out, x, scale, offset, mean, variance):
        if problem:
            raise ValueError(problem)
        outs = results(xp, step, out)
        arrays = {"x": x, "scale": scale, "offset": offset, "mean": mean, "variance": variance}
        arrays = {k: _flat(xp.ascontiguousarray(v)) for k, v in arrays.items()}
        arrays.update(spaces, y=_flat(outs[0]), mean_out=outs[1], var_out=outs[2])
        for name, args in zip(names, params, strict=True):
            launcher.launch(name, [arrays[a] for a in args])
        return outs

    return Kernel(batch_norm, quiet=True)
