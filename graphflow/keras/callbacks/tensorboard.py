"""`TensorBoard`: write the losses and metrics of each epoch (and optionally of each batch, the
graph and weight histograms) as TensorBoard event files, through `graphflow.summary.FileWriter`.

The layout is graph-mode tf.keras's: one run folder `log_dir`, scalars `epoch_loss`,
`epoch_accuracy`, `epoch_val_loss`, ... at step = epoch (at step = samples seen when
`update_freq` is not 'epoch', whose `batch_loss`, ... are written at step = batches seen), weight
histograms named like `dense/kernel_0`.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from graphflow.keras.callbacks.base import Callback

__all__ = ["TensorBoard"]

_SKIP_KEYS = ("batch", "size")


def _scalar_summary(prefix: str, logs: dict):
    from graphflow.summary import proto_class

    summary = proto_class("Summary")()
    for key, value in logs.items():
        if key in _SKIP_KEYS or not isinstance(value, numbers.Real | np.number):
            continue
        summary.value.add(tag=f"{prefix}{key}", simple_value=float(value))
    return summary


class TensorBoard(Callback):
    """`TensorBoard(log_dir='logs', histogram_freq=0, write_graph=True, update_freq='epoch')`.

    `histogram_freq=n`: histograms of every weight each n-th epoch. `update_freq`: 'epoch',
    'batch' (scalars of every batch too) or a number n of samples between batch scalars.
    """

    def __init__(self, log_dir="logs", histogram_freq: int = 0, write_graph: bool = True,
                 update_freq="epoch", **kwargs):
        super().__init__()
        kwargs.pop("batch_size", None)  # graph-mode Keras's, for histograms of activations
        for name in ("write_grads", "write_images", "embeddings_freq", "profile_batch",
                     "embeddings_layer_names", "embeddings_metadata", "embeddings_data",
                     "write_steps_per_second"):
            if kwargs.pop(name, None):  # Keras's arguments for what this callback does not write
                warnings.warn(f"TensorBoard: {name} is not supported here and is ignored (this "
                              f"callback writes scalars, weight histograms and the graph).",
                              stacklevel=2)
        if kwargs:
            raise TypeError(f"TensorBoard got unexpected arguments: {sorted(kwargs)}")
        if update_freq not in ("epoch", "batch") and not (
                isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch', 'batch' or a positive "
                             f"number of samples, got {update_freq!r}")
        self.log_dir = str(log_dir)
        self.histogram_freq, self.write_graph = int(histogram_freq), bool(write_graph)
        self.update_freq = update_freq
        self.writer = None
        self._samples_seen = 0
        self._batches_seen = 0
        self._since_batch_write = 0

    def _graph(self):
        from graphflow.keras import backend

        graph = getattr(self.model, "graph", None)
        return graph if graph is not None else backend.get_session().graph

    def on_train_begin(self, logs=None):
        from graphflow.summary import FileWriter

        self.writer = FileWriter(self.log_dir, graph=self._graph() if self.write_graph else None)
        self._samples_seen = self._batches_seen = self._since_batch_write = 0

    def on_train_batch_end(self, batch, logs=None):
        if self.writer is None:
            return
        logs = logs or {}
        size = int(logs.get("size", 1) or 1)
        self._samples_seen += size
        if self.update_freq == "epoch":
            return
        self._since_batch_write += size
        if self.update_freq == "batch" or self._since_batch_write >= self.update_freq:
            self.writer.add_summary(_scalar_summary("batch_", logs), self._batches_seen)
            self._since_batch_write = 0
        self._batches_seen += 1

    def on_epoch_end(self, epoch, logs=None):
        if self.writer is None:
            return
        step = epoch if self.update_freq == "epoch" else self._samples_seen
        self.writer.add_summary(_scalar_summary("epoch_", logs or {}), step)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_histograms(epoch)
        self.writer.flush()

    def _write_histograms(self, epoch: int) -> None:
        from graphflow.keras import backend
        from graphflow.summary import proto_class
        from graphflow.summary.histogram import histogram_proto

        weights = list(getattr(self.model, "weights", []))
        summary = proto_class("Summary")()
        for var, value in zip(weights, backend.batch_get_value(weights)):
            tag = var.name.replace(":", "_")
            if not np.all(np.isfinite(value)):
                warnings.warn(f"TensorBoard: weight {var.name} has NaN or infinite values at "
                              f"epoch {epoch + 1}; its histogram is left out.", stacklevel=2)
                continue
            summary.value.add(tag=tag, histo=histogram_proto(value))
        self.writer.add_summary(summary, epoch)

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
