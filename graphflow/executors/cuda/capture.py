"""CUDA-graph capture of a plan's launch-only runs of steps, replayed with one `graph.launch()`.

A step is capturable when its kernel only launches kernels of the plan's generated module into
planned buffers: no host synchronisation, no allocation, no cuBLAS (CuPy refuses cuBLAS during
capture: the matmuls and the convolutions' GEMMs), no CuPy call that allocates (the gathers,
scatters and sparse labels behind an index check), no host fallback, no session state (variable
reads and updates, random draws), no view step (a reshape is free, but its result would be a new
object per run). `segments` splits a plan into maximal runs of at least `MIN_STEPS` capturable
steps; this is pure host logic. `Segment` replaces such a run by one instruction: its first run
launches directly (kernels are loaded, CuPy warmed), the second captures the launches on a side
stream and launches the graph, later runs replay it while everything it reads from outside has
the device addresses it was captured with (the graph holds raw pointers; a feed copied to a new
address, or a variable replaced by an assign, makes it launch directly and capture again; after
`MAX_RECAPTURES` misses the segment stays direct, as it does when a capture is refused, its
reason kept in `refused`). Results are the planned buffers, the same objects on every run.
"""

from __future__ import annotations

from graphflow._ext.runloop import Instruction
from graphflow.executors.base import raise_op_error
from graphflow.executors.cuda.bounds import CHECKED_TYPES

MIN_STEPS = 2  # a one-kernel graph saves nothing over a launch
MAX_RECAPTURES = 2
CONV_TYPES = ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")  # im2col + cuBLAS GEMM
NOT_CAPTURED = (*CHECKED_TYPES, *CONV_TYPES)


def capturable(step, instruction, generated: bool) -> bool:
    """True when the step's kernel only launches generated kernels into planned buffers."""
    return (generated and step.type not in NOT_CAPTURED and instruction.passes_out
            and not instruction.takes_context and bool(step.outputs)
            and all(o.buffer is not None for o in step.outputs))


def segments(flags, min_steps: int = MIN_STEPS) -> list[tuple[int, int]]:
    """[start, end) of each maximal run of True in `flags` at least `min_steps` long."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= min_steps:
                runs.append((start, i))
            start = None
    return runs


class SegmentStep:
    """What profiles, check_numerics and errors see of a segment: its steps, named."""

    def __init__(self, steps):
        self.steps = list(steps)
        first = self.steps[0]
        self.op = first.op
        self.type = "CapturedSegment"
        self.name = f"{first.name}..{self.steps[-1].name}"
        self.site = first.site
        self.device = first.device
        self.inputs, self.outputs = [], [o for s in self.steps for o in s.outputs]

    def describe(self) -> str:
        members = ", ".join(s.describe() for s in self.steps)
        return f"a CUDA-graph segment of {len(self.steps)} steps ({members})"


class Segment:
    """One instruction for a run of capturable instructions: direct, then captured, replayed."""

    def __init__(self, backend, instructions):
        self.backend = backend
        self.instructions = list(instructions)
        produced, inputs, frees = set(), [], []
        for ins in self.instructions:
            inputs += [s for s in ins.in_slots if s not in produced and s not in inputs]
            produced.update(ins.out_slots)
            frees += [s for s in ins.free_slots if s not in frees]
        self.in_slots = tuple(inputs)
        self.out_slots = tuple(s for ins in self.instructions for s in ins.out_slots)
        self.frees = tuple(frees)
        self.node = SegmentStep([ins.node for ins in self.instructions])
        self.graph = None
        self.addresses = None
        self.results = None
        self.runs = self.captures = self.replays = self.misses = 0
        self.refused = None  # why a capture failed (the segment then stays direct)

    def instruction(self) -> Instruction:
        return Instruction(self, self.in_slots, self.out_slots, self.frees, False, self.node,
                           False, None)

    def __call__(self, *inputs):
        addresses = self.backend.addresses(inputs)  # None: something is not contiguous
        if self.graph is not None and addresses is not None and addresses == self.addresses:
            self.backend.replay(self.graph)
            self.replays += 1
            return self.results
        if self.runs == 0 or addresses is None or self.misses > MAX_RECAPTURES:
            self.runs += 1
            return self._launch(inputs)
        if self.graph is not None:
            self.misses += 1
        results = []
        try:
            self.graph = self.backend.capture(lambda: results.append(self._launch(inputs)))
        except Exception as exc:  # noqa: BLE001 - the driver or CuPy refused: launch directly
            self.graph, self.refused, self.misses = None, f"{type(exc).__name__}: {exc}", \
                MAX_RECAPTURES + 1
            self.runs += 1
            return self._launch(inputs)
        self.addresses, self.results = addresses, results[0]
        self.captures += 1
        self.runs += 1
        self.backend.replay(self.graph)
        return self.results

    def _launch(self, inputs):
        values = dict(zip(self.in_slots, inputs, strict=True))
        outs = []
        for ins in self.instructions:
            args = [values[s] for s in ins.in_slots]
            try:
                out = ins.kernel(ins.out, *args)
            except Exception as exc:  # noqa: BLE001 - re-raised naming the inner step
                raise_op_error(ins, args, exc)
            results = (out,) if len(ins.out_slots) == 1 else tuple(out)
            values.update(zip(ins.out_slots, results, strict=True))
            outs += results
        return outs[0] if len(outs) == 1 else tuple(outs)


def capture_segments(backend, plan, instructions, generated) -> tuple[list, list]:
    """(the instructions with each segment as one, the Segments) for a lowered plan."""
    flags = [s.device == plan.device and capturable(s, ins, i in generated)
             for i, (s, ins) in enumerate(zip(plan.steps, instructions, strict=True))]
    runs = segments(flags)
    if not runs:
        return list(instructions), []
    out, found, last = [], [], 0
    for start, end in runs:
        out += instructions[last:start]
        segment = Segment(backend, instructions[start:end])
        found.append(segment)
        out.append(segment.instruction())
        last = end
    out += instructions[last:]
    return out, found
