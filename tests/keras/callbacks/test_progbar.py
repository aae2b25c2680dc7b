"""ProgbarLogger's text, as tf-keras 2.21 prints it in graph mode (recorded 2026-12-02):
`Epoch 1/2`, then `32/96 [=========>....................] - ETA: 0s - loss: 1.1488 - ...` while
the epoch runs and `96/96 [==============================] - 0s 3ms/sample - loss: ... -
val_loss: ...` at its end; verbose=2: `96/96 - 0s - loss: ... - 371ms/epoch - 4ms/sample`."""

import io

import pytest

from graphflow.keras.callbacks import CallbackList, ProgbarLogger
from graphflow.keras.callbacks import progbar as progbar_module
from graphflow.keras.callbacks.progbar import Progbar, bar_text, format_duration, format_eta

METRICS = ["loss", "accuracy", "val_loss", "val_accuracy"]


class Clock:
    """A stand-in for the time module: `time()` reads `now`, which the test moves."""

    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(progbar_module, "time", fake)
    return fake


def train_epochs(verbose, clock, epochs=2, batches=((32, 1.2, 0.25), (32, 0.9, 0.5),
                                                    (32, 0.6, 0.75))):
    cbs = CallbackList([], add_progbar=True, verbose=verbose, epochs=epochs, steps=3, samples=96,
                       metrics=METRICS)
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for i, (size, loss, acc) in enumerate(batches):
            cbs.on_train_batch_begin(i, {"batch": i, "size": size})
            clock.now += 0.32  # 10 ms per sample
            cbs.on_train_batch_end(i, {"batch": i, "size": size, "loss": loss, "accuracy": acc})
        cbs.on_epoch_end(epoch, {"loss": 0.9, "accuracy": 0.5, "val_loss": 0.7,
                                 "val_accuracy": 0.0001})
    cbs.on_train_end()


def last_draws(text: str) -> list:
    """The final state of each printed line (what a terminal shows after the \\r redraws)."""
    return [line.split("\r")[-1].rstrip() for line in text.split("\n") if line.strip()]


def test_verbose_1_epoch_lines(capsys, clock):
    train_epochs(1, clock)
    assert last_draws(capsys.readouterr().out) == [
        "Epoch 1/2",
        "96/96 [==============================] - 1s 10ms/sample - loss: 0.9000 - accuracy: "
        "0.5000 - val_loss: 0.7000 - val_accuracy: 1.0000e-04",
        "Epoch 2/2",
        "96/96 [==============================] - 1s 10ms/sample - loss: 0.9000 - accuracy: "
        "0.5000 - val_loss: 0.7000 - val_accuracy: 1.0000e-04"]


def test_verbose_1_redraws_in_place_with_an_eta(clock):
    out = io.StringIO()
    bar = Progbar(96, verbose=1, unit="sample", keys=METRICS, file=out)
    clock.now += 0.32
    bar.update(32, [("loss", 1.2, 32), ("accuracy", 0.25, 32)])
    assert bar.line(final=False) == ("32/96 [=========>....................] - ETA: 0s - loss: "
                                     "1.2000 - accuracy: 0.2500")
    clock.now += 0.32
    bar.update(32, [("loss", 0.6, 32), ("accuracy", 0.5, 32)])
    assert bar.line(final=False) == ("64/96 [===================>..........] - ETA: 0s - loss: "
                                     "0.9000 - accuracy: 0.3750")  # means weighted by size
    clock.now += 100
    bar.update(16, [("loss", 0.0, 16)])  # a partial batch counts half
    assert bar.line(final=False).startswith("80/96 [========================>.....] - ETA: 20s "
                                            "- loss: 0.7200")
    bar.finish({"val_loss": 0.5})
    text = out.getvalue()
    assert text.count("\n") == 1 and "\r" in text  # tqdm redraws one line, then ends it
    assert text.split("\r")[-1].rstrip().endswith("loss: 0.7200 - accuracy: 0.3750 - val_loss: "
                                                  "0.5000")


