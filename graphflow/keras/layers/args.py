"""What the Keras layers share: their arguments read through the Keras modules (names, configs or
objects) and written back JSON-serialisable for `get_config`, and the training flag."""

from __future__ import annotations

from graphflow.keras import activations, constraints, initializers, regularizers


def activation_arg(value):
    """The activation function for a name, a function or None (None stays None: no op)."""
    return None if value is None else activations.get(value)


def serialize_activation(fn):
    return activations.serialize(fn)


def serialize_object(obj, module):
    """`module.serialize(obj)` ({"class_name", "config"}), or None for None."""
    return None if obj is None else module.serialize(obj)


def weight_args(layer, **kwargs):
    """Set `<name>_initializer`, `_regularizer` and `_constraint` attributes on `layer` from
    the given Keras identifiers."""
    for key, value in kwargs.items():
        if key.endswith("_initializer"):
            value = initializers.get(value)
        elif key.endswith("_regularizer"):
            value = regularizers.get(value)
        elif key.endswith("_constraint"):
            value = constraints.get(value)
        setattr(layer, key, value)


def weight_config(layer, *keys) -> dict:
    """The serialised `<name>_initializer/_regularizer/_constraint` attributes named by keys."""
    out = {}
    for key in keys:
        value = getattr(layer, key)
        if key.endswith("_initializer"):
            out[key] = serialize_object(value, initializers)
        elif key.endswith("_regularizer"):
            out[key] = serialize_object(value, regularizers)
        elif key.endswith("_constraint"):
            out[key] = serialize_object(value, constraints)
    return out


def activity_config(layer) -> dict:
    return {"activity_regularizer": serialize_object(layer.activity_regularizer, regularizers)}


def training_value(training):
    """The training flag a layer acts on: a Python bool as given, None the learning phase."""
    if training is None:
        from graphflow.keras import backend

        return backend.learning_phase()
    return training


def in_training(training, if_true, if_false):
    """`if_true()` when training is True, `if_false()` when False, and a run-time choice of the
    two when it is a bool tensor (each branch built once)."""
    from graphflow.core.node import Tensor
    from graphflow.layers.utils import choose

    training = training_value(training)
    if not isinstance(training, Tensor):
        return if_true() if training else if_false()
    return choose(training, if_true(), if_false())


def int_tuple(value, n: int, what: str, layer: str) -> tuple:
    """An int or n ints as a tuple of n, with the layer named in the error."""
    if isinstance(value, int):
        return (value,) * n
    try:
        out = tuple(int(v) for v in value)
    except TypeError:
        out = ()
    if len(out) != n:
        raise ValueError(f"{layer}: `{what}` must be an int or a tuple of {n} ints, got "
                         f"{value!r}")
    return out


def channels_last_only(data_format, layer: str) -> str:
    if data_format in (None, "channels_last"):
        return "channels_last"
    raise ValueError(f"{layer}: graphflow supports data_format='channels_last' only, got "
                     f"{data_format!r}; transpose the inputs to NHWC (channels last) first")
