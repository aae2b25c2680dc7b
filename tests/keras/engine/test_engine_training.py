"""compile / fit / evaluate / predict / *_on_batch against tf-keras 2.21 (graph mode, legacy
SGD): the History numbers below were printed by tf_keras for the same data, initial weights and
settings, so they check the batching, the partial last batch, the batch-size-weighted epoch
means, validation_split, sample weights and the metric names at once."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import layers as L
from graphflow.keras.callbacks import Callback, LambdaCallback
from graphflow.run_signature import RunSignature

# tf_keras: Sequential([Dense(5, relu, input_shape=(4,)), Dense(3, softmax)]), SGD(0.5),
# categorical_crossentropy, metrics=["acc"], batch_size=16, epochs=3, validation_split=0.2,
# shuffle=False; then evaluate(x, y, batch_size=7).
TF_HISTORY = {"loss": [1.0879685163497925, 1.0811206340789794, 1.0808210134506226],
              "acc": [0.3125, 0.36250001192092896, 0.36250001192092896],
              "val_loss": [1.1385488510131836, 1.156562328338623, 1.1615259647369385],
              "val_acc": [0.25, 0.25, 0.25]}
TF_EVALUATE = [1.084719181060791, 0.3799999952316284]
# Dense(3, softmax), SGD(0.1), sparse CE, metrics=["accuracy"], weighted_metrics=["accuracy"],
# sample weights linspace(.5, 1.5), batch 32, 2 epochs, no shuffle.
TF_WEIGHTED = {"loss": [1.1089248371124267, 1.0986141633987427],
               "accuracy": [0.3700000047683716, 0.3499999940395355],
               "accuracy_1": [0.3770201802253723, 0.355707049369812]}


def _data():
    rs = np.random.RandomState(0)
    x = rs.rand(100, 4).astype("f")
    labels = rs.randint(0, 3, 100)
    k1 = rs.rand(4, 5).astype("f") - .5
    k2 = rs.rand(5, 3).astype("f") - .5
    return x, labels, np.eye(3, dtype="f")[labels], k1, k2


def _mlp(k1, k2):
    model = keras.Sequential([L.Dense(5, activation="relu", input_shape=(4,)),
                              L.Dense(3, activation="softmax")])
    model.set_weights([k1, np.zeros(5, "f"), k2, np.zeros(3, "f")])
    return model


def test_fit_history_and_evaluate_match_tf_keras():
    x, _, y, k1, k2 = _data()
    model = _mlp(k1, k2)
    model.compile(keras.optimizers.SGD(0.5), "categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, batch_size=16, epochs=3, validation_split=0.2, shuffle=False,
                        verbose=0)
    assert list(history.history) == ["loss", "acc", "val_loss", "val_acc"]
    assert history.epoch == [0, 1, 2]
    for key, expected in TF_HISTORY.items():
        np.testing.assert_allclose(history.history[key], expected, rtol=2e-6, err_msg=key)
    assert model.metrics_names == ["loss", "acc"]
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=7, verbose=0), TF_EVALUATE,
                               rtol=2e-6)


def test_sample_weights_and_weighted_metrics_match_tf_keras():
    x, labels, _, k1, _ = _data()
    model = keras.Sequential([L.Dense(3, activation="softmax", input_shape=(4,))])
    model.set_weights([k1[:, :3], np.zeros(3, "f")])
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy",
                  metrics=["accuracy"], weighted_metrics=["accuracy"])
    history = model.fit(x, labels, batch_size=32, epochs=2, shuffle=False, verbose=0,
                        sample_weight=np.linspace(0.5, 1.5, 100).astype("f"))
    assert model.metrics_names == ["loss", "accuracy", "accuracy_1"]
    for key, expected in TF_WEIGHTED.items():
        np.testing.assert_allclose(history.history[key], expected, rtol=2e-6, err_msg=key)


def test_validation_split_takes_the_last_fraction_before_shuffling():
    x = np.random.rand(120, 4).astype("f")
    y = np.eye(3, dtype="f")[np.random.randint(0, 3, 120)]
    model = keras.Sequential([L.Dense(3, activation="softmax", input_shape=(4,))])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    sizes, seen = [], []
    record = LambdaCallback(on_train_batch_end=lambda b, logs: sizes.append(logs["size"]),
                            on_train_begin=lambda logs: seen.append(dict(record.params)))
    history = model.fit(x, y, batch_size=16, epochs=1, validation_split=0.2, verbose=0,
                        callbacks=[record])
    assert sum(sizes) == 96 and sizes == [16] * 6
    assert seen[0]["samples"] == 96 and seen[0]["steps"] == 6 and seen[0]["epochs"] == 1
    assert seen[0]["metrics"] == ["loss", "accuracy", "val_loss", "val_accuracy"]
    # the last 24 rows validated: the same numbers as evaluating them after the epoch
    loss, acc = model.evaluate(x[96:], y[96:], verbose=0)
    np.testing.assert_allclose(history.history["val_loss"], [loss], rtol=1e-5)
    np.testing.assert_allclose(history.history["val_accuracy"], [acc], rtol=1e-6)


def test_partial_last_batch_and_one_plan_per_signature(monkeypatch):
    compiled = []
    original = RunSignature.compile
    monkeypatch.setattr(RunSignature, "compile",
                        lambda self, shapes: compiled.append(shapes) or original(self, shapes))
    x, _, y, k1, k2 = _data()
    model = _mlp(k1, k2)
    model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    model.train_on_batch(x[:32], y[:32])  # builds, initialises and compiles the batch-32 plan
    compiled.clear()
    sizes = []
    record = LambdaCallback(on_train_batch_end=lambda b, logs: sizes.append(logs["size"]))
    model.fit(x, y, batch_size=32, epochs=3, verbose=0, callbacks=[record])
    assert sizes == [32, 32, 32, 4] * 3
    assert len(compiled) == 1  # only the partial batch's shape is new
    model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    model.train_on_batch(x[:32], y[:32])
    first = len(compiled)
    assert first == 1  # nothing new: the same signature and shapes
    model.evaluate(x, y, batch_size=50, verbose=0)
    model.evaluate(x, y, batch_size=50, verbose=0)
    model.predict(x, batch_size=50)
    model.predict(x, batch_size=50)
    assert len(compiled) == first + 2  # one test plan, one predict plan


def test_multi_output_evaluate_is_aligned_with_metrics_names():
    a = keras.Input(shape=(4,))
    h = L.Dense(6, activation="relu")(a)
    out = L.Dense(3, activation="softmax", name="out")(h)
    reg = L.Dense(1, name="reg")(h)
    model = keras.Model(a, [out, reg])
    model.compile("rmsprop", {"out": "categorical_crossentropy", "reg": "mse"},
                  metrics={"out": ["accuracy"], "reg": ["mae"]}, loss_weights=[1.0, 0.5])
    assert model.metrics_names == ["loss", "out_loss", "reg_loss", "out_accuracy", "reg_mae"]
    x = np.random.rand(40, 4).astype("f")
    y = [np.eye(3, dtype="f")[np.random.randint(0, 3, 40)], np.random.rand(40, 1)]
    history = model.fit(x, y, epochs=2, verbose=0)
    assert list(history.history) == model.metrics_names
    values = model.evaluate(x, y, batch_size=40, verbose=0)
    assert len(values) == 5
    np.testing.assert_allclose(values[0], values[1] + 0.5 * values[2], rtol=1e-5)
    p_out, p_reg = model.predict(x)
    np.testing.assert_allclose(values[4], np.abs(p_reg - y[1]).mean(), rtol=1e-5)
    np.testing.assert_allclose(values[3], (p_out.argmax(1) == y[0].argmax(1)).mean())
    assert model.predict_on_batch(x[:3])[0].shape == (3, 3)


def test_accuracy_is_resolved_by_the_loss():
    x = np.random.rand(20, 4).astype("f")
    binary = keras.Sequential([L.Dense(1, activation="sigmoid", input_shape=(4,))])
    binary.compile("sgd", "binary_crossentropy", metrics=["acc"])
    y = (np.random.rand(20) > .5).astype("f")
    loss, acc = binary.evaluate(x, y, verbose=0)
    p = binary.predict(x)[:, 0]
    assert acc == pytest.approx(((p > .5) == y).mean())
    sparse = keras.Sequential([L.Dense(3, activation="softmax", input_shape=(4,))])
    sparse.compile("adagrad", "sparse_categorical_crossentropy", metrics=["accuracy"])
    labels = np.random.randint(0, 3, 20)
    _, acc = sparse.evaluate(x, labels, verbose=0)
    assert acc == pytest.approx((sparse.predict(x).argmax(1) == labels).mean())


def test_learning_phase_is_fed_in_training_only():
    x = np.ones((64, 10), "f")
    model = keras.Sequential([L.Dropout(0.5, input_shape=(10,)), L.Dense(1, use_bias=False,
                                                                          kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    y = np.full((64, 1), 10.0, "f")
    np.testing.assert_allclose(model.predict(x), 10.0)  # no dropout when predicting
    assert model.test_on_batch(x, y) == pytest.approx(0.0)
    assert model.train_on_batch(x, y) > 1.0  # half the units dropped, the rest doubled


def test_regularisation_losses_and_batchnorm_updates_run():
    x = np.random.RandomState(1).rand(32, 3).astype("f") + 5.0
    model = keras.Sequential([
        L.BatchNormalization(input_shape=(3,)),
        L.Dense(2, kernel_regularizer=keras.regularizers.l2(0.1))])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    y = np.zeros((32, 2), "f")
    kernel = model.layers[1].get_weights()[0]
    data_loss = float(np.mean(model.predict(x) ** 2))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(
        data_loss + 0.1 * float(np.sum(kernel ** 2)), rel=1e-5)
    before = model.layers[0].get_weights()[2]  # the moving mean
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    after = model.layers[0].get_weights()[2]
    np.testing.assert_allclose(after, 0.99 * before + 0.01 * x.mean(0), rtol=1e-5)


def test_callbacks_see_keras_hooks_and_can_stop_training():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin {epoch}")

        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"batch_end {batch} {sorted(logs)}")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch} {sorted(logs)}")
            if epoch == 1:
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            calls.append("train_end")

    model = keras.Sequential([L.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x, y = np.random.rand(8, 2), np.random.rand(8, 1)
    history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, validation_data=(x, y),
                        callbacks=[Recorder()])
    assert calls == ["train_begin", "epoch_begin 0", "batch_end 0 ['batch', 'loss', 'size']",
                     "batch_end 1 ['batch', 'loss', 'size']",
                     "epoch_end 0 ['loss', 'val_loss']", "epoch_begin 1",
                     "batch_end 0 ['batch', 'loss', 'size']",
                     "batch_end 1 ['batch', 'loss', 'size']",
                     "epoch_end 1 ['loss', 'val_loss']", "train_end"]
    assert history.epoch == [0, 1] and model.stop_training


def test_initial_epoch_validation_freq_and_class_weight():
    model = keras.Sequential([L.Dense(2, activation="softmax", input_shape=(2,))])
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = np.random.rand(10, 2), np.array([0, 1] * 5)
    history = model.fit(x, y, epochs=4, initial_epoch=1, validation_split=0.2,
                        validation_freq=2, verbose=0)
    assert history.epoch == [1, 2, 3]
    # Keras validates when (epoch index + 1) % validation_freq == 0: epochs 1 and 3
    assert len(history.history["loss"]) == 3 and len(history.history["val_loss"]) == 2
    model.set_weights([np.zeros((2, 2), "f"), np.zeros(2, "f")])
    seen = []
    plain = model.test_on_batch(x, y)  # log 2 for every sample
    model.fit(x, y, epochs=1, verbose=0, class_weight={0: 2.0, 1: 0.0},
              callbacks=[LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(
                  logs["loss"]))])
    assert seen == [pytest.approx(plain)]  # mean of 2·log2 and 0·log2


def test_a_tf1_optimizer_and_a_dataset_can_train():
    gf.set_random_seed(0)  # the initial weights: the loss ratio below must hold every time
    x = np.random.RandomState(0).rand(64, 3).astype("f")
    y = x @ np.float32([[1.0], [2.0], [-1.0]])
    model = keras.Sequential([L.Dense(1, input_shape=(3,))])
    model.compile(gf.train.GradientDescentOptimizer(0.3), "mse")
    dataset = gf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    history = model.fit(dataset, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert model.evaluate(dataset, verbose=0) == pytest.approx(history.history["loss"][-1],
                                                               rel=0.5)
    assert model.predict(gf.data.Dataset.from_tensor_slices(x).batch(10)).shape == (64, 1)


def test_keras_errors_name_the_layer_the_shapes_and_the_line():
    model = keras.Sequential([L.Dense(3, activation="softmax", input_shape=(4,))])
    x, labels = np.random.rand(10, 4), np.random.randint(0, 3, 10)
    with pytest.raises(RuntimeError, match="must compile your model"):
        model.fit(x, labels)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError, match=r"test_engine_training.py:\d+.*Error when checking "
                       r"input: expected dense_input to have shape \(4,\) but got array with "
                       r"shape \(3,\)"):
        model.fit(x[:, :3], labels, verbose=0)
    with pytest.raises(ValueError, match=r"expected dense_input to have 2 dimensions, but got "
                       r"array with shape \(10, 4, 1\)"):
        model.fit(x[:, :, None], labels, verbose=0)
    with pytest.raises(ValueError, match="Found 10 input samples and 8 target samples"):
        model.fit(x, labels[:8], verbose=0)
    dense = keras.Sequential([L.Dense(3, input_shape=(4,))])
    dense.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"A target array with shape \(10, 2\) was passed for "
                       r"an output of shape \(None, 3\) while using as loss "
                       r"`mean_squared_error`"):
        dense.fit(x, np.zeros((10, 2)), verbose=0)
    with pytest.raises(TypeError, match="Invalid keyword"):
        dense.fit(x, np.zeros((10, 3)), nb_epoch=2)


def test_targets_are_named_placeholders_and_target_tensors_are_used():
    model = keras.Sequential([L.Dense(2, input_shape=(3,), name="head")])
    model.compile("sgd", "mse")
    x, y = np.random.rand(6, 3).astype("f"), np.random.rand(6, 2).astype("f")
    model.fit(x, y, verbose=0)
    target = gf.get_default_graph().get_tensor_by_name("head_target:0")
    assert target.shape.as_list() == [None, 2]
    given = gf.placeholder(gf.float32, [None, 2], name="my_target")
    model.compile("sgd", "mse", target_tensors=[given])
    assert model.evaluate(x, y, verbose=0) == pytest.approx(
        float(np.mean((model.predict(x) - y) ** 2)), rel=1e-5)


def test_input_can_wrap_a_tensor_and_validation_data_can_be_a_dataset():
    given = gf.placeholder(gf.float32, [None, 3], name="given")
    x_in = keras.Input(tensor=given)
    assert x_in is given and keras.Model(x_in, L.Dense(1)(x_in)).input_shape == (None, 3)
    model = keras.Sequential([L.Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    x, y = np.random.rand(8, 3).astype("f"), np.random.rand(8, 1).astype("f")
    history = model.fit(x, y, epochs=2, verbose=0, batch_size=8,
                        validation_data=gf.data.Dataset.from_tensor_slices((x, y)).batch(8))
    assert len(history.history["val_loss"]) == 2
    np.testing.assert_allclose(history.history["val_loss"][-1],
                               model.evaluate(x, y, verbose=0), rtol=1e-5)


def test_dict_data_by_input_and_output_names():
    a, b = keras.Input(shape=(2,), name="left"), keras.Input(shape=(3,), name="right")
    joined = L.Concatenate()([a, b])
    model = keras.Model([a, b], [L.Dense(1, name="sum")(joined), L.Dense(2, name="pair")(joined)])
    model.compile("sgd", {"sum": "mse", "pair": "mae"})
    x = {"right": np.random.rand(8, 3), "left": np.random.rand(8, 2)}
    y = {"pair": np.random.rand(8, 2), "sum": np.random.rand(8, 1)}
    history = model.fit(x, y, epochs=1, verbose=0)
    assert list(history.history) == ["loss", "sum_loss", "pair_loss"]
    with pytest.raises(ValueError, match="No data provided for 'right'"):
        model.predict({"left": x["left"]})
    with pytest.raises(ValueError, match="only supported for NumPy arrays"):
        model.fit(gf.data.Dataset.from_tensor_slices((x, y)), validation_split=0.5)


def test_steps_per_epoch_with_arrays_feeds_all_of_them_each_step():
    model = keras.Sequential([L.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    sizes = []
    model.fit(np.random.rand(10, 2), np.random.rand(10, 1), epochs=2, steps_per_epoch=3,
              verbose=0, callbacks=[LambdaCallback(
                  on_train_batch_end=lambda b, logs: sizes.append((b, logs["size"])))])
    assert sizes == [(0, 10), (1, 10), (2, 10)] * 2
