"""Keras core layers (Dense, Activation, Dropout, Flatten, Reshape, Permute, RepeatVector, Lambda)
against NumPy on graphflow placeholders, with the weights set through set_weights."""

from __future__ import annotations

import numpy as np
import pytest

from graphflow.core.graph import Graph
from graphflow.keras import backend
from graphflow.keras import layers as L
from graphflow.ops.constant import constant
from graphflow.ops.state import placeholder

RNG = np.random.default_rng(0)


def _apply(layer, x, **call_kwargs):
    """The layer's output on `x` (fed through a placeholder with an unknown batch)."""
    with Graph().as_default():
        ph = placeholder("float32", [None, *x.shape[1:]])
        out = layer(ph, **call_kwargs)
        value = backend.get_session().run(out, {ph: x})
        return out, value


def test_dense_keras_defaults_weight_names_and_rank3_inputs():
    with Graph().as_default():
        x = placeholder("float32", [None, 4, 3])
        layer = L.Dense(5, activation="relu")
        y = layer(x)
        assert [v.op.name for v in layer.weights] == ["dense/kernel", "dense/bias"]
        assert y.shape.as_list() == [None, 4, 5]
        assert layer.count_params() == 3 * 5 + 5
        kernel = RNG.normal(size=(3, 5)).astype("float32")
        bias = RNG.normal(size=5).astype("float32")
        layer.set_weights([kernel, bias])
        xv = RNG.normal(size=(2, 4, 3)).astype("float32")
        got = backend.get_session().run(y, {x: xv})
        np.testing.assert_allclose(got, np.maximum(xv @ kernel + bias, 0), rtol=1e-5,
                                   atol=1e-6)
        # glorot_uniform: within ±sqrt(6 / (fan_in + fan_out)); the bias starts at zero
        fresh = L.Dense(50)
        fresh(placeholder("float32", [None, 30]))
        k, b = fresh.get_weights()
        assert np.abs(k).max() <= np.sqrt(6 / 80) and np.abs(k).max() > 0.5 * np.sqrt(6 / 80)
        assert not b.any()


def test_dense_errors_name_the_layer():
    with Graph().as_default():
        with pytest.raises(ValueError, match="units must be a positive integer"):
            L.Dense(0)
        with pytest.raises(ValueError, match="Dense 'dense.*' should be defined"):
            L.Dense(2)(placeholder("float32", [None, None]))


def test_activation_layer():
    x = RNG.normal(size=(3, 4)).astype("float32")
    _, got = _apply(L.Activation("softmax"), x)
    want = np.exp(x) / np.exp(x).sum(-1, keepdims=True)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    _, got = _apply(L.Activation("hard_sigmoid"), x)
    np.testing.assert_allclose(got, np.clip(0.2 * x + 0.5, 0, 1), rtol=1e-6)


def test_dropout_training_flag_bool_and_learning_phase():
    x = np.ones((200, 50), np.float32)
    _, off = _apply(L.Dropout(0.5), x)  # training=None: the learning phase, False unless fed
    np.testing.assert_array_equal(off, x)
    _, on = _apply(L.Dropout(0.5, seed=1), x, training=True)
    kept = on != 0
    assert 0.45 < kept.mean() < 0.55  # rate is the DROP probability
    np.testing.assert_allclose(on[kept], 2.0)
    with Graph().as_default():
        ph = placeholder("float32", [None, 50])
        out = L.Dropout(0.5, seed=2)(ph)
        sess = backend.get_session()
        fed = sess.run(out, {ph: x, backend.learning_phase(): True})
        assert 0.45 < (fed != 0).mean() < 0.55
        np.testing.assert_array_equal(sess.run(out, {ph: x}), x)
        shared = L.Dropout(0.5, noise_shape=[None, 1], seed=3)(ph, training=True)
        rows = sess.run(shared, {ph: x})
        assert all(len(set(r)) == 1 for r in rows)  # one mask value per row
    with pytest.raises(ValueError, match="rate must be in"):
        L.Dropout(1.0)


