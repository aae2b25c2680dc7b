"""keras.backend's tensor functions (found missing by the keras_custom_layer program, whose
custom loss and metric are written with K.mean / K.square / K.sqrt, as course labs write them):
each against NumPy, in the Keras session."""

import numpy as np
import pytest

from graphflow import keras
from graphflow.keras import backend as K

X = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], np.float32)
Y = np.array([[2.0, 1.0], [0.0, -1.0], [1.0, 3.0]], np.float32)


@pytest.mark.parametrize("name, got, want", [
    ("mean", lambda x: K.mean(x, axis=1, keepdims=True), lambda x: x.mean(1, keepdims=True)),
    ("mean bool", lambda x: K.mean(K.equal(x, 1.0)), lambda x: np.mean(x == 1.0)),
    ("sum", lambda x: K.sum(x, axis=0), lambda x: x.sum(0)),
    ("max", lambda x: K.max(x), lambda x: x.max()),
    ("min", lambda x: K.min(x, axis=-1), lambda x: x.min(-1)),
    ("argmax", K.argmax, lambda x: x.argmax(-1)),
    ("argmin", lambda x: K.argmin(x, axis=0), lambda x: x.argmin(0)),
    ("square", K.square, np.square),
    ("sqrt clips at 0", K.sqrt, lambda x: np.sqrt(np.maximum(x, 0))),
    ("abs", K.abs, np.abs),
    ("exp", K.exp, np.exp),
    ("log", lambda x: K.log(K.abs(x)), lambda x: np.log(np.abs(x))),
    ("pow", lambda x: K.pow(x, 2.0), lambda x: x ** 2),
    ("round", K.round, np.round),
    ("clip", lambda x: K.clip(x, -1.0, 2.0), lambda x: np.clip(x, -1, 2)),
    ("clip max below min", lambda x: K.clip(x, 1.0, 0.0), lambda x: np.ones_like(x)),
    ("clip unbounded", lambda x: K.clip(x, None, 0.0), lambda x: np.minimum(x, 0)),
    ("maximum", lambda x: K.maximum(x, 0.5), lambda x: np.maximum(x, 0.5)),
    ("minimum", lambda x: K.minimum(x, 0.5), lambda x: np.minimum(x, 0.5)),
    ("sigmoid", K.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    ("tanh", K.tanh, np.tanh),
    ("relu alpha", lambda x: K.relu(x, alpha=0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    ("softmax", K.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    ("cast", lambda x: K.cast(x, "int32"), lambda x: x.astype(np.int32)),
    ("shape", K.shape, lambda x: np.array(x.shape)),
    ("reshape", lambda x: K.reshape(x, (3, 2)), lambda x: x.reshape(3, 2)),
    ("transpose", K.transpose, lambda x: x.T),
    ("expand_dims", K.expand_dims, lambda x: x[..., None]),
    ("concatenate", lambda x: K.concatenate([x, x]), lambda x: np.concatenate([x, x], -1)),
    ("dot 2-D", lambda x: K.dot(x, K.constant(Y)), lambda x: x @ Y),
    ("dot 3-D by 2-D", lambda x: K.dot(K.reshape(x, (1, 2, 3)), K.constant(Y)),
     lambda x: (x @ Y).reshape(1, 2, 2)),
    ("dot 1-D", lambda x: K.dot(x, K.constant([1.0, 0.0, 2.0])), lambda x: x @ [1, 0, 2]),
    ("ones_like", K.ones_like, np.ones_like),
    ("zeros_like", K.zeros_like, np.zeros_like),
])
def test_backend_function_matches_numpy(name, got, want):
    out = K.eval(got(K.constant(X)))
    expected = want(X)
    assert out.shape == np.shape(expected), name
    np.testing.assert_allclose(out, expected, rtol=1e-6, err_msg=name)


def test_variables_constants_and_random_draws():
    v = K.variable([[1.0, 2.0]], name="v")
    assert K.eval(v).dtype == np.float32 and v.name == "v:0"
    K.set_value(v, [[3.0, 4.0]])
    np.testing.assert_array_equal(K.eval(K.zeros((2, 2)) + K.ones((2, 2)) + v), [[4, 5], [4, 5]])
    assert K.eval(K.constant(2, shape=(3,))).tolist() == [2.0, 2.0, 2.0]
    draws = K.eval(K.random_normal((2000,), mean=3.0, stddev=0.5, seed=1))
    assert abs(draws.mean() - 3.0) < 0.05 and abs(draws.std() - 0.5) < 0.05
    uniform = K.eval(K.random_uniform((500,), 2.0, 3.0))
    assert uniform.min() >= 2.0 and uniform.max() < 3.0


def test_function_and_gradients():
    x = keras.Input(shape=(3,))
    hidden = keras.layers.Dense(2, kernel_initializer="ones", name="h")(x)
    model = keras.Model(x, keras.layers.Dense(1, kernel_initializer="ones")(hidden))
    get_hidden = K.function([model.input], [model.get_layer("h").output])
    np.testing.assert_allclose(get_hidden([X])[0], X.sum(1, keepdims=True) * [1, 1])
    single = K.function(model.inputs, model.outputs[0])
    np.testing.assert_allclose(single(X), X.sum(1, keepdims=True) * 2)
    with pytest.raises(ValueError, match="takes 1 input value"):
        single([X, X])
    grad = K.gradients(K.sum(model.output), model.get_layer("h").kernel)[0]
    np.testing.assert_allclose(K.function([model.input], grad)([X]),
                               np.repeat(X.sum(0)[:, None], 2, axis=1))


def test_a_custom_loss_and_metric_written_with_the_backend_train():
    def rmse(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

    def within(y_true, y_pred):
        return K.mean(K.cast(K.abs(y_pred - y_true) < 0.5, "float32"))

    x = np.linspace(-1, 1, 40, dtype=np.float32).reshape(-1, 1)
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.2), loss=rmse, metrics=[within])
    history = model.fit(x, 3 * x, epochs=15, batch_size=10, shuffle=False, verbose=0)
    assert sorted(history.history) == ["loss", "within"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["within"][-1] > history.history["within"][0]


def test_function_runs_its_updates_with_each_call():
    from graphflow.assign_ops import assign_add

    counter = K.variable(0.0, name="counter")
    step = K.function([], [K.constant(1.0)], updates=[assign_add(counter, 2.0)])
    assert [step([]) for _ in range(3)] == [[1.0]] * 3
    assert float(K.eval(counter)) == 6.0
