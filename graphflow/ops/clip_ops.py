"""Gradient clipping as TF1 writes it: `clip_by_norm`, `global_norm`, `clip_by_global_norm`.

Composites of existing ops, so their gradients come from those ops. TF1's formulas:
clip_by_norm: t * clip_norm / max(l2norm(t), clip_norm) (over `axes`, all by default);
clip_by_global_norm: each t * clip_norm / max(global_norm, clip_norm), and the global norm.
"""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import maximum, sqrt
from graphflow.ops.matmul import add_n
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.state import identity

__all__ = ["clip_by_global_norm", "clip_by_norm", "global_norm"]


def clip_by_norm(t, clip_norm, axes=None, name: str | None = None):
    """`t` scaled down so its L2 norm over `axes` is at most `clip_norm`.

    Args:
        t: A floating tensor.
        clip_norm: The largest norm allowed (a positive scalar).
        axes: The axes to take the norm over (None: all of them).
        name: A name for the ops' scope.

    Returns:
        A Tensor of t's shape: t itself where its norm is within `clip_norm`, else t times
        clip_norm / norm.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.clip_by_norm([3., 4.], 1.)))
        [0.6 0.8]
    """
    with get_default_graph().name_scope(name or "clip_by_norm") as scope:
        t = convert_to_tensor(t, name="t")
        if not t.dtype.is_floating:
            raise TypeError(f"clip_by_norm needs a floating tensor, got {t.describe()}")
        clip = convert_to_tensor(clip_norm, dtype=t.dtype, name="clip_norm")
        norm = sqrt(reduce_sum(t * t, axes, keepdims=True))
        return identity(t * clip / maximum(norm, clip), name=scope)


def global_norm(t_list, name: str | None = None):
    """sqrt(sum of the squared L2 norms of the tensors in `t_list`); None entries are skipped.

    Args:
        t_list: A list of tensors (None entries allowed, as `gradients` gives them).
        name: A name for the ops' scope.

    Returns:
        A scalar Tensor (0.0 when the list holds no tensor).

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.global_norm([tf.constant([3.]), None, tf.constant([4.])])))
        5.0
    """
    if isinstance(t_list, (str, bytes)) or not hasattr(t_list, "__iter__"):
        raise TypeError(f"t_list must be a sequence of tensors, got {type(t_list).__name__}")
    with get_default_graph().name_scope(name or "global_norm") as scope:
        tensors = [convert_to_tensor(t) for t in t_list if t is not None]
        if not tensors:
            return convert_to_tensor(0.0, name=scope)
        squares = [reduce_sum(t * t) for t in tensors]
        total = add_n(squares) if len(squares) > 1 else squares[0]
        return sqrt(total, name=scope)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name: str | None = None):
    """(list of clipped tensors, the global norm): each scaled by clip / max(norm, clip).

    The usual guard against exploding gradients: clip the gradients together, keeping their
    direction.

    Args:
        t_list: A list of tensors (None entries stay None).
        clip_norm: The largest global norm allowed.
        use_norm: A global norm already computed (default: `global_norm(t_list)`).
        name: A name for the ops' scope.

    Returns:
        A pair `(clipped tensors, global norm before clipping)`.

    Examples:
        >>> clipped, norm = tf.clip_by_global_norm([tf.constant([3.]), tf.constant([4.])], 1.)
        >>> with tf.Session() as sess:
        ...     print(sess.run(clipped), sess.run(norm))
        [array([0.6], dtype=float32), array([0.8], dtype=float32)] 5.0
    """
    t_list = list(t_list)
    norm = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
    with get_default_graph().name_scope(name or "clip_by_global_norm"):
        clip = convert_to_tensor(clip_norm, dtype=norm.dtype, name="clip_norm")
        scale = clip / maximum(norm, clip)
        clipped = [None if t is None else identity(convert_to_tensor(t) * scale)
                   for t in t_list]
    return clipped, norm
