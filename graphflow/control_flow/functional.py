"""`map_fn`, `scan`, `foldl`, `foldr` (TF1's signatures) as While nodes over the first axis.

Each is one While whose body reads element `i` of `elems` and, for map_fn and scan, emits the
per-iteration results as *stacked* outputs (the While stacks them: TF1's TensorArrays), so the
gradients of the stacked results flow back through the loop.
"""

from __future__ import annotations

from graphflow import nest
from graphflow.control_flow.build import build_while
from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.ops.array import expand_dims
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.gather import gather
from graphflow.ops.joining import concat
from graphflow.ops.registry import graph_of
from graphflow.ops.shape_ops import range as range_
from graphflow.ops.shape_ops import shape


def _elems(elems, function: str) -> list[Tensor]:
    flat = [convert_to_tensor(e, name="elems") for e in nest.flatten(elems)]
    if not flat:
        raise argument_error(function, "elems must be a tensor or a non-empty structure of "
                             "tensors", ValueError)
    for e in flat:
        if e.shape.rank == 0:
            raise argument_error(function, "Elements in elems must be 1+ dimensional Tensors, "
                                 f"not scalars ({e.describe()})", ValueError)
    return flat


def _loop(function, fn_step, elems, initial, n_stacked, reverse, back_prop,
          parallel_iterations, swap_memory, name):
    """The While for these functions: loop variables [i, *accumulators]; returns the node, the
    number of elements and the accumulators' flat count."""
    flat = _elems(elems, function)
    graph = graph_of(flat)
    with graph.name_scope(name) as scope:
        n = shape(flat[0], name="n")[0] if flat[0].shape[0] is None else constant(
            flat[0].shape[0], dtypes.int32, name="n")
        i0 = constant(0, dtypes.int32, name="i")
        init = [convert_to_tensor(t) for t in initial]

        def cond(i, *_):
            return i < n

        def body(i, *acc):
            k = (n - 1 - i) if reverse else i
            xs = nest.pack_sequence_as(elems, [gather(e, k) for e in flat])
            new_acc, stacked = fn_step(list(acc), xs)
            return [i + 1] + new_acc + stacked

        node = build_while(graph, cond, body, [i0] + init, [i0.shape] + [t.shape for t in init],
                           None, scope[:-1], n_stacked=n_stacked, back_prop=back_prop,
                           parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                           function=function)
    return node, flat


def _set_leading(t: Tensor, n) -> Tensor:
    if t.shape.rank is not None and n is not None:
        t.set_shape(TensorShape([n] + list(t.shape.dims[1:])))
    return t


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True, name: str | None = None):
    """`fn` applied to each element of `elems` along axis 0, results stacked (TF1's map_fn).

    `elems` may be a nested structure of tensors with the same first dimension; `fn` gets the
    same structure. `dtype` gives the structure of fn's results when it differs from `elems`.

    Args:
        fn: A function of one element (a structure like elems) returning tensors.
        elems: A tensor or a nest of tensors with one first dimension.
        dtype: The dtype (or nest of dtypes) of fn's results, when not elems'.
        parallel_iterations: TF1's concurrency hint; iterations run in order, so it changes nothing.
        back_prop: Record what gradients need (False: no gradient through the loop).
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        infer_shape: Give the result the static first dimension of elems.
        name: The name scope of the ops.

    Returns:
        fn's results stacked along a new axis 0.

    Examples:
        >>> squares = tf.map_fn(lambda v: v * v, tf.constant([1., 2., 3.]))
        >>> with tf.Session() as sess:
        ...     print(sess.run(squares))
        [1. 4. 9.]
    """
    if not callable(fn):
        raise argument_error("map_fn", "fn must be callable.", TypeError)
    out_structure = {}

    def step(acc, xs):
        out = fn(xs)
        expected = elems if dtype is None else dtype
        if nest_count(out) != nest_count(expected):
            raise argument_error("map_fn", "The two structures don't have the same nested "
                                 f"structure: fn returned {nest_count(out)} tensors where "
                                 f"{'elems has' if dtype is None else 'dtype gives'} "
                                 f"{nest_count(expected)}; pass dtype=... for fn's results",
                                 ValueError)
        out_structure["s"] = out
        return [], nest.flatten(out)

    node, flat = _loop("map_fn", step, elems, [], None, False, back_prop,
                       parallel_iterations or 10, swap_memory, name or "map")
    results = node.outputs[1:1 + node.op.n_stacked]
    n0 = flat[0].shape[0]
    results = [_set_leading(t, n0) if infer_shape else t for t in results]
    return nest.pack_sequence_as(out_structure["s"], results)


def nest_count(s) -> int:
    return len(nest.flatten(s)) if isinstance(s, (list, tuple, dict)) else 1


def _initial(fn, elems, initializer, function, reverse):
    """The accumulator's start (elems' first element, or last for foldr, when no initializer)
    and whether the first element was used for it."""
    if initializer is not None:
        return initializer, False
    flat = _elems(elems, function)
    first = [e[-1] if reverse else e[0] for e in flat]
    return nest.pack_sequence_as(elems, first), True


