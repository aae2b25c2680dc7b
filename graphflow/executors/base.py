"""The executor contract: a compile target, a kernel table, and the state it owns.

An executor has a `name`, a `device` where its values live, a `KernelTable`, and says whether it
can run here (`available`). The Session asks it for a session's state (`create_state`) and for
its compile `target`, compiles each run signature for that target, and asks it to `lower` the
Plan into a Runnable. Nothing outside the executor looks at its values: they cross the boundary
through the state's `to_host` / `from_host`.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from graphflow._ext.fastpath import RunnableCore
from graphflow._ext.runloop import Instruction
from graphflow.compiler.target import HOST
from graphflow.errors import GraphflowError, InvalidArgumentError, OpRuntimeError
from graphflow.executors.kernels import KernelTable
from graphflow.executors.state import HostState

# Under the test suite kernels declared fresh are checked not to return memory of their inputs
# (tests/conftest.py sets it; the compiler then also verifies every plan).
DEBUG_CHECKS = os.environ.get("GRAPHFLOW_DEBUG_CHECKS") == "1"


class Executor:
    """Turns Plans into Runnables. Subclasses set `name` and `table` (and `device`)."""

    name = ""
    device = HOST
    table: KernelTable | None = None

    def available(self) -> tuple[bool, str]:
        return True, ""

    def create_state(self, graph) -> HostState:
        """A new session's state: variables, random streams."""
        return HostState(graph)

    def target(self):
        """What the compiler may assume of this executor (built from its kernel table)."""
        target = self.__dict__.get("_target")
        if target is None:
            target = self.__dict__["_target"] = self.table.target(self.device)
        return target

    def kernel(self, step):
        return self.table.lookup(step)

    def constant(self, value):
        """A plan constant (a host array) as a value on this executor's device, once per plan."""
        return value

    def allocate(self, plan) -> list:
        """The buffers of the plan's memory plan, allocated once per lowered plan."""
        return []

    def output_buffers(self, plan, buffers):
        """Per step, what its kernel's `out` argument is: None when nothing is preallocated."""
        return [None] * len(plan.steps)

    def lower(self, plan) -> Runnable:
        previous, _lowering.executor = lowering_executor(), self
        try:
            return self._lower_steps(plan)
        finally:
            _lowering.executor = previous

    def _lower_steps(self, plan) -> Runnable:
        buffers = self.allocate(plan)
        instructions, warns = [], False
        for step, out in zip(plan.steps, self.output_buffers(plan, buffers)):
            kernel = self.kernel(step)
            fn = kernel.fn
            if DEBUG_CHECKS and self.target().fresh(step.op):
                fn = _checked_fresh(fn, step, kernel)
            instructions.append(Instruction(fn, step.in_slots, step.out_slots, step.frees,
                                            kernel.takes_context, step, kernel.passes_out, out))
            warns = warns or not kernel.quiet
        return Runnable(self, plan, instructions, warns, buffers)


# The executor lowering a plan on this thread: control-flow kernels compile their sub-plans for it.
_lowering = threading.local()


def lowering_executor():
    """The executor whose `lower` is looking up kernels now (None outside a lowering)."""
    return getattr(_lowering, "executor", None)


class Runnable(RunnableCore):
    """A lowered plan: call it with the state and the feed values; returns host fetch values.

    Runs of one Runnable are serialised when it writes into preallocated buffers; runs that
    touch variables hold the state's lock, so a fetch never sees half an update and concurrent
    updates all count (runs that only compute go on in parallel).
    """

    def __init__(self, executor, plan, instructions, warns: bool, buffers=()):
        super().__init__()
        self.plan = plan
        self.instructions = instructions
        self.buffers = list(buffers)
        template = [None] * plan.num_slots
        for s, value in plan.constants.items():  # bound once, where their readers run
            on_device = plan.slot_values[s].device != HOST
            template[s] = executor.constant(value) if on_device else value
        self.template = template
        self.feed_slots = list(plan.feed_slots)
        self.fetch_slots = list(plan.fetch_slots)
        self.copies = list(plan.fetch_aliases_feed)
        self.warns = warns
        self.lock = threading.Lock() if buffers else None
        self.locks_state = any(s.op.stateful for s in plan.steps)
        self.on_host = executor.device == HOST
        self.fetch_on_device = [plan.slot_values[s].device != HOST for s in plan.fetch_slots]
        self.on_error = raise_op_error


def _checked_fresh(fn, step, kernel):
    """Wrap a kernel declared fresh: its results must not share memory with its inputs (except
    a preallocated output, which the memory plan may have put over a dying input)."""
    skip = 2 if kernel.passes_out and kernel.takes_context else 1 if (
        kernel.passes_out or kernel.takes_context) else 0

    def checked(*args):
        result = fn(*args)
        inputs = [a for a in args[skip:] if isinstance(a, np.ndarray)]
        given = args[skip - 1] if kernel.passes_out else None
        given = given if isinstance(given, tuple) else (given,)
        outs = result if isinstance(result, tuple) else (result,)
        for r in outs:
            if any(r is g for g in given if g is not None):
                continue
            if isinstance(r, np.ndarray) and r.size and any(
                    a.size and np.shares_memory(r, a) for a in inputs):
                raise AssertionError(f"{step.describe()}: its kernel is declared fresh but "
                                     "returned memory of an input")
        return result

    return checked


def raise_op_error(instruction, args, exc):
    """Re-raise a kernel's failure naming the op, its inputs' runtime shapes and its site."""
    step = instruction.node
    if isinstance(exc, GraphflowError):
        raise exc
    described = []
    for i, a in enumerate(args):
        label = step.op.input_names[i] if i < len(step.op.input_names) else f"input {i}"
        shape = getattr(a, "shape", None)
        dtype = getattr(a, "dtype", type(a).__name__)
        source = step.inputs[i].describe() if i < len(step.inputs) else "?"
        described.append(f"  {label}: value of shape {tuple(shape) if shape is not None else '?'} "
                         f"and dtype {dtype}, from {source}")
    message = "\n".join([f"{step.describe()} failed while running: {exc}", *described])
    cls = InvalidArgumentError if isinstance(exc, (ValueError, ArithmeticError, IndexError,
                                                   TypeError)) else OpRuntimeError
    raise cls(message) from exc


_EXECUTORS: dict[str, type[Executor]] = {}


def register_executor(cls: type[Executor]) -> type[Executor]:
    _EXECUTORS[cls.name] = cls
    return cls


def unregister_executor(name: str) -> None:
    """Forget the executor called `name` (tests register temporary ones)."""
    _EXECUTORS.pop(name, None)


def get_executor(name: str) -> Executor:
    """The executor called `name`, checked to be usable here."""
    if name not in _EXECUTORS:
        raise ValueError(f"Unknown executor {name!r}; available: {sorted(_EXECUTORS)}")
    executor = _EXECUTORS[name]()
    ok, reason = executor.available()
    if not ok:
        raise RuntimeError(f"Executor {name!r} is not available here: {reason}")
    return executor


def executor_names(available_only: bool = False) -> list[str]:
    """Registered executors (only those usable here when `available_only`)."""
    if available_only:
        return [n for n, (ok, _) in executor_status().items() if ok]
    return sorted(_EXECUTORS)


def executor_status() -> dict[str, tuple[bool, str]]:
    return {name: cls().available() for name, cls in sorted(_EXECUTORS.items())}
