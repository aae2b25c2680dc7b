"""The callbacks in a real `fit` of a tiny model: checkpoints, CSV rows, TensorBoard events,
learning-rate schedules, early stopping, and the progress bar's lines."""

import csv
import os
import re

import numpy as np
import pytest

from graphflow.keras import backend, layers
from graphflow.keras.callbacks import (
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
    ModelCheckpoint,
    TensorBoard,
    TerminateOnNaN,
)
from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.optimizers import SGD


def data(n=40, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 4).astype("float32")
    return x, (x[:, :1] > 0).astype("float32")


def tiny_model(lr=0.1):
    model = Sequential([layers.Dense(3, activation="relu", input_shape=(4,)),
                        layers.Dense(1, activation="sigmoid")])
    model.compile(SGD(lr=lr), "binary_crossentropy", metrics=["accuracy"])
    return model


def test_progress_bar_of_a_real_fit(capsys):
    x, y = data()
    tiny_model().fit(x, y, epochs=2, batch_size=16, validation_split=0.2, verbose=1)
    lines = [line.split("\r")[-1].rstrip() for line in capsys.readouterr().out.splitlines()]
    epoch_lines = [line for line in lines if line.startswith("32/32 [")]
    assert "Epoch 1/2" in lines and "Epoch 2/2" in lines and len(epoch_lines) == 2
    value = r"\d\.\d{4}(e[+-]\d\d)?"  # Keras writes values at or under 1e-3 as 0.0000e+00
    pattern = (rf"32/32 \[={{30}}\] - \d+s \d+(us|ms|s)/sample - loss: {value} - accuracy: "
               rf"{value} - val_loss: {value} - val_accuracy: {value}$")
    for line in epoch_lines:
        assert re.match(pattern, line), line


def test_model_checkpoint_names_and_best_only(tmp_path, capsys):
    x, y = data()
    path = str(tmp_path / "w-{epoch:02d}-{val_loss:.2f}.h5")
    best = str(tmp_path / "best.keras")
    logged = []
    cbs = [ModelCheckpoint(path, save_weights_only=True),
           ModelCheckpoint(best, monitor="val_loss", save_best_only=True, verbose=1),
           LambdaCallback(on_epoch_end=lambda e, logs: logged.append(logs["val_loss"]))]
    model = tiny_model()
    model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0, callbacks=cbs)
    names = sorted(os.listdir(tmp_path))
    assert names == sorted(["best.keras"] + [f"w-{e + 1:02d}-{v:.2f}.h5"
                                              for e, v in enumerate(logged)])
    out = capsys.readouterr().out
    assert out.startswith(f"\nEpoch 1: val_loss improved from inf to {logged[0]:.5f}, saving "
                          f"model to {best}\n")
    # the weights file of epoch 3 loads into a fresh model and gives the same predictions
    fresh = tiny_model()
    fresh.load_weights(str(tmp_path / f"w-03-{logged[2]:.2f}.h5"))
    np.testing.assert_allclose(fresh.predict(x), model.predict(x), rtol=1e-6)


def test_model_checkpoint_bad_pattern_names_the_keys(tmp_path):
    x, y = data()
    cb = ModelCheckpoint(str(tmp_path / "{epoch}-{val_los:.2f}"))
    with pytest.raises(KeyError, match="val_los.*loss, accuracy, val_loss"):
        tiny_model().fit(x, y, epochs=1, validation_split=0.2, verbose=0, callbacks=[cb])


def test_model_checkpoint_period_and_batches(tmp_path):
    x, y = data(32)
    every_2 = ModelCheckpoint(str(tmp_path / "e{epoch}.h5"), save_weights_only=True, period=2)
    batches = ModelCheckpoint(str(tmp_path / "b{epoch}-{loss:.3f}.h5"), save_weights_only=True,
                              save_freq=3)
    tiny_model().fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[every_2, batches])
    names = os.listdir(tmp_path)
    assert sorted(n for n in names if n.startswith("e")) == ["e2.h5", "e4.h5"]
    assert len([n for n in names if n.startswith("b")]) == 16 // 3


def test_csv_logger_rows_and_append(tmp_path):
    x, y = data()
    path = tmp_path / "log.csv"
    model = tiny_model()
    history = model.fit(x, y, epochs=2, validation_split=0.2, verbose=0,
                        callbacks=[CSVLogger(str(path))])
    model.fit(x, y, epochs=1, validation_split=0.2, verbose=0,
              callbacks=[CSVLogger(str(path), append=True, separator=",")])
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "0"]  # one header only
    assert float(rows[2][2]) == pytest.approx(history.history["loss"][1], rel=1e-12)
    CSVLogger(str(path), separator=";").on_train_begin()  # not append: the file starts over
    assert path.read_text() == ""
    # the learning rate is logged as the float32 variable holds it: "0.05", as tf-keras writes
    tiny_model(lr=0.1).fit(x, y, epochs=2, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch, lr: lr * 0.5), CSVLogger(str(path), separator=";")])
    rows = list(csv.reader(path.open(), delimiter=";"))
    assert rows[0] == ["epoch", "accuracy", "loss", "lr"]
    assert [r[3] for r in rows[1:]] == ["0.05", "0.025"]


