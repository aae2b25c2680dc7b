"""Gradients of If and While, built as more control flow over gradient sub-graphs.

A gradient branch or backward body rebuilds the forward sub-graph (`replay`) from the values the
forward node recorded: every stateful op becomes a Replay of its recorded outputs (a dropout mask
is not redrawn, an assignment not repeated), then `gradients` differentiates the copy. If's
gradient is an If over the two gradient branches; While's is a While running the iterations
backwards over the recorded loop variables, summing the gradients of captured tensors (a
capture the body reads row by row gets its rows' gradients scattered once: row_reads.py).
"""

from __future__ import annotations

import copy

from graphflow.autodiff.gradients import GradientError, gradients
from graphflow.control_flow.build import build_if, build_while
from graphflow.control_flow.ops import GRADIENTS, Unpad, replay_of
from graphflow.control_flow.row_reads import row_reads, scatter_rows
from graphflow.core.graph import get_default_graph
from graphflow.core.shape import as_shape
from graphflow.ops.gather import gather
from graphflow.ops.registry import apply_op, get_op
from graphflow.ops.shape_ops import zeros_like
from graphflow.ops.state import identity


def replay(fg, input_values: list, record_values: list) -> dict:
    """Rebuild the nodes `fg`'s outputs need in the default graph: `fg`'s placeholders stand for
    `input_values`, its recorded stateful ops for `record_values` (reads of variables it never
    writes are read again; other unrecorded stateful ops, without outputs, are not repeated).
    Returns old tensor -> new tensor."""
    graph = get_default_graph()
    env = dict(zip(fg.inputs, input_values))
    recorded = dict(zip(fg.records, record_values))
    prefix = fg.scope + "/"
    for op in fg.needed_nodes():
        if op.outputs and all(t in env for t in op.outputs):
            continue
        name = op.name[len(prefix):] if op.name.startswith(prefix) else op.name
        inputs = [env[t] for t in op.inputs]
        if op.outputs and op.outputs[0] in recorded:
            values = [recorded[t] for t in op.outputs]
            node = graph.create_node(replay_of(op, len(values)), values + inputs, name=name)
        elif op.op.stateful and op.type != "ReadVariable":
            continue
        else:
            clone = copy.copy(op.op)
            clone.attrs = dict(op.op.attrs)
            node = graph.create_node(clone, inputs, name=name)
        env.update(zip(op.outputs, node.outputs))
    return env


def _record_at(stacked, shapes, like, k):
    """Iteration k's value of a record: its stack entry, cut to its shape when shapes vary."""
    entry = gather(stacked, k)
    if like.shape.is_fully_defined() or like.shape.rank is None:
        return entry
    return apply_op(Unpad(), [entry, gather(shapes, k)], name="Unpad")


def differentiable(t) -> bool:
    return t.dtype.is_floating


def _zeros_or(g, like):
    return g if g is not None else zeros_like(like)


def _sub_gradients(fg, env, dys: list, rows: list = ()) -> list:
    """d(outputs . dys)/d(inputs) of the replayed `fg` (None where nothing flows), then
    d/d(row) for each tensor of `rows`, whose gradients stop there (row_reads.py)."""
    stops = set(rows)
    # An output that is itself a row: through an Identity, so its gather stays off the path.
    pairs = [(identity(env[o]) if env[o] in stops else env[o], dy)
             for o, dy in zip(fg.outputs, dys) if dy is not None and differentiable(o)]
    xs = [env[p] for p in fg.inputs] + list(rows)
    if not pairs:
        return [None] * len(xs)
    ys, gys = zip(*pairs)
    return gradients(list(ys), xs, grad_ys=list(gys), name="gradients",
                     stop_gradients=list(rows) or None)


# --- If ------------------------------------------------------------------------------------------
def if_gradient(node, dys) -> list:
    op = node.op
    pred, inputs = node.inputs[0], list(node.inputs[1:])
    n_out = op.n_out
    then_n = len(op.then_branch.records)
    records = node.outputs[n_out:]
    out_dys = list(dys[:n_out])
    if all(d is None for d in out_dys):
        return [None] * len(node.inputs)
    wanted = [j for j, t in enumerate(inputs) if differentiable(t)]
    if not wanted:
        return [None] * len(node.inputs)

    def branch_grad(branch, index, recs):
        def fn():
            g = get_default_graph()
            values = [g.capture(inputs[j]) for j in index]
            env = replay(branch, values, [g.capture(r) for r in recs])
            grads = _sub_gradients(branch, env, [None if d is None else g.capture(d)
                                                 for d in out_dys])
            total: dict = {}
            for j, grad in zip(index, grads):
                if grad is not None:
                    total[j] = grad if j not in total else total[j] + grad
            return [_zeros_or(total.get(j), g.capture(inputs[j])) for j in wanted]
        return fn

    graph = node.graph
    with graph.name_scope("If_grad") as scope:
        pass
    grads = build_if(graph, pred,
                     branch_grad(op.then_branch, op.then_inputs, records[:then_n]),
                     branch_grad(op.else_branch, op.else_inputs, records[then_n:]),
                     scope[:-1], function="gradients of cond")
    result: list = [None] * len(node.inputs)
    for j, g in zip(wanted, grads):
        result[1 + j] = g
    return result


