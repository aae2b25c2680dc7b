"""The Plan: a flat, typed, single-assignment list of steps over numbered slots."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Step:
    """Run `node` reading slots `inputs`, writing slots `outputs`, then free slots `frees`."""

    node: object  # a compiler Node (graphflow.compiler.ir)
    inputs: tuple
    outputs: tuple
    frees: tuple = ()


@dataclass
class Plan:
    """What one `Session.run` signature executes, in order; printable and verifiable."""

    steps: list
    feeds: list  # Tensors whose values arrive from feed_dict, in slot order
    feed_slots: list
    fetches: list  # Tensors whose values are returned
    fetch_slots: list
    targets: list  # Operations run for their effects
    num_slots: int
    slot_values: dict = field(default_factory=dict)  # slot -> compiler Value it holds
    report: list = field(default_factory=list)  # (pass name, what it did)
    program: object = None  # the compiler's Program, for explain and pictures
    constants: dict = field(default_factory=dict)  # slot -> read-only array, bound once
    fetch_aliases_feed: list = field(default_factory=list)  # per fetch: copy it before returning

    @property
    def buffers(self) -> list:
        return self.program.buffers if self.program is not None else []

    @property
    def memory(self) -> dict:
        return getattr(self.program, "memory", {})

    def verify(self) -> None:
        """Check single assignment and that every slot is written before it is read."""
        defined = set(self.feed_slots) | set(self.constants)
        for step in self.steps:
            for s in step.inputs:
                if s not in defined:
                    raise AssertionError(f"slot %{s} read by {step.node.name} before it is written")
            for s in step.outputs:
                if s in defined:
                    raise AssertionError(f"slot %{s} written twice (by {step.node.name})")
                defined.add(s)
        for s in self.fetch_slots:
            if s not in defined:
                raise AssertionError(f"fetched slot %{s} is never written")

    def __str__(self) -> str:
        lines = [f"plan: {len(self.steps)} steps, {self.num_slots} slots"]
        for s, value in self.constants.items():
            text = np.array2string(value, threshold=6, max_line_width=60).replace("\n", "")
            lines.append(f"  %{s} = const {_typed(self.slot_values[s])} {text}")
        for t, s in zip(self.feeds, self.feed_slots):
            lines.append(f"  %{s} = feed {_typed(self.slot_values.get(s, t))}  # {t.name}")
        for step in self.steps:
            outs = ", ".join(f"%{s}" for s in step.outputs) or "()"
            ins = ", ".join(f"%{s}" for s in step.inputs)
            types = ", ".join(_typed(v) + (f" @b{v.buffer}" if getattr(v, "buffer", None)
                                           is not None else "") for v in step.node.outputs)
            free = f"  free {', '.join(f'%{s}' for s in step.frees)}" if step.frees else ""
            lines.append(f"  {outs} = {step.node.type}({ins})  # {step.node.name} "
                         f"{types}{free}".rstrip())
        fetched = ", ".join(f"%{s}" for s in self.fetch_slots)
        lines.append(f"  return {fetched}")
        return "\n".join(lines)


def _typed(t) -> str:
    return f"{t.dtype.name}{t.shape.bracketed()}"
