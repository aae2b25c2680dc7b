"""Mini-batching as the course material does it (sequential, or seeded shuffles)."""

from __future__ import annotations

import math

import numpy as np


def batches(batch_size: int, features, labels):
    """Sequential batches, no shuffling; the last one may be smaller (1000 rows, 128 -> 8)."""
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    if len(features) != len(labels):
        raise ValueError(f"features has {len(features)} rows but labels has {len(labels)}")
    return [[features[i:i + batch_size], labels[i:i + batch_size]]
            for i in range(0, len(features), batch_size)]


def random_mini_batches(X, Y, mini_batch_size: int = 64, seed: int = 0):
    """Column layout (features x m): seed NumPy, permute the m columns, cut full batches + rest."""
    np.random.seed(seed)
    m = X.shape[1]
    perm = list(np.random.permutation(m))
    X, Y = X[:, perm], Y[:, perm].reshape((Y.shape[0], m))
    out = []
    full = math.floor(m / mini_batch_size)
    for k in range(full):
        sl = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
        out.append((X[:, sl], Y[:, sl]))
    if m % mini_batch_size:
        out.append((X[:, full * mini_batch_size:], Y[:, full * mini_batch_size:]))
    return out
