"""The If and While kernels, one generic module for every executor.

A control-flow node is one step of the outer plan. Its kernel compiles each sub-graph for the
same executor (`compile_plan(..., target=executor.target())`, then `executor.lower`) once per
input-shape signature, and drives those Runnables: the session state is passed through, so
variables and random streams are shared with the outer run, and values stay the executor's own
(device values are never copied to the host, except While's predicate: one scalar per
iteration). The per-iteration loop is compiled (ext/loops.pyx `run_while`): it calls each
sub-plan's compiled run directly and comes back here only to compile a plan for new shapes.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from graphflow._ext.loops import SubPlanCore, run_while
from graphflow.compiler import compile_plan
from graphflow.compiler.target import HOST
from graphflow.control_flow.ops import check_shape, one_or_tuple, pad_stack, stack
from graphflow.executors.base import get_executor, lowering_executor
from graphflow.executors.kernels import Kernel

MAX_SHAPE_SIGNATURES = 32  # compiled sub-plans kept per sub-graph (a growing loop variable)


class SubPlans(SubPlanCore):
    """A sub-graph compiled for one executor per signature of its inputs' shapes; calling it
    (or the compiled loop) runs the plan for the inputs' shapes, found by `lookup`."""

    def __init__(self, executor, graph, fetches):
        self.executor = executor
        self.graph = graph
        self.unique = list(dict.fromkeys(fetches))
        positions = [self.unique.index(t) for t in fetches]
        self.positions = None if positions == list(range(len(self.unique))) else positions
        self.cache: OrderedDict = OrderedDict()
        self.on_host = executor.device == HOST

    def lookup(self, shapes: tuple):
        """`(runnable, on_host)` for inputs of `shapes`, compiled the first time they occur."""
        found = self.cache.get(shapes)
        return self.compile(shapes) if found is None else found

    def compile(self, shapes):
        plan = compile_plan(self.unique, [], self.graph.inputs, list(shapes),
                            target=self.executor.target())
        runnable = self.executor.lower(plan)
        runnable.on_host = True  # values stay the executor's own at the sub-plan's boundary
        on_host = None
        if self.executor.device != HOST:
            on_host = [plan.slot_values[s].device == HOST for s in plan.fetch_slots]
            on_host = on_host if any(on_host) else None
        if len(self.cache) >= MAX_SHAPE_SIGNATURES:
            self.cache.popitem(last=False)
        self.cache[shapes] = runnable, on_host
        return runnable, on_host

    def plans(self) -> list:
        return [r.plan for r, _ in self.cache.values()]


def _truth(executor, state, value) -> bool:
    host = value if executor.device == HOST else state.to_host(value)
    return bool(np.asarray(host))


def _zeros(executor, state, shape, dtype):
    array = np.zeros(shape, dtype)
    return array if executor.device == HOST else state.from_host(array)


def _stack(executor, state, values: list, like, shape=None):
    """Per-iteration values stacked on a new first axis (`stack`), on the executor's device."""
    host = values if executor.device == HOST else [state.to_host(v) for v in values]
    stacked = stack(host, like, shape)
    return stacked if executor.device == HOST else state.from_host(stacked)


def _pad_stack(executor, state, values: list, like):
    """A record's per-iteration values, padded and stacked, and their shapes, on the device."""
    host = values if executor.device == HOST else [state.to_host(v) for v in values]
    stacked, shapes = pad_stack(host, like)
    if executor.device == HOST:
        return stacked, shapes
    return state.from_host(stacked), state.from_host(shapes)


def if_kernel(step, executor) -> Kernel:
    op = step.op
    then_b, else_b = op.then_branch, op.else_branch
    runs = {True: SubPlans(executor, then_b, then_b.outputs + then_b.records),
            False: SubPlans(executor, else_b, else_b.outputs + else_b.records)}
    n_out = op.n_out

    def run(state, pred, *inputs):
        taken = _truth(executor, state, pred)
        _, values = op.branch_values(taken, inputs)
        results = runs[taken](state, values)
        padded = op.pad_records(taken, results[n_out:],
                                lambda shape, dt: _zeros(executor, state, shape, dt))
        return one_or_tuple(list(results[:n_out]) + list(padded))

    run.sub_plans = runs
    return Kernel(run, passes_out=False, takes_context=True)


