"""The executor contract: a name, an availability check, and `lower(plan) -> Runnable`."""

from __future__ import annotations

import numpy as np

from graphflow._ext.fastpath import run_runnable
from graphflow._ext.runloop import Instruction
from graphflow.errors import GraphflowError, InvalidArgumentError, OpRuntimeError


class Executor:
    """Turns Plans into Runnables. Subclasses supply `name` and a kernel table."""

    name = ""

    def available(self) -> tuple[bool, str]:
        return True, ""

    def kernel_for(self, node):
        """The callable that computes `node`, and whether it takes the run context first.

        The reference kernel: each op's NumPy `compute`. Executors with kernel tables override
        `lower` or this method."""
        return node.op.compute, node.op.takes_context

    def lower(self, plan) -> Runnable:
        instructions = []
        for step in plan.steps:
            kernel, takes_context = self.kernel_for(step.node)
            instructions.append(Instruction(kernel, step.inputs, step.outputs, step.frees,
                                            takes_context, step.node))
        return Runnable(plan, instructions)


class Runnable:
    """A lowered plan: call it with the session state and the feed values, in plan order."""

    def __init__(self, plan, instructions):
        self.plan = plan
        self.instructions = instructions
        self.template = [None] * plan.num_slots
        for s, value in plan.constants.items():
            self.template[s] = value
        self.feed_slots = plan.feed_slots
        self.fetch_slots = plan.fetch_slots

    on_error = staticmethod(lambda ins, args, exc: raise_op_error(ins, args, exc))

    def __call__(self, state, feed_values, observer=None):
        with np.errstate(all="ignore"):
            return run_runnable(self, state, feed_values, observer)


def raise_op_error(instruction, args, exc):
    """Re-raise a kernel's failure naming the op, its inputs' runtime shapes and its site."""
    node = instruction.node
    if isinstance(exc, GraphflowError):
        raise exc
    described = []
    for i, a in enumerate(args):
        label = node.op.input_names[i] if i < len(node.op.input_names) else f"input {i}"
        shape = getattr(a, "shape", None)
        dtype = getattr(a, "dtype", type(a).__name__)
        described.append(f"  {label}: value of shape {tuple(shape) if shape is not None else '?'} "
                         f"and dtype {dtype}, from {node.inputs[i].describe()}")
    message = "\n".join([f"{node.describe()} failed while running: {exc}", *described])
    cls = InvalidArgumentError if isinstance(exc, (ValueError, ArithmeticError, IndexError,
                                                   TypeError)) else OpRuntimeError
    raise cls(message) from exc


_EXECUTORS: dict[str, type[Executor]] = {}


def register_executor(cls: type[Executor]) -> type[Executor]:
    _EXECUTORS[cls.name] = cls
    return cls


def get_executor(name: str) -> Executor:
    """The executor called `name`, checked to be usable here."""
    if name not in _EXECUTORS:
        raise ValueError(f"Unknown executor {name!r}; available: {sorted(_EXECUTORS)}")
    executor = _EXECUTORS[name]()
    ok, reason = executor.available()
    if not ok:
        raise RuntimeError(f"Executor {name!r} is not available here: {reason}")
    return executor


def executor_names() -> list[str]:
    return sorted(_EXECUTORS)


def executor_status() -> dict[str, tuple[bool, str]]:
    return {name: cls().available() for name, cls in sorted(_EXECUTORS.items())}
