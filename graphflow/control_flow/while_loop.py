"""`while_loop` with TF1's signature, over nested loop variables, as one While node."""

from __future__ import annotations

from graphflow import nest
from graphflow.control_flow.build import build_while
from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import as_shape
from graphflow.core.site import argument_error
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import graph_of


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: str | None = None,
               maximum_iterations=None, return_same_structure: bool = False):
    """Repeat `body` while `cond` is true (TF1's `tf.while_loop`), as one While node.

    `loop_vars` is a (nested) list or tuple of tensors; `body` returns the same structure. A
    loop variable keeps its shape unless `shape_invariants` gives a less specific one; the
    executors run the body's compiled plan per iteration, and gradients run it backwards.

    Args:
        cond: A function of the loop variables returning a scalar bool tensor.
        body: A function of the loop variables returning their next values.
        loop_vars: The first values: a tensor, or a (nested) list or tuple of them.
        shape_invariants: Less specific shapes for loop variables whose shape changes.
        parallel_iterations: TF1's concurrency hint; iterations run in order, so it changes nothing.
        back_prop: Record what gradients need (False: no gradient through the loop).
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        name: The name scope of the ops.
        maximum_iterations: Stop after this many iterations even if cond holds.
        return_same_structure: Return a one-element list as a list.

    Returns:
        The loop variables' final values, in loop_vars' structure.

    Examples:
        >>> i, total = tf.while_loop(lambda i, t: i < 5, lambda i, t: (i + 1, t + i), [0, 0])
        >>> with tf.Session() as sess:
        ...     print(sess.run([i, total]))
        [5, 10]
    """
    if not callable(cond):
        raise argument_error("while_loop", "'cond' must be callable.", TypeError)
    if not callable(body):
        raise argument_error("while_loop", "'body' must be callable.", TypeError)
    if parallel_iterations < 1:
        raise argument_error("while_loop", "'parallel_iterations' must be a positive integer.",
                             TypeError)
    if isinstance(loop_vars, Tensor) or not isinstance(loop_vars, (list, tuple, dict)):
        raise argument_error("while_loop", "'loop_vars' must be a list or tuple of tensors "
                             "(a single tensor as [x]).", TypeError)
    flat = [convert_to_tensor(v) for v in nest.flatten(loop_vars)]
    if not flat:
        raise argument_error("while_loop", "'loop_vars' must be provided.", ValueError)
    if shape_invariants is None:
        invariants = [t.shape for t in flat]
    else:
        if not nest.same_structure(loop_vars, shape_invariants) and not (
                len(flat) == 1 and not isinstance(shape_invariants, (list, tuple, dict))):
            raise argument_error("while_loop", "'shape_invariants' must have the structure of "
                                 "'loop_vars'", ValueError)
        invariants = [as_shape(s) for s in (nest.flatten(shape_invariants) if
                                            isinstance(shape_invariants, (list, tuple, dict))
                                            else [shape_invariants])]
        for t, s in zip(flat, invariants):
            if not _at_least_as_specific(t.shape, s):
                raise argument_error(
                    "while_loop", f"The shape invariant specified for {t.name} is not compatible "
                    f"with the initial shape of the loop variable. It enters the loop with shape "
                    f"{t.shape}, but the specified shape invariant is {s}.", ValueError)
    graph = graph_of(flat) if flat else get_default_graph()
    single = isinstance(loop_vars, (list, tuple)) and len(loop_vars) == 1

    def pack(args):
        return nest.pack_sequence_as(loop_vars, list(args))

    def cond_fn(*args):
        return cond(*pack(args)) if not isinstance(loop_vars, dict) else cond(pack(args))

    def body_fn(*args):
        packed = pack(args)
        out = body(*packed) if not isinstance(loop_vars, dict) else body(packed)
        if single and not nest.same_structure(loop_vars, out) and \
                nest.same_structure(loop_vars[0], out):
            out = [out]
        if not nest.same_structure(loop_vars, out):
            raise argument_error("while_loop", "The two structures don't have the same nested "
                                 f"structure: loop_vars has {len(flat)} tensors, the body "
                                 f"returned {len(nest.flatten(out))}", ValueError)
        return nest.flatten(out)

    with graph.name_scope(name or "while") as scope:
        limit = None
        if maximum_iterations is not None:
            limit = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if not limit.dtype.is_integer:
                raise argument_error("while_loop", "maximum_iterations must be an integer, got "
                                     f"{limit.describe()}", TypeError)
            if limit.dtype is not dtypes.int32:
                limit = cast(limit, dtypes.int32)
        names = [f"loop_var_{i}" for i in range(len(flat))]
        node = build_while(graph, cond_fn, body_fn, flat, invariants, limit, scope[:-1],
                           back_prop=back_prop, parallel_iterations=parallel_iterations,
                           swap_memory=swap_memory, names=names)
    results = nest.pack_sequence_as(loop_vars, list(node.outputs[:len(flat)]))
    if single and not return_same_structure:
        return results[0]
    return results


def _at_least_as_specific(shape, invariant) -> bool:
    shape, invariant = as_shape(shape), as_shape(invariant)
    if invariant.dims is None:
        return True
    if shape.dims is None or len(shape.dims) != len(invariant.dims):
        return False
    return all(i is None or i == s for s, i in zip(shape.dims, invariant.dims))
