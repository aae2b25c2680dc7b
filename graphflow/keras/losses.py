"""Keras's losses: per-sample functions `fn(y_true, y_pred) -> [batch]` (the mean over the last
axis) and Loss objects that reduce them to a scalar.

Cross-entropies on probabilities (`from_logits=False`) clip them to [ε, 1-ε], ε = 1e-7, as Keras
2 does; when `y_pred` is the direct output of a Softmax / Sigmoid op, Keras (graph mode) reads the
op's logits instead, for stability, and so does this module. For the engine: `get(identifier)`
always returns a per-sample function; a Loss object's per-sample function is its `fn` attribute
(its config arguments bound, `fn.__name__` the loss's name).
"""

from __future__ import annotations

import functools

from graphflow.core.site import argument_error
from graphflow.ops import elementwise as el
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.reduce import clip_by_value, reduce_max, reduce_mean, reduce_sum

__all__ = [
    "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity",
    "Hinge", "Huber", "KLDivergence", "LogCosh", "Loss", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
    "SparseCategoricalCrossentropy", "SquaredHinge", "binary_crossentropy",
    "categorical_crossentropy", "categorical_hinge", "cosine_similarity", "deserialize", "get",
    "hinge", "huber", "kl_divergence", "log_cosh", "logcosh", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "poisson", "serialize", "sparse_categorical_crossentropy", "squared_hinge",
]

EPSILON = 1e-7  # Keras's backend epsilon()


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    if y_true.dtype is not y_pred.dtype:
        y_true = cast(y_true, y_pred.dtype)
    return y_true, y_pred


def _logits_of(t, op_type: str):
    """The input of `t`'s op when `t` is a Softmax / Sigmoid output, else None."""
    op = getattr(t, "op", None)
    if op is not None and op.type == op_type and len(op.inputs) == 1:
        return op.inputs[0]
    return None


