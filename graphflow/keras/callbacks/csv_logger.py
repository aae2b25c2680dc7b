"""`CSVLogger`: one CSV row per epoch (epoch, then the logs' keys in sorted order)."""

from __future__ import annotations

import collections.abc
import csv
import os

import numpy as np

from graphflow.keras.callbacks.base import Callback

__all__ = ["CSVLogger"]


def _cell(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return str(value)


class CSVLogger(Callback):
    """Writes `filename` with a header row `epoch,<keys>`; `append=True` adds to an existing
    file (no second header). Keys missing in a later epoch are written as NA."""

    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, bool(append)
        self.keys = None
        self._file = None
        self._writer = None
        self._header_needed = True

    def on_train_begin(self, logs=None):
        header_needed = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as existing:
                header_needed = not existing.read(1)
        self._file = open(self.filename, "a" if self.append else "w", newline="")
        self._header_needed = header_needed
        self.keys = None
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if self.keys is None:
            self.keys = sorted(logs)
        if self._writer is None:
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys],
                                          delimiter=self.sep, lineterminator="\n")
            if self._header_needed:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs[key]) if key in logs else "NA") for key in self.keys)
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = None
        self._writer = None
