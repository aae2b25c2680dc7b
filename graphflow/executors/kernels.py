"""The kernel contract: one `Kernel` type and one `KernelTable` class for every executor.

A table maps op types to kernel factories. A factory gets a plan `Step` (its op's attributes,
the dtypes and specialised shapes of what it reads and writes) and returns a `Kernel`; work that
depends only on those is done once there, not on every run. Each entry declares what the compiler
may assume of its kernels (fresh results, writing over a dying input, in-place state updates,
fusion); an entry may instead be a declared fallback to the op's NumPy reference, with its reason,
which on a device executor runs on the host behind explicit transfers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

from graphflow.compiler.target import HOST, Target
from graphflow.errors import GraphflowError


class Kernel(NamedTuple):
    """`fn(out, *inputs)` writing into `out` (a preallocated value, a tuple of them, or None) and
    returning the result; `fn(*inputs)` when `passes_out` is False; the session state comes
    first when `takes_context` is True."""

    fn: Callable
    passes_out: bool = True
    takes_context: bool = False
    quiet: bool = False  # True: never raises NumPy floating-point warnings (pure C, say)


class Entry(NamedTuple):
    """What a table knows of one op type: its factory and the properties of its kernels."""

    factory: Callable
    fresh: bool | None  # results never share memory with inputs (None: as the op declares)
    in_place: bool  # may write the result over an input that dies at the step
    updates_in_place: bool  # may update a variable's storage in place (when the plan allows)
    fallback: str | None  # the reason, for a declared fallback to the NumPy reference


def reference_factory(step, quiet: bool = False) -> Kernel:
    """The op's own NumPy `compute`: the reference executor's kernel for every op."""
    op = step.op
    return Kernel(op.compute, passes_out=False, takes_context=op.takes_context, quiet=quiet)


class KernelTable:
    """An executor's kernels by op type, with declared fallbacks and a report of what is missing.

    `default`, when given, serves every op type without an entry (the reference table's rule).
    `fusable` is the set of elementwise op types the executor's fused kernel evaluates natively
    (None: every elementwise op may be fused).
    """

    def __init__(self, name: str, default: Callable | None = None):
        self.name = name
        self.entries: dict[str, Entry] = {}
        self.default = default
        self.fusable: set | None = None

    def declare_fusable(self, op_types) -> None:
        """The elementwise op types this executor's FusedElementwise kernel runs natively."""
        self.fusable = set(op_types) | (self.fusable or set())

    def register(self, *op_types: str, fresh: bool | None = True, in_place: bool = False,
                 updates_in_place: bool = False):
        """Decorator: `factory(step) -> Kernel` is the kernel of `op_types`."""

        def deco(factory):
            for t in op_types:
                self._add(t, Entry(factory, fresh, in_place, updates_in_place, None))
            return factory

        return deco

    def fallback(self, reason: str, *op_types: str, quiet: bool = False) -> None:
        """Declare that `op_types` run as the op's NumPy reference, and why."""
        if len(reason) < 20:
            raise ValueError(f"say why the reference is right for {op_types} ({reason!r})")
        factory = functools.partial(reference_factory, quiet=quiet)
        for t in op_types:
            self._add(t, Entry(factory, None, False, False, reason))

    def _add(self, op_type: str, entry: Entry) -> None:
        if op_type in self.entries:
            raise ValueError(f"The {self.name} executor already has a kernel for {op_type}")
        self.entries[op_type] = entry

    # --- lookup ---------------------------------------------------------------------------
    def entry(self, op_type: str) -> Entry | None:
        found = self.entries.get(op_type)
        if found is None and self.default is not None:
            return Entry(self.default, None, False, False, None)
        return found

    def __contains__(self, op_type: str) -> bool:
        return self.entry(op_type) is not None

    def lookup(self, step) -> Kernel:
        """The kernel for a plan step; a clear error when the table has none."""
        entry = self.entry(step.type)
        if entry is None:
            raise GraphflowError(
                f"The {self.name} executor has no kernel for {step.type} ({step.describe()}); "
                f"run it with Session(executor='reference'), or register one in the "
                f"{self.name} executor's kernel table (or declare a fallback with its reason).")
        return entry.factory(step)

    # --- reports --------------------------------------------------------------------------
    def fallbacks(self) -> dict[str, str]:
        """Op type -> why the reference serves it."""
        return {t: e.fallback for t, e in self.entries.items() if e.fallback is not None}

    def missing(self, op_types) -> list[str]:
        """The op types among `op_types` that have neither a kernel nor a declared fallback."""
        return sorted(t for t in op_types if t not in self)

    def coverage(self, op_types) -> dict[str, list[str]]:
        """`native`, `fallback` and `missing` op types among `op_types`."""
        report: dict[str, list[str]] = {"native": [], "fallback": [], "missing": []}
        for t in sorted(op_types):
            entry = self.entry(t)
            kind = "missing" if entry is None else "fallback" if entry.fallback else "native"
            report[kind].append(t)
        return report

    def target(self, device: str = HOST) -> TableTarget:
        return TableTarget(self, device)


class TableTarget(Target):
    """A Target read off a kernel table: what the compiler may assume of its kernels."""

    def __init__(self, table: KernelTable, device: str):
        self.table = table
        self.name = table.name
        self.device = device
        self._cache: dict = {}

    def _entry(self, op) -> Entry:
        entry = self._cache.get(op.type)
        if entry is None:
            entry = self.table.entry(op.type)
            if entry is None:  # lookup will raise with the step's site; assume the safest
                entry = Entry(reference_factory, False, False, False, "missing")
            self._cache[op.type] = entry
        return entry

    def device_of(self, op) -> str:
        return HOST if self._entry(op).fallback is not None else self.device

    def fusable(self, op) -> bool:
        allowed = self.table.fusable
        return (op.elementwise and self._entry(op).fallback is None
                and (allowed is None or op.type in allowed))

    def fresh(self, op) -> bool:
        fresh = self._entry(op).fresh
        return (op.elementwise or op.fresh_output) if fresh is None else fresh

    def in_place(self, op) -> bool:
        return self._entry(op).in_place

    def updates_in_place(self, op) -> bool:
        return self._entry(op).updates_in_place
