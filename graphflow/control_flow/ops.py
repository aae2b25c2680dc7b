"""The functional control-flow ops: If and While over traced sub-graphs (ops/function_graph.py).

Each node carries its sub-graphs as attributes and feeds their placeholders from its inputs
(`*_inputs`: the node input feeding each inner placeholder). Besides its results a node has
*record* outputs, the values a gradient needs and must not recompute: the outputs of every
stateful op its sub-graph runs (a dropout mask is never redrawn), and for While each loop
variable at the start of each iteration, stacked. Executors compute While's records only when a
gradient reads them. `compute` is the NumPy reference: it interprets the sub-graphs.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.shape import TensorShape, as_shape
from graphflow.errors import InvalidArgumentError, dtype_rule, shape_rule
from graphflow.ops.function_graph import interpret
from graphflow.ops.registry import NoExamples, Op, register, spec

# The gradient builders, set by control_flow/gradients.py (which builds more of these ops).
GRADIENTS: dict = {}

_TESTED = NoExamples("runs traced sub-graphs; tested in tests/control_flow/")


def unknown_like(t) -> TensorShape:
    """The spec of a record output: its rank, no dimensions (the branch not taken gives an
    empty value of that rank)."""
    rank = t.shape.rank
    return TensorShape(None) if rank is None else TensorShape([None] * rank)


def empty_like(t, zeros):
    rank = t.shape.rank
    return zeros((0,) * (1 if rank is None else rank), t.dtype.np)


def stacked_shape(shape) -> TensorShape:
    shape = as_shape(shape)
    return TensorShape(None) if shape.dims is None else TensorShape((None, *shape.dims))


def check_shape(value_shape, expected, what: str, op_name: str) -> None:
    """A run-time shape that contradicts the static one is an error naming both."""
    if not as_shape(expected).is_compatible_with(TensorShape(tuple(value_shape))):
        raise InvalidArgumentError(
            f"{op_name}: {what} has shape {as_shape(tuple(value_shape)).bracketed()} at run "
            f"time, which does not fit its static shape {as_shape(expected).bracketed()}")


@register("If")
class If(Op):
    """`then_branch` or `else_branch` of the inputs, by the scalar bool `pred`."""

    attrs = {"then_branch": None, "else_branch": None, "then_inputs": (), "else_inputs": (),
             "output_shapes": ()}
    takes_context = True
    examples = _TESTED

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.stateful = self.then_branch.stateful or self.else_branch.stateful

    @property
    def input_names(self):
        return ("pred",) + tuple(f"input_{i}" for i in range(len(self.then_inputs)
                                                              + len(self.else_inputs)))

    @property
    def n_out(self) -> int:
        return len(self.output_shapes)

    def sub_graphs(self) -> list:
        """(label, graph, the node input feeding each of its inputs), for explain and pictures."""
        return [("true branch", self.then_branch, [1 + i for i in self.then_inputs]),
                ("false branch", self.else_branch, [1 + i for i in self.else_inputs])]

    def infer(self, pred, *inputs):
        if pred.dtype is not dtypes.bool_:
            raise dtype_rule(f"the predicate must be a bool scalar, got {pred.dtype.name}")
        if pred.shape.rank not in (None, 0):
            raise shape_rule(f"the predicate must be a scalar, got shape {pred.shape}")
        outs = [spec(t.dtype, s) for t, s in zip(self.then_branch.outputs, self.output_shapes)]
        recs = [spec(t.dtype, unknown_like(t))
                for b in (self.then_branch, self.else_branch) for t in b.records]
        return outs + recs

    def branch_values(self, pred, inputs):
        """The branch to run, and the values of its placeholders."""
        branch, index = ((self.then_branch, self.then_inputs) if pred
                         else (self.else_branch, self.else_inputs))
        return branch, [inputs[i] for i in index]

    def compute(self, ctx, pred, *inputs):
        taken = bool(np.asarray(pred))
        branch, values = self.branch_values(taken, inputs)
        results = interpret(branch, ctx, values, branch.outputs + branch.records)
        return one_or_tuple(list(results[:self.n_out]) + list(
            self.pad_records(taken, results[self.n_out:], np.zeros)))

    def pad_records(self, taken: bool, records: list, zeros) -> tuple:
        """Both branches' record outputs: those of the branch not taken are empty."""
        then_n, else_n = len(self.then_branch.records), len(self.else_branch.records)
        then_r = records if taken else [empty_like(t, zeros) for t in self.then_branch.records]
        else_r = [empty_like(t, zeros) for t in self.else_branch.records] if taken \
            else records
        assert len(then_r) == then_n and len(else_r) == else_n
        return tuple(then_r) + tuple(else_r)

    def gradient(self, node, *dys):
        return GRADIENTS["If"](node, dys)


