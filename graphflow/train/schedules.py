"""Learning-rate schedules built as graph ops of the global step (TF1's `tf.train.*_decay`)."""

from __future__ import annotations

from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor


def _step(global_step, dtype):
    if global_step is None:
        raise ValueError("global_step is required for a decay schedule")
    return cast(convert_to_tensor(global_step), dtype)


def _progress(learning_rate, global_step, decay_steps, staircase):
    """(lr as a tensor, step / decay_steps in lr's dtype, floored when `staircase`)."""
    lr = convert_to_tensor(learning_rate, dtype="float32") if not hasattr(learning_rate, "dtype") \
        else learning_rate
    p = _step(global_step, lr.dtype) / float(decay_steps)
    return lr, (ew.floor(p) if staircase else p)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """lr * decay_rate ** (step / decay_steps), the exponent floored when `staircase`.

    Args:
        learning_rate: The initial rate.
        global_step: The step (a variable or tensor; its value at run time counts).
        decay_steps: Steps per factor of decay_rate.
        decay_rate: The factor per decay_steps.
        staircase: Decay in whole steps of decay_steps.
        name: A name for the ops' scope.

    Returns:
        A scalar float32 Tensor to pass as an optimizer's learning_rate.

    Examples:
        >>> step = tf.placeholder(tf.int64, [])
        >>> lr = tf.train.exponential_decay(0.1, step, 100, 0.5)
        >>> with tf.Session() as sess:
        ...     print([round(float(sess.run(lr, {step: k})), 4) for k in (0, 50, 100)])
        [0.1, 0.0707, 0.05]
    """
    lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
    return ew.multiply(lr, ew.pow(convert_to_tensor(decay_rate, dtype_hint=lr.dtype), p),
                       name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """lr / (1 + decay_rate * step / decay_steps).

    Args:
        learning_rate: The initial rate.
        global_step: The step (a variable or tensor).
        decay_steps: The steps per unit of decay.
        decay_rate: The decay per decay_steps.
        staircase: Use floor(step / decay_steps).
        name: A name for the ops' scope.

    Returns:
        A scalar float32 Tensor.

    Examples:
        >>> step = tf.placeholder(tf.int64, [])
        >>> lr = tf.train.inverse_time_decay(0.1, step, 100, 1.0)
        >>> with tf.Session() as sess:
        ...     print([round(float(sess.run(lr, {step: k})), 4) for k in (0, 100)])
        [0.1, 0.05]
    """
    lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
    return ew.divide(lr, 1 + float(decay_rate) * p, name=name)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <= boundaries[i],
    values[-1] beyond them all: one value selected (never a sum of steps, which would round
    0.001 to 0.0009999983). Dtypes as in TF1: boundaries of x's dtype (int32 ones promoted for
    an int64 x), values all of one dtype.

    Args:
        x: A scalar tensor, usually the global step.
        boundaries: A list of increasing numbers (or scalar tensors) of x's dtype.
        values: One more value than boundaries, all of one dtype.
        name: The name scope of the ops.

    Returns:
        A scalar Tensor of values' dtype.

    Examples:
        >>> step = tf.placeholder(tf.int32, [])
        >>> lr = tf.train.piecewise_constant(step, [100, 200], [1.0, 0.5, 0.25])
        >>> with tf.Session() as sess:
        ...     print([float(sess.run(lr, {step: k})) for k in (50, 100, 150, 250)])
        [1.0, 1.0, 0.5, 0.25]
    """
    from graphflow.core.graph import get_default_graph
    from graphflow.ops.gather import where

    x = convert_to_tensor(x)
    bounds = [convert_to_tensor(b) for b in boundaries]
    vals = [convert_to_tensor(v) for v in values]
    for i, b in enumerate(bounds):
        if b.dtype is not x.dtype:
            if b.dtype.name == "int32" and x.dtype.name == "int64":
                bounds[i] = cast(b, x.dtype)
            else:
                raise ValueError(f"Boundaries (<dtype: '{b.dtype.name}'>) must have the same "
                                 f"dtype as x (<dtype: '{x.dtype.name}'>).")
    for v in vals[1:]:
        if v.dtype is not vals[0].dtype:
            raise ValueError(f"Values must have elements all with the same dtype (<dtype: "
                             f"'{vals[0].dtype.name}'> vs <dtype: '{v.dtype.name}'>).")
    if len(vals) != len(bounds) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values "
                         f"(piecewise_constant got {len(bounds)} boundaries and {len(vals)} "
                         "values)")
    with get_default_graph().name_scope(name or "PiecewiseConstant"):
        result = vals[-1]
        for b, v in zip(reversed(bounds), reversed(vals[:-1])):
            result = where(ew.less_equal(x, b), v, result)
        return result
