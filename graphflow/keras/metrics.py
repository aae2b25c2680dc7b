"""Keras's metric functions: `fn(y_true, y_pred) -> per-sample values` the engine averages.

The metric objects (`BinaryAccuracy(threshold=0.7)`, `TopKCategoricalAccuracy(k=3)`, ...) are
those functions with their arguments and a `name` the engine logs under; called directly they
return the per-sample values too (the engine keeps the running mean that Keras's stateful
objects keep themselves). Metrics that are not means of per-sample values (AUC, precision,
recall) are not provided.

'accuracy' / 'acc' are not resolved here: the engine picks binary, categorical or sparse
categorical accuracy from the loss, as Keras does. Losses double as metrics ('mse', 'mae',
'binary_crossentropy', ...).
"""

from __future__ import annotations

from graphflow.keras import losses as _losses
from graphflow.layers.base import to_snake_case
from graphflow.ops import elementwise as el
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.reduce import argmax, reduce_mean

__all__ = ["Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "CategoricalAccuracy",
           "CategoricalCrossentropy", "MeanAbsoluteError", "MeanMetricWrapper",
           "MeanSquaredError", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
           "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy", "accuracy",
           "binary_accuracy", "binary_crossentropy", "categorical_accuracy",
           "categorical_crossentropy", "deserialize", "get", "kld", "mae", "mape",
           "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error", "mse",
           "msle", "serialize", "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
           "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy"]


def accuracy(y_true, y_pred):
    """1 where y_true == y_pred exactly (Keras's `Accuracy`; the string 'accuracy' in compile
    means the loss-dependent accuracy instead)."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
    return cast(el.equal(y_true, y_pred), y_pred.dtype)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """mean over the last axis of [y_true == (y_pred > threshold)]."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
    predicted = cast(el.greater(y_pred, threshold), y_pred.dtype)
    return reduce_mean(cast(el.equal(y_true, predicted), y_pred.dtype), -1)


