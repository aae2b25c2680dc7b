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
    """An op that sets `ref` to `value`; running it returns the new value."""
    return _variable(ref, "assign").assign(value, name=name)


def assign_add(ref, value, use_locking=None, name: str | None = None):
    """An op that adds `value` to `ref`; running it returns the new value."""
    return _variable(ref, "assign_add").assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name: str | None = None):
    """An op that subtracts `value` from `ref`; running it returns the new value."""
    return _variable(ref, "assign_sub").assign_sub(value, name=name)
