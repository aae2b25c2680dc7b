"""The Plan: a flat, typed, single-assignment list of steps over numbered slots.

A Plan is all an executor reads: each step's op (its attributes), the specs (dtype and
specialised shape) of what it reads and writes, its slots, where it runs, and whether it may
update state in place; the memory plan (buffer sizes and the buffer of each slot); constants bound
once. The compiler's own IR stays behind (`program`, kept for `explain` and pictures only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graphflow.compiler.target import HOST


class ValueSpec:
    """The static description of one slot's value: dtype, specialised shape, graph tensor."""

    __slots__ = ("dtype", "shape", "tensor", "name", "buffer", "device")

    def __init__(self, dtype, shape, tensor=None, name="", buffer=None, device=HOST):
        self.dtype = dtype
        self.shape = shape
        self.tensor = tensor  # the graph Tensor it computes, if any (names and error messages)
        self.name = name
        self.buffer = buffer  # index into Plan.buffers, or None: the kernel allocates
        self.device = device

    def describe(self) -> str:
        if self.tensor is not None:
            return self.tensor.describe()
        return f"{self.name} {self.dtype.name}{self.shape.bracketed()}"

    def __repr__(self):
        return f"<ValueSpec {self.name} {self.dtype.name}{self.shape.bracketed()}>"


class Step:
    """Run `op` reading slots `in_slots`, writing `out_slots`, then free the slots in `frees`.

    `inputs` and `outputs` are the ValueSpecs of those slots, so a kernel factory can specialise
    on dtypes and shapes; `source` is the graph operation the step computes (None for a step the
    compiler made), `members` the graph operations a fused or folded step replaced.
    """

    __slots__ = ("op", "name", "site", "source", "members", "inputs", "outputs", "in_slots",
                 "out_slots", "frees", "device", "updates_in_place")

    def __init__(self, op, name, site, source, members, inputs, outputs, in_slots, out_slots,
                 frees=(), device=HOST, updates_in_place=False):
        self.op = op
        self.name = name
        self.site = site
        self.source = source
        self.members = tuple(members)
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.in_slots = tuple(in_slots)
        self.out_slots = tuple(out_slots)
        self.frees = tuple(frees)
        self.device = device
        self.updates_in_place = updates_in_place

    @property
    def type(self) -> str:
        return self.op.type

    def get_attr(self, name):
        return self.op.attrs[name]

    def describe(self) -> str:
        return f"{self.type} '{self.name}' (built at {self.site})"

    def __repr__(self):
        return f"<Step {self.name} {self.type}>"


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
    slot_values: dict = field(default_factory=dict)  # slot -> ValueSpec
    report: list = field(default_factory=list)  # (pass name, what it did)
    program: object = None  # the compiler's Program: for explain and pictures, not executors
    constants: dict = field(default_factory=dict)  # slot -> read-only host array, bound once
    fetch_aliases_feed: list = field(default_factory=list)  # per fetch: copy it before returning
    buffers: list = field(default_factory=list)  # memory plan: byte size of each buffer
    memory: dict = field(default_factory=dict)  # memory plan summary (bytes, buffers, in-place)
    target: str = "host"
    device: str = HOST  # where the target keeps its values (feeds, fetches, constants)

    def verify(self) -> None:
        """Check the plan's invariants; raises AssertionError naming the first broken one.

        Single assignment; every slot written before it is read and not read after it is freed;
        fetched slots written and never freed; each slot's spec present; buffers in range and
        never shared by two values alive at once; every step reads values on its own device.
        """
        defined = set(self.feed_slots) | set(self.constants)
        freed: set = set()
        for s in defined:
            assert s in self.slot_values, f"slot %{s} has no spec"
        live_buffer: dict = {}  # buffer -> slot holding it now
        for step in self.steps:
            reads_on = step.op.attrs["src"] if step.type == "Transfer" else step.device
            assert len(step.inputs) == len(step.in_slots), f"{step.name}: input specs"
            assert len(step.outputs) == len(step.out_slots), f"{step.name}: output specs"
            for s, spec in zip(step.in_slots, step.inputs):
                assert s in defined, f"slot %{s} read by {step.name} before it is written"
                assert s not in freed, f"slot %{s} read by {step.name} after it was freed"
                assert spec is self.slot_values[s], f"{step.name}: spec of %{s} differs"
                assert spec.device == reads_on, (
                    f"{step.name} reads on {reads_on} but %{s} lives on {spec.device}")
            for s in step.out_slots:
                assert s not in defined, f"slot %{s} written twice (by {step.name})"
                defined.add(s)
                spec = self.slot_values.get(s)
                assert spec is not None, f"slot %{s} has no spec"
                assert spec.device == step.device, f"{step.name} writes %{s} on another device"
                b = spec.buffer
                if b is not None:
                    assert 0 <= b < len(self.buffers), f"%{s}: buffer {b} out of range"
                    holder = live_buffer.get(b)
                    assert holder is None or holder in freed or holder in step.in_slots, (
                        f"%{s} ({step.name}) reuses buffer {b} while %{holder} still lives")
                    live_buffer[b] = s
            freed.update(step.frees)
        for s in self.fetch_slots:
            assert s in defined, f"fetched slot %{s} is never written"
            assert s not in freed, f"fetched slot %{s} is freed before the run ends"

    def __str__(self) -> str:
        lines = [f"plan: {len(self.steps)} steps, {self.num_slots} slots"]
        for s, value in self.constants.items():
            text = np.array2string(value, threshold=6, max_line_width=60).replace("\n", "")
            lines.append(f"  %{s} = const {_typed(self.slot_values[s])} {text}")
        for t, s in zip(self.feeds, self.feed_slots):
            lines.append(f"  %{s} = feed {_typed(self.slot_values.get(s, t))}  # {t.name}")
        for step in self.steps:
            outs = ", ".join(f"%{s}" for s in step.out_slots) or "()"
            ins = ", ".join(f"%{s}" for s in step.in_slots)
            types = ", ".join(_typed(v) + (f" @b{v.buffer}" if v.buffer is not None else "")
                              for v in step.outputs)
            where = f" on {step.device}" if step.device != self.device else ""
            free = f"  free {', '.join(f'%{s}' for s in step.frees)}" if step.frees else ""
            lines.append(f"  {outs} = {step.type}({ins})  # {step.name} "
                         f"{types}{where}{free}".rstrip())
        fetched = ", ".join(f"%{s}" for s in self.fetch_slots)
        lines.append(f"  return {fetched}")
        return "\n".join(lines)


def _typed(t) -> str:
    return f"{t.dtype.name}{t.shape.bracketed()}"
