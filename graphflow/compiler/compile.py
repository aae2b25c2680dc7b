"""From a graph and a run signature to a Plan: prune, sort, then the optimising passes in order.

Every pass can be switched off by name (`Session(disabled_passes=["fuse"])`) and reports what it
did; `Session.explain` prints that report.
"""

from __future__ import annotations

import heapq
import os

from graphflow.compiler.ir import Node, Program
from graphflow.compiler.passes.cse import eliminate_common_subexpressions
from graphflow.compiler.passes.fold import fold_constants
from graphflow.compiler.passes.fuse import fuse_elementwise
from graphflow.compiler.passes.fuse_matmul_updates import fuse_matmul_updates
from graphflow.compiler.passes.fuse_updates import fuse_updates
from graphflow.compiler.passes.memory import plan_memory
from graphflow.compiler.passes.place import place_steps
from graphflow.compiler.passes.simplify import simplify
from graphflow.compiler.passes.specialize import specialize_shapes
from graphflow.compiler.passes.updates import plan_state_updates
from graphflow.compiler.plan import Plan, Step, ValueSpec
from graphflow.compiler.target import DEFAULT_TARGET
from graphflow.core.gc_pause import without_gc
from graphflow.core.node import Operation
from graphflow.core.shape import TensorShape
from graphflow.errors import GraphError, InvalidArgumentError

PASSES = (
    ("specialize", specialize_shapes),
    ("fold", fold_constants),
    ("cse", eliminate_common_subexpressions),
    ("simplify", simplify),
    ("fuse", fuse_elementwise),
    ("fuse_matmul_updates", fuse_matmul_updates),
    ("fuse_updates", fuse_updates),
    ("place", place_steps),
    ("updates", plan_state_updates),
    ("memory", plan_memory),
)
# Every plan is checked by Plan.verify() when GRAPHFLOW_DEBUG_CHECKS=1 (the test suite sets it).
VERIFY_PLANS = os.environ.get("GRAPHFLOW_DEBUG_CHECKS") == "1"
REQUIRED = frozenset({"place"})  # a device target cannot run without its transfers
PASS_NAMES = tuple(name for name, _ in PASSES if name not in REQUIRED)  # those one may disable


def prune(fetches: list, targets: list, feeds: list) -> tuple[list, dict]:
    """The operations the fetches and targets need, stopping at fed tensors.

    Returns them and, for each, the first fetch or target that needed it (for error messages).
    """
    fed = set(feeds)
    needed_by: dict[Operation, str] = {}
    stack: list = [(t.op, t.name) for t in fetches if t not in fed]
    stack += [(op, op.name) for op in targets]
    while stack:
        op, why = stack.pop()
        if op in needed_by:
            continue
        needed_by[op] = why
        for t in op.inputs:
            if t not in fed and t.op not in needed_by:
                stack.append((t.op, why))
        for c in op.control_inputs:
            if c not in needed_by:
                stack.append((c, why))
    return list(needed_by), needed_by


def toposort(ops: list, feeds: list) -> list:
    """A deterministic topological order: ties broken by creation order.

    Kahn's algorithm over a heap keyed by creation id, O(n log n) on graphs of 100k nodes.
    """
    fed = set(feeds)
    members = set(ops)
    succ: dict = {op: [] for op in ops}
    indegree = dict.fromkeys(ops, 0)
    for op in ops:
        preds = {t.op for t in op.inputs if t not in fed and t.op in members}
        preds.update(c for c in op.control_inputs if c in members)
        for p in preds:
            succ[p].append(op)
        indegree[op] = len(preds)
    # A variable is read as late as possible, right before its first reader, so that a read
    # placed under control_dependencies([assign]) sees the assigned value (TF1's ref semantics).
    ready = []
    key_of = {}
    for i, op in enumerate(ops):
        readers = succ[op] if op.type == "VariableV2" else ()
        key_of[op] = (min(c.id for c in readers) - 0.5 if readers else op.id, i)
        if not indegree[op]:
            ready.append((key_of[op], op))
    heapq.heapify(ready)
    order = []
    while ready:
        _, op = heapq.heappop(ready)
        order.append(op)
        for c in succ[op]:
            indegree[c] -= 1
            if not indegree[c]:
                heapq.heappush(ready, (key_of[c], c))
    if len(order) != len(ops):
        stuck = [op.describe() for op in ops if indegree[op]][:3]
        raise GraphError(f"The graph has a cycle through {', '.join(stuck)}: no order runs it.")
    return order


def check_feeds_present(ops: list, needed_by: dict) -> None:
    """Every placeholder the run needs must be fed."""
    from graphflow.ops.state import missing_feed_message

    for op in ops:
        if op.type == "Placeholder":
            raise InvalidArgumentError(missing_feed_message(op, needed_by[op]))