def while_kernel(step, executor) -> Kernel:
    op = step.op
    n, body, cond = op.n_vars, op.body_graph, op.cond_graph
    lay = op.layout()
    first_record = lay["count"][0] if op.back_prop else len(step.out_slots)
    frees = set(step.frees)
    record = any(s not in frees for s in step.out_slots[first_record:])
    cond_run = SubPlans(executor, cond, cond.outputs)
    body_run = SubPlans(executor, body, body.outputs + (body.records if record else []))
    cond_idx, body_idx = list(op.cond_inputs), list(op.body_inputs)
    n_captured, invariants = op.n_captured, op.shape_invariants
    checked = [(i, tuple(s.dims)) for i, s in enumerate(invariants) if s.dims is not None]

    def shape_error(i, actual):
        check_shape(actual, invariants[i], f"loop variable {i}", step.describe())

    def run(state, *inputs):
        limit = max(int(np.asarray(inputs[-1] if executor.device == HOST
                                   else state.to_host(inputs[-1]))), 0) if op.has_max else -1
        stacked = [[] for _ in range(op.n_stacked)]
        entries, records = [], [[] for _ in body.records]
        values, count = run_while(state, list(inputs[:n]), list(inputs[n:n + n_captured]),
                                  limit, cond_run, cond_idx, body_run, body_idx, checked,
                                  shape_error, stacked + (records if record else []),
                                  entries if record else None, executor.device == HOST)
        result = values + [_stack(executor, state, acc, body.outputs[n + j])
                           for j, acc in enumerate(stacked)]
        if op.back_prop:
            total = np.asarray(count, np.int32)
            result.append(total if executor.device == HOST else state.from_host(total))
            for i in range(n):
                result.append(_stack(executor, state, [e[i] for e in entries],
                                     body.outputs[i], invariants[i]))
            padded = [_pad_stack(executor, state, acc, t) for acc, t in zip(records,
                                                                             body.records)]
            result += [p for p, _ in padded] + [s for _, s in padded]
        return one_or_tuple(result)

    run.sub_plans = {"cond": cond_run, "body": body_run}
    return Kernel(run, passes_out=False, takes_context=True)


def explain_sub_plans(plan, target, indent: str = "  ") -> list[str]:
    """For `explain`: each control-flow step's sub-graphs, compiled on their static shapes (at
    run time the kernel compiles them once per shape signature of their inputs), nested ones
    indented further."""
    lines = []
    for step in plan.steps:
        sub_graphs = getattr(step.op, "sub_graphs", None)
        if sub_graphs is None:
            continue
        for label, graph, _ in sub_graphs():
            sub = compile_plan(list(dict.fromkeys(graph.outputs)), [], graph.inputs,
                               target=target)
            lines.append(f"{indent}{step.type} '{step.name}' {label}: "
                         f"{len(graph.needed_nodes())} graph nodes")
            lines += [indent + "  " + line for line in str(sub).splitlines()]
            lines += explain_sub_plans(sub, target, indent + "    ")
    return lines


def _executor(name: str):
    """The executor lowering the plan now (a subclass sharing the table gets its own sub-plans),
    else the one registered as `name`."""
    return lowering_executor() or get_executor(name)


def register_control_flow(table, executor_name: str) -> None:
    """Give `table` (the kernel table of executor `executor_name`) the If and While kernels,
    and declare the small helper ops as reference fallbacks. The factories take the cuda
    table's `lowering` argument too (unused: sub-plans are lowered by the executor itself)."""
    table.register("If", fresh=False)(
        lambda step, lowering=None: if_kernel(step, _executor(executor_name)))
    table.register("While", fresh=False)(
        lambda step, lowering=None: while_kernel(step, _executor(executor_name)))
    table.fallback("returns recorded values unchanged (gradient sub-graphs only)", "Replay")
    table.fallback("compares a few bool scalars on the host (tf.case exclusive)",
                   "CaseExclusive")
    table.fallback("one basic slice of a recorded value, once per backward iteration", "Unpad")
