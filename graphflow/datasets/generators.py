"""The course's toy data sets, bit-identical to the material (NumPy's legacy global RandomState).

Each generator seeds and draws from `np.random` exactly as the material does, so the numbers the
material prints (costs, accuracies) are reproducible.
"""

from __future__ import annotations

import numpy as np


def planar(m: int = 400, a: int = 4, seed: int = 1):
    """The "flower": X of shape (2, m), Y of shape (1, m), column layout."""
    rng = np.random
    rng.seed(seed)
    n = m // 2
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * 0.2
        r = a * np.sin(4 * t) + rng.randn(n) * 0.2
        X[n * j:n * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[n * j:n * (j + 1)] = j
    return X.T, Y.T


def _shuffle_and_noise(X, y, noise):
    idx = np.arange(len(y))
    np.random.shuffle(idx)
    X, y = X[idx], y[idx]
    return X + np.random.normal(scale=noise, size=X.shape), y


def moons(n: int = 300, noise: float = 0.2, seed: int | None = 3):
    """Two interleaving half circles, as sklearn's make_moons; rows are samples."""
    if seed is not None:
        np.random.seed(seed)
    n_out, n_in = n // 2, n - n // 2
    a, b = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(a), 1 - np.cos(b)),
                   np.append(np.sin(a), 1 - np.sin(b) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_noise(X, y, noise)


def circles(n: int = 300, noise: float = 0.05, factor: float = 0.8, seed: int | None = 1):
    """A circle inside another, as sklearn's make_circles; rows are samples."""
    if seed is not None:
        np.random.seed(seed)
    n_out, n_in = n // 2, n - n // 2
    a = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    b = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(a), factor * np.cos(b)),
                   np.append(np.sin(a), factor * np.sin(b))]).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_noise(X, y, noise)
