"""The cuda executor: plans run on an NVIDIA GPU through CuPy (imported only when used).

Lowering a plan (once per run signature and shapes): every step the code generator renders is
rendered into ONE module, compiled once with `cupy.RawModule` and cached by `Module.key`; the
plan's buffers are carved out of one device arena of the memory plan's size (arena.py) and each
step's `out` is a typed view of its buffer, so a run of a lowered plan allocates nothing for
planned values and does no Python work per op beyond its kernel's launch. Declared host
fallbacks run on the host behind the placement pass's Transfer steps. Index checks write the
plan's device error buffer, read by one instruction appended to the plan (device_errors.py), so a
run synchronises once, where its fetches are copied out. Runs of launch-only steps become
CUDA-graph segments, captured on their second run and replayed after (capture.py).
"""

from __future__ import annotations

import threading

from graphflow._ext.runloop import Instruction
from graphflow.errors import ResourceExhaustedError
from graphflow.executors.base import Executor, register_executor
from graphflow.executors.cuda import (  # noqa: F401 - each module registers its kernels
    arena,
    kernels_array,
    kernels_generated,
    kernels_math,
    kernels_movement,
    kernels_random,
    kernels_reduce,
    kernels_state,
    kernels_ufunc,
)
from graphflow.executors.cuda.backend import cupy_status
from graphflow.executors.cuda.bounds import CHECKED_TYPES
from graphflow.executors.cuda.capture import capture_segments
from graphflow.executors.cuda.codegen import generates, render_steps
from graphflow.executors.cuda.device_errors import DeviceErrors
from graphflow.executors.cuda.state import CupyState
from graphflow.executors.cuda.table import CUDA_KERNELS, DEFAULT_BACKEND, Lowering
from graphflow.executors.kernels import reference_factory

DEVICE = "cuda:0"


def generated_steps(plan) -> list:
    """(index, step) of the plan's device steps the code generator renders (dtypes allowing)."""
    return [(i, s) for i, s in enumerate(plan.steps)
            if s.device == plan.device and generates(s) and kernels_generated.renders(s)]


@register_executor
class CudaExecutor(Executor):
    name = "cuda"
    device = DEVICE
    table = CUDA_KERNELS
    backend = DEFAULT_BACKEND

    def available(self) -> tuple[bool, str]:
        return cupy_status()

    def create_state(self, graph) -> CupyState:
        return CupyState(graph, self.backend)

    def constant(self, value):
        return self.backend.asarray(value)

    def allocate(self, plan) -> list:
        try:  # one arena of the memory plan's size: one block from CuPy's pool per lowering
            return arena.carve(self.backend.xp, plan.buffers)
        except MemoryError as err:  # cupy.cuda.memory.OutOfMemoryError subclasses it
            raise ResourceExhaustedError(
                f"Cannot allocate the {len(plan.buffers)} device buffers "
                f"({arena.layout(plan.buffers)[1]:,} bytes with alignment) this plan needs: "
                f"{err}") from None

    def output_buffers(self, plan, buffers):
        def view(spec):
            if spec.buffer is None or spec.device != plan.device:
                return None
            n = spec.shape.num_elements() * spec.dtype.np.itemsize
            return buffers[spec.buffer][:n].view(spec.dtype.np).reshape(spec.shape.as_list())

        for step in plan.steps:
            if step.device != plan.device:
                yield None
                continue
            outs = [view(v) for v in step.outputs]
            yield outs[0] if len(outs) == 1 else (
                tuple(outs) if any(o is not None for o in outs) else None)

    _lowering_lock = threading.Lock()  # lowering keeps the plan's module on the executor

    def lower(self, plan):
        with self._lowering_lock:
            return self._lower(plan)

    def _lower(self, plan):
        generated = generated_steps(plan)
        errors = DeviceErrors(self.backend, plan,
                              [(i, s) for i, s in generated if s.type in CHECKED_TYPES])
        self._lowering = {}
        if generated:
            module = render_steps(generated)
            launcher = self.backend.compile(module)
            self._lowering = {i: Lowering(self.backend, launcher, module.steps[i], errors)
                              for i, _ in generated}
        self._index = {id(s): i for i, s in enumerate(plan.steps)}
        try:
            runnable = super().lower(plan)
        finally:
            self._lowering, self._index = {}, {}
        runnable.segments = []
        if getattr(self.backend, "captures", False):
            runnable.instructions, runnable.segments = capture_segments(
                self.backend, plan, runnable.instructions, {i for i, _ in generated})
        if errors:  # read the device error buffer once per run, after the last step
            runnable.instructions.append(Instruction(errors.check, (), (), (), False,
                                                     errors.node, False, None))
            runnable.on_error = errors.on_error
            runnable.errors = errors
            if runnable.lock is None:  # the buffer and the safe-index workspaces are shared
                runnable.lock = threading.Lock()
        return runnable

    def kernel(self, step):
        entry = self.table.entry(step.type)
        if entry is None or entry.fallback is not None:
            return self.table.lookup(step) if entry is None else reference_factory(step)
        lowering = self._lowering.get(self._index.get(id(step)))
        return entry.factory(step, lowering or Lowering(self.backend))
