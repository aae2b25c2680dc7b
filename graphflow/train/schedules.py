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
    """lr * decay_rate ** (step / decay_steps), the exponent floored when `staircase`."""
    lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
    return ew.multiply(lr, ew.pow(convert_to_tensor(decay_rate, dtype_hint=lr.dtype), p),
                       name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """lr / (1 + decay_rate * step / decay_steps)."""
    lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
    return ew.divide(lr, 1 + float(decay_rate) * p, name=name)


def piecewise_constant(x, boundaries, values, name=None):
    """values[i] while x <= boundaries[i] (the first such i), values[-1] beyond them all."""
    if len(values) != len(boundaries) + 1:
        raise ValueError("piecewise_constant needs len(values) == len(boundaries) + 1")
    x = convert_to_tensor(x)
    vals = [convert_to_tensor(v, dtype="float32") if not hasattr(v, "dtype") else v
            for v in values]
    dtype = vals[0].dtype
    xf = cast(x, "float64")
    # Sum of step functions: values[0] + sum_i (values[i+1]-values[i]) * [x > boundaries[i]].
    result = vals[0]
    for b, lo, hi in zip(boundaries, vals[:-1], vals[1:]):
        above = cast(ew.greater(xf, float(b)), dtype)
        result = result + above * (hi - lo)
    return result if name is None else ew.multiply(result, 1, name=name)
