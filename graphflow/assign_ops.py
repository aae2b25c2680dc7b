"""TF1's functional variable updates: `tf.assign(ref, value)`, `assign_add`, `assign_sub`."""

from __future__ import annotations

from graphflow.variables import Variable

__all__ = ["assign", "assign_add", "assign_sub"]


def _variable(ref, fn: str) -> Variable:
    if not isinstance(ref, Variable):
        what = ref.describe() if hasattr(ref, "describe") else repr(ref)
        raise TypeError(f"{fn}(ref, ...) needs a Variable as ref, got {what}")
    return ref


def assign(ref, value, validate_shape=None, use_locking=None, name: str | None = None):
    """An op that sets `ref` to `value`; running it returns the new value.

    Args:
        ref: A Variable.
        value: The new value, of the variable's shape and dtype.
        validate_shape: TF1's flag; graphflow always checks the shape.
        use_locking: TF1's locking flag; it changes nothing.
        name: A name for the op.

    Returns:
        A Tensor: the new value, once the op has run.

    Examples:
        >>> v = tf.Variable([1, 2])
        >>> with tf.Session() as sess:
        ...     sess.run(v.initializer)
        ...     print(sess.run(tf.assign(v, [5, 6])))
        [5 6]
    """
    return _variable(ref, "assign").assign(value, name=name)


def assign_add(ref, value, use_locking=None, name: str | None = None):
    """An op that adds `value` to `ref`; running it returns the new value.

    Args:
        ref: A Variable.
        value: The value to add, of the variable's dtype.
        use_locking: TF1's locking flag; it changes nothing.
        name: A name for the op.

    Returns:
        A Tensor: the new value, once the op has run.

    Examples:
        >>> step = tf.Variable(0)
        >>> increment = tf.assign_add(step, 1)
        >>> with tf.Session() as sess:
        ...     sess.run(step.initializer)
        ...     print(sess.run(increment), sess.run(increment))
        1 2
    """
    return _variable(ref, "assign_add").assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name: str | None = None):
    """An op that subtracts `value` from `ref`; running it returns the new value.

    Args:
        ref: A Variable.
        value: The value to subtract, of the variable's dtype.
        use_locking: TF1's locking flag; it changes nothing.
        name: A name for the op.

    Returns:
        A Tensor: the new value, once the op has run.

    Examples:
        >>> v = tf.Variable(10.0)
        >>> with tf.Session() as sess:
        ...     sess.run(v.initializer)
        ...     print(sess.run(tf.assign_sub(v, 2.5)))
        7.5
    """
    return _variable(ref, "assign_sub").assign_sub(value, name=name)
