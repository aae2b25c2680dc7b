"""A small stand-in for a Keras model: the attributes callbacks use, on real graphflow variables
(so learning-rate callbacks go through the Keras backend as with a real model)."""

from __future__ import annotations

import numpy as np


class FakeOptimizer:
    def __init__(self, lr: float):
        import graphflow as gf

        self.lr = gf.Variable(np.float32(lr), name="lr")


class FakeModel:
    """`stop_training`, `optimizer.lr`, and `get_weights`/`set_weights` over a list of arrays."""

    def __init__(self, lr: float = 0.1, weights=None):
        self.stop_training = False
        self.optimizer = FakeOptimizer(lr)
        self._weights = [np.array(w, dtype=np.float32) for w in (weights or [[0.0]])]
        self.name = "fake"

    def get_weights(self):
        return [w.copy() for w in self._weights]

    def set_weights(self, weights):
        self._weights = [np.array(w, dtype=np.float32) for w in weights]


def run_epochs(callbacks, model, monitored: dict, before_epoch_end=None):
    """Drive a CallbackList through `len(values)` epochs whose logs hold `monitored` values
    (one list per key); stops like fit when model.stop_training is set. Returns epochs run."""
    from graphflow.keras.callbacks import CallbackList

    epochs = len(next(iter(monitored.values())))
    cbs = CallbackList(callbacks, model=model, epochs=epochs, steps=1, samples=None, verbose=0,
                       metrics=list(monitored))
    cbs.on_train_begin()
    run = 0
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        cbs.on_train_batch_begin(0, {"batch": 0, "size": 1})
        cbs.on_train_batch_end(0, {"batch": 0, "size": 1})
        if before_epoch_end is not None:
            before_epoch_end(epoch)
        cbs.on_epoch_end(epoch, {key: values[epoch] for key, values in monitored.items()})
        run += 1
        if model.stop_training:
            break
    cbs.on_train_end()
    return run
