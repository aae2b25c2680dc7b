"""`plot_history`: a History's curves (each metric with its val_ twin) drawn with matplotlib,
an optional extra: `pip install graphflow[plot]`."""

from __future__ import annotations

import importlib.util
import os

__all__ = ["plot_history"]

INSTALL_HINT = "plot_history needs matplotlib: pip install graphflow[plot]"


def _series(history) -> dict:
    data = getattr(history, "history", history)
    if not isinstance(data, dict):
        raise TypeError(f"plot_history takes a History (what fit returns) or its .history "
                        f"dict, got {type(history).__name__}")
    return data


def plot_history(history, metrics=None, to_file=None, figsize=None):
    """One panel per metric (`loss`, `accuracy`, ... and its `val_` curve), against epochs
    counted from 1. `metrics` picks the panels; `to_file` saves the figure (format from the
    suffix). Returns the matplotlib Figure."""
    if importlib.util.find_spec("matplotlib") is None:
        raise ImportError(INSTALL_HINT)
    data = _series(history)
    if metrics is None:
        metrics = [k for k in data if not k.startswith("val_")]
        metrics += [k[4:] for k in data if k.startswith("val_") and k[4:] not in data]
    elif isinstance(metrics, str):
        metrics = [metrics]
    missing = [m for m in metrics if m not in data and f"val_{m}" not in data]
    if missing:
        raise KeyError(f"plot_history: no values logged for {missing}; the history has "
                       f"{sorted(data)}")
    if not metrics:
        raise ValueError("plot_history: the history is empty (did fit run any epoch?)")
    if to_file is None:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=figsize or (5 * len(metrics), 3.5))
    else:
        from matplotlib.figure import Figure

        figure = Figure(figsize=figsize or (5 * len(metrics), 3.5))
    epochs_of = getattr(history, "epoch", None)
    for i, name in enumerate(metrics):
        axes = figure.add_subplot(1, len(metrics), i + 1)
        for key, label in ((name, "train"), (f"val_{name}", "validation")):
            if key not in data:
                continue
            values = [float(v) for v in data[key]]
            epochs = ([e + 1 for e in epochs_of] if epochs_of and len(epochs_of) == len(values)
                      else list(range(1, len(values) + 1)))
            axes.plot(epochs, values, marker="o", markersize=3, label=label)
        axes.set_title(name)
        axes.set_xlabel("epoch")
        axes.legend()
    figure.tight_layout()
    if to_file is not None:
        figure.savefig(os.fspath(to_file))
    return figure
