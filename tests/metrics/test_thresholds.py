"""AUC, precision/recall at thresholds and mean IoU give TF1's numbers (recorded from TF 1.x's
tf.compat.v1.metrics in graph mode): TF1's threshold layout, epsilons and summation rules."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names

P1 = ([0, 1, 1, 0, 1], [0.1, 0.8, 0.4, 0.6, 0.95])
P2 = ([1, 0, 1], [0.3, 0.2, 0.7])
WEIGHTS = ([1, 2, 1, 0.5, 1], [1, 1, 3])


def stream(metric, batches, weighted=False, executor="cpu", **kwargs):
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.float32, [None])
    weights = tf.placeholder(tf.float32, [None]) if weighted else None
    value, update = metric(labels, preds, weights=weights, **kwargs)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.local_variables_initializer())
        out = []
        for i, (y, p) in enumerate(batches):
            feed = {labels: y, preds: p}
            if weighted:
                feed[weights] = WEIGHTS[i]
            out.append(sess.run(update, feed))
        return out, sess.run(value)


@pytest.mark.parametrize("curve, method, weighted, expected", [
    ("ROC", "trapezoidal", False, [0.833333, 0.86666644]),
    ("ROC", "trapezoidal", True, [0.9166661, 0.9499997]),
    ("PR", "trapezoidal", False, [0.90277755, 0.9183332]),
    ("PR", "trapezoidal", True, [0.96825373, 0.98318243]),
    ("PR", "careful_interpolation", False, [0.904106, 0.918907]),
    ("PR", "minoring", False, [0.8888886, 0.90999985]),
    ("ROC", "minoring", False, [0.833333, 0.86666644]),
    ("ROC", "majoring", False, [0.833333, 0.86666644]),
])
def test_auc_matches_tf1(curve, method, weighted, expected):
    updates, value = stream(tf.metrics.auc, [P1, P2], weighted, curve=curve,
                            summation_method=method)
    np.testing.assert_allclose(updates, expected, rtol=2e-6)
    np.testing.assert_allclose(value, expected[-1], rtol=2e-6)
    assert [v.name for v in tf.local_variables()] == [
        "auc/true_positives:0", "auc/false_negatives:0", "auc/true_negatives:0",
        "auc/false_positives:0"]
    assert tf.local_variables()[0].shape.as_list() == [200]


@pytest.mark.parametrize("executor", executor_names(available_only=True))
def test_auc_on_every_executor(executor):
    updates, _ = stream(tf.metrics.auc, [P1, P2], executor=executor)
    np.testing.assert_allclose(updates, [0.833333, 0.86666644], rtol=2e-6)


def test_auc_thresholds_given_or_counted():
    updates, _ = stream(tf.metrics.auc, [P1, P2], num_thresholds=10)
    np.testing.assert_allclose(updates, [0.833333, 0.86666644], rtol=2e-6)
    updates, _ = stream(tf.metrics.auc, [P1, P2], thresholds=[0.5, 0.25, 0.75])
    np.testing.assert_allclose(updates, [0.833333, 0.83333313], rtol=2e-6)
    assert tf.local_variables()[-1].shape.as_list() == [5]


def test_auc_end_thresholds_take_in_scores_of_exactly_0_and_1():
    value, update = tf.metrics.auc(tf.constant([[0, 1], [1, 0]]),
                                   tf.constant([[0.0, 1.0], [1.0, 0.0]]), num_thresholds=3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == pytest.approx(0.9999995, rel=1e-6)


def test_auc_predictions_outside_0_1_fail_when_run_naming_the_check():
    preds = tf.placeholder(tf.float32, [None])
    _, update = tf.metrics.auc([1, 0], preds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"predictions must be in \[0, 1\]") as e:
            sess.run(update, {preds: [0.5, 1.5]})
        assert "test_thresholds.py" in str(e.value)


def test_auc_constant_predictions_outside_0_1_fail_while_building():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"predictions must be in \[0, 1\]"):
        tf.metrics.auc(tf.constant([1, 0]), tf.constant([0.5, 1.5]))


def test_auc_argument_errors_are_tf1s():
    with pytest.raises(ValueError, match="Curve must be either ROC or PR. Curve XX is unknown."):
        tf.metrics.auc([1], [0.5], curve="XX")
    with pytest.raises(ValueError, match="Invalid summation_method: up"):
        tf.metrics.auc([1], [0.5], summation_method="up")


@pytest.mark.parametrize("metric, expected, names", [
    (tf.metrics.precision_at_thresholds, [[0.75, 0.6666667, 0.9999999],
                                          [0.8333333, 0.75, 0.9999999]],
     ["precision_at_thresholds/true_positives:0", "precision_at_thresholds/false_positives:0"]),
    (tf.metrics.recall_at_thresholds, [[1.0, 0.6666667, 0.33333334], [1.0, 0.6, 0.2]],
     ["recall_at_thresholds/true_positives:0", "recall_at_thresholds/false_negatives:0"]),
])
def test_precision_and_recall_at_thresholds(metric, expected, names):
    updates, value = stream(metric, [P1, P2], thresholds=[0.25, 0.5, 0.9])
    np.testing.assert_allclose(updates, expected, rtol=1e-6)
    np.testing.assert_allclose(value, expected[-1], rtol=1e-6)
    assert [v.name for v in tf.local_variables()] == names


def test_precision_at_thresholds_weighted():
    _, update = tf.metrics.precision_at_thresholds(
        tf.constant([1, 0, 1]), tf.constant([0.2, 0.6, 0.9]), [0.5],
        weights=tf.constant([1., 2., 0.5]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_allclose(sess.run(update), [0.2], rtol=1e-6)


def test_mean_iou_streams_a_float64_confusion_matrix():
    labels, preds = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [None])
    value, update = tf.metrics.mean_iou(labels, preds, num_classes=3)
    assert [v.name for v in tf.local_variables()] == ["mean_iou/total_confusion_matrix:0"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(value) == 0.0
        first = sess.run(update, {labels: [0, 1, 2, 1], preds: [0, 2, 2, 1]})
        second = sess.run(update, {labels: [2, 0], preds: [2, 1]})
        assert first.dtype == np.float64
        np.testing.assert_array_equal(first, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
        np.testing.assert_array_equal(second, [[1, 1, 0], [0, 1, 1], [0, 0, 2]])
        assert sess.run(value) == pytest.approx(0.5)


def test_mean_iou_weighted_and_absent_classes():
    value, update = tf.metrics.mean_iou(tf.constant([0, 1, 2, 1]), tf.constant([0, 2, 2, 1]), 3,
                                        weights=tf.constant([1., 0.5, 2., 1.]))
    absent_value, absent_update = tf.metrics.mean_iou(tf.constant([0, 1]), tf.constant([0, 1]),
                                                      4)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_array_equal(sess.run(update), [[1, 0, 0], [0, 1, 0.5], [0, 0, 2]])
        assert sess.run(value) == pytest.approx(0.82222223, rel=1e-6)
        sess.run(absent_update)
        assert sess.run(absent_value) == 1.0  # classes never seen do not count


def test_mean_iou_labels_out_of_range_fail_when_run():
    labels = tf.placeholder(tf.int32, [None])
    _, update = tf.metrics.mean_iou(labels, tf.constant([0, 1]), 4)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` out of bound"):
            sess.run(update, {labels: [0, 5]})
