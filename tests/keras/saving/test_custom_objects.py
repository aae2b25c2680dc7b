"""Models with the user's own classes and functions, and models inside models, round-trip when
those are passed to load_model by name in custom_objects."""

import numpy as np
import pytest

from graphflow.keras import layers
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.engine.functional import ModelConfigError
from graphflow.keras.engine.input_layer import Input
from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.engine.training import Model
from graphflow.keras.saving import load_model


class Scale(Layer):
    """y = x * w with one weight per feature, and a constructor argument to keep."""

    def __init__(self, start=2.0, **kwargs):
        super().__init__(**kwargs)
        self.start = start

    def build(self, input_shape):
        from graphflow.keras import initializers

        self.w = self.add_weight("w", shape=(int(input_shape[-1]),),
                                 initializer=initializers.Constant(self.start))
        super().build(input_shape)

    def call(self, inputs):
        return inputs * self.w

    def get_config(self):
        return {**super().get_config(), "start": self.start}


def scaled_mse(y_true, y_pred):
    from graphflow.tf_math import reduce_mean, square

    return reduce_mean(square(y_true - y_pred) * 3.0, axis=-1)


def double(x):
    return x * 2.0


def data():
    rng = np.random.RandomState(1)
    return rng.randn(16, 3).astype("float32"), rng.randn(16, 2).astype("float32")


def test_custom_layer_loss_and_lambda(tmp_path):
    x, y = data()
    model = Sequential([Scale(3.0, input_shape=(3,)), layers.Lambda(double), layers.Dense(2)])
    model.compile("adam", scaled_mse)
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    path = str(tmp_path / "custom.h5")
    model.save(path)
    with pytest.raises(ValueError, match="Unknown layer: 'Scale'"):
        load_model(path)
    objects = {"Scale": Scale, "scaled_mse": scaled_mse, "double": double}
    loaded = load_model(path, custom_objects=objects)
    assert loaded.layers[0].start == 3.0
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="cannot be compiled as it was saved.*custom_objects"):
        load_model(path, custom_objects={"Scale": Scale, "double": double})


def test_nested_model(tmp_path):
    x, y = data()
    inner = Sequential([layers.Dense(4, activation="relu", input_shape=(3,))], name="inner")
    inputs = Input((3,))
    model = Model(inputs, layers.Dense(2)(inner(inputs)), name="outer")
    model.compile("sgd", "mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(str(tmp_path / "nested"))
    loaded = load_model(str(tmp_path / "nested"))
    assert [type(lay).__name__ for lay in loaded.layers] == ["InputLayer", "Sequential", "Dense"]
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


def test_subclassed_model_without_config_saves_weights_only(tmp_path):
    class Twice(Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs) * 2.0

    x, _ = data()
    model = Twice()
    model.predict(x)
    with pytest.raises(ModelConfigError, match="Twice .*subclassed.*save_weights") as info:
        model.get_config()
    assert isinstance(info.value, TypeError) and not isinstance(info.value, NotImplementedError)
    with pytest.raises(ValueError, match="cannot write the architecture of .*save_weights"):
        model.save(str(tmp_path / "m"))
    model.save_weights(str(tmp_path / "w"))
    other = Twice()
    other.predict(x)
    other.load_weights(str(tmp_path / "w"))
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
