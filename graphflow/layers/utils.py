"""Helpers the layers share: argument normalisation and late access to `graphflow.nn`."""

from __future__ import annotations


def tuple_of(value, n: int, what: str) -> tuple:
    """An int or n ints (kernel_size, strides, dilation_rate, pool_size) as a tuple of n."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{what}` must be an int or a tuple of {n} ints, got {value}")
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


def bias_add(value, bias):
    """`nn.bias_add` where it exists; a broadcasting add otherwise."""
    from graphflow import nn

    if hasattr(nn, "bias_add"):
        return nn.bias_add(value, bias)
    from graphflow.ops.elementwise import add

    return add(value, bias, name="BiasAdd")


def known_dim(inputs, axis: int, layer: str) -> int:
    dim = inputs.shape[axis]
    if dim is None:
        raise ValueError(f"The {'last' if axis == -1 else f'axis {axis}'} dimension of the "
                         f"inputs to `{layer}` should be defined, got {inputs.describe()}")
    return dim


def choose(training, if_true, if_false):
    """`if_true` where the scalar bool tensor `training` is true, else `if_false`, keeping their
    static shape as TF1's smart_cond does (a `tf.placeholder(tf.bool)` has no known rank)."""
    from graphflow.ops.gather import where

    if training.shape.rank not in (None, 0):
        raise ValueError(f"`training` must be a scalar bool tensor, got {training.describe()}")
    out = where(training, if_true, if_false)
    out.set_shape(if_true.shape.merge_with(if_false.shape))
    return out


def add_kernel_and_bias(layer, kernel_shape, bias_size: int) -> None:
    """`layer.kernel` (and `layer.bias` when `layer.use_bias`) made with the layer's own
    initializer, regularizer and constraint attributes: the build step Dense and the
    convolutions share, in tf.layers and in Keras."""
    layer.kernel = layer.add_weight("kernel", kernel_shape,
                                    initializer=layer.kernel_initializer,
                                    regularizer=layer.kernel_regularizer,
                                    constraint=layer.kernel_constraint)
    if layer.use_bias:
        layer.bias = layer.add_weight("bias", [bias_size], initializer=layer.bias_initializer,
                                      regularizer=layer.bias_regularizer,
                                      constraint=layer.bias_constraint)
