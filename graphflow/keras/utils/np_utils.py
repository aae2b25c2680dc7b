"""Array helpers of Keras's utils: one-hot labels and per-row normalisation."""

from __future__ import annotations

import numpy as np

__all__ = ["normalize", "to_categorical"]


def to_categorical(y, num_classes: int | None = None, dtype="float32") -> np.ndarray:
    """One-hot rows for integer class labels: shape `y.shape + (num_classes,)` (a trailing axis
    of size 1 is dropped first, as Keras does). `num_classes` defaults to `max(y) + 1`."""
    labels = np.asarray(y)
    if labels.dtype.kind not in "iub":
        if labels.dtype.kind != "f" or not np.all(np.isfinite(labels)) or \
                not np.all(labels == np.round(labels)):
            raise ValueError(f"to_categorical: class labels must be integers, got dtype "
                             f"{labels.dtype} with values like {labels.ravel()[:5].tolist()}")
    labels = labels.astype(np.int64)
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.ravel()
    if num_classes is None:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    num_classes = int(num_classes)
    if flat.size and (flat.min() < 0 or flat.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must lie in [0, {num_classes}) for "
                         f"num_classes={num_classes}; got values from {int(flat.min())} to "
                         f"{int(flat.max())}")
    out = np.zeros((flat.size, num_classes), dtype=dtype)
    out[np.arange(flat.size), flat] = 1
    return out.reshape((*shape, num_classes))


def normalize(x, axis: int = -1, order: int = 2) -> np.ndarray:
    """`x` divided by its `order`-norm along `axis` (rows of norm 0 are left as they are)."""
    x = np.asarray(x)
    norms = np.atleast_1d(np.linalg.norm(x, order, axis))
    norms[norms == 0] = 1
    return x / np.expand_dims(norms, axis)
