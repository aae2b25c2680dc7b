"""Build If and While nodes from Python functions: trace the sub-graphs, wire their captures.

These work on flat lists of tensors; cond.py and while_loop.py add TF1's argument handling and
nested structures on top.
"""

from __future__ import annotations

from graphflow.control_flow.ops import If, While
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import as_shape
from graphflow.core.site import argument_error
from graphflow.errors import DTypeError
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.function_graph import trace


def as_output(value, what: str, function: str, ops_allowed: bool = False) -> Tensor:
    if isinstance(value, Operation):
        if ops_allowed:  # TF1: a branch returning an op gives a bool that runs it
            with get_default_graph().control_dependencies([value]):
                return constant(True)
        raise argument_error(function, f"{what} is an Operation ('{value.name}'); a loop "
                             "body must return tensors", TypeError)
    try:
        return convert_to_tensor(value)
    except (TypeError, ValueError) as err:
        raise argument_error(function, f"{what} cannot be converted to a tensor: {err}",
                             TypeError) from None


def wire(graphs, first_index: int = 0) -> tuple[list, list]:
    """The node inputs (outer tensors) for `graphs`' captures, deduplicated, and per graph the
    node input index feeding each of its capture placeholders (offset by `first_index`)."""
    inputs: list = []
    where: dict = {}
    maps = []
    for g in graphs:
        index = []
        for outer_t, _ in g.captures:
            if outer_t not in where:
                where[outer_t] = first_index + len(inputs)
                inputs.append(outer_t)
            index.append(where[outer_t])
        maps.append(index)
    return inputs, maps


def outer_controls(graph, graphs) -> list:
    """Control inputs of inner ops on ops of enclosing graphs: the node itself depends on them."""
    found = []
    for g in graphs:
        for op in g.outer_controls:
            if op not in found:
                found.append(op)
    return found


def build_if(graph, pred: Tensor, then_fn, else_fn, scope: str, function: str = "cond"):
    """An If node in `graph`; returns its result tensors.

    `then_fn`/`else_fn` return flat lists of values; their dtypes must agree and their shapes are
    merged (dimensions that differ become unknown)."""
    def converted(fn, label):
        return lambda: [as_output(v, f"{label}'s output {i}", function, ops_allowed=True)
                        for i, v in enumerate(fn())]

    then_g, then_t = trace(graph, scope, converted(then_fn, "true_fn"))
    else_g, else_t = trace(graph, scope, converted(else_fn, "false_fn"))
    if len(then_t) != len(else_t):
        raise argument_error(function, "The two structures don't have the same nested "
                             f"structure: true_fn returned {len(then_t)} tensors, false_fn "
                             f"{len(else_t)}", ValueError)
    shapes = []
    for i, (a, b) in enumerate(zip(then_t, else_t)):
        if a.dtype is not b.dtype:
            raise argument_error(function, f"Outputs of 'true_fn' and 'false_fn' must have the "
                                 f"same type(s). Received {a.dtype.name} from 'true_fn' and "
                                 f"{b.dtype.name} from 'false_fn' (output {i}).", DTypeError)
        shapes.append(merge_shapes(a.shape, b.shape))
    with then_g.as_default():
        then_g.finish(then_t)
    with else_g.as_default():
        else_g.finish(else_t)
    inputs, (then_idx, else_idx) = wire([then_g, else_g], first_index=0)
    op = If(then_branch=then_g, else_branch=else_g, then_inputs=tuple(then_idx),
            else_inputs=tuple(else_idx), output_shapes=tuple(shapes))
    with graph.control_dependencies(outer_controls(graph, [then_g, else_g])):
        node = graph.create_node(op, [pred] + inputs, name=scope + "/")
    return list(node.outputs[:len(shapes)])


def merge_shapes(a, b):
    """TF1's most specific compatible shape of two branches: differing dimensions unknown."""
    a, b = as_shape(a), as_shape(b)
    if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
        return as_shape(None)
    return as_shape([x if x == y else None for x, y in zip(a.dims, b.dims)])


def build_while(graph, cond_fn, body_fn, loop_vars: list, invariants: list, limit, scope: str,
                n_stacked: int | None = 0, back_prop: bool = True, parallel_iterations: int = 10,
                swap_memory: bool = False, function: str = "while_loop", names=None):
    """A While node in `graph` over flat `loop_vars` (tensors) with `invariants` (shapes).

    `cond_fn(*vars)` returns one bool scalar; `body_fn(*vars)` returns the new values of the
    loop variables followed by `n_stacked` per-iteration values to stack (None: all it returns
    beyond the loop variables). Returns the node."""
    specs = [(t.dtype, s) for t, s in zip(loop_vars, invariants)]
    cond_g, (c,) = trace(graph, scope, lambda *a: [as_output(cond_fn(*a), "cond's result",
                                                              function)], specs, names)
    if c.dtype.name != "bool" or c.shape.rank not in (None, 0):
        raise argument_error(function, f"cond must return a bool scalar, got "
                             f"{c.dtype.name}{c.shape.bracketed()}", TypeError)
    with cond_g.as_default():
        cond_g.finish([c])
    body_g, out = trace(graph, scope, lambda *a: [
        as_output(v, f"body's output {i}", function) for i, v in enumerate(body_fn(*a))],
        specs, names)
    n = len(loop_vars)
    if n_stacked is None:
        n_stacked = len(out) - n
    if len(out) != n + n_stacked:
        raise argument_error(function, f"the body returned {len(out)} tensors for {n} loop "
                             "variables", ValueError)
    for i, (t, new, shape) in enumerate(zip(loop_vars, out, invariants)):
        label = (names[i] if names else f"loop variable {i}")
        if new.dtype is not t.dtype:
            raise argument_error(function, f"the body changes the dtype of {label} from "
                                 f"{t.dtype.name} to {new.dtype.name}", DTypeError)
        if not _fits(new.shape, shape):
            raise argument_error(
                function, f"Input tensor '{t.name}' enters the loop with shape {t.shape}, but "
                f"has shape {new.shape} after one iteration. To allow the shape to vary across "
                "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                "less-specific shape.", ValueError)
    with body_g.as_default():
        body_g.finish(out)
    captured, (cond_idx, body_idx) = wire([cond_g, body_g], first_index=n)
    limit_input = [] if limit is None else [limit]
    op = While(cond_graph=cond_g, body_graph=body_g,
               cond_inputs=tuple(range(n)) + tuple(cond_idx),
               body_inputs=tuple(range(n)) + tuple(body_idx), n_vars=n,
               n_captured=len(captured), n_stacked=n_stacked,
               shape_invariants=tuple(as_shape(s) for s in invariants),
               has_max=limit is not None, parallel_iterations=parallel_iterations,
               back_prop=back_prop, swap_memory=swap_memory)
    with graph.control_dependencies(outer_controls(graph, [cond_g, body_g])):
        return graph.create_node(op, list(loop_vars) + captured + limit_input, name=scope + "/")


def _fits(shape, invariant) -> bool:
    """TF1's rule: the body's output shape must be at least as specific as the invariant."""
    shape, invariant = as_shape(shape), as_shape(invariant)
    if invariant.dims is None:
        return True
    if shape.dims is None or len(shape.dims) != len(invariant.dims):
        return False
    return all(i is None or i == s for s, i in zip(shape.dims, invariant.dims))
