"""Input / InputLayer, functional Model graphs (order, reuse, nesting, config) and subclassed
models. Layer orders are what tf-keras 2.21 lists for the same graphs."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import layers as L
from graphflow.keras.engine.base_layer import keras_history


def _two_in_two_out():
    a = keras.Input(shape=(4,))
    b = keras.Input(shape=(2,), name="aux")
    h = L.Dense(8, activation="relu")(a)
    c = L.Concatenate()([h, b])
    o1 = L.Dense(3, activation="softmax", name="out")(c)
    o2 = L.Dense(1)(h)
    return keras.Model([a, b], [o1, o2])


def test_input_is_a_named_placeholder_with_history():
    x = keras.Input(shape=(4,))
    y = keras.Input(shape=(2, 3), batch_size=5, dtype="int32", name="ids")
    assert x.name == "input_1:0" and x.shape.as_list() == [None, 4]
    assert y.name == "ids:0" and y.shape.as_list() == [5, 2, 3] and y.dtype == gf.int32
    layer, node, index = keras_history(x)
    assert isinstance(layer, keras.InputLayer) and (node, index) == (0, 0)
    assert layer.get_config()["batch_input_shape"] == [None, 4]
    with pytest.raises(ValueError, match="either a `shape` or a `tensor`"):
        keras.Input()


def test_layers_are_listed_in_keras_order():
    model = _two_in_two_out()
    assert [lay.name for lay in model.layers] == ["input_1", "dense", "aux", "concatenate",
                                                  "out", "dense_1"]
    assert model.input_names == ["input_1", "aux"] and model.output_names == ["out", "dense_1"]
    assert model.input_shape == [(None, 4), (None, 2)]
    assert model.output_shape == [(None, 3), (None, 1)]
    assert model.count_params() == 40 + 33 + 9 and len(model.weights) == 6


def test_get_layer_by_name_and_index():
    model = _two_in_two_out()
    assert model.get_layer("out").name == "out" and model.get_layer(index=0).name == "input_1"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="only has 6 layers"):
        model.get_layer(index=9)


def test_calling_a_model_reuses_its_weights_and_nests():
    x = keras.Input(shape=(3,))
    inner = keras.Model(x, L.Dense(2, name="shared")(x), name="inner")
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    outer = keras.Model([a, b], L.Add()([inner(a), inner(b)]))
    assert [lay.name for lay in outer.layers] == ["input_2", "input_3", "inner", "add"]
    assert len(outer.trainable_weights) == 2  # one kernel, one bias: shared by both calls
    kernel, bias = inner.get_weights()
    xa, xb = np.random.rand(4, 3).astype("f"), np.random.rand(4, 3).astype("f")
    expected = xa @ kernel + bias + xb @ kernel + bias
    np.testing.assert_allclose(outer.predict([xa, xb]), expected, rtol=1e-5)


def test_a_disconnected_graph_names_the_missing_input():
    a, b = keras.Input(shape=(2,)), keras.Input(shape=(2,), name="other")
    out = L.Add()([a, b])
    with pytest.raises(ValueError, match='Graph disconnected.*at layer "other"'):
        keras.Model(a, out)
    with pytest.raises(ValueError, match="must come from `keras.Input`"):
        keras.Model(gf.placeholder(gf.float32, [None, 2]), out)
    with pytest.raises(ValueError, match="must be the output of a graphflow Keras `Layer`"):
        keras.Model(a, a * 2.0)
    raw = L.Dense(1, name="last")(L.Dense(2)(a) * 2.0)
    with pytest.raises(ValueError, match="given to layer 'last' does not come from a Keras "
                       "layer.*keras.layers.Lambda"):
        keras.Model(a, raw)


def test_duplicate_layer_names_are_refused():
    x = keras.Input(shape=(2,))
    y = L.Dense(2, name="same")(L.Dense(2, name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times'):
        keras.Model(x, y)


def test_config_round_trip_rebuilds_the_graph():
    model = _two_in_two_out()
    config = model.get_config()
    assert config["input_layers"] == [["input_1", 0, 0], ["aux", 0, 0]]
    assert config["output_layers"] == [["out", 0, 0], ["dense_1", 0, 0]]
    concat = next(entry for entry in config["layers"] if entry["name"] == "concatenate")
    assert concat["inbound_nodes"] == [[["dense", 0, 0, {}], ["aux", 0, 0, {}]]]
    with gf.Graph().as_default():
        copy = keras.Model.from_config(config)
        assert [lay.name for lay in copy.layers] == [lay.name for lay in model.layers]
        assert copy.output_shape == model.output_shape
        assert copy.count_params() == model.count_params()


def test_nested_model_config_round_trip():
    x = keras.Input(shape=(3,))
    inner = keras.Model(x, L.Dense(2)(x), name="inner")
    y = keras.Input(shape=(3,))
    outer = keras.Model(y, L.Dense(1)(inner(y)))
    with gf.Graph().as_default():
        copy = keras.Model.from_config(outer.get_config())
        assert [lay.name for lay in copy.layers] == ["input_2", "inner", "dense_1"]
        assert copy.count_params() == 8 + 3


def test_subclassed_model_tracks_its_layers_and_trains():
    class TwoLayer(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = L.Dense(4, activation="relu")
            self.out = L.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    gf.set_random_seed(0)  # the initial weights (a dead ReLU layer would not learn)
    model = TwoLayer()
    assert model.name == "two_layer"
    assert [lay.name for lay in model.layers] == ["dense", "dense_1"]
    model.compile(gf.train.GradientDescentOptimizer(0.05), "mse")
    x = np.random.RandomState(0).rand(64, 3).astype("f")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(model.trainable_weights) == 4
    assert model.predict(x[:2]).shape == (2, 1)


def test_subclassed_model_without_call_says_so():
    model = keras.Model()
    with pytest.raises(TypeError, match="must define `call"):
        model(keras.Input(shape=(2,)))


def test_tf_keras_through_graphflow_and_compat_v1():
    import graphflow.compat.v1 as v1

    assert gf.keras is keras and v1.keras is keras
    assert v1.keras.Sequential is keras.models.Sequential and v1.keras.layers.Dense is L.Dense
    assert "keras" in dir(gf) or hasattr(gf, "keras")


def test_keras_bookkeeping_goes_with_its_graph():
    x = keras.Input(shape=(2,))
    assert keras_history(x) is not None
    with gf.Graph().as_default():
        assert keras.Input(shape=(2,)).name == "input_1:0"  # names count per graph
        assert L.Dense(1).name == "dense"
    assert "history" in gf.get_default_graph().attached("keras", dict)
