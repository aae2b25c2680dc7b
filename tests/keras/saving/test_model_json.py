"""`Model.to_json` / `models.model_from_json` (found by the keras_save_load program): the
architecture alone, as JSON text; the rebuilt model has the same layers and fresh weights."""

import json

import numpy as np
import pytest

from graphflow import keras


def _mlp():
    return keras.Sequential([keras.layers.Dense(5, activation="relu", input_shape=(3,),
                                                name="hidden"),
                             keras.layers.Dense(2, name="out")])


def test_sequential_round_trips_through_json():
    model = _mlp()
    text = model.to_json()
    parsed = json.loads(text)
    assert parsed["class_name"] == "Sequential"
    assert [layer["config"]["name"] for layer in parsed["config"]["layers"]][-2:] == \
        ["hidden", "out"]
    clone = keras.models.model_from_json(text)
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dense"]
    assert clone.get_layer("hidden").get_config()["activation"] == "relu"
    assert clone.count_params() == model.count_params() == 32
    assert clone.get_weights()[0].shape == (3, 5)
    assert json.loads(model.to_json(indent=2)) == parsed


def test_functional_with_two_inputs_round_trips_through_json():
    a, b = keras.Input(shape=(2,), name="a"), keras.Input(shape=(3,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(4)(a), b])
    model = keras.Model([a, b], keras.layers.Dense(1)(merged))
    clone = keras.models.model_from_json(model.to_json())
    assert [t.shape.as_list() for t in clone.inputs] == [[None, 2], [None, 3]]
    ones = [np.ones((2, 2), np.float32), np.ones((2, 3), np.float32)]
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(ones), model.predict(ones), rtol=1e-6)


def test_a_config_value_json_cannot_hold_is_named():
    model = _mlp()
    model.get_config = lambda: {"layers": [object()]}
    with pytest.raises(TypeError, match="Model.to_json: object"):
        model.to_json()