def test_verbose_2_one_line_per_epoch(capsys, clock):
    train_epochs(2, clock)
    line = ("96/96 - 1s - loss: 0.9000 - accuracy: 0.5000 - val_loss: 0.7000 - val_accuracy: "
            "1.0000e-04 - 960ms/epoch - 10ms/sample")
    assert capsys.readouterr().out == f"Epoch 1/2\n{line}\nEpoch 2/2\n{line}\n"


def test_verbose_0_prints_nothing(capsys, clock):
    cbs = CallbackList([ProgbarLogger()], verbose=0, epochs=1, samples=4, metrics=["loss"])
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_end(0, {"size": 4, "loss": 1.0})
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_train_end()
    assert capsys.readouterr().out == ""


def test_evaluate_and_predict_bars_but_not_inside_fit(capsys, clock):
    cbs = CallbackList([], add_progbar=True, verbose=1, steps=2, samples=24, epochs=1,
                       metrics=["loss", "val_loss"])
    cbs.on_test_begin()
    for i in range(2):
        clock.now += 0.015
        cbs.on_test_batch_end(i, {"batch": i, "size": 12, "loss": 0.5 + i})
    cbs.on_test_end({"loss": 1.0})
    cbs.on_predict_begin()
    clock.now += 0.0024
    cbs.on_predict_batch_end(0, {"batch": 0, "size": 24, "outputs": None})
    cbs.on_predict_end()
    cbs.on_train_begin()  # the validation run of fit draws no bar of its own
    cbs.on_test_begin()
    cbs.on_test_batch_end(0, {"size": 24, "loss": 3.0})
    cbs.on_test_end({"loss": 3.0})
    assert last_draws(capsys.readouterr().out) == [
        "24/24 [==============================] - 0s 1ms/sample - loss: 1.0000",
        "24/24 [==============================] - 0s 100us/sample"]


def test_steps_mode_and_unknown_target(clock):
    out = io.StringIO()
    bar = Progbar(None, verbose=1, unit="step", file=out)
    clock.now += 2
    bar.update(1, [("loss", 0.25, 1)])
    assert bar.line(final=False) == "      1/Unknown - 2s 2s/step - loss: 0.2500"
    bar.finish()


@pytest.mark.parametrize("current, target, text", [
    (0, 96, " 0/96 [..............................]"),
    (1, 1000, "   1/1000 [..............................]"),
    (32, 96, "32/96 [=========>....................]"),
    (95, 96, "95/96 [============================>.]"),
    (96, 96, "96/96 [==============================]"),
])
def test_bar_text(current, target, text):
    assert bar_text(current, target) == text


def test_time_formats():
    assert [format_duration(t, "step") for t in (2.4, 0.0031, 0.000088)] == [
        "2s/step", "3ms/step", "88us/step"]
    assert [format_eta(t) for t in (5.9, 75, 3725)] == ["5s", "1:15", "1:02:05"]


def test_bad_count_mode():
    with pytest.raises(ValueError, match="count_mode must be 'samples' or 'steps'"):
        ProgbarLogger(count_mode="rows")


def test_stateful_metrics_show_their_latest_value(capsys, clock):
    logger = ProgbarLogger(count_mode="steps", stateful_metrics=["auc"])
    cbs = CallbackList([logger], verbose=1, epochs=1, steps=2, metrics=["loss", "auc"])
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_end(0, {"size": 10, "loss": 1.0, "auc": 0.5})
    bar = logger._bar
    cbs.on_train_batch_end(1, {"size": 30, "loss": 0.0, "auc": 0.9})
    assert bar.line(final=True).endswith(" - loss: 0.2500 - auc: 0.9000")
    cbs.on_epoch_end(0, {})
    assert capsys.readouterr().out.rstrip().endswith("2/2 [==============================] - 0s "
                                                     "0us/step - loss: 0.2500 - auc: 0.9000")