# --- While ---------------------------------------------------------------------------------------
def while_gradient(node, dys) -> list:
    op = node.op
    if not op.back_prop:
        return [None] * len(node.inputs)
    n, body = op.n_vars, op.body_graph
    lay = op.layout()
    loop_vars = list(node.inputs[:n])
    captured = list(node.inputs[n:n + op.n_captured])
    for t, inv in zip(loop_vars, op.shape_invariants):
        if as_shape(inv) != as_shape(t.shape):
            raise GradientError(
                f"Cannot build the gradient of {node.describe()}: loop variable '{t.name}' enters "
                f"with shape {t.shape} but its shape invariant is {as_shape(inv)}, so it may "
                "change shape across iterations; gradients need loop variables of fixed shape.")
    finals = node.outputs[slice(*lay["vars"])]
    stacks = node.outputs[slice(*lay["stacked"])]
    count = node.outputs[lay["count"][0]]
    var_recs = node.outputs[slice(*lay["var_records"])]
    recs = node.outputs[slice(*lay["records"])]
    rec_shapes = node.outputs[slice(*lay["record_shapes"])]
    d_vars, d_stacked = list(dys[:n]), list(dys[n:n + op.n_stacked])
    # A record of a loop variable is a function of the inputs too (second-order gradients
    # differentiate the backward loop, which reads the records).
    d_var_recs = list(dys[slice(*lay["var_records"])])
    if all(d is None for d in d_vars + d_stacked + d_var_recs):
        return [None] * len(node.inputs)
    fv = [i for i in range(n) if differentiable(loop_vars[i])]
    fs = [s for s in range(op.n_stacked) if differentiable(stacks[s])]
    fc = [j for j in range(len(captured)) if differentiable(captured[j])]
    reads, dense = row_reads(body, op.body_inputs, n, fc)
    fd = [j for j in fc if j in dense]  # captures summed densely
    row_ops = [(j, r) for j in fc for r in reads.get(j, ())]
    graph = node.graph
    with graph.name_scope("While_grad") as scope:
        init = [count - 1] + [_zeros_or(d_vars[i], finals[i]) for i in fv] + [
            zeros_like(captured[j]) for j in fd]
        d_stacks = {s: _zeros_or(d_stacked[s], stacks[s]) for s in fs}

    def cond(k, *_):
        return k >= 0

    def backward(k, *carried):
        g = get_default_graph()
        dv, acc = carried[:len(fv)], carried[len(fv):]
        xs = [gather(v, k) for v in var_recs]
        caps = [g.capture(t) for t in captured]
        values = [(xs + caps)[i] for i in op.body_inputs]
        env = replay(body, values, [_record_at(r, s, t, k)
                                    for r, s, t in zip(recs, rec_shapes, body.records)])
        out_dys: list = [None] * len(body.outputs)
        for slot, i in enumerate(fv):
            out_dys[i] = dv[slot]
        for s in fs:
            out_dys[n + s] = gather(d_stacks[s], k)
        rows = [env[r.outputs[0]] for _, r in row_ops]
        grads = _sub_gradients(body, env, out_dys, rows)
        per_input: dict = {}
        for i, grad in zip(op.body_inputs, grads):
            if grad is not None:
                per_input[i] = grad if i not in per_input else per_input[i] + grad
        new_dv = [_zeros_or(per_input.get(i), xs[i]) for i in fv]
        new_dv = [d if d_var_recs[i] is None else d + gather(d_var_recs[i], k)
                  for d, i in zip(new_dv, fv)]
        new_acc = [a if per_input.get(n + j) is None else a + per_input[n + j]
                   for a, j in zip(acc, fd)]
        # Each row read's gradient and index leave the loop stacked, one entry per iteration.
        row_out = []
        for row, grad, (_, r) in zip(rows, grads[len(body.inputs):], row_ops):
            row_out += [_zeros_or(grad, row), env[r.inputs[1]]]
        return [k - 1] + new_dv + new_acc + row_out

    invariants = [t.shape for t in init]
    back = build_while(graph, cond, backward, init, invariants, None, scope[:-1],
                       n_stacked=2 * len(row_ops), back_prop=True,
                       function="gradients of while_loop")
    out = back.outputs
    result: list = [None] * len(node.inputs)
    for slot, i in enumerate(fv):
        result[i] = out[1 + slot]
    for slot, j in enumerate(fd):
        result[n + j] = out[1 + len(fv) + slot]
    first_row = len(init)
    with graph.name_scope(scope):
        for slot, (j, _) in enumerate(row_ops):
            grads, indices = out[first_row + 2 * slot], out[first_row + 2 * slot + 1]
            part = scatter_rows(grads, indices, captured[j])
            result[n + j] = part if result[n + j] is None else result[n + j] + part
    return result


# --- Replay --------------------------------------------------------------------------------------
class _ReplayedNode:
    """What the original op's gradient sees: the replayed inputs and outputs, its attrs."""

    def __init__(self, node, op):
        self.op = op
        self.inputs = node.inputs[node.op.n_recorded:]
        self.outputs = node.outputs
        self.name, self.site, self.graph = node.name, node.site, node.graph
        self.type, self.attrs = op.type, op.attrs
        self.control_inputs = ()

    def get_attr(self, name):
        return self.attrs[name]

    def describe(self) -> str:
        return f"{self.type} '{self.name}' (built at {self.site})"


def replay_gradient(node, dys) -> list:
    replay = node.op
    original = get_op(replay.original_type)(**replay.original_attrs)
    k = replay.n_recorded
    if type(original).gradient is None or original.not_differentiable:
        if original.not_differentiable or all(d is None for d in dys):
            return [None] * len(node.inputs)
        raise GradientError(f"No gradient defined for operation '{node.name}' (op type: "
                            f"{replay.original_type}), built at {node.site.describe()}.")
    grads = original.gradient(_ReplayedNode(node, original), *dys)
    return [None] * k + list(grads)


GRADIENTS.update(If=if_gradient, While=while_gradient, Replay=replay_gradient)