def test_flatten_reshape_permute_repeat_vector():
    x = RNG.normal(size=(2, 3, 4, 5)).astype("float32")
    out, got = _apply(L.Flatten(), x)
    assert out.shape.as_list() == [None, 60]
    np.testing.assert_array_equal(got, x.reshape(2, 60))
    out, got = _apply(L.Reshape((-1, 10)), x)
    assert out.shape.as_list() == [None, 6, 10]
    np.testing.assert_array_equal(got, x.reshape(2, 6, 10))
    assert L.Reshape((-1, 10)).compute_output_shape((None, 3, 4, 5)).as_list() == [None, 6, 10]
    with Graph().as_default(), pytest.raises(ValueError, match="total size"):
        L.Reshape((7,))(placeholder("float32", [None, 3, 4]))
    out, got = _apply(L.Permute((3, 1, 2)), x)
    assert out.shape.as_list() == [None, 5, 3, 4]
    np.testing.assert_array_equal(got, x.transpose(0, 3, 1, 2))
    v = RNG.normal(size=(2, 3)).astype("float32")
    out, got = _apply(L.RepeatVector(4), v)
    assert out.shape.as_list() == [None, 4, 3]
    np.testing.assert_array_equal(got, np.repeat(v[:, None, :], 4, axis=1))
    with pytest.raises(ValueError, match="invalid permutation"):
        L.Permute((1, 3))


def double_plus(t, plus=0.0):
    return t * 2.0 + plus


def test_lambda_output_and_config_stores_only_the_function_name():
    x = RNG.normal(size=(2, 3)).astype("float32")
    layer = L.Lambda(double_plus, arguments={"plus": 1.0})
    _, got = _apply(layer, x)
    np.testing.assert_allclose(got, x * 2 + 1, rtol=1e-6)
    config = L.serialize(layer)
    assert config["config"]["function"] == "double_plus"
    with pytest.raises(ValueError, match="cannot be rebuilt from a config"):
        L.deserialize(config)
    rebuilt = L.deserialize(config, custom_objects={"double_plus": double_plus})
    _, again = _apply(rebuilt, x)
    np.testing.assert_allclose(again, got)
    assert L.Lambda(lambda t: t).get_config()["function"] is None
    assert L.Lambda(double_plus, output_shape=(7,)).compute_output_shape((None, 3)).as_list() \
        == [None, 7]


def test_layers_accept_constants_and_record_keras_names():
    with Graph().as_default():
        a, b = L.Dense(2), L.Dense(2)
        a(constant(np.ones((1, 3), np.float32)))
        assert (a.name, b.name) == ("dense", "dense_1")


def test_weight_and_activity_regularizers_are_layer_losses():
    from graphflow.keras import regularizers

    with Graph().as_default():
        x = placeholder("float32", [None, 3])
        layer = L.Dense(2, kernel_regularizer=regularizers.l2(0.1),
                        bias_regularizer="l1", activity_regularizer=regularizers.l1(0.5),
                        input_dim=3)
        assert layer.get_config()["batch_input_shape"] == [None, 3]  # Keras's input_dim
        y = layer(x)
        kernel = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
        bias = np.array([0.5, -1.0], np.float32)
        layer.set_weights([kernel, bias])
        xv = np.ones((2, 3), np.float32)
        losses = backend.get_session().run(layer.losses, {x: xv})
        assert len(losses) == 3
        np.testing.assert_allclose(losses[0], 0.1 * (kernel ** 2).sum(), rtol=1e-6)
        np.testing.assert_allclose(losses[1], 0.01 * np.abs(bias).sum(), rtol=1e-6)
        np.testing.assert_allclose(losses[2], 0.5 * np.abs(xv @ kernel + bias).sum(),
                                   rtol=1e-6)
        assert y.shape.as_list() == [None, 2]
