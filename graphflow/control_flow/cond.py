"""`cond` and `case` with TF1's signatures: only ops built inside a branch are conditional."""

from __future__ import annotations

from graphflow import nest
from graphflow.control_flow.build import build_if
from graphflow.core.dtypes import bool_
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import DTypeError
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import graph_of


def _structure_error(function, a, b):
    return argument_error(function, "The two structures don't have the same nested structure: "
                          f"true_fn returned {_describe(a)}, false_fn {_describe(b)}", ValueError)


def _describe(s) -> str:
    if isinstance(s, (list, tuple, dict)):
        return f"a {type(s).__name__} of {len(nest.flatten(s))} tensors"
    return "one tensor"


def cond(pred, true_fn=None, false_fn=None, strict: bool = False, name: str | None = None,
         fn1=None, fn2=None):
    """`true_fn()` if `pred` else `false_fn()`, as one If node (TF1's `tf.cond`).

    Only the ops the branch functions build are conditional: a tensor built outside and used
    in a branch is computed whatever `pred` is. The branches must return the same structure and
    dtypes; shapes are merged. A single-element list is unpacked unless `strict`.

    Args:
        pred: A scalar bool tensor.
        true_fn: A function of no arguments returning tensors (or a nest of them).
        false_fn: A function returning the same structure and dtypes.
        strict: Keep a single-element list as a list.
        name: A name for the op.
        fn1: TF1's deprecated name for `true_fn`.
        fn2: TF1's deprecated name for `false_fn`.

    Returns:
        The chosen branch's tensors, in the branches' structure.

    Examples:
        >>> x = tf.placeholder(tf.float32, [], name="x")
        >>> y = tf.cond(x > 0, lambda: x * 10.0, lambda: -x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y, {x: 2.0}), sess.run(y, {x: -3.0}))
        20.0 3.0
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if true_fn is None:
        raise argument_error("cond", "'true_fn' argument required", TypeError)
    if false_fn is None:
        raise argument_error("cond", "'false_fn' argument required", TypeError)
    if not callable(true_fn):
        raise argument_error("cond", "'true_fn' must be callable.", TypeError)
    if not callable(false_fn):
        raise argument_error("cond", "'false_fn' must be callable.", TypeError)
    if isinstance(pred, bool):
        raise argument_error("cond", "'pred' must not be a Python bool.", TypeError)
    pred = convert_to_tensor(pred)
    if pred.dtype is not bool_:
        raise argument_error("cond", f"'pred' must be a bool tensor, got {pred.describe()}",
                             DTypeError)
    if pred.shape.rank not in (None, 0):
        raise argument_error("cond", f"'pred' must be a scalar (rank 0), got {pred.describe()}",
                             ValueError)
    graph = graph_of([pred])
    results = {}

    def branch(fn, key):
        def traced():
            out = fn()
            results[key] = out
            return nest.flatten(out)
        return traced

    with graph.name_scope(name or "cond") as scope:
        outs = build_if(graph, pred, branch(true_fn, "then"), branch(false_fn, "else"),
                        scope[:-1])
    a, b = results["then"], results["else"]
    if not nest.same_structure(a, b):
        raise _structure_error("cond", a, b)
    packed = nest.pack_sequence_as(a, outs)
    if not strict and isinstance(packed, (list, tuple)) and len(packed) == 1 \
            and not hasattr(packed, "_fields"):
        return packed[0]
    return packed


def case(pred_fn_pairs, default=None, exclusive: bool = False, strict: bool = False,
         name: str = "case"):
    """The function of the first true predicate (or `default`), as nested conds (TF1's
    `tf.case`). With `exclusive`, more than one true predicate is an error at run time.

    Args:
        pred_fn_pairs: A list of (bool tensor, function) pairs, or a dict from one to the other.
        default: The function when no predicate is true.
        exclusive: Raise at run time when more than one predicate is true.
        strict: Keep a single-element list as a list.
        name: The name scope of the ops.

    Returns:
        The chosen function's tensors.

    Examples:
        >>> x = tf.placeholder(tf.float32, [], name="x")
        >>> sign = tf.case([(x < 0, lambda: tf.constant(-1)), (x > 0, lambda: tf.constant(1))],
        ...                default=lambda: tf.constant(0))
        >>> with tf.Session() as sess:
        ...     print([sess.run(sign, {x: v}) for v in (-2.0, 0.0, 5.0)])
        [-1, 0, 1]
    """
    if isinstance(pred_fn_pairs, dict):
        pairs = list(pred_fn_pairs.items())
    else:
        pairs = list(pred_fn_pairs)
    for p in pairs:
        if not isinstance(p, tuple) or len(p) != 2:
            raise argument_error("case", f"Each entry in 'pred_fn_pairs' must be a 2-tuple. "
                                 f"Received {p}.", TypeError)
        if not callable(p[1]):
            raise argument_error("case", f"fn for pred {p[0]} must be callable.", TypeError)
    if default is None:
        if not pairs:
            raise argument_error("case", "'pred_fn_pairs' is empty and there is no default",
                                 ValueError)
        pairs, default = pairs[:-1], pairs[-1][1]  # TF1: the last function is the default
    graph = get_default_graph()
    with graph.name_scope(name) as scope:
        preds = [convert_to_tensor(p) for p, _ in pairs]
        if exclusive and len(preds) > 1:
            preds = [_exclusive_check(preds, scope)] + preds[1:]
        return _chain(list(zip(preds, [f for _, f in pairs])), default, strict)


def _chain(pairs, default, strict):
    if not pairs:
        return default()
    (pred, fn), rest = pairs[0], pairs[1:]
    return cond(pred, fn, lambda: _chain(rest, default, strict), strict=strict, name="cond")


def _exclusive_check(preds: list[Tensor], scope: str) -> Tensor:
    """The first predicate, checked at run time to be the only true one (CaseExclusive)."""
    from graphflow.control_flow.ops import CaseExclusive
    from graphflow.ops.registry import apply_op

    return apply_op(CaseExclusive(names=tuple(p.name for p in preds)), preds, name="exclusive")
