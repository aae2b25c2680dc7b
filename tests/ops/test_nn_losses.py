"""Losses: SEEDS.md's numbers, stability at logits of +-1e4 (values and gradients), TF1's weighted
reductions and the LOSSES collection, sparse softmax cross-entropy and in_top_k."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.core.graph import GraphKeys

EXECUTORS = ["reference", "cpu"]
BIG = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, -1e4]], np.float32)
ONEHOT = np.eye(3, dtype=np.float32)[[1, 0, 2]]


def run(fetches, executor="reference", feed=None):
    with tf.Session(executor=executor) as sess:
        return sess.run(fetches, feed)


def finite(*arrays):
    return all(np.all(np.isfinite(a)) for a in arrays)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_softmax_cross_entropies_are_stable_at_1e4(executor):
    z = tf.constant(BIG)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=ONEHOT, logits=z)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0, 2], logits=z)
    g_dense, g_sparse = tf.gradients(tf.reduce_sum(dense), z)[0], tf.gradients(sparse, z)[0]
    d, s, gd, gs = run([dense, sparse, g_dense, g_sparse], executor)
    assert finite(d, s, gd, gs)
    np.testing.assert_allclose(d, [2e4, 2e4 + np.log(2), 1e4 + np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(s, d, rtol=1e-6)
    np.testing.assert_allclose(gs, gd, atol=1e-7)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_sigmoid_cross_entropy_is_stable_at_1e4(executor):
    z = tf.constant(BIG.ravel())
    labels = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1], np.float32)
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=z)
    value, grad = run([loss, tf.gradients(loss, z)[0]], executor)
    assert finite(value, grad)
    assert value[0] == 0 and value[1] == 0 and value[2] == pytest.approx(np.log(2))


def test_sigmoid_cross_entropy_seeds_example():
    logits = tf.sigmoid([.2, .4, .7, .9])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[0.0, 0.0, 1.0, 1.0], logits=logits)
    np.testing.assert_allclose(run(loss), [1.00538722, 1.03664083, .41385432, .39956614],
                               rtol=1e-6)


def test_mean_squared_error_and_absolute_difference_on_the_tips():
    tips = [12.0, 7, 13, 8, 15, 5]
    mse = tf.losses.mean_squared_error(labels=[10.0] * 6, predictions=tips)
    mae = tf.losses.absolute_difference([10.0] * 6, tips)
    sse = tf.losses.mean_squared_error([10.0] * 6, tips, reduction=tf.losses.Reduction.SUM)
    np.testing.assert_allclose(run([mse, mae, sse]), [76 / 6, 20 / 6, 76], rtol=1e-6)
    assert tf.get_default_graph().get_collection(GraphKeys.LOSSES) == [mse, mae, sse]


def test_log_loss_seeds_cross_entropies():
    p = [.8, .7, .1]
    a = tf.losses.log_loss([1.0, 1, 0], p, reduction=tf.losses.Reduction.SUM)
    b = tf.losses.log_loss([0.0, 0, 1], p, reduction=tf.losses.Reduction.SUM)
    np.testing.assert_allclose(run([a, b]), [.68517901, 5.11599581], rtol=1e-5)


@pytest.mark.parametrize("reduction,expected", [
    ("weighted_sum_by_nonzero_weights", (2 * 1 + 0 * 4 + 1 * 9) / 2),
    ("weighted_sum", 2 * 1 + 0 * 4 + 1 * 9),
    ("weighted_mean", (2 * 1 + 0 * 4 + 1 * 9) / 3),
    ("weighted_sum_over_batch_size", (2 * 1 + 0 * 4 + 1 * 9) / 3),
])
def test_weighted_reductions(reduction, expected):
    loss = tf.losses.mean_squared_error([0.0, 0, 0], [1.0, 2, 3], weights=[2.0, 0, 1],
                                        reduction=reduction)
    assert run(loss) == pytest.approx(expected)


def test_all_zero_weights_give_zero_not_nan():
    loss = tf.losses.mean_squared_error([0.0, 0], [1.0, 2], weights=0.0)
    assert run(loss) == 0


@pytest.mark.parametrize("executor", EXECUTORS)
def test_weighted_classification_losses_are_stable_and_differentiable(executor):
    z = tf.constant(BIG)
    losses = [tf.losses.softmax_cross_entropy(ONEHOT, z, weights=[1.0, 0.0, 2.0]),
              tf.losses.sparse_softmax_cross_entropy([1, 0, 2], z, weights=[1.0, 0.0, 2.0]),
              tf.losses.sigmoid_cross_entropy(ONEHOT, z, label_smoothing=0.1)]
    values = run(losses + tf.gradients(tf.add_n(losses), [z]), executor)
    assert finite(*values)
    np.testing.assert_allclose(values[0], values[1], rtol=1e-6)
    np.testing.assert_allclose(values[0], (2e4 + 2 * (1e4 + np.log(2))) / 2, rtol=1e-6)


def test_sparse_softmax_rejects_out_of_range_labels():
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[3], logits=[[1.0, 2, 3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="valid range"):
        run(loss)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_in_top_k(executor):
    preds = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.2, 0.3]], np.float32)
    out = [tf.nn.in_top_k(preds, [1, 0, 1], k) for k in (1, 2, 3)]
    ties = tf.nn.in_top_k([[1.0, 1.0, 0.0]], [1], 1)  # TF1: a tie with the k-th counts as in
    got = run(out + [ties], executor)
    np.testing.assert_array_equal(got[0], [True, False, False])
    np.testing.assert_array_equal(got[1], [True, True, False])
    np.testing.assert_array_equal(got[2], [True, True, True])
    np.testing.assert_array_equal(got[3], [True])


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("classes", [10, 1000, 70_000, 300_000])
def test_softmax_xent_on_long_rows_is_accurate_to_float32_round_off(executor, classes):
    rng = np.random.default_rng(classes)
    logits = (rng.standard_normal((4, classes)) * 3).astype(np.float32)
    labels = rng.random((4, classes)).astype(np.float32)
    labels /= labels.sum(axis=1, keepdims=True)
    z = logits.astype(np.float64)
    lse = np.log(np.exp(z - z.max(1, keepdims=True)).sum(1)) + z.max(1)
    truth = -(labels * (z - lse[:, None])).sum(1)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(run(loss, executor), truth, rtol=1e-6)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("sparse", [False, True])
def test_cross_entropy_over_zero_classes_raises_on_every_executor(executor, sparse):
    logits = tf.placeholder(tf.float32, [None, None])
    if sparse:
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.placeholder(tf.int32, [None]), logits=logits)
        feed = {logits: np.ones((3, 0), np.float32), loss.op.inputs[0]: np.zeros(3, np.int32)}
    else:
        labels = tf.placeholder(tf.float32, [None, None])
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        feed = {logits: np.ones((3, 0), np.float32), labels: np.ones((3, 0), np.float32)}
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least one class"):
        run(loss, executor, feed)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("fn", [tf.nn.softmax, tf.nn.log_softmax])
def test_softmax_of_an_empty_axis_is_empty_on_every_executor(executor, fn):
    x = tf.placeholder(tf.float32, [None, None])
    for shape in [(3, 0), (0, 40), (0, 3)]:
        assert run(fn(x), executor, {x: np.ones(shape, np.float32)}).shape == shape


def test_top_k_returns_values_and_indices_by_name_as_tf1():
    result = tf.nn.top_k([[1.0, 5.0, 3.0]], k=2)
    values, indices = result
    assert result.values is values and result.indices is indices
    with tf.Session() as sess:
        assert sess.run(result.indices).tolist() == [[1, 2]]
