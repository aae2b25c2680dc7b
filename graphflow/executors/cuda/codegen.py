"""CUDA C for a plan: every generated kernel of its steps rendered into ONE module.

`render_plan(plan)` walks the plan's steps and renders the kernels of those it has generators for:
elementwise steps and fused groups (elementwise.py, from the ops' `scalar` declarations), the
im2col / col2im halves of the convolutions (conv.py), pooling (pool.py), data movement (slices,
tiles, pads, fills, splits: movement.py), batch norm (batchnorm.py) and the row-wise softmax,
log-softmax and cross-entropy (rows.py), the reductions (reduce.py) and the index checks of
gathers, scatters and sparse labels (bounds.py). Identical kernels are
rendered once: a kernel's name is its kind and a digest of its text, so names are deterministic
and two steps with the same shapes and program share one kernel. The module's source starts with
the device header (the M_* math macros for the dtypes it uses), then the device functions the
kernels call, then the kernels; `Module.key` (sha256 of the source and the dtypes) is the cache
key of its compiled form. NVRTC compiles one module in one program, so a plan pays the compile
cost once (~0.1 s per program, a few ms per kernel).
"""

from __future__ import annotations

import hashlib

from graphflow.executors.cuda.batchnorm import render_batch_norm
from graphflow.executors.cuda.bounds import CHECKED_TYPES, render_index_check
from graphflow.executors.cuda.conv import render_conv
from graphflow.executors.cuda.elementwise import render_elementwise, scalar_ops
from graphflow.executors.cuda.movement import MOVEMENT_TYPES, render_movement
from graphflow.executors.cuda.pool import POOL_TYPES, render_pool
from graphflow.executors.cuda.reduce import REDUCTION_TYPES, render_reduction
from graphflow.executors.cuda.rows import ROW_TYPES, render_rows
from graphflow.executors.cuda.source import Module, device_header

CONV_TYPES = ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")
# steps whose kernels (one or several, in launch order) the executor launches itself
GENERATED_TYPES = ("FusedElementwise", "FusedBatchNorm", *MOVEMENT_TYPES, *ROW_TYPES,
                   *REDUCTION_TYPES, *CHECKED_TYPES)


def generates(step) -> bool:
    """True when the code generator renders kernels for this step."""
    return (step.type in GENERATED_TYPES or step.type in CONV_TYPES
            or step.type in POOL_TYPES or step.type in scalar_ops())


def render_step(step) -> tuple[tuple, tuple]:
    """(kernels in launch order, the device functions they call) of one step."""
    if step.type in CONV_TYPES:
        return render_conv(step), ()
    if step.type in POOL_TYPES:
        kernel, helpers = render_pool(step)
        return (kernel,), helpers
    if step.type in MOVEMENT_TYPES:
        return render_movement(step), ()
    if step.type == "FusedBatchNorm":
        return render_batch_norm(step), ()
    if step.type in ROW_TYPES:
        return (render_rows(step),), ()
    if step.type in REDUCTION_TYPES:
        return render_reduction(step), ()
    if step.type in CHECKED_TYPES:
        return render_index_check(step)
    kernel, helpers = render_elementwise(step)
    return (kernel,), helpers


def render_steps(indexed_steps) -> Module:
    """One module for `(index, step)` pairs (each step must be one `generates` accepts)."""
    kernels, helpers, steps, sites = {}, {}, {}, {}
    for index, step in indexed_steps:
        ks, hs = render_step(step)
        for h in hs:
            helpers.setdefault(h, None)
        for k in ks:
            kernels.setdefault(k.name, k)
            sites.setdefault(k.name, []).append(step.describe())
        steps[index] = tuple(k.name for k in ks)
    dtypes = tuple(sorted({p.ctype for k in kernels.values() for p in k.params}))
    parts = [device_header(dtypes), *helpers]
    lines, line = {}, sum(p.count("\n") + (not p.endswith("\n")) for p in parts) + 1
    for name, k in kernels.items():
        parts.append(k.text)
        n = k.text.count("\n")
        lines[name] = (line, line + n - 1)
        line += n
    source = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
    key = hashlib.sha256((source + "\0" + ",".join(dtypes)).encode()).hexdigest()
    return Module(source, kernels, steps, dtypes, key, lines,
                  {n: tuple(s) for n, s in sites.items()})


def render_plan(plan) -> Module:
    """The module of every generated kernel of the plan's steps that run on its device."""
    return render_steps((i, s) for i, s in enumerate(plan.steps)
                        if s.device == plan.device and generates(s))
