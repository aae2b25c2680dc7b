"""`ProgbarLogger`: Keras's per-epoch progress bar, drawn by tqdm.

tqdm does the terminal work (redrawing in place at most every 50 ms, the final redraw and newline
on close); the text of the line is Keras's:
`32/96 [=========>....................] - ETA: 0s - loss: 1.1488 - accuracy: 0.3438` while an
epoch runs, `96/96 [==============================] - 0s 3ms/sample - loss: ... - val_loss: ...`
when it ends. Batch values are shown as running means weighted by the batch size; the epoch's
own logs (and the val_* values) replace them at the end. verbose=2 prints only that last line,
as `96/96 - 0s - loss: ... - 371ms/epoch - 4ms/sample`.
"""

from __future__ import annotations

import math
import sys
import time

from graphflow.keras.callbacks.base import Callback

__all__ = ["Progbar", "ProgbarLogger", "format_duration"]

BAR_WIDTH = 30
_SKIP_KEYS = ("batch", "size")


def format_duration(seconds: float, unit: str) -> str:
    """Keras's time per unit: `2s/step`, `3ms/sample`, `88us/sample`."""
    if seconds >= 1:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit}"
    return f"{seconds * 1e6:.0f}us/{unit}"


def format_eta(seconds: float) -> str:
    seconds = int(seconds)
    if seconds > 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if seconds > 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


