"""Loaders for real data sets that ship offline: bundled with graphflow, or with scikit-learn."""

from __future__ import annotations

import gzip
import os

import numpy as np

_DATA = os.path.join(os.path.dirname(__file__), "data")


def load_boston():
    """Boston Housing: X (506, 13) float64, y (506,) median home values in $1000s."""
    with gzip.open(os.path.join(_DATA, "boston_housing.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    return table[:, :-1], table[:, -1]


def load_digits():
    """scikit-learn's bundled 8x8 digits: X (1797, 64) scaled to [0, 1], y (1797,) int labels."""
    try:
        from sklearn.datasets import load_digits as _load
    except ImportError:
        raise ImportError("load_digits needs scikit-learn, which ships the digits data: "
                          "pip install 'graphflow[examples]'") from None
    data = _load()
    return (data.data / 16.0).astype(np.float32), data.target.astype(np.int64)
