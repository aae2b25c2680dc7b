"""Errors found on the device, read once per run: the plan's error buffer and its check.

A lowered plan with bounds-checked steps (bounds.py) owns one small uint64 buffer, a slot of
[claimed, bad value, flat position] per checked step. The check kernels write it without any
host read; the executor appends one instruction to the plan that reads the whole buffer back
(a few bytes: the stream synchronises there, where copying the fetches out would anyway) and,
when a slot was claimed, resets the buffer and raises `InvalidArgumentError` naming the first
failing step in plan order, the bad value and its position, the valid range and the user's line.

What a failing run has done by then: every launch of the run has completed (the later steps read
in-range stand-ins, index 0, for the bad indices, so they computed garbage but touched nothing
out of bounds), and the variable updates the run made after the failing step have been applied,
as in TF1, where a step's later assigns may have run. The message lists those variables, so the
update is never silent; restore them from a checkpoint or re-initialise them.
"""

from __future__ import annotations

import math

import numpy as np

from graphflow.errors import InvalidArgumentError
from graphflow.executors.base import raise_op_error
from graphflow.executors.cuda.bounds import CHECKED_TYPES, ERROR_WORDS, checked

VARIABLE_WRITES = ("Assign", "AssignAdd", "AssignSub", "FusedUpdate")


class CheckOp:
    """The op of the plan's last instruction, as profiles and observers see it."""

    type = "DeviceErrorCheck"
    input_names = ()
    stateful = False


class CheckStep:
    """What observers (tracing, check_numerics) read of an instruction's step."""

    def __init__(self, device):
        self.op = CheckOp()
        self.name = "device_error_check"
        self.type = CheckOp.type
        self.site = "graphflow's cuda executor (reads the device error buffer once per run)"
        self.device = device
        self.inputs, self.outputs = [], []

    def describe(self) -> str:
        return f"{self.type} '{self.name}' ({self.site})"


class DeviceErrors:
    """The error buffer of one lowered plan, and its once-per-run check."""

    def __init__(self, backend, plan, steps):
        self.backend = backend
        self.plan = plan
        self.steps = [(i, s) for i, s in steps]
        self._slot = {id(s): k for k, (_, s) in enumerate(self.steps)}
        self.buffer = backend.xp.zeros((len(self.steps), ERROR_WORDS), dtype=np.uint64) \
            if self.steps else None
        self.node = CheckStep(plan.device)

    def __bool__(self) -> bool:
        return bool(self.steps)

    def slot(self, step):
        """The step's row of the buffer: what its check kernel writes."""
        return self.buffer[self._slot[id(step)]]

    def check(self):
        """Raise for the first step (in plan order) whose check found a bad index; else ()."""
        host = self.backend.asnumpy(self.buffer)
        claimed = np.flatnonzero(host[:, 0])
        if claimed.size == 0:
            return ()
        self.buffer.fill(0)
        k = int(claimed[0])
        index, step = self.steps[k]
        value, position = host[k, 1:].view(np.int64)
        raise InvalidArgumentError(self.message(index, step, int(value), int(position)))

    def on_error(self, instruction, args, exc):
        """A later step failed (on garbage from stand-in indices, perhaps): report the device
        error first when there is one, since it came first."""
        self.check()
        raise_op_error(instruction, args, exc)

    def message(self, index: int, step, value: int, position: int) -> str:
        info = checked(step)
        where = list(np.unravel_index(position, info.shape)) if info.shape else []
        updated = sorted({s.op.attrs.get("key") or s.name for s in self.plan.steps[index + 1:]
                          if s.type in VARIABLE_WRITES})
        state = (f" Variables this run updated after it (with values computed from stand-in "
                 f"indices; restore or re-initialise them): {', '.join(updated)}." if updated
                 else "")
        lines = [f"{step.describe()} failed on the device: {info.name}{[int(w) for w in where]}"
                 f" = {value} is not in [0, {info.bound}), the valid {info.what} range. "
                 f"The run's launches completed before the error was read (once per run, with "
                 f"its results).{state}"]
        for i, spec in enumerate(step.inputs):
            label = step.op.input_names[i] if i < len(step.op.input_names) else f"input {i}"
            lines.append(f"  {label}: value of shape {tuple(spec.shape.as_list())} and dtype "
                         f"{spec.dtype.name}, from {spec.describe()}")
        return "\n".join(lines)


def check_range(backend, step, indices, bound: int, name: str = "indices") -> None:
    """The synchronous check: raise naming the op when any of `indices` is outside
    [0, bound), found on the device with one flag read back before any kernel reads there."""
    bad = (indices < 0) | (indices >= bound)
    if indices.size and backend.any(bad):
        host = backend.asnumpy(indices)
        pos = [int(p) for p in np.argwhere((host < 0) | (host >= bound))[0]]
        raise IndexError(f"{step.type}: {name}{pos} = {int(host[tuple(pos)])} is not in "
                         f"[0, {bound})")


def index_guard(step, lowering):
    """`guard(indices, bound, name) -> indices safe to read with` for a checked step: the
    generated check kernel (no host read) when the plan's module has it, else check_range
    (steps whose shapes are known only at run time, or whose axis is empty)."""
    backend = lowering.backend
    xp = backend.xp
    errors = lowering.errors
    if lowering.launcher is None or not errors or step.type not in CHECKED_TYPES:
        def synchronous(indices, bound, name):
            check_range(backend, step, indices, bound, name)
            return indices

        return synchronous
    info = checked(step)
    (kernel,) = lowering.names
    safe = xp.empty(info.shape, dtype=np.int64)  # a workspace kept for the lowered step's life
    slot = errors.slot(step)
    launcher = lowering.launcher
    n = math.prod(info.shape)

    def on_device(indices, bound, name):
        if n:
            launcher.launch(kernel, [xp.ascontiguousarray(indices), safe, slot])
        return safe

    return on_device
