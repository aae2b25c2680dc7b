"""NumPy data for `fit`/`evaluate`/`predict`: matched to the model's inputs and outputs, checked
with Keras's messages, split for validation and cut into batches.

As Keras does, a 1-D array becomes a column `(n, 1)`, lists are matched by position and dicts by
input/output name, every array must have the same number of samples, and `validation_split`
takes the LAST fraction of the samples, before any shuffling.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error

__all__ = ["batches", "check_lengths", "class_weights_to_sample_weights", "split_validation",
           "standardize_arrays", "standardize_sample_weights"]


def _describe(data) -> str:
    return str([np.shape(a) for a in data])


def standardize_arrays(where: str, data, names, tensors, what: str, loss_names=None) -> list:
    """`data` as one array per tensor of `tensors` (placeholders or outputs), cast and checked.

    `what` is "input" or "target"; for targets, `loss_names` gives each output's loss (a sparse
    loss does not need the target to have the output's last dimension)."""
    if data is None:
        raise argument_error(where, f"no {what} data given, but the model has {len(names)} "
                             f"{what}(s): {names}", ValueError)
    if isinstance(data, dict):
        missing = [n for n in names if n not in data]
        if missing:
            raise argument_error(where, f"No data provided for {missing[0]!r}. Need data for "
                                 f"each key in: {names}", ValueError)
        arrays = [data[n] for n in names]
    elif isinstance(data, (list, tuple)):
        arrays = list(data)
    else:
        arrays = [data]
    if len(arrays) != len(names):
        raise argument_error(where, f"Error when checking model {what}: the list of Numpy "
                             f"arrays that you are passing to your model is not the size the "
                             f"model expected. Expected to see {len(names)} array(s), but "
                             f"instead got the following list of {len(arrays)} arrays: "
                             f"{_describe(arrays)}", ValueError)
    out = []
    for i, (name, array, tensor) in enumerate(zip(names, arrays, tensors)):
        array = np.asarray(array)
        if array.ndim == 1:
            array = array[:, None]
        expected = tensor.shape.as_list() if tensor.shape.rank is not None else None
        sparse = loss_names is not None and loss_names[i] == "sparse_categorical_crossentropy"
        if sparse and expected is not None and array.ndim == len(expected) - 1:
            array = array[..., None]  # integer labels of a sequence output: [batch, time, 1]
        if expected is not None and what == "target" and not sparse:
            if array.ndim != len(expected) or any(
                    e is not None and e != d for e, d in zip(expected[1:], array.shape[1:])):
                shown = tuple(expected)
                raise argument_error(where, f"A target array with shape {array.shape} was "
                                     f"passed for an output of shape {shown} while using as "
                                     f"loss `{loss_names[i]}`. This loss expects targets to "
                                     f"have the same shape as the output.", ValueError)
        elif expected is not None and what == "input":
            if array.ndim != len(expected):
                raise argument_error(where, f"Error when checking {what}: expected {name} to "
                                     f"have {len(expected)} dimensions, but got array with "
                                     f"shape {array.shape}", ValueError)
            if any(e is not None and e != d for e, d in zip(expected[1:], array.shape[1:])):
                want = tuple(expected[1:])
                raise argument_error(where, f"Error when checking {what}: expected {name} to "
                                     f"have shape {want} but got array with shape "
                                     f"{array.shape[1:]}", ValueError)
        out.append(np.asarray(array, dtype=tensor.dtype.as_numpy_dtype))
    return out


def check_lengths(where: str, xs: list, ys: list) -> int:
    """The common number of samples, with Keras's messages when they differ."""
    nx = {len(a) for a in xs}
    ny = {len(a) for a in ys}
    if len(nx) > 1:
        raise argument_error(where, f"All input arrays (x) should have the same number of "
                             f"samples. Got array shapes: {_describe(xs)}", ValueError)
    if len(ny) > 1:
        raise argument_error(where, f"All target arrays (y) should have the same number of "
                             f"samples. Got array shapes: {_describe(ys)}", ValueError)
    if ys and nx != ny:
        raise argument_error(where, f"Input arrays should have the same number of samples as "
                             f"target arrays. Found {nx.pop()} input samples and {ny.pop()} "
                             f"target samples.", ValueError)
    return nx.pop() if nx else 0


def class_weights_to_sample_weights(where: str, y, class_weight) -> np.ndarray:
    """Per-sample weights from `{class index: weight}` (labels as integers or one-hot rows)."""
    y = np.asarray(y)
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y))
    labels = labels.astype(np.int64)
    missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
    if missing:
        raise argument_error(where, f"`class_weight` must contain all classes in the data. The "
                             f"classes {set(missing)} exist in the data but not in "
                             f"`class_weight`.", ValueError)
    return np.asarray([class_weight[int(c)] for c in labels], dtype=np.float32)


def standardize_sample_weights(where: str, sample_weight, class_weight, names, ys, modes):
    """One float32 weight array per output: the given sample weights, class weights or ones."""
    if isinstance(sample_weight, dict):
        given = [sample_weight.get(n) for n in names]
    elif isinstance(sample_weight, (list, tuple)):
        given = list(sample_weight)
    else:
        given = [sample_weight] * len(names)
    out = []
    for i, (y, w) in enumerate(zip(ys, given)):
        temporal = modes[i] == "temporal"
        if w is None and class_weight is not None:
            cw = class_weight.get(names[i], class_weight) if len(names) > 1 else class_weight
            w = class_weights_to_sample_weights(where, y, cw)
        if w is None:
            w = np.ones(y.shape[:2] if temporal else y.shape[:1], np.float32)
        w = np.asarray(w, np.float32)
        if w.shape[0] != len(y) or (not temporal and w.ndim != 1):
            raise argument_error(where, f"Found a sample_weight array with shape {w.shape} for "
                                 f"an input with shape {y.shape}. sample_weight cannot be "
                                 f"broadcast.", ValueError)
        out.append(w)
    return out


def split_validation(arrays: list, fraction: float):
    """(train arrays, validation arrays): the last `fraction` of the samples validates."""
    n = len(arrays[0])
    at = int(n * (1.0 - fraction))
    return [a[:at] for a in arrays], [a[at:] for a in arrays]


def batches(n: int, batch_size: int, shuffle, rng=np.random):
    """Index arrays (or slices) of each batch of an epoch; the last one may be smaller."""
    if shuffle == "batch":
        starts = np.arange(0, n, batch_size)
        rng.shuffle(starts)
        return [slice(s, min(s + batch_size, n)) for s in starts]
    if shuffle:
        order = np.arange(n)
        rng.shuffle(order)
        return [order[s:s + batch_size] for s in range(0, n, batch_size)]
    return [slice(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
