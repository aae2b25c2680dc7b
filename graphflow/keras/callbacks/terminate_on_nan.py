"""`TerminateOnNaN`: stop training at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import numpy as np

from graphflow.keras.callbacks.base import Callback

__all__ = ["TerminateOnNaN"]


class TerminateOnNaN(Callback):
    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
