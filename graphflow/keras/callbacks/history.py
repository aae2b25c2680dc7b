"""`History`: every epoch's logs, kept as lists per key; `fit` returns it."""

from __future__ import annotations

from graphflow.keras.callbacks.base import Callback

__all__ = ["History"]


class History(Callback):
    """`history.history[key]` is the list of that key's value per epoch; `history.epoch` the
    epoch numbers (0-based, as `on_epoch_end` got them)."""

    def __init__(self):
        super().__init__()
        self.history: dict = {}
        self.epoch: list = []

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
