"""EarlyStopping and ReduceLROnPlateau against tf-keras 2.21 (graph mode, recorded 2026-12-02):
the monitored values are injected epoch by epoch, and the epochs run, the weights restored, the
learning rates and the printed lines are what tf-keras gave for the same sequences."""

import importlib.util
import pathlib

import numpy as np
import pytest

from graphflow.keras import backend
from graphflow.keras.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from graphflow.keras.callbacks.monitor import Monitor

_spec = importlib.util.spec_from_file_location(
    "k4_fake_model", pathlib.Path(__file__).with_name("fake_model.py"))
fake_model = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake_model)

# name: (EarlyStopping kwargs, monitored values, epochs run, epoch whose weights remain, output)
EARLY_STOPPING = {
    "patience 2": (dict(patience=2, verbose=1), [5, 4, 4.5, 4.2, 3, 2, 2, 2, 2, 2], 4, 3,
                   "Epoch 4: early stopping\n"),
    "patience 0": (dict(patience=0, verbose=1), [5, 4, 4.5, 3], 3, 2,
                   "Epoch 3: early stopping\n"),
    "min_delta": (dict(patience=1, min_delta=0.5, verbose=1), [5, 4.8, 4.6, 4.4, 4.2], 2, 1,
                  "Epoch 2: early stopping\n"),
    "restore": (dict(patience=2, restore_best_weights=True, verbose=1), [5, 3, 4, 4, 4, 4], 4,
                1, "Epoch 4: early stopping\nRestoring model weights from the end of the best "
                   "epoch: 2.\n"),
    "restore without a stop": (dict(patience=5, restore_best_weights=True), [5, 3, 4, 4], 4, 1,
                               ""),
    "baseline": (dict(patience=2, baseline=2.0, verbose=1), [5, 3, 2.5, 2.2, 1.5, 1.4, 1.3], 7,
                 6, ""),
    "max (auto for accuracy)": (dict(monitor="val_accuracy", patience=1, verbose=1),
                                [.5, .6, .55, .58, .7], 3, 2, "Epoch 3: early stopping\n"),
}


@pytest.mark.parametrize("case", list(EARLY_STOPPING))
def test_early_stopping_matches_tf_keras(case, capsys):
    kwargs, values, epochs_run, weights_epoch, printed = EARLY_STOPPING[case]
    model = fake_model.FakeModel(weights=[[-1.0]])
    monitor = kwargs.get("monitor", "val_loss")

    def mark_weights(epoch):  # the weights "trained" in epoch e are [e]
        model.set_weights([[float(epoch)]])

    run = fake_model.run_epochs([EarlyStopping(**kwargs)], model, {monitor: values},
                                before_epoch_end=mark_weights)
    assert run == epochs_run
    assert model.get_weights()[0].tolist() == [weights_epoch]
    assert capsys.readouterr().out == printed


def test_early_stopping_state_and_missing_monitor():
    es = EarlyStopping(patience=1)
    model = fake_model.FakeModel()
    fake_model.run_epochs([es], model, {"val_loss": [3.0, 2.0, 2.5, 2.5]})
    assert (es.best, es.best_epoch, es.stopped_epoch) == (2.0, 1, 2)
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not "
                                         "available. Available metrics are: loss"):
        fake_model.run_epochs([EarlyStopping()], fake_model.FakeModel(), {"loss": [1.0]})
    with pytest.raises(ValueError, match="EarlyStopping: mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="minimum")


# (ReduceLROnPlateau kwargs, monitored values, lr after each epoch, lr logged, output) from
# tf-keras with SGD(0.1) in float32.
REDUCE_LR = {
    "min_lr": (dict(factor=0.5, patience=1, verbose=1, min_lr=0.02), [5, 4, 4, 4, 4, 4, 4, 4],
               [0.1, 0.1, 0.05, 0.025, 0.02, 0.02, 0.02, 0.02],
               [0.1, 0.1, 0.1, 0.05, 0.025, 0.02, 0.02, 0.02],
               "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n"
               "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.\n"
               "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.02.\n"),
    "cooldown": (dict(factor=0.1, patience=1, cooldown=2, verbose=1), [5, 4, 4, 4, 4, 4, 4, 4, 4],
                 [0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001, 1e-05],
                 [0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001],
                 "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.010000000707805157.\n"
                 "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.0010000000474974513."
                 "\n\nEpoch 7: ReduceLROnPlateau reducing learning rate to "
                 "0.00010000000474974513.\n\nEpoch 9: ReduceLROnPlateau reducing learning rate "
                 "to 1.0000000656873453e-05.\n"),
    "min_delta": (dict(factor=0.5, patience=0, min_delta=0.5, verbose=1), [5, 4.8, 4, 3.9, 3.0],
                  [0.1, 0.05, 0.05, 0.025, 0.025], [0.1, 0.1, 0.05, 0.05, 0.025],
                  "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n"
                  "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.\n"),
}


@pytest.mark.parametrize("case", list(REDUCE_LR))
def test_reduce_lr_on_plateau_matches_tf_keras(case, capsys):
    kwargs, values, lrs, logged, printed = REDUCE_LR[case]
    model = fake_model.FakeModel(lr=0.1)
    seen, logs_seen = [], []
    from graphflow.keras.callbacks import LambdaCallback

    after = LambdaCallback(on_epoch_end=lambda epoch, logs: (
        seen.append(float(backend.get_value(model.optimizer.lr))), logs_seen.append(logs["lr"])))
    fake_model.run_epochs([ReduceLROnPlateau(**kwargs), after], model, {"val_loss": values})
    np.testing.assert_allclose(seen, lrs, rtol=1e-6)
    np.testing.assert_allclose(logs_seen, logged, rtol=1e-6)
    assert capsys.readouterr().out == printed


def test_reduce_lr_arguments():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.5)
    assert ReduceLROnPlateau(epsilon=0.3).min_delta == 0.3  # Keras's old name
    with pytest.raises(TypeError, match="unexpected arguments: \\['bogus'\\]"):
        ReduceLROnPlateau(bogus=1)


def test_reduce_lr_needs_a_learning_rate_variable():
    model = fake_model.FakeModel()
    model.optimizer = object()
    with pytest.raises(ValueError, match="ReduceLROnPlateau: the optimizer object has no "
                                         "learning-rate variable"):
        fake_model.run_epochs([ReduceLROnPlateau()], model, {"val_loss": [1.0]})


@pytest.mark.parametrize("name, mode", [("val_loss", "min"), ("acc", "max"),
                                        ("val_accuracy", "max"), ("auc", "max"),
                                        ("val_mean_absolute_error", "min"),
                                        ("fmeasure", "max")])
def test_auto_mode(name, mode):
    assert Monitor("X", name).mode == mode
    assert ModelCheckpoint("f", monitor=name).mode == mode


def test_min_delta_is_a_margin_in_the_improving_direction():
    low = Monitor("X", "loss", "min", min_delta=-0.5)  # the sign is ignored, as in Keras
    assert low.improved(1.4, 2.0) and not low.improved(1.6, 2.0)
    high = Monitor("X", "acc", "max", min_delta=0.1)
    assert high.improved(0.75, 0.6) and not high.improved(0.65, 0.6)
