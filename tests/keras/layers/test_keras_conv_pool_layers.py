"""Keras convolution, padding and pooling layers against NumPy, and the parameter counts and
shapes of the course models (SEEDS #15 CIFAR CNN, HappyModel, SEEDS #16 traffic signs) from
count_params / compute_output_shape on graphflow placeholders."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as gf
from graphflow.core.graph import Graph
from graphflow.keras import backend, optimizers
from graphflow.keras import layers as L
from graphflow.ops.state import placeholder

RNG = np.random.default_rng(1)


def conv2d_reference(x, k, stride=1, dilation=1):
    """'valid' NHWC convolution (cross-correlation, as TF) in NumPy."""
    kh, kw = k.shape[:2]
    eh, ew = (kh - 1) * dilation + 1, (kw - 1) * dilation + 1
    oh = (x.shape[1] - eh) // stride + 1
    ow = (x.shape[2] - ew) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, k.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + eh:dilation, j * stride:j * stride + ew:dilation]
            out[:, i, j] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


def _run(layer, x, weights=None):
    with Graph().as_default():
        ph = placeholder("float32", [None, *x.shape[1:]])
        out = layer(ph)
        if weights is not None:
            layer.set_weights(weights)
        return out, backend.get_session().run(out, {ph: x})


@pytest.mark.parametrize("strides,dilation", [(1, 1), (2, 1), (1, 2)])
def test_conv2d_valid_matches_numpy(strides, dilation):
    x = RNG.normal(size=(2, 7, 8, 3)).astype("float32")
    k = RNG.normal(size=(3, 2, 3, 4)).astype("float32")
    b = RNG.normal(size=4).astype("float32")
    layer = L.Conv2D(4, (3, 2), strides=strides, dilation_rate=dilation, activation="relu")
    out, got = _run(layer, x, [k, b])
    want = np.maximum(conv2d_reference(x, k, strides, dilation) + b, 0)
    assert out.shape.as_list() == [None, *want.shape[1:]]
    assert layer.compute_output_shape((None, 7, 8, 3)).as_list() == [None, *want.shape[1:]]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_conv2d_same_padding_is_zero_padding_then_valid():
    x = RNG.normal(size=(1, 5, 5, 2)).astype("float32")
    k = RNG.normal(size=(3, 3, 2, 3)).astype("float32")
    out, got = _run(L.Conv2D(3, 3, padding="same", use_bias=False), x, [k])
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    np.testing.assert_allclose(got, conv2d_reference(padded, k), rtol=1e-4, atol=1e-5)
    # ZeroPadding2D then a valid conv is the same computation
    _, pad = _run(L.ZeroPadding2D(1), x)
    np.testing.assert_array_equal(pad, padded)
    _, asym = _run(L.ZeroPadding2D(((1, 0), (0, 2))), x)
    assert asym.shape == (1, 6, 7, 2)


def test_conv_errors_and_channels_first_refusal():
    with pytest.raises(ValueError, match="channels_last' only"):
        L.Conv2D(2, 3, data_format="channels_first")
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        L.Conv2D(2, 3, padding="full")
    with Graph().as_default(), pytest.raises(ValueError, match="expected ndim=4"):
        L.Conv2D(2, 3)(placeholder("float32", [None, 5, 3]))


def test_conv1d_and_conv2d_transpose():
    x = RNG.normal(size=(2, 9, 3)).astype("float32")
    k = RNG.normal(size=(3, 3, 4)).astype("float32")
    out, got = _run(L.Conv1D(4, 3, use_bias=False), x, [k])
    want = conv2d_reference(x[:, None], k[None])[:, 0]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    layer = L.Conv2DTranspose(5, 3, strides=2, padding="same")
    out, got = _run(layer, RNG.normal(size=(2, 4, 4, 3)).astype("float32"))
    assert got.shape == (2, 8, 8, 5) and layer.kernel.shape.as_list() == [3, 3, 5, 3]
    assert layer.compute_output_shape((None, 4, 4, 3)).as_list() == [None, 8, 8, 5]


def test_pooling_layers_match_numpy():
    x = RNG.normal(size=(2, 6, 7, 3)).astype("float32")
    out, got = _run(L.MaxPooling2D(), x)  # pool 2, strides = pool size
    want = x[:, :6, :6].reshape(2, 3, 2, 3, 2, 3).max(axis=(2, 4))
    assert out.shape.as_list() == [None, 3, 3, 3]
    np.testing.assert_allclose(got, want)
    _, got = _run(L.AveragePooling2D(pool_size=(3, 3), strides=(3, 3)), x)
    np.testing.assert_allclose(got, x[:, :6, :6].reshape(2, 2, 3, 2, 3, 3).mean(axis=(2, 4)),
                               rtol=1e-5)
    _, got = _run(L.GlobalAveragePooling2D(), x)
    np.testing.assert_allclose(got, x.mean(axis=(1, 2)), rtol=1e-5)
    _, got = _run(L.GlobalMaxPooling2D(), x)
    np.testing.assert_allclose(got, x.max(axis=(1, 2)))
    seq = RNG.normal(size=(2, 6, 3)).astype("float32")
    _, got = _run(L.MaxPooling1D(), seq)
    np.testing.assert_allclose(got, seq.reshape(2, 3, 2, 3).max(axis=2))
    _, got = _run(L.GlobalAveragePooling1D(), seq)
    np.testing.assert_allclose(got, seq.mean(axis=1), rtol=1e-5)
    assert L.MaxPooling2D(2, padding="same").compute_output_shape((None, 7, 7, 3)).as_list() \
        == [None, 4, 4, 3]


def _stack(layers, input_shape):
    """Call `layers` in turn on a placeholder; (output shapes, params per layer)."""
    with Graph().as_default():
        h = placeholder("float32", [None, *input_shape])
        shapes, params = [], []
        for layer in layers:
            predicted = layer.compute_output_shape(h.shape).as_list()
            h = layer(h)
            assert h.shape.as_list() == predicted, layer.name
            shapes.append(tuple(h.shape.as_list()[1:]))
            params.append(layer.count_params())
        return shapes, params, layers


def test_cifar_cnn_parameter_counts():  # SEEDS #15
    shapes, params, _ = _stack([
        L.Conv2D(32, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
        L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
        L.Conv2D(64, (3, 3), activation="relu"), L.Flatten(), L.Dense(64, activation="relu"),
        L.Dense(10)], (32, 32, 3))
    assert params == [896, 0, 18496, 0, 36928, 0, 65600, 650]
    assert sum(params) == 122570
    assert shapes[5] == (1024,)


def test_happy_model_parameter_counts():
    shapes, params, layers = _stack([
        L.ZeroPadding2D((3, 3)), L.Conv2D(32, (7, 7), strides=(1, 1)),
        L.BatchNormalization(axis=3), L.Activation("relu"), L.MaxPooling2D((2, 2)),
        L.Flatten(), L.Dense(1, activation="sigmoid")], (64, 64, 3))
    assert params == [0, 4736, 128, 0, 0, 0, 32769]
    assert sum(params) == 37633
    assert shapes[0] == (70, 70, 3) and shapes[5] == (32768,)
    non_trainable = sum(v.shape.num_elements() for layer in layers
                        for v in layer.non_trainable_weights)
    assert non_trainable == 64


def test_traffic_signs_shapes():  # SEEDS #16
    shapes, params, _ = _stack([
        L.Conv2D(32, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)), L.Dropout(0.5),
        L.Flatten(), L.Dense(128, activation="relu"), L.Dense(5, activation="softmax")],
        (32, 32, 3))
    assert shapes[:4] == [(30, 30, 32), (15, 15, 32), (15, 15, 32), (7200,)]
    assert params == [896, 0, 0, 0, 7200 * 128 + 128, 128 * 5 + 5]


def test_through_sequential_counts_and_training_updates():
    """The same layers inside K1's Sequential: the CIFAR CNN's 122,570 parameters, and a fit
    that runs BatchNormalization's updates and the Keras optimizer."""
    from graphflow.keras.models import Sequential

    backend.clear_session()
    cnn = Sequential([
        L.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)), L.MaxPooling2D(),
        L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D(),
        L.Conv2D(64, (3, 3), activation="relu"), L.Flatten(), L.Dense(64, activation="relu"),
        L.Dense(10)])
    assert cnn.count_params() == 122570
    backend.clear_session()
    gf.set_random_seed(0)  # initial weights and dropout masks: the loss must fall every time
    np.random.seed(0)  # fit's shuffles
    bn = L.BatchNormalization()
    model = Sequential([L.Dense(8, activation="relu", input_shape=(4,)), bn, L.Dropout(0.2),
                        L.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    x = np.random.RandomState(1).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert np.abs(backend.get_value(bn.moving_mean)).max() > 0
    backend.clear_session()
