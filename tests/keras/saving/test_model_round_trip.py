"""save_model / load_model: architecture, weights, compile settings and optimizer state come
back, so training resumes exactly where it stopped; weights-only files too."""

import io
import json
import zipfile

import numpy as np
import pytest

from graphflow.keras import layers
from graphflow.keras.engine.input_layer import Input
from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.engine.training import Model
from graphflow.keras.optimizers import Adam
from graphflow.keras.saving import load_model, load_weights, save_model, save_weights


def data(n=32, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 4).astype("float32")
    return x, (x[:, :1] - x[:, 1:2] > 0).astype("float32")


def sequential():
    model = Sequential([layers.Dense(5, activation="tanh", input_shape=(4,)),
                        layers.BatchNormalization(),
                        layers.Dense(1, activation="sigmoid")])
    model.compile(Adam(lr=0.01), "binary_crossentropy", metrics=["accuracy"])
    return model


def functional():
    inputs = Input((4,))
    a = layers.Dense(3, activation="relu", name="left")(inputs)
    b = layers.Dense(3, name="right")(inputs)
    merged = layers.Concatenate()([a, layers.Add()([a, b])])
    model = Model(inputs, layers.Dense(1, activation="sigmoid")(merged), name="two_branches")
    model.compile("rmsprop", "binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("build", [sequential, functional])
def test_training_resumes_identically(build, tmp_path):
    x, y = data()
    model = build()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "model.h5"
    model.save(str(path))
    loaded = load_model(str(path))
    assert type(loaded) is type(model)
    assert [type(lay).__name__ for lay in loaded.layers] == \
        [type(lay).__name__ for lay in model.layers]
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    for a, b in zip(loaded.optimizer.get_weights(), model.optimizer.get_weights()):
        np.testing.assert_array_equal(a, b)
    h1 = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    h2 = loaded.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert h2.history["loss"] == h1.history["loss"]  # bit for bit: same weights, same state
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert loaded.metrics_names == model.metrics_names


def test_archive_layout_is_json_and_npz(tmp_path):
    x, y = data()
    model = sequential()
    model.fit(x, y, epochs=1, verbose=0)  # the optimizer's slots exist once it has trained
    path = save_model(model, tmp_path / "m.keras")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["model_config.json", "training_config.json",
                                      "weights.npz", "optimizer_weights.npz"]
        config = json.loads(archive.read("model_config.json"))
        training = json.loads(archive.read("training_config.json"))
    assert config["class_name"] == "Sequential"
    assert [lay["class_name"] for lay in config["config"]["layers"]] == [
        "InputLayer", "Dense", "BatchNormalization", "Dense"]
    assert training["loss"] == "binary_crossentropy"
    assert training["optimizer_config"]["class_name"] == "Adam"
    with zipfile.ZipFile(path) as archive:
        weights = np.load(io.BytesIO(archive.read("weights.npz")), allow_pickle=False)
        optimizer = np.load(io.BytesIO(archive.read("optimizer_weights.npz")),
                            allow_pickle=False)
    assert len(optimizer.files) == 1 + 2 * 6  # the step counter, then m and v of 6 weights
    assert weights.files == ["dense/kernel", "dense/bias", "batch_normalization/gamma",
                                 "batch_normalization/beta", "batch_normalization/moving_mean",
                                 "batch_normalization/moving_variance", "dense_1/kernel",
                                 "dense_1/bias"]


def test_load_without_compiling_and_uncompiled_models(tmp_path):
    x, _ = data()
    model = sequential()
    model.save(str(tmp_path / "a"))
    plain = load_model(str(tmp_path / "a"), compile=False)
    assert plain.optimizer is None
    np.testing.assert_allclose(plain.predict(x), model.predict(x), rtol=1e-6)
    raw = Sequential([layers.Dense(2, input_shape=(4,))])
    raw.save(str(tmp_path / "b"))
    with pytest.warns(UserWarning, match="No training configuration found.*not\\* compiled"):
        again = load_model(str(tmp_path / "b"))
    np.testing.assert_array_equal(again.get_weights()[0], raw.get_weights()[0])


def test_weights_only_round_trip_and_by_name(tmp_path):
    x, _ = data()
    model = functional()
    path = str(tmp_path / "w.h5")
    save_weights(model, path)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["weights.npz"]
    fresh = functional()
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))
    with pytest.raises(Exception, match="weights file; build the model"):
        load_model(path)
    # by_name: only the layers whose names match take weights
    inputs = Input((4,))
    other = Model(inputs, layers.Dense(3, name="left")(inputs))
    before = other.get_weights()
    load_weights(other, path, by_name=True)
    np.testing.assert_array_equal(other.get_layer("left").get_weights()[0],
                                  model.get_layer("left").get_weights()[0])
    assert not np.array_equal(before[0], other.get_weights()[0])


def test_mismatched_architecture_names_layer_and_shapes(tmp_path):
    model = sequential()
    path = str(tmp_path / "w")
    model.save_weights(path)
    wider = Sequential([layers.Dense(6, activation="tanh", input_shape=(4,)),
                        layers.BatchNormalization(), layers.Dense(1)])
    with pytest.raises(ValueError, match=r"shape mismatch in layer #0 \(named 'dense_\d+'\) "
                                         r"for weight .*kernel.*expects shape \(4, 6\), the "
                                         r"file has dense/kernel with shape \(4, 5\)"):
        wider.load_weights(path)
    shorter = Sequential([layers.Dense(5, input_shape=(4,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="containing 3 layers with weights .* into a model "
                                         "with 2"):
        shorter.load_weights(path)
    with pytest.warns(UserWarning, match="Skipping"):
        renamed = Sequential([layers.Dense(6, input_shape=(4,), name="dense")])
        renamed.load_weights(path, by_name=True, skip_mismatch=True)


def test_overwrite_false_keeps_the_file(tmp_path):
    path = tmp_path / "m"
    model = sequential()
    model.save(str(path))
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="already exists; pass overwrite=True"):
        model.save(str(path), overwrite=False)
    assert path.read_bytes() == before


def test_layer_names_with_a_slash_are_refused(tmp_path):
    model = Sequential([layers.Dense(2, input_shape=(3,), name="a/b")])
    with pytest.raises(ValueError, match="layer 'a/b': a layer name with '/'"):
        model.save_weights(str(tmp_path / "w"))
    assert not (tmp_path / "w").exists()
