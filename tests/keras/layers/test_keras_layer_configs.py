"""Every Keras layer's get_config is JSON and rebuilds an equal layer through
layers.serialize / deserialize; Keras's initializers keep Keras's names and defaults."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graphflow.core.graph import Graph
from graphflow.keras import backend, initializers
from graphflow.keras import layers as L
from graphflow.keras import regularizers as R
from graphflow.ops.state import placeholder

LAYERS = [
    lambda: L.Dense(3, activation="tanh", kernel_regularizer=R.l2(0.1),
                    kernel_initializer="he_normal", bias_constraint="non_neg"),
    lambda: L.Activation("selu"), lambda: L.Dropout(0.3, noise_shape=[None, 1], seed=4),
    lambda: L.Flatten(), lambda: L.Reshape((2, -1)), lambda: L.Permute((2, 1)),
    lambda: L.RepeatVector(3),
    lambda: L.Conv2D(4, 3, strides=2, padding="same", activation="relu",
                     input_shape=(8, 8, 3)),
    lambda: L.Conv1D(2, 3, dilation_rate=2), lambda: L.Conv2DTranspose(2, (2, 3)),
    lambda: L.ZeroPadding2D(((1, 2), (3, 4))), lambda: L.MaxPooling2D(3, strides=1),
    lambda: L.AveragePooling1D(2), lambda: L.GlobalMaxPooling2D(keepdims=True),
    lambda: L.BatchNormalization(momentum=0.9, epsilon=1e-4),
    lambda: L.Embedding(10, 3, input_length=5), lambda: L.Add(), lambda: L.Concatenate(axis=1),
]


@pytest.mark.parametrize("make", LAYERS)
def test_config_round_trip(make):
    with Graph().as_default():
        layer = make()
        config = json.loads(json.dumps(L.serialize(layer)))
        rebuilt = L.deserialize(config)
        assert type(rebuilt) is type(layer)
        assert rebuilt.get_config() == config["config"]


def test_rebuilt_dense_computes_the_same():
    x = np.random.default_rng(3).normal(size=(2, 4)).astype("float32")
    with Graph().as_default():
        ph = placeholder("float32", [None, 4])
        first = L.Dense(3, activation="softplus")
        out1 = first(ph)
        second = L.deserialize(L.serialize(first))
        out2 = second(ph)
        second.set_weights(first.get_weights())
        a, b = backend.get_session().run([out1, out2], {ph: x})
    np.testing.assert_allclose(a, b)
    assert second.name == first.name and second.activation is first.activation


def test_registry_get_and_unknown_names():
    assert L.get("Dense") is L.Dense and L.get("InputLayer") is L.InputLayer
    with pytest.raises(ValueError, match="Unknown layer: 'Dense2'"):
        L.get("Dense2")

    class Scale(L.Layer):
        pass

    assert type(L.deserialize({"class_name": "Scale", "config": {}},
                              custom_objects={"Scale": Scale})) is Scale


def test_keras_initializer_defaults():
    with Graph().as_default():
        shape = [200, 300]
        values = backend.batch_get_value([
            initializers.get(name)(shape) for name in
            ("random_normal", "random_uniform", "truncated_normal", "orthogonal", "identity",
             "glorot_uniform", "he_uniform", "lecun_normal")])
    normal, uniform, truncated, ortho, ident, glorot, he, lecun = values
    assert abs(normal.std() - 0.05) < 0.002
    assert uniform.min() >= -0.05 and uniform.max() <= 0.05 and uniform.max() > 0.049
    assert np.abs(truncated).max() <= 0.1 + 1e-6
    np.testing.assert_allclose(ortho @ ortho.T, np.eye(200), atol=1e-4)
    np.testing.assert_array_equal(ident, np.eye(200, 300))
    assert np.abs(glorot).max() <= np.sqrt(6 / 500)
    assert np.abs(he).max() <= np.sqrt(6 / 200)
    assert abs(lecun.std() - np.sqrt(1 / 200)) < 0.003
    config = initializers.serialize(initializers.VarianceScaling(2.0, "fan_out", "uniform"))
    assert config == {"class_name": "VarianceScaling",
                      "config": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform",
                                 "seed": None}}
    assert isinstance(initializers.deserialize(config), initializers.VarianceScaling)
    assert initializers.serialize(initializers.get("glorot_uniform")) == {
        "class_name": "GlorotUniform", "config": {"seed": None}}
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot'"):
        initializers.get("glorot")