@register("While")
class While(Op):
    """Runs `body_graph` while `cond_graph` holds (and fewer than `maximum_iterations` times).

    Inputs: the loop variables, the captured tensors, then the iteration limit if any. Outputs:
    the final loop variables, the body's per-iteration `stacked` values ([iterations, ...]),
    then (with `back_prop`) the records: the iteration count, each loop variable at the start of
    each iteration, each stateful body op's outputs stacked over iterations (padded with zeros
    to the largest when their shapes vary, as a nested If's or While's records may), and those
    outputs' shapes per iteration.
    """

    attrs = {"cond_graph": None, "body_graph": None, "cond_inputs": (), "body_inputs": (),
             "n_vars": 0, "n_captured": 0, "n_stacked": 0, "shape_invariants": (),
             "has_max": False,
             "parallel_iterations": 10, "back_prop": True, "swap_memory": False}
    takes_context = True
    examples = _TESTED

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.stateful = self.cond_graph.stateful or self.body_graph.stateful

    @property
    def input_names(self):
        return tuple(f"loop_var_{i}" for i in range(self.n_vars)) + tuple(
            f"captured_{i}" for i in range(self.n_captured)) + (
            ("maximum_iterations",) if self.has_max else ())

    def sub_graphs(self) -> list:
        """(label, graph, the node input feeding each of its inputs), for explain and pictures."""
        return [("cond", self.cond_graph, list(self.cond_inputs)),
                ("body", self.body_graph, list(self.body_inputs))]

    def layout(self) -> dict:
        """Where each group of outputs starts: vars, stacked, count, var records, records."""
        n, s = self.n_vars, self.n_stacked
        lay = {"vars": (0, n), "stacked": (n, n + s)}
        if self.back_prop:
            r = len(self.body_graph.records)
            start = 2 * n + s + 1
            lay.update(count=(n + s, n + s + 1), var_records=(n + s + 1, start),
                       records=(start, start + r), record_shapes=(start + r, start + 2 * r))
        return lay

    def infer(self, *inputs):
        n, body = self.n_vars, self.body_graph
        if self.has_max:
            limit = inputs[-1]
            if not limit.dtype.is_integer or limit.shape.rank not in (None, 0):
                raise shape_rule(f"maximum_iterations must be an integer scalar, got "
                                 f"{limit.dtype.name}{limit.shape.bracketed()}")
        outs = [spec(t.dtype, s) for t, s in zip(inputs[:n], self.shape_invariants)]
        outs += [spec(t.dtype, stacked_shape(t.shape)) for t in body.outputs[n:]]
        if self.back_prop:
            outs.append(spec(dtypes.int32, ()))
            outs += [spec(t.dtype, stacked_shape(s)) for t, s in zip(inputs[:n],
                                                                      self.shape_invariants)]
            outs += [spec(t.dtype, stacked_shape(t.shape)) for t in body.records]
            outs += [spec(dtypes.int32, [None, t.shape.rank]) for t in body.records]
        return outs

    def split_inputs(self, inputs):
        """(loop variables, everything else, the iteration limit or None)."""
        limit = inputs[-1] if self.has_max else None
        return list(inputs[:self.n_vars]), list(inputs), limit

    def compute(self, ctx, *inputs):
        n, body, cond = self.n_vars, self.body_graph, self.cond_graph
        values, everything, limit = self.split_inputs(inputs)
        limit = None if limit is None else int(np.asarray(limit))
        stacked = [[] for _ in range(self.n_stacked)]
        entries, records = [], [[] for _ in body.records]
        count = 0
        while limit is None or count < limit:
            env = values + everything[n:]
            if not bool(interpret(cond, ctx, [env[i] for i in self.cond_inputs])[0]):
                break
            entries.append(values)
            out = interpret(body, ctx, [env[i] for i in self.body_inputs],
                            body.outputs + body.records)
            values = list(out[:n])
            for i, v in enumerate(values):
                check_shape(np.shape(v), self.shape_invariants[i], f"loop variable {i}", "While")
            for acc, v in zip(stacked + records, out[n:]):
                acc.append(v)
            count += 1
        result = values + [stack(acc, t) for acc, t in zip(stacked, body.outputs[n:])]
        if self.back_prop:
            result.append(np.int32(count))
            result += [stack([e[i] for e in entries], t, self.shape_invariants[i])
                       for i, t in enumerate(inputs[:n])]
            padded = [pad_stack(acc, t) for acc, t in zip(records, body.records)]
            result += [p for p, _ in padded] + [s for _, s in padded]
        return one_or_tuple(result)

    def gradient(self, node, *dys):
        return GRADIENTS["While"](node, dys)


