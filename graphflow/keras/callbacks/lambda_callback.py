"""`LambdaCallback`: a callback made of plain functions, one per hook."""

from __future__ import annotations

from graphflow.keras.callbacks.base import Callback

__all__ = ["LambdaCallback"]

_EPOCH_HOOKS = ("on_epoch_begin", "on_epoch_end")
_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
                "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
                "on_predict_batch_end")
_LOOP_HOOKS = ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
               "on_predict_begin", "on_predict_end")


class LambdaCallback(Callback):
    """`LambdaCallback(on_epoch_end=lambda epoch, logs: ...)`: epoch and batch hooks take
    `(index, logs)`, the begin/end of a whole loop take `(logs)`. Hooks not given do nothing."""

    def __init__(self, **hooks):
        super().__init__()
        known = set(_EPOCH_HOOKS + _BATCH_HOOKS + _LOOP_HOOKS)
        unknown = sorted(set(hooks) - known)
        if unknown:
            raise TypeError(f"LambdaCallback got unknown hooks {unknown}; the hooks are "
                            f"{sorted(known)}")
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"LambdaCallback: {name} must be a function, got "
                                f"{type(fn).__name__}")
            setattr(self, name, self._wrap(fn, name in _LOOP_HOOKS))

    @staticmethod
    def _wrap(fn, loop_hook: bool):
        if loop_hook:
            return lambda logs=None: fn(logs)
        return lambda index, logs=None: fn(index, logs)
