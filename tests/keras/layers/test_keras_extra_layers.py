"""Keras's activation layers, noise layers, LayerNormalization, causal Conv1D and the
padding / cropping / upsampling layers against NumPy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graphflow.core.graph import Graph
from graphflow.keras import backend
from graphflow.keras import layers as L
from graphflow.ops.state import placeholder

RNG = np.random.default_rng(5)


def _run(layer, x, weights=None, **call_kwargs):
    with Graph().as_default():
        ph = placeholder("float32", [None, *x.shape[1:]])
        out = layer(ph, **call_kwargs)
        predicted = layer.compute_output_shape(ph.shape).as_list()
        assert out.shape.as_list() == predicted
        if weights is not None:
            layer.set_weights(weights)
        return backend.get_session().run(out, {ph: x})


def test_activation_layers():
    x = RNG.normal(size=(3, 4)).astype("float32") * 3
    np.testing.assert_allclose(_run(L.LeakyReLU(), x), np.where(x > 0, x, 0.3 * x), rtol=1e-6)
    np.testing.assert_allclose(_run(L.ReLU(max_value=2.0, negative_slope=0.1), x),
                               np.where(x > 0, np.minimum(x, 2.0), 0.1 * x), rtol=1e-6)
    np.testing.assert_allclose(_run(L.ELU(alpha=0.5), x),
                               np.where(x > 0, x, 0.5 * (np.exp(x) - 1)), rtol=1e-5, atol=1e-6)
    e = np.exp(x - x.max(0))
    np.testing.assert_allclose(_run(L.Softmax(axis=0), x), e / e.sum(0), rtol=1e-5)
    alpha = RNG.normal(size=(4,)).astype("float32")
    np.testing.assert_allclose(_run(L.PReLU(), x, [alpha]), np.where(x > 0, x, alpha * x),
                               rtol=1e-5)
    images = RNG.normal(size=(2, 3, 3, 2)).astype("float32")
    prelu = L.PReLU(shared_axes=[1, 2])
    a2 = np.array([[[0.1, 0.7]]], np.float32)
    np.testing.assert_allclose(_run(prelu, images, [a2]),
                               np.where(images > 0, images, a2 * images), rtol=1e-5)
    assert prelu.count_params() == 2


def test_noise_layers_only_while_training():
    x = np.ones((400, 8, 8), np.float32)
    for layer in (L.GaussianNoise(0.5), L.GaussianDropout(0.5), L.SpatialDropout1D(0.5)):
        np.testing.assert_array_equal(_run(layer, x), x)
    noisy = _run(L.GaussianNoise(0.5, seed=1), x, training=True) - 1
    assert abs(noisy.std() - 0.5) < 0.01 and abs(noisy.mean()) < 0.01
    mult = _run(L.GaussianDropout(0.2, seed=2), x, training=True)
    assert abs(mult.mean() - 1) < 0.01 and abs(mult.std() - 0.5) < 0.01  # sqrt(.2/.8)
    dropped = _run(L.SpatialDropout1D(0.5, seed=3), x, training=True)
    per_channel = dropped.reshape(400, 8, 8)
    assert all(len(np.unique(per_channel[i, :, c])) == 1 for i in range(5) for c in range(8))
    assert 0.4 < (dropped != 0).mean() < 0.6
    maps = _run(L.SpatialDropout2D(0.5, seed=4), np.ones((50, 4, 4, 6), np.float32),
                training=True)
    assert all(len(np.unique(maps[i, :, :, c])) == 1 for i in range(5) for c in range(6))


def test_layer_normalization():
    x = RNG.normal(3.0, 2.0, size=(4, 5, 6)).astype("float32")
    gamma = RNG.normal(size=6).astype("float32")
    beta = RNG.normal(size=6).astype("float32")
    layer = L.LayerNormalization()
    got = _run(layer, x, [gamma, beta])
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta,
                               rtol=1e-4, atol=1e-4)
    assert [v.op.name for v in layer.weights] == ["layer_normalization/gamma",
                                                 "layer_normalization/beta"]
    both = L.LayerNormalization(axis=[1, 2], center=False)
    got = _run(both, x, [np.full((5, 6), 2.0, np.float32)])
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(got, 2 * (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)


def test_causal_conv1d_sees_only_the_past():
    x = RNG.normal(size=(2, 6, 2)).astype("float32")
    k = RNG.normal(size=(3, 2, 1)).astype("float32")
    layer = L.Conv1D(1, 3, padding="causal", dilation_rate=2, use_bias=False)
    got = _run(layer, x, [k])
    padded = np.pad(x, ((0, 0), (4, 0), (0, 0)))
    want = np.stack([sum(padded[:, t + 2 * j] @ k[j] for j in range(3)) for t in range(6)], 1)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    assert L.deserialize(L.serialize(layer)).padding == "causal"


def test_padding_cropping_upsampling():
    seq = RNG.normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_array_equal(_run(L.ZeroPadding1D((1, 2)), seq),
                                  np.pad(seq, ((0, 0), (1, 2), (0, 0))))
    np.testing.assert_array_equal(_run(L.Cropping1D((1, 2)), seq), seq[:, 1:3])
    np.testing.assert_array_equal(_run(L.UpSampling1D(3), seq), np.repeat(seq, 3, axis=1))
    img = RNG.normal(size=(2, 5, 6, 3)).astype("float32")
    np.testing.assert_array_equal(_run(L.Cropping2D(((1, 0), (2, 1))), img), img[:, 1:, 2:5])
    np.testing.assert_array_equal(_run(L.Cropping2D(1), img), img[:, 1:4, 1:5])
    np.testing.assert_array_equal(_run(L.UpSampling2D((2, 3)), img),
                                  np.repeat(np.repeat(img, 2, axis=1), 3, axis=2))
    with pytest.raises(ValueError, match="interpolation='nearest' only"):
        L.UpSampling2D(interpolation="bilinear")


@pytest.mark.parametrize("make", [
    lambda: L.LeakyReLU(0.2), lambda: L.ReLU(6.0), lambda: L.ELU(0.7), lambda: L.Softmax(1),
    lambda: L.PReLU(shared_axes=[1]), lambda: L.GaussianNoise(0.1), lambda: L.GaussianDropout(0.2),
    lambda: L.SpatialDropout1D(0.3), lambda: L.SpatialDropout2D(0.3),
    lambda: L.LayerNormalization(axis=[1, 2]), lambda: L.ZeroPadding1D(2),
    lambda: L.Cropping1D(1), lambda: L.Cropping2D(((1, 2), (0, 1))), lambda: L.UpSampling1D(),
    lambda: L.UpSampling2D(3),
])
def test_config_round_trip(make):
    with Graph().as_default():
        layer = make()
        config = json.loads(json.dumps(L.serialize(layer)))
        rebuilt = L.deserialize(config)
        assert type(rebuilt) is type(layer) and rebuilt.get_config() == config["config"]