def format_value(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return f" {value}"
    return f" {value:.4f}" if abs(value) > 1e-3 else f" {value:.4e}"


def bar_text(current: int, target: int | None) -> str:
    """`32/96 [=========>....................]`, or `     32/Unknown` without a target."""
    if target is None:
        return f"{current:7d}/Unknown"
    digits = int(math.log10(target)) + 1 if target > 0 else 1
    done = int(BAR_WIDTH * current / target) if target > 0 else BAR_WIDTH
    bar = ""
    if done > 0:
        bar = "=" * (done - 1) + (">" if current < target else "=")
    return f"{current:{digits}d}/{target} [{bar}{'.' * (BAR_WIDTH - max(done, 0))}]"


class Progbar:
    """One bar: a target count (samples or steps), running means, and the text of its line.

    `update(n, values)` adds `n` units (tqdm redraws when due); `values` are (key, value,
    weight) triples averaged with those weights (weight None: shown as it is); `finish(final)`
    shows `final` (a dict) as the last values and closes the line. verbose=2 draws nothing
    until `finish`.
    """

    def __init__(self, target: int | None, verbose: int = 1, unit: str = "step",
                 keys: list | None = None, file=None):
        self.target, self.verbose, self.unit = target, verbose, unit
        self.keys = list(keys) if keys is not None else None
        self.seen = 0
        self._sums: dict = {}
        self._order: list = []
        self._start = time.time()
        self._file = file if file is not None else sys.stdout
        self._tqdm = None
        self._closing = False
        if verbose == 1:
            from tqdm import tqdm

            progbar = self

            class _KerasLine(tqdm):
                def __str__(self):  # tqdm draws this text
                    return progbar.line(final=progbar._closing)

            # delay: no empty bar before the first batch, as Keras
            self._tqdm = _KerasLine(total=target, file=self._file, leave=True, mininterval=0.05,
                                    delay=1e-9, dynamic_ncols=False, unit=unit)

    def update(self, n: int, values=()) -> None:
        for key, value, weight in values:
            if key not in self._sums:
                self._order.append(key)
                self._sums[key] = [0.0, 0.0]
            if weight is None:  # a stateful metric: its latest value is the one to show
                self._sums[key] = [float(value), 1.0]
                continue
            entry = self._sums[key]
            entry[0] += float(value) * weight
            entry[1] += weight
        self.seen += n
        if self._tqdm is not None:
            self._tqdm.update(n)

    def set_values(self, final: dict) -> None:
        """Show `final`'s values as they are (the epoch's logs, val_* included)."""
        for key, value in final.items():
            if key not in self._sums:
                self._order.append(key)
            self._sums[key] = [value, 1.0]

    def finish(self, final: dict | None = None) -> None:
        if final:
            self.set_values(final)
        self._closing = True
        if self._tqdm is not None:
            self._tqdm.close()  # redraws the last state, then the newline
        elif self.verbose == 2:
            self._file.write(self.line(final=True) + "\n")
            self._file.flush()

    def _values_text(self) -> str:
        keys = [k for k in self._order if self.keys is None or k in self.keys]
        if self.keys is not None:
            keys.sort(key=self.keys.index)
        text = ""
        for key in keys:
            total, weight = self._sums[key]
            value = total / weight if weight else total
            text += f" - {key}:{format_value(value)}"
        return text

    def line(self, final: bool) -> str:
        """The bar's text now (`final`: the end of the epoch, with the time per unit)."""
        now = time.time() - self._start
        per_unit = now / self.seen if self.seen else 0.0
        done = final or (self.target is not None and self.seen >= self.target)
        if self.verbose == 2:
            return (f"{self.seen}/{self.target if self.target is not None else 'Unknown'} - "
                    f"{now:.0f}s{self._values_text()} - {format_duration(now, 'epoch')} - "
                    f"{format_duration(per_unit, self.unit)}")
        text = bar_text(self.seen, self.target)
        if done or self.target is None:
            text += f" - {now:.0f}s {format_duration(per_unit, self.unit)}"
        else:
            text += f" - ETA: {format_eta(per_unit * (self.target - self.seen))}"
        return text + self._values_text()


class ProgbarLogger(Callback):
    """Prints `Epoch i/n` and a progress bar per epoch (verbose=1) or one line (verbose=2).

    `count_mode` 'samples' counts rows (the batch log's `size`), 'steps' counts batches.
    `evaluate` and `predict` get one bar each; the validation run inside `fit` gets none.
    """

    def __init__(self, count_mode: str = "samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError(f"ProgbarLogger: count_mode must be 'samples' or 'steps', got "
                             f"{count_mode!r}")
        self.count_mode = count_mode
        self.stateful_metrics = set(stateful_metrics or ())
        self._bar: Progbar | None = None
        self._in_fit = False

    @property
    def verbose(self) -> int:
        return int(self.params.get("verbose", 1))

    def _target(self):
        return self.params.get("samples" if self.count_mode == "samples" else "steps")

    def _new_bar(self, verbose: int, keys) -> Progbar:
        unit = "sample" if self.count_mode == "samples" else "step"
        return Progbar(self._target(), verbose=verbose, unit=unit, keys=keys)

    def _advance(self, logs) -> None:
        if self._bar is None:
            return
        logs = logs or {}
        size = int(logs.get("size", 1) or 1)
        n = size if self.count_mode == "samples" else 1
        values = []
        for key, value in logs.items():
            if key in _SKIP_KEYS or isinstance(value, str):
                continue
            values.append((key, value, None if key in self.stateful_metrics else float(size)))
        self._bar.update(n, values)

    # --- fit ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            epochs = self.params.get("epochs")
            if epochs is None or epochs > 1:  # as Keras: no header for a one-epoch fit
                print(f"Epoch {epoch + 1}/{epochs}")
            self._bar = self._new_bar(self.verbose, self.params.get("metrics"))

    def on_train_batch_end(self, batch, logs=None):
        self._advance(logs)

    def on_epoch_end(self, epoch, logs=None):
        if self._bar is not None:
            final = {k: v for k, v in (logs or {}).items() if k not in _SKIP_KEYS}
            self._bar.finish(final)
            self._bar = None

    # --- evaluate and predict ----------------------------------------------------------------
    def on_test_begin(self, logs=None):
        if not self._in_fit and self.verbose:
            self._bar = self._new_bar(self.verbose, None)

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit:
            self._advance(logs)

    def on_test_end(self, logs=None):
        if not self._in_fit and self._bar is not None:
            self._bar.finish({k: v for k, v in (logs or {}).items() if k not in _SKIP_KEYS})
            self._bar = None

    def on_predict_begin(self, logs=None):
        if self.verbose:
            self._bar = self._new_bar(self.verbose, [])

    def on_predict_batch_end(self, batch, logs=None):
        self._advance({"size": (logs or {}).get("size", 1)})

    def on_predict_end(self, logs=None):
        if self._bar is not None:
            self._bar.finish()
            self._bar = None
