"""tf.metrics' top-k metrics: the values, dtypes and variable names TF1 gives. Every expected
number is what TensorFlow 2.21's tf.compat.v1 computed for the same inputs (2026-12-02)."""

import numpy as np
import pytest

import graphflow.compat.v1 as tf

PREDICTIONS = np.array([[0.1, 0.5, 0.2, 0.9, 0.3],
                        [0.7, 0.1, 0.6, 0.2, 0.4],
                        [0.2, 0.3, 0.8, 0.1, 0.5]], np.float32)
LABELS = {"one": np.array([3, 2, 0], np.int64),  # one label per row
          "two": np.array([[3, 1], [4, -1], [2, 7]], np.int64)}  # -1 and 7: out of range
WEIGHTS = np.array([1.0, 2.0, 0.5], np.float32)
# (labels, k) -> precision, recall, average precision; then the same weighted; then class 2
EXPECTED = {
    ("one", 1): (1 / 3, 1 / 3, 1 / 3, 2 / 7, 2 / 7, 2 / 7, 0.0, 0.0),
    ("one", 2): (1 / 3, 2 / 3, 0.5, 3 / 7, 6 / 7, 4 / 7, 0.5, 1.0),
    ("one", 3): (2 / 9, 2 / 3, 0.5, 2 / 7, 6 / 7, 4 / 7, 0.5, 1.0),
    ("two", 1): (2 / 3, 1 / 3, 2 / 3, 3 / 7, 3 / 14, 3 / 7, 1.0, 1.0),
    ("two", 2): (0.5, 0.5, 2 / 3, 5 / 14, 5 / 14, 3 / 7, 0.5, 1.0),
    ("two", 3): (4 / 9, 2 / 3, 7 / 9, 3 / 7, 9 / 14, 13 / 21, 0.5, 1.0),
}


def _run(pairs):
    """Each metric's update, run twice (the values must not change: the same batch again),
    then its value."""
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        first = sess.run([u for _, u in pairs])
        sess.run([u for _, u in pairs])
        return first, sess.run([v for v, _ in pairs])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_values_as_tf1(key):
    labels, k = tf.constant(LABELS[key[0]]), key[1]
    p = tf.constant(PREDICTIONS)
    pairs = [tf.metrics.precision_at_k(labels, p, k), tf.metrics.recall_at_k(labels, p, k),
             tf.metrics.average_precision_at_k(labels, p, k),
             tf.metrics.precision_at_k(labels, p, k, weights=WEIGHTS),
             tf.metrics.recall_at_k(labels, p, k, weights=WEIGHTS),
             tf.metrics.average_precision_at_k(labels, p, k, weights=WEIGHTS),
             tf.metrics.precision_at_k(labels, p, k, class_id=2),
             tf.metrics.recall_at_k(labels, p, k, class_id=2)]
    updates, values = _run(pairs)
    np.testing.assert_allclose(updates, EXPECTED[key], rtol=1e-15)
    np.testing.assert_allclose(values, EXPECTED[key], rtol=1e-15)
    assert all(v.dtype == tf.float64 for v, _ in pairs)


def test_names_as_tf1():
    labels, p = tf.constant(LABELS["one"]), tf.constant(PREDICTIONS)
    precision, update = tf.metrics.precision_at_k(labels, p, 1)
    ap, ap_update = tf.metrics.average_precision_at_k(labels, p, 1)
    tf.metrics.recall_at_k(labels, p, 1, class_id=2)
    named, _ = tf.metrics.precision_at_k(labels, p, 2, name="mine")
    top, _ = tf.metrics.precision_at_top_k(labels, tf.constant([[3, 1], [0, 2], [2, 4]],
                                                               tf.int64))
    assert [precision.name, update.name, ap.name, ap_update.name, named.name, top.name] == [
        "precision_at_1:0", "precision_at_1/update:0", "average_precision_at_1/mean:0",
        "average_precision_at_1:0", "mine:0", "precision_at_k:0"]
    assert [v.name for v in tf.local_variables()] == [
        "precision_at_1/true_positive_at_1:0", "precision_at_1/false_positive_at_1:0",
        "average_precision_at_1/max_1:0", "average_precision_at_1/total:0",
        "recall_at_1_class2/true_positive_at_1_class2:0",
        "recall_at_1_class2/false_negative_at_1_class2:0", "mine/true_positive_at_2:0",
        "mine/false_positive_at_2:0", "precision_at_k/true_positive_at_k:0",
        "precision_at_k/false_positive_at_k:0"]


def test_top_k_given_repeated_labels_nan_and_old_names():
    labels = tf.constant(np.array([[3, 3], [-1, 9]], np.int64))  # repeats count once
    p = tf.constant(PREDICTIONS[:2])
    idx = tf.constant([[3, 1], [0, 2]], tf.int64)
    pairs = [tf.metrics.precision_at_k(labels, p, 2), tf.metrics.recall_at_k(labels, p, 2),
             tf.metrics.average_precision_at_k(labels, p, 2),  # row 2 has no label in range
             tf.metrics.precision_at_top_k(labels, idx),
             tf.metrics.recall_at_top_k(labels, idx, class_id=3),
             tf.metrics.sparse_precision_at_k(labels, p, 2, class_id=3),
             tf.metrics.precision_at_k(tf.constant(LABELS["one"]), tf.constant(PREDICTIONS), 2,
                                       class_id=9)]
    _, values = _run(pairs)
    np.testing.assert_allclose(values, [0.25, 1 / 3, np.nan, 0.25, 1.0, 1.0, np.nan])


def test_errors_name_the_metric():
    p = tf.constant(PREDICTIONS)
    with pytest.raises(ValueError, match="precision_at_k called at .*k must be a positive"):
        tf.metrics.precision_at_k(tf.constant(LABELS["one"]), p, 0)
    unknown = tf.placeholder(tf.int64, [3, None])
    with pytest.raises(ValueError, match="recall_at_k called at .*known number of labels"):
        tf.metrics.recall_at_k(unknown, p, 2)