def build_program(fetches, targets, feeds, feed_shapes=None, target=None) -> Program:
    """The pruned, sorted graph as a Program (feeds take this run's concrete shapes)."""
    ops, needed_by = prune(fetches, targets, feeds)
    check_feeds_present(ops, needed_by)
    order = toposort(ops, feeds)
    program = Program(target)
    program.kept_sources = set(order)
    value_of = {}
    for i, t in enumerate(feeds):
        shape = TensorShape(feed_shapes[i]) if feed_shapes is not None else t.shape
        value_of[t] = program.new_value(None, 0, t.dtype, shape, t)
    program.feeds = [value_of[t] for t in feeds]
    control_inputs = {c for op in order for c in op.control_inputs}
    target_set = set(targets)
    for op in order:
        pinned = (op.op.stateful or op.op.takes_context or op.type == "NoOp"
                  or op in target_set or bool(op.control_inputs) or op in control_inputs)
        node = Node(op.op, [value_of[t] for t in op.inputs], source=op, pinned=pinned)
        program.add_outputs(node, op.outputs, op.outputs)
        for t, v in zip(op.outputs, node.outputs):
            v.shape = t.shape
            value_of[t] = v
        program.nodes.append(node)
        if op in target_set:
            program.targets.append(node)
    program.fetches = [value_of[t] for t in fetches]
    program.report.append(("prune", f"kept {len(order)} of {len(order[0].graph) if order else 0}"
                                    " graph nodes"))
    return program


@without_gc
def compile_plan(fetches: list, targets: list, feeds: list, feed_shapes=None,
                 disabled=(), target=None) -> Plan:
    """Build the Plan that computes `fetches` and runs `targets` given values for `feeds`.

    `target` describes the executor (graphflow.compiler.target.Target); None is the host.
    """
    unknown = set(disabled) - set(PASS_NAMES)
    if unknown:
        raise ValueError(f"Unknown compiler passes {sorted(unknown)}; the passes are "
                         f"{list(PASS_NAMES)}")
    program = build_program(fetches, targets, feeds, feed_shapes,
                            target if target is not None else DEFAULT_TARGET)
    before = len(program.nodes)
    for name, run_pass in PASSES:
        if name in disabled:
            program.report.append((name, "disabled"))
            continue
        program.report.append((name, run_pass(program)))
    program.report.append(("result", f"{before} nodes -> {len(program.nodes)} steps"))
    plan = lay_out(program)
    if VERIFY_PLANS:
        plan.verify()
    return plan


def _may_alias(value, feeds, fresh) -> bool:
    """True when `value` may share memory with a fed array (a feed, or a view of one)."""
    stack, seen = [value], set()
    while stack:
        v = stack.pop()
        if v in feeds:
            return True
        if v in seen or v.producer is None or fresh(v.producer.op):
            continue
        seen.add(v)
        stack.extend(v.producer.inputs)
    return False


def lay_out(program: Program) -> Plan:
    """Number the values as slots, bind constants once, free each slot after its last reader."""
    target = program.target
    slot_of: dict = {}
    specs: dict = {}

    def slot(v) -> int:
        s = slot_of.get(v)
        if s is None:
            s = slot_of[v] = len(slot_of)
            specs[s] = ValueSpec(v.dtype, v.shape, v.tensor, v.name, v.buffer,
                                 v.device or target.device)
        return s

    feed_slots = [slot(v) for v in program.feeds]
    constants = {}
    raw = []
    for n in program.nodes:
        if n.type == "Const" and not n.pinned:
            constants[slot(n.outputs[0])] = n.get_attr("value")
            continue
        raw.append((n, tuple(slot(v) for v in n.inputs), tuple(slot(v) for v in n.outputs)))
    keep = {slot_of[v] for v in program.fetches} | set(constants)
    last_use = dict.fromkeys(feed_slots, -1)
    for i, (_, ins, outs) in enumerate(raw):
        for s in outs + ins:
            last_use[s] = i
    frees_at: dict = {}
    for s, i in last_use.items():
        if s not in keep and i >= 0:
            frees_at.setdefault(i, []).append(s)
    steps = [Step(n.op, n.name, n.site, n.source, n.members, [specs[s] for s in ins],
                  [specs[s] for s in outs], ins, outs, tuple(sorted(frees_at.get(i, ()))),
                  n.device or target.device, n.updates_in_place)
             for i, (n, ins, outs) in enumerate(raw)]
    feeds = set(program.feeds)
    return Plan(fetch_aliases_feed=[_may_alias(v, feeds, target.fresh) for v in program.fetches],
                steps=steps, feeds=[v.tensor for v in program.feeds], feed_slots=feed_slots,
                fetches=[v.tensor for v in program.fetches],
                fetch_slots=[slot_of[v] for v in program.fetches],
                targets=[n.source for n in program.targets], num_slots=len(slot_of),
                slot_values=specs, report=program.report, program=program, constants=constants,
                buffers=list(program.buffers), memory=dict(program.memory),
                target=target.name, device=target.device)
