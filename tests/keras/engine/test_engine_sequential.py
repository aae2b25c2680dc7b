"""Sequential: built from the first layer's input_shape, an InputLayer, or the first data; add,
pop, layers without the InputLayer, config round trip."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import layers as L


def test_built_from_the_first_layers_input_shape():
    model = keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)), L.Dense(3)])
    assert [lay.name for lay in model.layers] == ["dense", "dense_1"]  # no InputLayer
    assert model.inputs[0].name == "dense_input:0"
    assert model.input_shape == (None, 4) and model.output_shape == (None, 3)
    assert model.count_params() == 40 + 27


def test_add_and_pop():
    model = keras.Sequential()
    model.add(keras.InputLayer(input_shape=(5,)))
    model.add(L.Dense(4))
    model.add(L.Dense(2))
    assert model.output_shape == (None, 2) and len(model.layers) == 2
    model.pop()
    assert model.output_shape == (None, 4) and [lay.name for lay in model.layers] == ["dense"]
    with pytest.raises(TypeError, match="must be an instance of class Layer"):
        model.add("dense")
    with pytest.raises(ValueError, match="unique names"):
        model.add(L.Dense(3, name="dense"))


def test_deferred_build_at_the_first_fit():
    model = keras.Sequential([L.Dense(4, activation="relu"), L.Dense(1)])
    assert model.outputs == []
    model.compile(gf.train.GradientDescentOptimizer(0.01), "mse")
    model.fit(np.ones((8, 6), "f"), np.ones((8, 1), "f"), verbose=0)
    assert model.input_shape == (None, 6) and model.count_params() == 28 + 5


def test_called_on_a_tensor_it_builds_and_nests():
    inner = keras.Sequential([L.Dense(3)])
    x = keras.Input(shape=(2,))
    outer = keras.Model(x, L.Dense(1)(inner(x)))
    assert inner.input_shape == (None, 2)
    assert outer.count_params() == 9 + 4


def test_config_round_trip():
    model = keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)),
                              L.Dropout(0.5), L.Dense(3, activation="softmax")])
    config = model.get_config()
    assert [entry["class_name"] for entry in config["layers"]] == [
        "InputLayer", "Dense", "Dropout", "Dense"]
    assert config["layers"][0]["config"]["name"] == "dense_input"
    with gf.Graph().as_default():
        copy = keras.Sequential.from_config(config)
        assert [lay.name for lay in copy.layers] == ["dense", "dropout", "dense_1"]
        assert copy.output_shape == (None, 3) and copy.count_params() == 67
        clone = keras.models.clone_model(copy)
        assert clone.count_params() == 67


def test_sequential_layers_need_one_output():
    class Two(keras.layers.Layer):
        def call(self, inputs):
            return [inputs, inputs]

    model = keras.Sequential([L.Dense(2, input_shape=(2,))])
    with pytest.raises(ValueError, match="single output tensor"):
        model.add(Two())
