"""`Callback`: the hooks a Keras training loop calls (CallbackList, in callback_list.py, calls
them on every callback of a fit, evaluate or predict)."""

from __future__ import annotations

__all__ = ["Callback"]


class Callback:
    """Base class of every callback: override the hooks you need; each gets `logs` (a dict).

    `self.model` is the model being trained and `self.params` the loop's settings (`epochs`,
    `steps`, `samples`, `verbose`, `metrics`).
    """

    def __init__(self):
        self.model = None
        self.params: dict = {}
        self.validation_data = None

    def set_params(self, params) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self.model = model

    # --- batch hooks (train, test, predict); the old on_batch_* names are the train ones -----
    def on_batch_begin(self, batch, logs=None):
        """Keras's old name of `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """Keras's old name of `on_train_batch_end`."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    # --- epoch and whole-loop hooks --------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

