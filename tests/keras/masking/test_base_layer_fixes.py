"""The Keras base layer's `add_weight` takes Keras identifiers, as Keras does, and a subclassed
model's `get_config` says why it has none (a TypeError, not NotImplementedError)."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import backend, initializers
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.engine.functional import ModelConfigError


class Weights(Layer):
    """Makes the weights `spec` describes: {name: add_weight kwargs}."""

    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec

    def build(self, input_shape):
        self.made = {name: self.add_weight(name, **kw) for name, kw in self.spec.items()}

    def call(self, inputs):
        return inputs


def build(spec):
    layer = Weights(spec)
    layer(gf.zeros([1, 2]))
    values = dict(zip(layer.made, backend.batch_get_value(list(layer.made.values()))))
    return layer, values


def test_add_weight_resolves_keras_initializer_identifiers():
    layer, got = build({
        "ones": {"shape": (2, 3), "initializer": "ones"},
        "glorot": {"shape": (20, 30), "initializer": "glorot_uniform"},
        "const": {"shape": (2,), "initializer": initializers.Constant(3.0)},
        "config": {"shape": (2,), "initializer": {"class_name": "Constant",
                                                  "config": {"value": -1.0}}},
        "default": {"shape": (20, 30)},
        "count": {"shape": (), "dtype": "int32", "trainable": False},
    })
    np.testing.assert_array_equal(got["ones"], np.ones((2, 3)))
    limit = np.sqrt(6.0 / 50)
    for name in ("glorot", "default"):  # glorot_uniform is also the float default, as Keras
        assert np.all(np.abs(got[name]) <= limit) and got[name].std() > limit / 4
    np.testing.assert_array_equal(got["const"], [3.0, 3.0])
    np.testing.assert_array_equal(got["config"], [-1.0, -1.0])
    assert got["count"] == 0 and layer.made["count"].dtype == gf.int32
    assert layer.made["ones"].name == "weights/ones:0"
    assert layer.made["count"] in layer.non_trainable_weights


def test_add_weight_resolves_regularizer_and_constraint_names():
    layer, got = build({"w": {"shape": (3,), "initializer": "ones", "regularizer": "l2",
                              "constraint": "non_neg"}})
    assert len(layer.losses) == 1
    np.testing.assert_allclose(backend.get_session().run(layer.losses[0]), 0.01 * 3)
    assert layer.made["w"].constraint is not None
    projected = backend.get_session().run(layer.made["w"].constraint(gf.constant([-1.0, 2.0])))
    np.testing.assert_array_equal(projected, [0.0, 2.0])


def test_add_weight_defaults_to_a_scalar_and_names_bad_identifiers():
    layer, got = build({"s": {"initializer": "zeros"}})
    assert layer.made["s"].shape.as_list() == [] and got["s"] == 0.0
    with pytest.raises(ValueError, match="Unknown initializer: 'onez'"):
        build({"bad": {"shape": (2,), "initializer": "onez"}})


def test_subclassed_model_get_config_names_the_class_and_save_weights():
    class Twice(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs) * 2.0

    model = Twice()
    model.predict(np.zeros((1, 3), "float32"))
    with pytest.raises(ModelConfigError, match=r"Twice \(model 'twice'\) is a subclassed model"
                       r".*defines get_config\(\).*save_weights") as info:
        model.get_config()
    assert isinstance(info.value, TypeError) and not isinstance(info.value, NotImplementedError)
