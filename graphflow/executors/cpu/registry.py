"""The CPU executor's kernel table: one factory per op type, chosen when a plan is lowered.

A factory gets the compiler node (its op's attributes and its values' specialised shapes) and
returns a `Kernel`: `fn(out, *inputs)` writing into `out` (a preallocated array, a tuple of them,
or None) and returning the result, or `fn(*inputs)` when `passes_out` is False. Work that depends
only on attributes and shapes is done once in the factory, not on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from graphflow.errors import GraphflowError


class Kernel(NamedTuple):
    fn: Callable
    passes_out: bool = True
    takes_context: bool = False
    quiet: bool = False  # True: never raises NumPy floating-point warnings (pure C, say)


KERNELS: dict[str, Callable] = {}
REFERENCE_REASONS: dict[str, str] = {}


def cpu_kernel(*op_types: str):
    """Register a kernel factory for `op_types`."""

    def deco(factory):
        for t in op_types:
            if t in KERNELS:
                raise ValueError(f"A CPU kernel for {t} is already registered")
            KERNELS[t] = factory
        return factory

    return deco


def reference_kernel(reason: str, *op_types: str, quiet: bool = False) -> None:
    """Declare that the NumPy reference *is* the right CPU implementation of `op_types`, and why.

    Used for ops where NumPy does the work in one call already (views, shape queries, random
    draws, state access), so a kernel of our own would only add code.
    """

    def factory(node):
        return Kernel(node.op.compute, passes_out=False, takes_context=node.op.takes_context,
                      quiet=quiet)

    for t in op_types:
        if t in KERNELS:
            raise ValueError(f"A CPU kernel for {t} is already registered")
        KERNELS[t] = factory
        REFERENCE_REASONS[t] = reason


def kernel_for(node) -> Kernel:
    try:
        factory = KERNELS[node.type]
    except KeyError:
        raise GraphflowError(
            f"The CPU executor has no kernel for {node.type} ({node.describe()}); "
            "use Session(executor='reference') or add one in graphflow/executors/cpu/"
        ) from None
    return factory(node)