def categorical_accuracy(y_true, y_pred):
    """1 where the arg max of the one-hot label and of the prediction agree, else 0."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    return cast(el.equal(argmax(y_true, -1), argmax(y_pred, -1)), y_pred.dtype)


def _flat_labels(y_true, y_pred):
    """Integer labels of shape [batch] (or y_pred's leading shape), from [batch, 1] too."""
    from graphflow.ops.array import squeeze

    y_true = convert_to_tensor(y_true)
    if y_true.shape.rank is not None and y_pred.shape.rank is not None and \
            y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] in (1, None):
        y_true = squeeze(y_true, [-1])
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the integer label equals the prediction's arg max, else 0."""
    y_pred = convert_to_tensor(y_pred)
    labels = _flat_labels(y_true, y_pred)
    predicted = cast(argmax(y_pred, -1), y_pred.dtype)
    return cast(el.equal(cast(labels, y_pred.dtype), predicted), y_pred.dtype)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the one-hot label's class is among the k largest predictions."""
    from graphflow.nn import in_top_k

    y_pred = convert_to_tensor(y_pred)
    labels = argmax(convert_to_tensor(y_true), -1)
    return cast(in_top_k(y_pred, cast(labels, "int32"), k), y_pred.dtype)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the integer label is among the k largest predictions."""
    from graphflow.nn import in_top_k

    y_pred = convert_to_tensor(y_pred)
    labels = _flat_labels(y_true, y_pred)
    return cast(in_top_k(y_pred, cast(labels, "int32"), k), y_pred.dtype)


mean_squared_error = mse = _losses.mean_squared_error
mean_absolute_error = mae = _losses.mean_absolute_error
mean_absolute_percentage_error = mape = _losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = msle = _losses.mean_squared_logarithmic_error
kullback_leibler_divergence = kld = _losses.kl_divergence
binary_crossentropy = _losses.binary_crossentropy
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy
hinge, squared_hinge, poisson = _losses.hinge, _losses.squared_hinge, _losses.poisson
cosine_similarity, logcosh = _losses.cosine_similarity, _losses.log_cosh

_FUNCTIONS = {f.__name__: f for f in (binary_accuracy, categorical_accuracy,
                                       sparse_categorical_accuracy, top_k_categorical_accuracy,
                                       sparse_top_k_categorical_accuracy)}


class MeanMetricWrapper:
    """A per-sample metric function with bound arguments and a name."""

    function = None

    def __init__(self, fn=None, name=None, dtype=None, **kwargs):
        del dtype
        self._fn = fn if fn is not None else type(self).function
        if self._fn is None:
            raise TypeError("MeanMetricWrapper needs the per-sample function `fn`")
        self.name = name or to_snake_case(type(self).__name__)
        self._fn_kwargs = kwargs
        self.__name__ = self.name

    def __call__(self, y_true, y_pred):
        return self._fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        return {"name": self.name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _metric_class(name, function, doc, **defaults):
    def __init__(self, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: "
                            f"{', '.join(sorted(unknown))}")
        MeanMetricWrapper.__init__(self, function, name=name, dtype=dtype,
                                   **{**defaults, **kwargs})

    return type(name, (MeanMetricWrapper,), {"function": staticmethod(function),
                                             "__init__": __init__, "__doc__": doc,
                                             "__module__": __name__})


Accuracy = _metric_class("Accuracy", accuracy, "How often y_pred equals y_true exactly.")
BinaryAccuracy = _metric_class("BinaryAccuracy", binary_accuracy,
                               "How often y_true equals y_pred > threshold.", threshold=0.5)
CategoricalAccuracy = _metric_class("CategoricalAccuracy", categorical_accuracy,
                                    "How often the arg maxes agree.")
SparseCategoricalAccuracy = _metric_class("SparseCategoricalAccuracy",
                                          sparse_categorical_accuracy,
                                          "How often the integer label is the arg max.")
TopKCategoricalAccuracy = _metric_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                        "How often the label is among the top k.", k=5)
SparseTopKCategoricalAccuracy = _metric_class("SparseTopKCategoricalAccuracy",
                                              sparse_top_k_categorical_accuracy,
                                              "How often the integer label is in the top k.",
                                              k=5)
MeanSquaredError = _metric_class("MeanSquaredError", _losses.mean_squared_error,
                                 "The mean squared error.")
MeanAbsoluteError = _metric_class("MeanAbsoluteError", _losses.mean_absolute_error,
                                  "The mean absolute error.")
BinaryCrossentropy = _metric_class("BinaryCrossentropy", _losses.binary_crossentropy,
                                   "Binary cross-entropy.", from_logits=False,
                                   label_smoothing=0.0)
CategoricalCrossentropy = _metric_class("CategoricalCrossentropy",
                                        _losses.categorical_crossentropy,
                                        "Categorical cross-entropy.", from_logits=False,
                                        label_smoothing=0.0)
SparseCategoricalCrossentropy = _metric_class("SparseCategoricalCrossentropy",
                                              _losses.sparse_categorical_crossentropy,
                                              "Sparse categorical cross-entropy.",
                                              from_logits=False)


def serialize(metric):
    if isinstance(metric, MeanMetricWrapper):
        return {"class_name": type(metric).__name__, "config": metric.get_config()}
    name = getattr(metric, "__name__", None)
    if name is None or name == "<lambda>":
        raise ValueError(f"Cannot serialize the metric {metric!r}: give it a name (a def)")
    return name


def deserialize(name, custom_objects=None):
    custom_objects = custom_objects or {}
    if isinstance(name, dict):
        cls = custom_objects.get(name["class_name"]) or globals().get(name["class_name"])
        if not (isinstance(cls, type) and issubclass(cls, MeanMetricWrapper)):
            raise ValueError(f"Unknown metric class {name['class_name']!r}")
        return cls.from_config(dict(name.get("config") or {}))
    if name in custom_objects:
        return custom_objects[name]
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    if name in ("accuracy", "acc"):
        raise ValueError("'accuracy' depends on the loss: the model's compile resolves it to "
                         "binary, categorical or sparse categorical accuracy")
    try:
        return _losses.get(name)
    except ValueError:
        raise ValueError(f"Unknown metric function: {name!r}. Known: "
                         f"{', '.join(sorted(_FUNCTIONS))} and the losses' names") from None


def get(identifier):
    """A per-sample metric function from a name, a config, a metric object or a function."""
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, _losses.Loss):
        return identifier.fn
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric function identifier: {identifier!r}")
