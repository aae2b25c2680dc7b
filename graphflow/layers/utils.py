"""Helpers the layers share: argument normalisation and late access to `graphflow.nn`."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph


def pair(value, what: str) -> tuple[int, int]:
    """An int or a pair of ints (kernel_size, strides, pool_size) as a pair."""
    if isinstance(value, int):
        return value, value
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"`{what}` must be an int or a pair of ints, got {value}")
    return value


def padding_of(padding: str) -> str:
    """Keras-style 'valid'/'same' (any case) as the op attribute 'VALID'/'SAME'."""
    upper = str(padding).upper()
    if upper not in ("VALID", "SAME"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return upper


def channels_last(data_format: str, layer: str) -> None:
    if data_format not in ("channels_last", "NHWC"):
        raise ValueError(f"{layer} supports data_format='channels_last' (NHWC) only, got "
                         f"{data_format!r}; transpose the input first")


def nn_function(name: str):
    """`graphflow.nn.<name>`, looked up when a layer is built rather than at import."""
    from graphflow import nn

    return getattr(nn, name)


def attach_constraints(**constraints) -> None:
    """Give the current scope's variables their TF1 constraints (`kernel=fn`, `bias=fn`);
    optimizers apply a variable's constraint right after each update of it."""
    from graphflow.variable_scope import _state, get_variable_scope

    scope = get_variable_scope().name
    store = _state().variables
    for short, fn in constraints.items():
        if fn is None:
            continue
        if not callable(fn):
            raise TypeError(f"{short}_constraint must be a function of the variable, got {fn!r}")
        var = store.get(f"{scope}/{short}" if scope else short)
        if var is not None:
            var.constraint = fn


def bias_add(value, bias):
    """`nn.bias_add` where it exists; a broadcasting add otherwise."""
    from graphflow import nn

    if hasattr(nn, "bias_add"):
        return nn.bias_add(value, bias)
    from graphflow.ops.elementwise import add

    return add(value, bias, name="BiasAdd")


def finish(outputs, activation, activity_regularizer):
    """Apply the activation, and record the activity penalty as TF1's layers do."""
    if activation is not None:
        outputs = activation(outputs)
    if activity_regularizer is not None:
        with get_default_graph().name_scope("ActivityRegularizer"):
            loss = activity_regularizer(outputs)
        if loss is not None:
            get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return outputs


def known_dim(inputs, axis: int, layer: str) -> int:
    dim = inputs.shape[axis]
    if dim is None:
        raise ValueError(f"The {'last' if axis == -1 else f'axis {axis}'} dimension of the "
                         f"inputs to `{layer}` should be defined, got {inputs.describe()}")
    return dim
