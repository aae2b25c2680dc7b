"""Keras BatchNormalization (training / inference / learning phase, moving-average updates),
Embedding (lookup and its gradient) and the merge layers, against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from graphflow.autodiff.gradients import gradients
from graphflow.core.graph import Graph
from graphflow.keras import backend
from graphflow.keras import layers as L
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.state import placeholder

RNG = np.random.default_rng(2)


def test_batch_normalization_weights_training_and_inference():
    x = RNG.normal(2.0, 3.0, size=(4, 3, 3, 2)).astype("float32")
    with Graph().as_default():
        ph = placeholder("float32", [None, 3, 3, 2])
        bn = L.BatchNormalization()
        train = bn(ph, training=True)
        infer = bn(ph, training=False)
        assert [v.op.name for v in bn.trainable_weights] == ["batch_normalization/gamma",
                                                             "batch_normalization/beta"]
        assert [v.op.name for v in bn.non_trainable_weights] == [
            "batch_normalization/moving_mean", "batch_normalization/moving_variance"]
        assert bn.count_params() == 8 and len(bn.updates) == 2
        gamma, beta = np.array([1.5, 0.5], np.float32), np.array([0.1, -0.2], np.float32)
        bn.set_weights([gamma, beta, np.zeros(2, np.float32), np.ones(2, np.float32)])
        sess = backend.get_session()
        mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
        got = sess.run(train, {ph: x})
        np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3) * gamma + beta,
                                   rtol=1e-4, atol=1e-4)
        sess.run(bn.updates, {ph: x})
        m = x.size // 2
        moving_mean, moving_var = sess.run([bn.moving_mean, bn.moving_variance])
        np.testing.assert_allclose(moving_mean, 0.01 * mean, rtol=1e-5)
        # 4-D inputs: the unbiased variance feeds the moving average (tf.keras's fused kernel)
        np.testing.assert_allclose(moving_var, 0.99 + 0.01 * var * m / (m - 1), rtol=1e-5)
        got = sess.run(infer, {ph: x})
        want = (x - moving_mean) / np.sqrt(moving_var + 1e-3) * gamma + beta
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_batch_normalization_follows_the_learning_phase():
    x = RNG.normal(1.0, 2.0, size=(8, 3)).astype("float32")
    with Graph().as_default():
        ph = placeholder("float32", [None, 3])
        bn = L.BatchNormalization(momentum=0.5, epsilon=1e-5)
        out = bn(ph)
        sess = backend.get_session()
        np.testing.assert_allclose(sess.run(out, {ph: x}), x / np.sqrt(1 + 1e-5), rtol=1e-5)
        phase = backend.learning_phase()
        trained = sess.run(out, {ph: x, phase: True})
        np.testing.assert_allclose(trained, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5),
                                   rtol=1e-4, atol=1e-4)
        sess.run(bn.updates, {ph: x})  # not training: the moving statistics stay
        np.testing.assert_allclose(sess.run(bn.moving_mean), 0.0)
        sess.run(bn.updates, {ph: x, phase: True})  # 2-D inputs: the biased variance
        np.testing.assert_allclose(sess.run(bn.moving_mean), 0.5 * x.mean(0), rtol=1e-5)
        np.testing.assert_allclose(sess.run(bn.moving_variance), 0.5 + 0.5 * x.var(0),
                                   rtol=1e-5)


def test_embedding_lookup_shapes_and_gradient():
    ids = np.array([[0, 2, 2], [1, 0, 3]], np.int32)
    with Graph().as_default():
        ph = placeholder("int32", [None, 3])
        emb = L.Embedding(5, 4, input_length=3)
        out = emb(ph)
        assert out.shape.as_list() == [None, 3, 4] and emb.count_params() == 20
        assert emb.get_config()["batch_input_shape"] == [None, 3]
        table = backend.get_value(emb.embeddings)
        assert np.abs(table).max() <= 0.05  # uniform(-0.05, 0.05)
        sess = backend.get_session()
        np.testing.assert_array_equal(sess.run(out, {ph: ids}), table[ids])
        grad = gradients(reduce_sum(out), [emb.embeddings])[0]
        dense = sess.run(grad, {ph: ids})
        counts = np.bincount(ids.ravel(), minlength=5).astype("float32")
        np.testing.assert_allclose(np.asarray(dense), np.repeat(counts[:, None], 4, axis=1))
    assert L.Embedding(5, 4, mask_zero=True).mask_zero  # masks: tests/keras/masking


def test_merge_layers():
    a = RNG.normal(size=(2, 3)).astype("float32")
    b = RNG.normal(size=(2, 3)).astype("float32")
    c = RNG.normal(size=(2, 4)).astype("float32")
    with Graph().as_default():
        pa, pb = placeholder("float32", [None, 3]), placeholder("float32", [None, 3])
        pc = placeholder("float32", [None, 4])
        outs = {"add": L.add([pa, pb]), "sub": L.subtract([pa, pb]),
                "mul": L.multiply([pa, pb]), "avg": L.average([pa, pb, pa]),
                "max": L.maximum([pa, pb]), "min": L.minimum([pa, pb]),
                "cat": L.concatenate([pa, pc]), "cat0": L.Concatenate(axis=0)([pa, pb])}
        assert outs["cat"].shape.as_list() == [None, 7]
        got = backend.get_session().run(outs, {pa: a, pb: b, pc: c})
        with pytest.raises(ValueError, match="exactly 2 inputs"):
            L.Subtract()([pa, pb, pa])
        with pytest.raises(ValueError, match="same shape"):
            L.Add()([pa, pc])
        with pytest.raises(ValueError, match="matching shapes except for the concatenation"):
            L.Concatenate(axis=0)([pa, pc])
    np.testing.assert_allclose(got["add"], a + b, rtol=1e-6)
    np.testing.assert_allclose(got["sub"], a - b, rtol=1e-6)
    np.testing.assert_allclose(got["mul"], a * b, rtol=1e-6)
    np.testing.assert_allclose(got["avg"], (2 * a + b) / 3, rtol=1e-6)
    np.testing.assert_allclose(got["max"], np.maximum(a, b))
    np.testing.assert_allclose(got["min"], np.minimum(a, b))
    np.testing.assert_array_equal(got["cat"], np.concatenate([a, c], -1))
    np.testing.assert_array_equal(got["cat0"], np.concatenate([a, b], 0))
    assert L.Concatenate().compute_output_shape([(None, 3), (None, 4)]).as_list() == [None, 7]


def test_frozen_batch_normalization_runs_in_inference_mode():
    """tf.keras 2's rule: trainable=False makes the layer use (and keep) its moving statistics
    even when called with training=True."""
    x = RNG.normal(4.0, 2.0, size=(6, 2)).astype("float32")
    with Graph().as_default():
        ph = placeholder("float32", [None, 2])
        bn = L.BatchNormalization(trainable=False)
        out = bn(ph, training=True)
        assert bn.updates == [] and len(bn.non_trainable_weights) == 4
        np.testing.assert_allclose(backend.get_session().run(out, {ph: x}),
                                   x / np.sqrt(1 + 1e-3), rtol=1e-5)