def _events(logdir):
    """The Events of the one event file in `logdir`, as written (no TensorBoard migration)."""
    from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
    from tensorboard.compat.proto.event_pb2 import Event

    files = [f for f in os.listdir(logdir) if "tfevents" in f]
    assert len(files) == 1
    return [Event.FromString(r) for r in RawEventFileLoader(os.path.join(logdir, files[0])).Load()]


def test_tensorboard_epoch_scalars_graph_and_histograms(tmp_path):
    pytest.importorskip("tensorboard", reason="graphflow.summary needs graphflow[summary]")
    x, y = data()
    model = tiny_model()
    history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.2, verbose=0,
                        callbacks=[TensorBoard(str(tmp_path), histogram_freq=1)])
    events = _events(tmp_path)
    scalars = {(v.tag, e.step): v.simple_value for e in events for v in e.summary.value
               if v.WhichOneof("value") == "simple_value"}
    assert sorted({tag for tag, _ in scalars}) == ["epoch_accuracy", "epoch_loss",
                                                   "epoch_val_accuracy", "epoch_val_loss"]
    for epoch in range(2):
        assert scalars[("epoch_loss", epoch)] == pytest.approx(history.history["loss"][epoch],
                                                               rel=1e-6)
    histos = {(v.tag, e.step) for e in events for v in e.summary.value if v.HasField("histo")}
    assert histos == {(f"{layer}/{w}_0", s) for layer in ("dense", "dense_1")
                      for w in ("kernel", "bias") for s in (0, 1)}
    assert any(e.HasField("graph_def") for e in events)


def test_tensorboard_batch_updates(tmp_path):
    pytest.importorskip("tensorboard", reason="graphflow.summary needs graphflow[summary]")
    x, y = data(32)
    tiny_model().fit(x, y, epochs=2, batch_size=16, verbose=0,
                     callbacks=[TensorBoard(str(tmp_path), write_graph=False,
                                            update_freq="batch")])
    events = _events(tmp_path)
    steps = {v.tag: [] for e in events for v in e.summary.value}
    for e in events:
        for v in e.summary.value:
            steps[v.tag].append(e.step)
    assert steps["batch_loss"] == [0, 1, 2, 3]
    assert steps["epoch_loss"] == [32, 64]  # samples seen, as graph-mode tf.keras writes them
    assert not any(e.HasField("graph_def") for e in events)
    with pytest.raises(ValueError, match="update_freq must be"):
        TensorBoard(str(tmp_path), update_freq="step")


def test_learning_rate_scheduler(capsys):
    x, y = data()
    model = tiny_model(lr=0.1)
    seen = []
    cbs = [LearningRateScheduler(lambda epoch, lr: lr * 0.5, verbose=1),
           LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(
               float(backend.get_value(model.optimizer.lr))))]
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=cbs)
    np.testing.assert_allclose(seen, [0.05, 0.025, 0.0125], rtol=1e-6)
    np.testing.assert_allclose(history.history["lr"], [0.05, 0.025, 0.0125], rtol=1e-6)
    assert capsys.readouterr().out.startswith(
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.05000000074505806.\n")
    one_arg = tiny_model(lr=0.1)
    one_arg.fit(x, y, epochs=2, verbose=0, callbacks=[LearningRateScheduler(
        lambda epoch: 0.01 * (epoch + 1))])
    assert float(backend.get_value(one_arg.optimizer.lr)) == pytest.approx(0.02)
    with pytest.raises(ValueError, match='output of the "schedule" function should be a '
                                         "float, got str"):
        tiny_model().fit(x, y, epochs=1, verbose=0,
                         callbacks=[LearningRateScheduler(lambda epoch: "fast")])


def test_early_stopping_stops_a_real_fit():
    x, y = data()
    stopper = EarlyStopping(monitor="loss", min_delta=10.0, patience=1)  # nothing is that good
    history = tiny_model().fit(x, y, epochs=20, verbose=0, callbacks=[stopper])
    assert len(history.epoch) == 2 and stopper.stopped_epoch == 1


def test_terminate_on_nan_in_a_real_fit(capsys):
    x, y = data()
    # A NaN target makes the first batch's loss NaN whatever the initial weights (an infinite
    # input did only for some draws of them).
    y[5, 0] = np.nan
    history = tiny_model().fit(x, y, epochs=5, batch_size=40, shuffle=False, verbose=0,
                               callbacks=[TerminateOnNaN()])
    assert len(history.epoch) == 1
    assert "Batch 0: Invalid loss, terminating training" in capsys.readouterr().out