def one_or_tuple(values: list):
    """A kernel's result: the value itself for a single output (the run loop's rule)."""
    return values[0] if len(values) == 1 else tuple(values)


def stack(values: list, like, shape=None) -> np.ndarray:
    """Per-iteration values stacked on a new first axis; a clear error when their shapes vary."""
    if not values:
        dims = as_shape(shape if shape is not None else like.shape)
        dims = () if dims.dims is None else tuple(d or 0 for d in dims.dims)
        return np.zeros((0, *dims), like.dtype.np)
    shapes = {np.shape(v) for v in values}
    if len(shapes) > 1:
        raise InvalidArgumentError(
            f"While: the value of '{getattr(like, 'name', like)}' changes shape across iterations "
            f"({sorted(shapes)}), so its per-iteration values cannot be stacked")
    return np.stack([np.asarray(v) for v in values])


def pad_stack(values: list, like) -> tuple:
    """Per-iteration values of one record stacked, zero-padded to the largest shape, and their
    shapes ([iterations, rank] int32)."""
    rank = like.shape.rank
    if not values:
        dims = tuple(d or 0 for d in like.shape.dims) if rank is not None else ()
        return np.zeros((0, *dims), like.dtype.np), np.zeros((0, rank or 0), np.int32)
    shapes = np.array([np.shape(v) for v in values], np.int32).reshape(len(values), -1)
    if len({np.shape(v) for v in values}) == 1:
        return np.stack([np.asarray(v) for v in values]), shapes
    if len({np.ndim(v) for v in values}) > 1:
        raise InvalidArgumentError(f"While: the rank of '{like.name}' changes across "
                                   "iterations, so its values cannot be recorded")
    out = np.zeros((len(values), *shapes.max(axis=0)), np.asarray(values[0]).dtype)
    for i, v in enumerate(values):
        out[(i, *(slice(0, d) for d in np.shape(v)))] = v
    return out, shapes


@register("Unpad")
class Unpad(Op):
    """One iteration's record from a padded stack entry: its leading block of `shape`."""

    input_names = ("padded", "shape")
    examples = NoExamples("reads While records in gradient sub-graphs; tested in "
                          "tests/control_flow/test_gradients.py")
    not_differentiable = True  # records are values the forward pass saw, never differentiated

    def infer(self, padded, shape):
        return spec(padded.dtype, unknown_like(padded))

    def compute(self, padded, shape):
        return np.ascontiguousarray(padded[tuple(slice(0, int(d)) for d in shape)])


@register("Replay")
class Replay(Op):
    """A stateful op of a sub-graph rebuilt for its gradient: its recorded values stand for its
    outputs (nothing is redrawn or re-assigned), and its gradient is the original op's.

    Inputs: the recorded values, then the original op's inputs. The original is kept as its
    type and attributes (plain values: graph files can hold them)."""

    attrs = {"n_recorded": 0, "original_type": "", "original_attrs": None,
             "output_dtypes": (), "output_shapes": ()}
    examples = NoExamples("stands for a recorded stateful op in gradient sub-graphs; tested in "
                          "tests/control_flow/test_gradients.py")

    def infer(self, *inputs):
        return [spec(d, s) for d, s in zip(self.output_dtypes, self.output_shapes)]

    def compute(self, *inputs):
        return one_or_tuple(list(inputs[:self.n_recorded]))

    def gradient(self, node, *dys):
        return GRADIENTS["Replay"](node, dys)


def replay_of(node, n_recorded: int) -> Replay:
    """The Replay op standing for `node` (an Operation of a sub-graph)."""
    return Replay(n_recorded=n_recorded, original_type=node.type,
                  original_attrs=dict(node.op.attrs),
                  output_dtypes=tuple(t.dtype for t in node.outputs),
                  output_shapes=tuple(t.shape for t in node.outputs))


@register("CaseExclusive")
class CaseExclusive(Op):
    """`tf.case(..., exclusive=True)`'s check: the first predicate, or an error when more than
    one predicate is true."""

    attrs = {"names": ()}
    stateful = True  # a check: never folded away
    examples = NoExamples("a run-time check of tf.case; tested in tests/control_flow/test_cond.py")

    def infer(self, *preds):
        for p in preds:
            if p.dtype is not dtypes.bool_ or p.shape.rank not in (None, 0):
                raise dtype_rule(f"case predicates must be bool scalars, got {p.describe()}")
        return spec(dtypes.bool_, ())

    def compute(self, *preds):
        true = [n for n, p in zip(self.names, preds) if bool(np.asarray(p))]
        if len(true) > 1:
            raise InvalidArgumentError(
                f"Input error: exclusive=True: more than 1 conditions ({', '.join(true)}) "
                "evaluated as True")
        return np.asarray(preds[0], dtype=bool)
