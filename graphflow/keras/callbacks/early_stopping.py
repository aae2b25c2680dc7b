"""`EarlyStopping`: stop `fit` when a monitored quantity has stopped improving."""

from __future__ import annotations

from graphflow.keras.callbacks.base import Callback
from graphflow.keras.callbacks.monitor import Monitor

__all__ = ["EarlyStopping"]


class EarlyStopping(Callback):
    """Sets `model.stop_training` after `patience` epochs without an improvement of `monitor`
    by more than `min_delta` (tf-keras 2.x's rules: an epoch that improves on the best so far
    but not on `baseline` does not reset the count; no stop at the first epoch).

    `restore_best_weights`: at the end of training, the weights of the best epoch are put back
    (whether or not training was stopped early).
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline=None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0):
        super().__init__()
        self.monitor = monitor
        self._monitor = Monitor("EarlyStopping", monitor, mode, min_delta)
        self.min_delta = self._monitor.min_delta
        self.patience, self.verbose = int(patience), int(verbose)
        self.baseline, self.restore_best_weights = baseline, bool(restore_best_weights)
        self.start_from_epoch = int(start_from_epoch)
        self.mode = self._monitor.mode
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = self._monitor.worst
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitor.value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # so there is always something to restore
        self.wait += 1
        if self._monitor.improved(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._monitor.improved(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
