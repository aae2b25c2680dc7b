"""How masks travel, as in Keras: Embedding(mask_zero) and Masking make one, a call gets its
inputs' mask as `mask=` when it takes that argument, layers that support masking pass it on, the
others drop it, and models (Sequential, functional, nested, rebuilt from a config) keep it."""

import numpy as np
import pytest

import graphflow as gf
from graphflow import keras
from graphflow.keras import backend
from graphflow.keras import layers as L
from graphflow.keras.engine.base_layer import Layer, keras_mask

IDS = np.array([[1, 2, 0, 0], [3, 0, 4, 1]])


def run(tensor, feed=None):
    return backend.get_session().run(tensor, feed or {})


class Recorder(Layer):
    """Passes its inputs through and keeps the mask each call received."""

    supports_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, mask=None):
        self.seen.append(mask)
        return gf.identity(inputs)


def test_embedding_mask_zero_marks_padding():
    ids = keras.Input((4,), dtype="int32")
    emb = L.Embedding(5, 2, mask_zero=True)
    out = emb(ids)
    mask = keras_mask(out)
    assert mask is not None and mask.dtype == gf.bool
    np.testing.assert_array_equal(run(mask, {ids: IDS}), IDS != 0)
    assert emb.get_config()["mask_zero"] is True
    assert L.Embedding.from_config(emb.get_config()).mask_zero is True
    assert keras_mask(L.Embedding(5, 2)(ids)) is None


def test_masking_zeroes_and_masks_the_padded_steps():
    x = np.arange(16, dtype="float32").reshape(2, 4, 2)
    x[0, 3] = 0.0
    x[1, 1] = [0.0, 2.0]  # one feature 0 is not padding
    inputs = keras.Input((4, 2))
    layer = L.Masking(0.0)
    out = layer(inputs)
    got, mask = run([out, keras_mask(out)], {inputs: x})
    np.testing.assert_array_equal(mask, [[True, True, True, False], [True, True, True, True]])
    np.testing.assert_array_equal(got, x * mask[..., None])
    np.testing.assert_array_equal(run(layer.compute_mask(gf.constant(x))), mask)
    assert L.Masking.from_config(layer.get_config()).mask_value == 0.0


def test_call_gets_the_mask_and_supporting_layers_pass_it_on():
    ids = keras.Input((4,), dtype="int32")
    emb = L.Embedding(5, 3, mask_zero=True)(ids)
    recorder = Recorder()
    dense = L.Dense(2)(recorder(emb))
    assert recorder.seen == [keras_mask(emb)]
    assert keras_mask(dense) is keras_mask(emb)  # Dense supports masking: passed on
    assert keras_mask(L.Flatten()(emb)) is None  # Flatten does not: dropped
    explicit = gf.placeholder(gf.bool, [None, 4])
    recorder(emb, mask=explicit)
    assert recorder.seen[-1] is explicit


def test_a_layer_without_mask_argument_is_called_without_it():
    class Plain(Layer):
        def call(self, inputs):
            return inputs * 2.0

    emb = L.Embedding(5, 3, mask_zero=True)(keras.Input((4,), dtype="int32"))
    assert keras_mask(Plain()(emb)) is None


def test_own_compute_mask_means_masking_is_supported():
    class FirstStepOnly(Layer):
        def call(self, inputs):
            return gf.identity(inputs)

        def compute_mask(self, inputs, mask=None):
            return gf.logical_and(mask, gf.constant([True, False, False, False]))

    ids = keras.Input((4,), dtype="int32")
    out = FirstStepOnly()(L.Embedding(5, 3, mask_zero=True)(ids))
    np.testing.assert_array_equal(run(keras_mask(out), {ids: IDS}),
                                  [[True, False, False, False], [True, False, False, False]])


def test_lambda_mask_function():
    ids = keras.Input((4,), dtype="int32")
    emb = L.Embedding(5, 3, mask_zero=True)(ids)
    assert keras_mask(L.Lambda(lambda t: t * 2.0)(emb)) is None
    shifted = L.Lambda(gf.identity, mask=lambda t, m: gf.logical_not(m))(emb)
    np.testing.assert_array_equal(run(keras_mask(shifted), {ids: IDS}), IDS == 0)
    with pytest.raises(TypeError, match="Lambda .*mask must be a function"):
        L.Lambda(lambda t: t, mask="zeros")


