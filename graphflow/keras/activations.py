"""Keras's activation functions by name (`activations.get("relu")`), on graphflow's ops.

Keras 2's formulas: `relu(x, alpha, max_value, threshold)`, `hard_sigmoid` = clip(0.2x + 0.5, 0, 1),
`softmax(x, axis=-1)`; `get`/`serialize`/`deserialize` map names to functions, as layers store
their activation by name in `get_config`.
"""

from __future__ import annotations

from graphflow.core.site import argument_error
from graphflow.ops.constant import convert_to_tensor

__all__ = ["deserialize", "elu", "exponential", "get", "hard_sigmoid", "linear", "relu",
           "selu", "serialize", "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh"]


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with slope `alpha` below `threshold` and a cap at `max_value` (Keras 2):
    clip(x·[x > threshold], 0, max_value) - alpha·relu(threshold - x)."""
    from graphflow.ops import elementwise as el
    from graphflow.ops.cast import cast
    from graphflow.ops.reduce import clip_by_value

    x = convert_to_tensor(x)
    if threshold != 0.0:
        out = x * cast(el.greater(x, threshold), x.dtype)
    else:
        out = el.relu(x)
    if max_value is not None:
        out = clip_by_value(out, 0.0, float(max_value))
    if alpha != 0.0:
        out = out - el.relu(threshold - x) * alpha
    return out


def sigmoid(x):
    from graphflow.ops.elementwise import sigmoid as _sigmoid

    return _sigmoid(convert_to_tensor(x))


def tanh(x):
    from graphflow.ops.elementwise import tanh as _tanh

    return _tanh(convert_to_tensor(x))


def softmax(x, axis=-1):
    """exp(x) normalised along `axis`; Keras refuses 1-D inputs, as here."""
    from graphflow.nn import softmax as _softmax

    x = convert_to_tensor(x)
    if x.shape.rank == 1:
        raise argument_error("softmax", f"Cannot apply softmax to a tensor that is 1D. "
                             f"Received input: {x.describe()}")
    return _softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """x for x > 0, alpha·(exp(x) - 1) otherwise."""
    from graphflow.ops import elementwise as el
    from graphflow.ops.cast import cast
    from graphflow.ops.nn_activations import elu as _elu

    x = convert_to_tensor(x)
    out = _elu(x)
    if alpha == 1.0:
        return out
    positive = cast(el.greater(x, 0.0), x.dtype)
    return positive * out + (1.0 - positive) * out * alpha


def selu(x):
    from graphflow.ops.nn_activations import selu as _selu

    return _selu(convert_to_tensor(x))


def softplus(x):
    from graphflow.ops.nn_activations import softplus as _softplus

    return _softplus(convert_to_tensor(x))


def softsign(x):
    from graphflow.ops.nn_activations import softsign as _softsign

    return _softsign(convert_to_tensor(x))


def hard_sigmoid(x):
    """clip(0.2·x + 0.5, 0, 1): Keras 2's piecewise-linear sigmoid."""
    from graphflow.ops.reduce import clip_by_value

    return clip_by_value(convert_to_tensor(x) * 0.2 + 0.5, 0.0, 1.0)


def exponential(x):
    from graphflow.ops.elementwise import exp

    return exp(convert_to_tensor(x))


def swish(x):
    """x · sigmoid(x)."""
    from graphflow.ops.elementwise import sigmoid as _sigmoid

    x = convert_to_tensor(x)
    return x * _sigmoid(x)


def linear(x):
    """The identity: what `activation=None` means."""
    return x


_BY_NAME = {f.__name__: f for f in (relu, sigmoid, tanh, softmax, elu, selu, softplus,
                                     softsign, hard_sigmoid, exponential, swish, linear)}


def serialize(activation) -> str:
    """The name a layer's config stores for `activation` (a function of this module)."""
    if activation is None:
        return "linear"
    name = getattr(activation, "__name__", None)
    if name in _BY_NAME and _BY_NAME[name] is activation:
        return name
    if name is not None and name != "<lambda>":
        return name  # a custom function: deserialize needs it in custom_objects
    raise ValueError(f"Cannot serialize the activation {activation!r}: give it a name (a def) "
                     "and pass it in custom_objects when loading")


def deserialize(name, custom_objects=None):
    """The function called `name` here or in `custom_objects`."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if isinstance(name, dict):  # {"class_name": ..., "config": ...} of an activation layer
        name = name.get("class_name", name)
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown activation function: {name!r}. Known: "
                         f"{', '.join(sorted(_BY_NAME))}; pass others in custom_objects") \
            from None


def get(identifier):
    """A function from a name, a function, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
