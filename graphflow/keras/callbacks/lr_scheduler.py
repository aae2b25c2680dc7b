"""`LearningRateScheduler`: set the optimizer's learning rate from a schedule each epoch."""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from graphflow.keras.callbacks.base import Callback

__all__ = ["LearningRateScheduler", "learning_rate_variable"]


def learning_rate_variable(model, owner: str):
    """The Keras optimizer's learning-rate variable (`lr`, or `learning_rate`)."""
    optimizer = getattr(model, "optimizer", None)
    for name in ("lr", "learning_rate"):
        var = getattr(optimizer, name, None)
        if var is not None and hasattr(var, "dtype") and hasattr(var, "shape"):
            return var
    raise ValueError(f"{owner}: the optimizer {type(optimizer).__name__} has no learning-rate "
                     f"variable (`lr`); use a Keras optimizer (keras.optimizers.SGD, Adam, ...), "
                     f"not a TF1 one whose rate is fixed when its update ops are built.")


def _takes_lr(schedule) -> bool:
    try:
        params = inspect.signature(schedule).parameters.values()
    except (TypeError, ValueError):  # builtins and C callables: Keras's two-argument call
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """At the start of each epoch, `lr = schedule(epoch, lr)` (or `schedule(epoch)`), epochs
    counted from 0; the rate is logged as `lr` at the end of the epoch."""

    def __init__(self, schedule, verbose: int = 0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be a function of (epoch) or "
                            f"(epoch, lr), got {type(schedule).__name__}")
        self.schedule, self.verbose = schedule, int(verbose)
        self._two_args = _takes_lr(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        from graphflow.keras import backend

        var = learning_rate_variable(self.model, "LearningRateScheduler")
        if self._two_args:
            lr = self.schedule(epoch, float(backend.get_value(var)))
        else:
            lr = self.schedule(epoch)
        if isinstance(lr, np.ndarray) and lr.ndim == 0:
            lr = lr.item()
        if not isinstance(lr, numbers.Real):
            raise ValueError(f'LearningRateScheduler: the output of the "schedule" function '
                             f"should be a float, got {type(lr).__name__}: {lr!r} at epoch "
                             f"{epoch}")
        backend.set_value(var, float(lr))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        from graphflow.keras import backend

        if logs is not None:  # as the variable holds it (float32), as Keras logs it
            logs["lr"] = backend.get_value(
                learning_rate_variable(self.model, "LearningRateScheduler"))