def test_recurrent_mask_follows_return_sequences():
    emb = L.Embedding(5, 3, mask_zero=True)(keras.Input((4,), dtype="int32"))
    assert keras_mask(L.LSTM(2, return_sequences=True)(emb)) is keras_mask(emb)
    assert keras_mask(L.GRU(2)(emb)) is None
    outs = L.LSTM(2, return_sequences=True, return_state=True)(emb)
    assert keras_mask(outs[0]) is keras_mask(emb)
    assert keras_mask(outs[1]) is None and keras_mask(outs[2]) is None
    bi = L.Bidirectional(L.LSTM(2, return_sequences=True))
    assert keras_mask(bi(emb)) is keras_mask(emb)
    assert bi.forward_layer.zero_output_for_mask and bi.backward_layer.zero_output_for_mask
    assert "zero_output_for_mask" not in L.LSTM(2).get_config()
    assert L.LSTM(2, zero_output_for_mask=True).get_config()["zero_output_for_mask"] is True


def test_time_distributed_passes_the_folded_mask_to_its_layer():
    ids = keras.Input((4,), dtype="int32")
    emb = L.Embedding(5, 3, mask_zero=True)(ids)
    inner = Recorder()
    out = L.TimeDistributed(inner)(emb)
    assert keras_mask(out) is keras_mask(emb)
    folded = inner.seen[-1]
    assert folded.shape.as_list() == [None]
    np.testing.assert_array_equal(run(folded, {ids: IDS}), (IDS != 0).ravel())


def test_sequential_and_nested_models_keep_the_mask():
    model = keras.Sequential([L.Embedding(5, 3, mask_zero=True, input_length=4),
                              L.LSTM(2, return_sequences=True), L.Dense(1)])
    mask = keras_mask(model.outputs[0])
    assert mask is not None
    np.testing.assert_array_equal(run(mask, {model.inputs[0]: IDS}), IDS != 0)
    # the model as a layer of another model: its replay on new inputs makes a new mask
    ids = keras.Input((4,), dtype="int32")
    outer = keras.Model(ids, model(ids))
    outer_mask = keras_mask(outer.outputs[0])
    assert outer_mask is not None and outer_mask is not mask
    np.testing.assert_array_equal(run(outer_mask, {ids: IDS[::-1]}), IDS[::-1] != 0)
    np.testing.assert_allclose(outer.predict(IDS), model.predict(IDS), rtol=1e-6)


def test_mask_given_to_a_functional_model_reaches_its_layers():
    x = keras.Input((4, 3))
    inner = keras.Model(x, L.LSTM(2, return_sequences=True)(x))
    assert keras_mask(inner.outputs[0]) is None
    new_x = gf.placeholder(gf.float32, [None, 4, 3])
    given = gf.placeholder(gf.bool, [None, 4])
    out = inner(new_x, mask=given)
    assert keras_mask(out) is given


def test_a_model_rebuilt_from_its_config_masks_the_same_way():
    ids = keras.Input((4,), dtype="int32")
    out = L.Dense(1)(L.GRU(2, return_sequences=True)(L.Embedding(5, 3, mask_zero=True)(ids)))
    model = keras.Model(ids, out)
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    assert keras_mask(clone.outputs[0]) is not None
    np.testing.assert_allclose(clone.predict(IDS), model.predict(IDS), rtol=1e-6)


def test_merged_masks_keep_a_step_only_where_every_mask_keeps_it():
    ids = keras.Input((4,), dtype="int32")
    other = keras.Input((4,), dtype="int32")
    a = L.Embedding(5, 3, mask_zero=True)(ids)
    b = L.Embedding(5, 3, mask_zero=True)(other)
    plain = L.Embedding(5, 3)(ids)
    feed = {ids: IDS, other: IDS[::-1]}
    both = (IDS != 0) & (IDS[::-1] != 0)
    np.testing.assert_array_equal(run(keras_mask(L.Add()([a, b])), feed), both)
    np.testing.assert_array_equal(run(keras_mask(L.Concatenate()([a, b])), feed), both)
    np.testing.assert_array_equal(run(keras_mask(L.Concatenate()([a, plain])), feed), IDS != 0)
    assert keras_mask(L.Add()([plain, plain])) is None
    assert keras_mask(L.GlobalAveragePooling1D()(a)) is None
