"""`ReduceLROnPlateau`: divide the learning rate when a monitored quantity stops improving."""

from __future__ import annotations

import numpy as np

from graphflow.keras.callbacks.base import Callback
from graphflow.keras.callbacks.lr_scheduler import learning_rate_variable
from graphflow.keras.callbacks.monitor import Monitor

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(Callback):
    """`lr = max(lr * factor, min_lr)` after `patience` epochs without an improvement of
    `monitor` by more than `min_delta`; then `cooldown` epochs in which nothing is counted.
    The rate before any change is logged as `lr` each epoch, as Keras does."""

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0, **kwargs):
        super().__init__()
        if "epsilon" in kwargs:  # Keras's old name of min_delta
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected arguments: {sorted(kwargs)}")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0, got "
                             f"{factor}")
        self.monitor, self.factor = monitor, float(factor)
        self._monitor = Monitor("ReduceLROnPlateau", monitor, mode, min_delta)
        self.mode, self.min_delta = self._monitor.mode, self._monitor.min_delta
        self.patience, self.verbose = int(patience), int(verbose)
        self.cooldown, self.min_lr = int(cooldown), float(min_lr)
        self._reset()

    def _reset(self) -> None:
        self.best = self._monitor.worst
        self.wait = 0
        self.cooldown_counter = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        from graphflow.keras import backend

        logs = logs if logs is not None else {}
        var = learning_rate_variable(self.model, "ReduceLROnPlateau")
        logs["lr"] = backend.get_value(var)  # float32, as the variable holds it
        old_lr = float(logs["lr"])
        current = self._monitor.value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._monitor.improved(current, self.best):
            self.best, self.wait = current, 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and old_lr > np.float32(self.min_lr):
                # in float32, as the rate variable (tf-keras prints the same digits)
                new_lr = max(float(np.float32(old_lr) * np.float32(self.factor)), self.min_lr)
                backend.set_value(var, new_lr)
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                          f"{new_lr}.")
                self.cooldown_counter, self.wait = self.cooldown, 0
