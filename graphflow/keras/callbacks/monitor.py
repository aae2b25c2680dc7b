"""Which way a monitored quantity improves (`mode` 'auto' / 'min' / 'max'), shared by the
callbacks that watch one (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["Monitor"]


class Monitor:
    """A monitored log key, the direction it improves in and the margin that counts.

    'auto' takes max for accuracies and AUC (names ending in acc/accuracy/auc, or fmeasure*),
    min otherwise, as Keras does. `improved(current, reference)` is Keras's test: for min,
    `current < reference - min_delta`; for max, `current > reference + min_delta`.
    """

    def __init__(self, owner: str, monitor: str, mode: str = "auto", min_delta: float = 0.0):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
        if mode == "auto":
            name = monitor.lower()
            maximise = name.endswith(("acc", "accuracy", "auc")) or name.startswith("fmeasure")
            mode = "max" if maximise else "min"
        self.owner, self.monitor, self.mode = owner, monitor, mode
        self.min_delta = abs(float(min_delta))

    @property
    def worst(self) -> float:
        return np.inf if self.mode == "min" else -np.inf

    def improved(self, current, reference) -> bool:
        if self.mode == "min":
            return bool(np.less(current + self.min_delta, reference))
        return bool(np.greater(current - self.min_delta, reference))

    def value(self, logs):
        """The monitored value in `logs`, or None with Keras's warning naming what is there."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"{self.owner} is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(map(str, logs))}",
                          stacklevel=3)
        return value
