"""The rest of TF1's tf.metrics: counts at thresholds, sensitivity/specificity operating points,
mean_tensor, mean_relative_error, percentage_below, mean_cosine_distance and
mean_per_class_accuracy (numbers recorded from TF 1.x's tf.compat.v1.metrics in graph mode)."""

import numpy as np
import pytest

import graphflow as tf

P1 = ([0, 1, 1, 0, 1], [0.1, 0.8, 0.4, 0.6, 0.95])
P2 = ([1, 0, 1], [0.3, 0.2, 0.7])


def stream(metric, placeholders, batches):
    value, update = metric(*placeholders)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        updates = [sess.run(update, dict(zip(placeholders, b))) for b in batches]
        return updates, sess.run(value), [v.name for v in tf.local_variables()]


def _binary():
    return [tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float32, [None])]


@pytest.mark.parametrize("name, expected", [
    ("true_positives", [[3, 2, 1], [5, 3, 1]]),
    ("false_positives", [[1, 1, 0], [1, 1, 0]]),
    ("true_negatives", [[1, 1, 2], [2, 2, 3]]),
    ("false_negatives", [[0, 1, 2], [0, 2, 4]]),
])
def test_counts_at_thresholds(name, expected):
    metric = getattr(tf.metrics, f"{name}_at_thresholds")
    updates, value, names = stream(lambda y, p: metric(y, p, thresholds=[0.25, 0.5, 0.9]),
                                   _binary(), [P1, P2])
    np.testing.assert_array_equal(updates, expected)
    np.testing.assert_array_equal(value, expected[-1])
    assert names == [f"{name}/{name}:0"]


RNG = np.random.RandomState(3)
LABELS = RNG.randint(0, 2, 40)
SCORES = np.clip(0.15 * LABELS + 0.85 * RNG.rand(40), 0, 1).astype(np.float32)


@pytest.mark.parametrize("metric, kwargs, expected", [
    (tf.metrics.sensitivity_at_specificity, {"specificity": 0.7}, [0.7, 0.6666666865]),
    (tf.metrics.sensitivity_at_specificity, {"specificity": 0.4, "num_thresholds": 10},
     [0.8, 0.7777777910]),
    (tf.metrics.specificity_at_sensitivity, {"sensitivity": 0.7}, [0.7, 0.5]),
    (tf.metrics.specificity_at_sensitivity, {"sensitivity": 0.5, "num_thresholds": 10},
     [0.9, 0.7272727489]),
])
def test_operating_points_match_tf1(metric, kwargs, expected):
    labels, scores = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.float32, [None])
    updates, _, names = stream(lambda y, p: metric(y, p, **kwargs), [labels, scores],
                               [(LABELS[:20], SCORES[:20]), (LABELS[20:], SCORES[20:])])
    np.testing.assert_allclose(updates, expected, rtol=1e-6)
    assert names[0] == f"{metric.__name__}/true_positives:0"


def test_operating_point_targets_must_be_rates():
    with pytest.raises(ValueError, match=r"`specificity` must be in the range \[0, 1\]\. "
                       r"Currently, `specificity` got 1\.5\."):
        tf.metrics.sensitivity_at_specificity([1], [0.5], 1.5)
    with pytest.raises(ValueError, match=r"Currently, `sensitivity` is -0\.5\."):
        tf.metrics.specificity_at_sensitivity([1], [0.5], -0.5)


def test_mean_tensor_is_element_wise():
    x, w = tf.placeholder(tf.float32, [2, 2]), tf.placeholder(tf.float32, [2, 1])
    updates, value, names = stream(lambda a, b: tf.metrics.mean_tensor(a, weights=b), [x, w],
                                   [([[1., 2], [3, 4]], [[1.], [0.]]),
                                    ([[5., 6], [7, 8]], [[1.], [2.]])])
    np.testing.assert_array_equal(updates, [[[1, 2], [0, 0]], [[3, 4], [7, 8]]])
    assert names == ["mean/total_tensor:0", "mean/count_tensor:0"]


def test_mean_relative_error_skips_zero_normalizers():
    phs = [tf.placeholder(tf.float32, [None]) for _ in range(3)]
    updates, _, names = stream(tf.metrics.mean_relative_error, phs,
                               [([1., 2, 4], [1.5, 1, 4], [1., 2, 0]), ([3.], [0.], [6.])])
    np.testing.assert_allclose(updates, [0.33333334, 0.375], rtol=1e-6)
    assert names[0] == "mean_relative_error/total:0"


def test_percentage_below():
    x = tf.placeholder(tf.float32, [None])
    updates, _, names = stream(lambda v: tf.metrics.percentage_below(v, 2.5), [x],
                               [([1., 3, 2.5],), ([0., 1, 5, 6],)])
    np.testing.assert_allclose(updates, [0.33333334, 0.42857143], rtol=1e-6)
    assert names[0] == "percentage_below_threshold/total:0"


def test_mean_cosine_distance():
    y, p = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 3])
    updates, _, _ = stream(lambda a, b: tf.metrics.mean_cosine_distance(a, b, dim=1), [y, p],
                           [([[0.6, 0.8, 0], [0, 1, 0]], [[0.8, 0.6, 0], [0, 0.6, 0.8]]),
                            ([[1., 0, 0]], [[0., 1, 0]])])
    np.testing.assert_allclose(updates, [0.21999997, 0.47999996], rtol=1e-6)


def test_mean_per_class_accuracy_update_is_the_per_class_vector():
    phs = [tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [None]),
           tf.placeholder(tf.float32, [None])]
    updates, value, names = stream(
        lambda y, p, w: tf.metrics.mean_per_class_accuracy(y, p, 4, weights=w), phs,
        [([0, 1, 2, 1], [0, 2, 2, 1], [1, 1, 2, 0.5]), ([2, 0], [1, 0], [1, 1])])
    np.testing.assert_allclose(updates, [[1, 0.33333334, 1, 0], [1, 0.33333334, 0.6666667, 0]],
                               rtol=1e-6)
    assert value == pytest.approx(0.5)
    assert names == ["mean_accuracy/total:0", "mean_accuracy/count:0"]