# --- regression ---------------------------------------------------------------------------------
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(el.square(y_pred - y_true), -1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(el.abs(y_pred - y_true), -1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 · mean(|y_true - y_pred| / max(|y_true|, ε))."""
    y_true, y_pred = _pair(y_true, y_pred)
    diff = el.abs((y_true - y_pred) / el.maximum(el.abs(y_true), EPSILON))
    return reduce_mean(diff, -1) * 100.0


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    first = el.log(el.maximum(y_pred, EPSILON) + 1.0)
    second = el.log(el.maximum(y_true, EPSILON) + 1.0)
    return reduce_mean(el.square(first - second), -1)


def huber(y_true, y_pred, delta=1.0):
    """0.5·e² where |e| <= delta, delta·|e| - 0.5·delta² beyond (e = y_pred - y_true)."""
    from graphflow.ops.gather import where

    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = el.abs(error)
    quadratic = el.square(error) * 0.5
    linear = abs_error * delta - 0.5 * delta * delta
    return reduce_mean(where(el.less_equal(abs_error, delta), quadratic, linear), -1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(e))), computed as e + softplus(-2e) - log 2 so large |e| do not overflow."""
    import math

    from graphflow.ops.nn_activations import softplus

    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return reduce_mean(x + softplus(x * -2.0) - math.log(2.0), -1)


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(y_pred - y_true * el.log(y_pred + EPSILON), -1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """-Σ normalise(y_true)·normalise(y_pred): -1 for parallel vectors (a loss to minimise)."""
    from graphflow.nn import l2_normalize

    y_true, y_pred = _pair(y_true, y_pred)
    return -reduce_sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis)


# --- hinge --------------------------------------------------------------------------------------
def _signed_labels(y_true):
    """Labels that are all 0 or 1 become -1 or 1, as Keras's hinge losses expect; others are
    kept (the test runs on the values, so it is made at run time)."""
    from graphflow.ops.reduce import reduce_all

    binary = cast(reduce_all(el.logical_or(el.equal(y_true, 0.0), el.equal(y_true, 1.0))),
                  y_true.dtype)
    return binary * (y_true * 2.0 - 1.0) + (1.0 - binary) * y_true


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return reduce_mean(el.maximum(1.0 - y_true * y_pred, 0.0), -1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return reduce_mean(el.square(el.maximum(1.0 - y_true * y_pred, 0.0)), -1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    pos = reduce_sum(y_true * y_pred, -1)
    neg = reduce_max((1.0 - y_true) * y_pred, -1)
    return el.maximum(neg - pos + 1.0, 0.0)


# --- probabilistic ------------------------------------------------------------------------------
def kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = clip_by_value(y_true, EPSILON, 1.0)
    y_pred = clip_by_value(y_pred, EPSILON, 1.0)
    return reduce_sum(y_true * el.log(y_true / y_pred), -1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-Σ y_true·log(p) over `axis`, p = y_pred renormalised and clipped to [ε, 1-ε]."""
    from graphflow.nn import softmax_cross_entropy_with_logits_v2

    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = y_pred.shape[-1]
        if classes is None:
            raise argument_error("categorical_crossentropy", "label_smoothing needs the number "
                                 f"of classes known; y_pred is {y_pred.describe()}")
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    logits = y_pred if from_logits else _logits_of(y_pred, "Softmax")
    if logits is not None and axis in (-1, (y_pred.shape.rank or 0) - 1):
        return softmax_cross_entropy_with_logits_v2(labels=y_true, logits=logits)
    probs = y_pred / reduce_sum(y_pred, axis, keepdims=True)
    probs = clip_by_value(probs, EPSILON, 1.0 - EPSILON)
    return -reduce_sum(y_true * el.log(probs), axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Cross-entropy against integer class labels ([batch] or [batch, 1])."""
    from graphflow.nn import sparse_softmax_cross_entropy_with_logits
    from graphflow.ops.array import reshape, squeeze

    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    if axis not in (-1, (y_pred.shape.rank or 0) - 1):
        raise argument_error("sparse_categorical_crossentropy", "only the last axis can hold "
                             f"the classes, got axis={axis}")
    logits = y_pred if from_logits else _logits_of(y_pred, "Softmax")
    if logits is None:
        logits = el.log(clip_by_value(y_pred, EPSILON, 1.0 - EPSILON))
    rank = logits.shape.rank
    labels = y_true
    if labels.shape.rank is not None and rank is not None and labels.shape.rank == rank:
        labels = squeeze(labels, [-1])
    if not labels.dtype.is_integer:
        labels = cast(labels, "int64")
    if rank is not None and rank > 2:  # e.g. [batch, time, classes]: flatten, then restore
        from graphflow.ops.shape_ops import shape as shape_of

        flat = sparse_softmax_cross_entropy_with_logits(
            labels=reshape(labels, [-1]), logits=reshape(logits, [-1, logits.shape[-1]]))
        return reshape(flat, shape_of(labels))
    return sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean over `axis` of -(y·log(p + ε) + (1-y)·log(1 - p + ε)), p clipped to [ε, 1-ε]."""
    from graphflow.nn import sigmoid_cross_entropy_with_logits

    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _logits_of(y_pred, "Sigmoid")
    if logits is not None:
        return reduce_mean(sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits), axis)
    p = clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
    bce = y_true * el.log(p + EPSILON) + (1.0 - y_true) * el.log(1.0 - p + EPSILON)
    return reduce_mean(-bce, axis)


# Keras's short and old names
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
cosine_proximity = cosine_similarity
huber_loss = huber

_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": mse,
    "mean_absolute_error": mean_absolute_error, "mae": mae, "MAE": mae,
    "mean_absolute_percentage_error": mape, "mape": mape, "MAPE": mape,
    "mean_squared_logarithmic_error": msle, "msle": msle, "MSLE": msle,
    "kullback_leibler_divergence": kld, "kl_divergence": kld, "kld": kld, "KLD": kld,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "logcosh": log_cosh, "log_cosh": log_cosh, "huber": huber, "huber_loss": huber,
    "poisson": poisson, "cosine_similarity": cosine_similarity,
    "cosine_proximity": cosine_similarity,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}


# --- Loss objects -------------------------------------------------------------------------------
class Loss:
    """A loss with its arguments: `loss(y_true, y_pred, sample_weight=None)` is the scalar
    Σ(per-sample · weight) / count (Keras's 'sum_over_batch_size'; 'sum' and 'none' too);
    `loss.fn(y_true, y_pred)` the per-sample values the engine reduces itself."""

    function = None  # the module function a subclass wraps
    reductions = ("auto", "sum_over_batch_size", "sum", "none")

    def __init__(self, reduction="auto", name=None, **kwargs):
        if reduction not in self.reductions:
            raise ValueError(f"Invalid reduction {reduction!r} for {type(self).__name__}: use "
                             f"one of {', '.join(self.reductions)}")
        self.reduction = reduction
        self.name = name or _snake(type(self).__name__)
        self._fn_kwargs = kwargs
        if type(self).function is not None:
            fn = functools.partial(type(self).function, **kwargs)
        else:  # a user's subclass that overrides call

            def fn(y_true, y_pred):
                return self.call(y_true, y_pred)

        fn.__name__ = self.name
        self.fn = fn

    def call(self, y_true, y_pred):
        """The per-sample losses; a subclass of Loss overrides this."""
        if type(self).function is None:
            raise TypeError(f"{type(self).__name__} subclasses Loss: override "
                            "call(y_true, y_pred) to return the per-sample losses")
        return type(self).function(y_true, y_pred, **self._fn_kwargs)

    def __call__(self, y_true, y_pred, sample_weight=None):
        from graphflow.core.graph import get_default_graph
        from graphflow.ops.shape_ops import size

        with get_default_graph().name_scope(self.name):
            losses = self.call(y_true, y_pred)
            if sample_weight is not None:
                weight = convert_to_tensor(sample_weight, dtype_hint=losses.dtype)
                losses = losses * cast(weight, losses.dtype)
            if self.reduction == "none":
                return losses
            total = reduce_sum(losses)
            if self.reduction == "sum":
                return total
            return total / cast(size(losses), losses.dtype)

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake(name: str) -> str:
    from graphflow.layers.base import to_snake_case

    return to_snake_case(name)


def _loss_class(name, function, doc, **defaults):
    """A Loss subclass over `function` whose constructor takes `defaults` by keyword."""

    def __init__(self, *args, reduction="auto", name=None, **kwargs):
        if len(args) > len(defaults):
            raise TypeError(f"{type(self).__name__}() takes at most {len(defaults)} positional "
                            f"arguments ({', '.join(defaults)})")
        values = dict(defaults)
        values.update(zip(defaults, args))
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: "
                            f"{', '.join(sorted(unknown))}")
        values.update(kwargs)
        Loss.__init__(self, reduction=reduction, name=name, **values)

    return type(name, (Loss,), {"function": staticmethod(function), "__init__": __init__,
                                "__doc__": doc, "__module__": __name__})


MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean((y_pred - y)²).")
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error, "mean(|y_pred - y|).")
MeanAbsolutePercentageError = _loss_class("MeanAbsolutePercentageError", mape,
                                          "100·mean(|y - y_pred| / |y|).")
MeanSquaredLogarithmicError = _loss_class("MeanSquaredLogarithmicError", msle,
                                          "mean((log(y_pred + 1) - log(y + 1))²).")
Hinge = _loss_class("Hinge", hinge, "mean(max(1 - y·y_pred, 0)), labels 0/1 read as -1/1.")
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, "mean(max(1 - y·y_pred, 0)²).")
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge,
                               "max(max_neg - pos + 1, 0) over one-hot labels.")
LogCosh = _loss_class("LogCosh", log_cosh, "mean(log(cosh(y_pred - y))).")
Poisson = _loss_class("Poisson", poisson, "mean(y_pred - y·log(y_pred)).")
KLDivergence = _loss_class("KLDivergence", kl_divergence, "Σ y·log(y / y_pred).")
Huber = _loss_class("Huber", huber, "Quadratic within delta, linear beyond.", delta=1.0)
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity,
                               "-cos(y, y_pred) along axis.", axis=-1)
BinaryCrossentropy = _loss_class("BinaryCrossentropy", binary_crossentropy,
                                 "Binary cross-entropy on probabilities or logits.",
                                 from_logits=False, label_smoothing=0.0, axis=-1)
CategoricalCrossentropy = _loss_class("CategoricalCrossentropy", categorical_crossentropy,
                                      "Cross-entropy against one-hot labels.",
                                      from_logits=False, label_smoothing=0.0, axis=-1)
SparseCategoricalCrossentropy = _loss_class("SparseCategoricalCrossentropy",
                                            sparse_categorical_crossentropy,
                                            "Cross-entropy against integer labels.",
                                            from_logits=False, axis=-1)

_CLASSES = {c.__name__: c for c in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, Hinge, SquaredHinge, CategoricalHinge, LogCosh, Poisson,
    KLDivergence, Huber, CosineSimilarity, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy)}


def serialize(loss):
    """A function's name, or a Loss object's `{"class_name", "config"}`."""
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    name = getattr(loss, "__name__", None)
    if name is None or name == "<lambda>":
        raise ValueError(f"Cannot serialize the loss {loss!r}: give it a name (a def) and pass "
                         "it in custom_objects when loading")
    return name


def deserialize(name, custom_objects=None):
    """The loss function or Loss object `serialize` described."""
    custom_objects = custom_objects or {}
    if isinstance(name, dict):
        cls = custom_objects.get(name["class_name"]) or _CLASSES.get(name["class_name"])
        if cls is None:
            raise ValueError(f"Unknown loss class {name['class_name']!r}")
        return cls(**dict(name.get("config") or {}))
    found = custom_objects.get(name) or _FUNCTIONS.get(name)
    if found is None and name in _CLASSES:
        found = _CLASSES[name]()
    if found is None:
        raise ValueError(f"Unknown loss function: {name!r}. Known: "
                         f"{', '.join(sorted(_FUNCTIONS))}; pass others in custom_objects")
    return found


def get(identifier):
    """The per-sample function `fn(y_true, y_pred) -> [batch]` for a name ('mse'), a config, a
    function or a Loss object (its `fn`)."""
    if isinstance(identifier, (str, dict)):
        identifier = deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        identifier = identifier()
    if isinstance(identifier, Loss):
        return identifier.fn
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss function identifier: {identifier!r}")
