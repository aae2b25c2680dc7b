"""`CallbackList`: the callbacks of one fit, evaluate or predict, with the hooks fanned out.

The engine talks only to a CallbackList; the list adds the callbacks Keras adds by itself:
History at the end and, when verbose, a ProgbarLogger first (so a progress line is finished
before other callbacks print at the end of an epoch).
"""

from __future__ import annotations

from graphflow.keras.callbacks.base import Callback
from graphflow.keras.callbacks.history import History
from graphflow.keras.callbacks.progbar import ProgbarLogger

__all__ = ["CallbackList"]


class CallbackList:
    """The callbacks of one `fit`/`evaluate`/`predict` call, with Keras's own ones added.

    `add_history`: a History to append (fit passes `model.history`), or None. `add_progbar`: add
    a ProgbarLogger (verbose != 0) unless the user gave one. The other keywords become every
    callback's `params` (`epochs`, `steps`, `samples`, `verbose`, `metrics`).
    """

    def __init__(self, callbacks=None, add_history=None, add_progbar: bool = False, model=None,
                 **params):
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be Callback instances (Keras's "
                                f"keras.callbacks.*); got {type(cb).__name__}: {cb!r}")
        if add_history is not None:
            if not isinstance(add_history, History):
                raise TypeError(f"add_history must be a History, got "
                                f"{type(add_history).__name__}")
            if add_history not in self.callbacks:
                self.callbacks.append(add_history)
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger(count_mode="samples"
                                                   if params.get("samples") else "steps"))
        self.model = None
        self.params: dict = {}
        if model is not None:
            self.set_model(model)
        self.set_params(params)

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)
        callback.set_params(self.params)
        if self.model is not None:
            callback.set_model(self.model)

    def set_params(self, params) -> None:
        self.params = dict(params)
        for cb in self.callbacks:
            cb.set_params(self.params)

    def set_model(self, model) -> None:
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def _call(self, hook: str, *args, logs=None) -> None:
        logs = {} if logs is None else logs
        for cb in self.callbacks:
            getattr(cb, hook)(*args, logs)

    # --- hooks ------------------------------------------------------------------------------
    def on_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)
