"""`ModelCheckpoint`: save the model (or its weights) during training, optionally only when a
monitored quantity improved. The path may name values: `w-{epoch:02d}-{val_loss:.2f}.h5`."""

from __future__ import annotations

import os
import warnings

from graphflow.keras.callbacks.base import Callback
from graphflow.keras.callbacks.monitor import Monitor

__all__ = ["ModelCheckpoint"]


class ModelCheckpoint(Callback):
    """Saves with `model.save` (or `model.save_weights` when `save_weights_only`) at the end of
    every epoch (`save_freq='epoch'`; `period=n`: every n-th epoch) or every `save_freq` batches.

    `filepath` is formatted with `epoch` (counted from 1) and the logs' keys.
    `save_best_only`: save only when `monitor` improved on the best so far (`mode` as
    EarlyStopping's); a path without placeholders then always holds the best model.
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq="epoch", period: int | None = None,
                 initial_value_threshold=None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor, self.verbose = monitor, int(verbose)
        self.save_best_only, self.save_weights_only = bool(save_best_only), bool(save_weights_only)
        self._monitor = Monitor("ModelCheckpoint", monitor, mode)
        self.mode = self._monitor.mode
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive number "
                             f"of batches, got {save_freq!r}")
        if period is not None and (not isinstance(period, int) or period < 1):
            raise ValueError(f"ModelCheckpoint: period must be a positive int, got {period!r}")
        self.save_freq, self.period = save_freq, period or 1
        self.best = (self._monitor.worst if initial_value_threshold is None
                     else initial_value_threshold)
        self._epochs_since_save = 0
        self._batches_seen = 0
        self._epoch = 0

    def _path(self, epoch: int, logs) -> str:
        try:
            return self.filepath.format(epoch=epoch + 1, **(logs or {}))
        except (KeyError, IndexError, ValueError) as err:
            raise KeyError(f'ModelCheckpoint: failed to format the filepath "{self.filepath}" '
                           f"with epoch and the logs' keys ({', '.join(logs or {}) or 'none'}): "
                           f"{err!r}") from None

    def _write(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)

    def _save(self, epoch: int, logs) -> None:
        path = self._path(epoch, logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {path}")
            self._write(path)
            return
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available, skipping.",
                          stacklevel=3)
            return
        if self._monitor.improved(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
            self._write(path)
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq != "epoch":
            return
        self._epochs_since_save += 1
        if self._epochs_since_save >= self.period:
            self._epochs_since_save = 0
            self._save(epoch, logs)
