"""Masked models against tf-keras 2.21 with the same weights (tf_keras_masking_recorded.py):
Embedding(mask_zero=True) into each recurrent layer and wrapper, masks merged by Add and
Concatenate, a masked GlobalAveragePooling1D, a Masking layer, and two fit steps on a padded
batch, whose loss and metrics count only the unmasked steps."""

import numpy as np
import pytest

from graphflow import keras
from graphflow.keras import layers as L

from .tf_keras_masking_recorded import RECORDED

IDS = np.array([[1, 2, 0, 0], [3, 0, 4, 1], [2, 3, 1, 0]])
Y = np.random.RandomState(5).uniform(-1, 1, (3, 4, 2)).astype("float32")
SW = np.array([1.0, 0.5, 2.0], dtype="float32")


def recorded_weights(model):
    rng = np.random.RandomState(7)
    return [rng.uniform(-.5, .5, w.shape).astype("float32") for w in model.get_weights()]


def embedded(layer, after=None):
    ids = keras.Input((4,), dtype="int32")
    out = layer(L.Embedding(5, 2, mask_zero=True)(ids))
    model = keras.Model(ids, after(out) if after is not None else out)
    model.set_weights(recorded_weights(model))
    return model


def merged(merge, last):
    ids = keras.Input((4,), dtype="int32")
    h = L.Embedding(5, 2, mask_zero=True)(ids)
    a = L.LSTM(3 if merge is L.Concatenate else 2, return_sequences=True)(h)
    model = keras.Model(ids, last(merge()([a, L.GRU(2, return_sequences=True)(h)])))
    model.set_weights(recorded_weights(model))
    return model


CASES = {
    "lstm_last": lambda: embedded(L.LSTM(3)),
    "gru_seq": lambda: embedded(L.GRU(3, return_sequences=True)),
    "simple_back": lambda: embedded(L.SimpleRNN(3, go_backwards=True)),
    "bi_lstm_seq": lambda: embedded(L.Bidirectional(L.LSTM(3, return_sequences=True))),
    "bi_gru_sum": lambda: embedded(L.Bidirectional(L.GRU(2), merge_mode="sum")),
    "lstm_td": lambda: embedded(L.LSTM(3, return_sequences=True),
                                L.TimeDistributed(L.Dense(2))),
    "gap": lambda: embedded(L.GlobalAveragePooling1D(), L.Dense(2)),
    "concat_seq": lambda: merged(L.Concatenate, L.LSTM(2)),
    "add_seq": lambda: merged(L.Add, L.SimpleRNN(2)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_padded_ids_predict_as_tf_keras(case):
    model = CASES[case]()
    np.testing.assert_allclose(model.predict(IDS), np.array(RECORDED[case]), rtol=1e-5,
                               atol=3e-7)


def test_batch_normalization_statistics_skip_masked_steps_as_tf_keras():
    ids = keras.Input((4,), dtype="int32")
    bn = L.BatchNormalization()
    model = keras.Model(ids, L.GRU(2)(bn(L.Embedding(5, 3, mask_zero=True)(ids))))
    assert [w.name for w in model.weights] == [  # tf-keras's order: layer by layer
        "embedding/embeddings:0", "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0",
        "gru/gru_cell/kernel:0", "gru/gru_cell/recurrent_kernel:0", "gru/gru_cell/bias:0"]
    model.set_weights(recorded_weights(model))
    sess = keras.backend.get_session()
    out = sess.run(model.outputs[0], {ids: IDS, keras.backend.learning_phase(): True})
    sess.run(bn.updates, {ids: IDS, keras.backend.learning_phase(): True})
    want = RECORDED["bn_train"]
    np.testing.assert_allclose(out, np.array(want["output"]), rtol=1e-5, atol=3e-7)
    np.testing.assert_allclose(keras.backend.get_value(bn.moving_mean), want["moving_mean"],
                               rtol=1e-5, atol=3e-7)
    np.testing.assert_allclose(keras.backend.get_value(bn.moving_variance),
                               want["moving_variance"], rtol=1e-5, atol=3e-7)


def test_bidirectional_sequences_are_zero_at_masked_steps():
    out = CASES["bi_lstm_seq"]().predict(IDS)
    np.testing.assert_array_equal(out[IDS == 0], 0.0)
    assert np.all(np.abs(out[IDS != 0]).sum(-1) > 0)


def test_masking_layer_as_tf_keras():
    x = np.random.RandomState(1).uniform(-1, 1, (3, 4, 2)).astype("float32")
    x[0, 2:] = 0.0
    x[1, 1] = 0.0
    inputs = keras.Input((4, 2))
    masked = L.Masking(0.0)(inputs)
    model = keras.Model(inputs, [masked, L.LSTM(3, return_sequences=True)(masked)])
    model.set_weights(recorded_weights(model))
    got_masked, got_seq = model.predict(x)
    np.testing.assert_allclose(got_masked, np.array(RECORDED["masking"][0]), atol=1e-7)
    np.testing.assert_allclose(got_seq, np.array(RECORDED["masking"][1]), rtol=1e-5,
                               atol=3e-7)


def _masked_regressor():
    model = embedded(L.LSTM(3, return_sequences=True), L.Dense(2))
    model.compile(keras.optimizers.SGD(0.5), "mse", metrics=["mae"])
    return model


@pytest.mark.parametrize("case,sample_weight", [("fit", None), ("fit_sw", SW)])
def test_two_fit_steps_on_a_padded_batch_as_tf_keras(case, sample_weight):
    want = RECORDED[case]
    model = _masked_regressor()
    got = model.evaluate(IDS, Y, sample_weight=sample_weight, batch_size=3, verbose=0)
    np.testing.assert_allclose(got, want["evaluate"], rtol=1e-5)
    history = model.fit(IDS, Y, sample_weight=sample_weight, batch_size=3, epochs=2,
                        shuffle=False, verbose=0)
    for key in ("loss", "mae"):
        np.testing.assert_allclose(history.history[key], want["history"][key], rtol=1e-5)
    for got_w, want_w in zip(model.get_weights(), want["weights"]):
        np.testing.assert_allclose(got_w, np.array(want_w), rtol=1e-5, atol=3e-7)


def test_sparse_categorical_fit_counts_only_unmasked_steps_as_tf_keras():
    labels = np.array([[1, 0, 0, 0], [2, 0, 1, 1], [0, 2, 2, 0]])
    model = embedded(L.GRU(3, return_sequences=True), L.Dense(3, activation="softmax"))
    model.compile(keras.optimizers.SGD(0.5), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(IDS, labels, batch_size=3, epochs=2, shuffle=False, verbose=0)
    want = RECORDED["fit_sparse"]
    np.testing.assert_allclose(history.history["loss"], want["history"]["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["accuracy"], want["history"]["accuracy"])
    np.testing.assert_allclose(model.predict(IDS), np.array(want["predict"]), rtol=1e-5,
                               atol=3e-7)


def test_targets_at_masked_steps_do_not_count():
    model = _masked_regressor()
    noisy = Y.copy()
    noisy[IDS == 0] = 100.0
    np.testing.assert_allclose(model.evaluate(IDS, noisy, batch_size=3, verbose=0),
                               model.evaluate(IDS, Y, batch_size=3, verbose=0), rtol=1e-6)
