"""CallbackList: the hooks reach every callback in order, with Keras's additions and params."""

import importlib.util
import pathlib

import pytest

from graphflow.keras.callbacks import (
    Callback,
    CallbackList,
    History,
    LambdaCallback,
    ProgbarLogger,
    TerminateOnNaN,
)

_spec = importlib.util.spec_from_file_location(
    "k4_fake_model", pathlib.Path(__file__).with_name("fake_model.py"))
fake_model = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake_model)


class Recorder(Callback):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def __getattribute__(self, name):
        attr = object.__getattribute__(self, name)
        if name.startswith("on_") and name not in ("on_batch_begin", "on_batch_end"):
            log = object.__getattribute__(self, "log")

            def hook(*args):
                log.append((name, *args[:-1]))
                return attr(*args)
            return hook
        return attr


def test_hooks_in_order_and_history_last():
    log = []
    history = History()
    rec = Recorder(log)
    model = fake_model.FakeModel()
    cbs = CallbackList([rec], add_history=history, model=model, epochs=2, steps=2,
                       samples=None, verbose=0, metrics=["loss"])
    assert cbs.callbacks == [rec, history]
    assert rec.model is model and history.model is model
    assert rec.params == {"epochs": 2, "steps": 2, "samples": None, "verbose": 0,
                          "metrics": ["loss"]}
    cbs.on_train_begin()
    for epoch in range(2):
        cbs.on_epoch_begin(epoch)
        for i in range(2):
            cbs.on_train_batch_begin(i, {"batch": i, "size": 4})
            cbs.on_train_batch_end(i, {"batch": i, "size": 4, "loss": 1.0})
        cbs.on_epoch_end(epoch, {"loss": 0.5 - epoch / 10})
    cbs.on_train_end()
    assert log == [("on_train_begin",),
                   ("on_epoch_begin", 0), ("on_train_batch_begin", 0), ("on_train_batch_end", 0),
                   ("on_train_batch_begin", 1), ("on_train_batch_end", 1), ("on_epoch_end", 0),
                   ("on_epoch_begin", 1), ("on_train_batch_begin", 0), ("on_train_batch_end", 0),
                   ("on_train_batch_begin", 1), ("on_train_batch_end", 1), ("on_epoch_end", 1),
                   ("on_train_end",)]
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [0.5, 0.4]}


def test_old_batch_names_are_the_train_hooks():
    seen = []

    class Old(Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs["loss"]))

    cbs = CallbackList([Old()])
    cbs.on_train_batch_begin(3, {"batch": 3, "size": 1})
    cbs.on_train_batch_end(3, {"loss": 2.0})
    cbs.on_batch_begin(4)
    cbs.on_test_batch_end(5, {"loss": 9.0})  # test batches are not train batches
    assert seen == [("begin", 3), ("end", 3, 2.0), ("begin", 4)]


def test_progbar_added_first_when_verbose_and_not_twice():
    cbs = CallbackList([], add_progbar=True, verbose=1, epochs=1, steps=1, samples=10)
    assert isinstance(cbs.callbacks[0], ProgbarLogger)
    assert cbs.callbacks[0].count_mode == "samples"
    steps = CallbackList([], add_progbar=True, verbose=1, epochs=1, steps=3, samples=None)
    assert steps.callbacks[0].count_mode == "steps"
    mine = ProgbarLogger(count_mode="steps")
    cbs = CallbackList([mine], add_progbar=True, verbose=1)
    assert cbs.callbacks == [mine]
    assert CallbackList([], add_progbar=False).callbacks == []


def test_history_resets_on_train_begin_and_append_wires_new_callbacks():
    history = History()
    cbs = CallbackList([], add_history=history, model="m", epochs=1)
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_train_begin()
    assert history.history == {} and history.epoch == []
    late = Callback()
    cbs.append(late)
    assert late.model == "m" and late.params["epochs"] == 1
    assert len(cbs) == 2 and list(cbs)[-1] is late


def test_rejects_non_callbacks():
    with pytest.raises(TypeError, match="Callback instances.*function"):
        CallbackList([lambda epoch, logs: None])
    with pytest.raises(TypeError, match="must be a History"):
        CallbackList([], add_history=Callback())


def test_lambda_callback_hooks():
    calls = []
    cb = LambdaCallback(on_epoch_end=lambda epoch, logs: calls.append(("epoch", epoch, logs)),
                        on_train_begin=lambda logs: calls.append(("begin", logs)),
                        on_batch_end=lambda batch, logs: calls.append(("batch", batch)))
    cbs = CallbackList([cb])
    cbs.on_train_begin()
    cbs.on_train_batch_end(7, {"loss": 1.0})
    cbs.on_epoch_end(2, {"loss": 0.5})
    cbs.on_test_end()  # not given: nothing happens
    assert calls == [("begin", {}), ("batch", 7), ("epoch", 2, {"loss": 0.5})]
    with pytest.raises(TypeError, match="unknown hooks.*on_epoch_ending"):
        LambdaCallback(on_epoch_ending=print)
    with pytest.raises(TypeError, match="on_epoch_end must be a function"):
        LambdaCallback(on_epoch_end=3)


def test_terminate_on_nan(capsys):
    model = fake_model.FakeModel()
    cbs = CallbackList([TerminateOnNaN()], model=model)
    cbs.on_train_batch_end(0, {"loss": 0.3})
    assert not model.stop_training
    cbs.on_train_batch_end(1, {"loss": float("inf")})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"