def scan(fn, elems, initializer=None, parallel_iterations: int = 10, back_prop: bool = True,
         swap_memory: bool = False, infer_shape: bool = True, reverse: bool = False,
         name: str | None = None):
    """Accumulate `fn(acc, x)` over `elems` along axis 0, stacking every accumulator (TF1).

    Args:
        fn: A function of (accumulator, element) returning the next accumulator.
        elems: A tensor or a nest of tensors with one first dimension.
        initializer: The first accumulator (default: the first element, which is then skipped).
        parallel_iterations: TF1's concurrency hint; iterations run in order, so it changes nothing.
        back_prop: Record what gradients need (False: no gradient through the loop).
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        infer_shape: Give the result the static first dimension of elems.
        reverse: Scan from the last element.
        name: The name scope of the ops.

    Returns:
        Every accumulator, stacked along axis 0.

    Examples:
        >>> running = tf.scan(lambda acc, v: acc + v, tf.constant([1., 2., 3.]))
        >>> with tf.Session() as sess:
        ...     print(sess.run(running))
        [1. 3. 6.]
    """
    if not callable(fn):
        raise argument_error("scan", "fn must be callable.", TypeError)
    return _scan_like("scan", fn, elems, initializer, parallel_iterations, back_prop,
                      swap_memory, infer_shape, reverse, name or "scan", stacked=True)


def _scan_like(function, fn, elems, initializer, parallel_iterations, back_prop, swap_memory,
               infer_shape, reverse, name, stacked):
    flat_elems = _elems(elems, function)
    graph = graph_of(flat_elems)
    init, skip_first = _initial(fn, elems, initializer, function, reverse)
    elems_used = elems
    if skip_first:  # the first element starts the accumulator; fn runs over the others
        rest = [e[:-1] if reverse else e[1:] for e in flat_elems]
        elems_used = nest.pack_sequence_as(elems, rest)
    init_flat = [convert_to_tensor(t) for t in nest.flatten(init)]

    def step(acc, xs):
        out = fn(nest.pack_sequence_as(init, acc), xs)
        if nest_count(out) != len(init_flat):
            raise argument_error(function, "The two structures don't have the same nested "
                                 f"structure: fn returned {nest_count(out)} tensors for an "
                                 f"accumulator of {len(init_flat)}", ValueError)
        flat = [convert_to_tensor(v) for v in nest.flatten(out)]
        return flat, (list(flat) if stacked else [])

    node, _ = _loop(function, step, elems_used, init_flat, len(init_flat) if stacked else 0,
                    reverse, back_prop, parallel_iterations, swap_memory, name)
    m = len(init_flat)
    if not stacked:
        return nest.pack_sequence_as(init, list(node.outputs[1:1 + m]))
    results = list(node.outputs[1 + m:1 + 2 * m])
    with graph.name_scope(name + "_stack"):
        if reverse:
            results = [gather(t, range_(shape(t)[0] - 1, -1, -1)) for t in results]
        if skip_first:
            firsts = nest.flatten(init)
            results = ([concat([r, expand_dims(f, 0)], 0) for r, f in zip(results, firsts)]
                       if reverse else
                       [concat([expand_dims(f, 0), r], 0) for r, f in zip(results, firsts)])
    n0 = flat_elems[0].shape[0]
    results = [_set_leading(t, n0) if infer_shape else t for t in results]
    return nest.pack_sequence_as(init, results)


def foldl(fn, elems, initializer=None, parallel_iterations: int = 10, back_prop: bool = True,
          swap_memory: bool = False, name: str | None = None):
    """`fn(acc, x)` folded over `elems` from the first element (TF1's foldl).

    Args:
        fn: A function of (accumulator, element) returning the next accumulator.
        elems: A tensor or a nest of tensors with one first dimension.
        initializer: The first accumulator (default: the first element).
        parallel_iterations: TF1's concurrency hint; iterations run in order, so it changes nothing.
        back_prop: Record what gradients need (False: no gradient through the loop).
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        name: The name scope of the ops.

    Returns:
        The last accumulator.

    Examples:
        >>> product = tf.foldl(lambda acc, v: acc * v, tf.constant([1., 2., 3., 4.]))
        >>> with tf.Session() as sess:
        ...     print(sess.run(product))
        24.0
    """
    if not callable(fn):
        raise argument_error("foldl", "fn must be callable.", TypeError)
    return _scan_like("foldl", fn, elems, initializer, parallel_iterations, back_prop,
                      swap_memory, False, False, name or "foldl", stacked=False)


def foldr(fn, elems, initializer=None, parallel_iterations: int = 10, back_prop: bool = True,
          swap_memory: bool = False, name: str | None = None):
    """`fn(acc, x)` folded over `elems` from the last element (TF1's foldr).

    Args:
        fn: A function of (accumulator, element) returning the next accumulator.
        elems: A tensor or a nest of tensors with one first dimension.
        initializer: The first accumulator (default: the last element).
        parallel_iterations: TF1's concurrency hint; iterations run in order, so it changes nothing.
        back_prop: Record what gradients need (False: no gradient through the loop).
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        name: The name scope of the ops.

    Returns:
        The last accumulator.

    Examples:
        >>> folded = tf.foldr(lambda acc, v: acc - v, tf.constant([1., 2., 3.]), initializer=0.0)
        >>> with tf.Session() as sess:
        ...     print(sess.run(folded))
        -6.0
    """
    if not callable(fn):
        raise argument_error("foldr", "fn must be callable.", TypeError)
    return _scan_like("foldr", fn, elems, initializer, parallel_iterations, back_prop,
                      swap_memory, False, True, name or "foldr", stacked=False)
