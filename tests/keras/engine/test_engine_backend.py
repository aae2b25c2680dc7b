"""keras.backend: the session per graph, value get/set, the learning phase and its helpers."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import backend as K
from graphflow.keras import layers as L


def test_session_initialises_new_variables_and_values_round_trip():
    layer = L.Dense(2, kernel_initializer="ones")
    layer(keras.Input(shape=(3,)))
    np.testing.assert_array_equal(K.get_value(layer.kernel), np.ones((3, 2)))
    K.batch_set_value([(layer.kernel, np.full((3, 2), 2.0)), (layer.bias, [1.0, -1.0])])
    kernel, bias = K.batch_get_value([layer.kernel, layer.bias])
    np.testing.assert_array_equal(kernel, 2.0)
    np.testing.assert_array_equal(bias, [1.0, -1.0])
    with pytest.raises(ValueError, match=r"of shape \(3, 2\) a value of shape \(2,\)"):
        K.set_value(layer.kernel, [1.0, 2.0])
    assert K.get_session() is K.get_session()


def test_clear_session_starts_a_new_graph():
    before = gf.get_default_graph()
    session = K.get_session()
    K.clear_session()
    assert gf.get_default_graph() is not before and session._closed
    assert keras.Input(shape=(1,)).name == "input_1:0"


def test_backend_helpers_and_a_fixed_learning_phase():
    assert (K.floatx(), K.epsilon(), K.image_data_format()) == ("float32", 1e-7,
                                                                "channels_last")
    assert K.int_shape(keras.Input(shape=(4, 2))) == (None, 4, 2)
    assert K.learning_phase() is K.learning_phase_placeholder()
    K.set_learning_phase(1)  # layers built from now on always train
    assert K.learning_phase() is True
    model = keras.Sequential([L.Dropout(0.5, input_shape=(100,))])
    out = model.predict(np.ones((2, 100), "f"))
    assert set(np.unique(out)) <= {0.0, 2.0} and (out == 0).any()
    with pytest.raises(ValueError, match="0 or 1"):
        K.set_learning_phase(2)
