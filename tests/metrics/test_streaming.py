"""Streaming metrics give TF1's numbers batch after batch (values recorded from TF 1.x's
tf.compat.v1.metrics in graph mode), on every executor."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names

EXECUTORS = executor_names(available_only=True)


def stream(metric, dtypes, batches, executor="cpu", **kwargs):
    """(update_op results per batch, value afterwards, local variable names)."""
    phs = [tf.placeholder(d, [None]) for d in dtypes]
    if len(phs) == 3:
        value, update = metric(phs[0], phs[1], weights=phs[2], **kwargs)
    elif len(phs) == 2 and metric in (tf.metrics.mean,):
        value, update = metric(phs[0], weights=phs[1], **kwargs)
    else:
        value, update = metric(*phs, **kwargs)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.local_variables_initializer())
        updates = [sess.run(update, dict(zip(phs, b))) for b in batches]
        final = sess.run(value)
    return updates, final, [v.name for v in tf.local_variables()]


I32, F32 = tf.int32, tf.float32
ACC = [([1, 0, 1, 1], [1, 1, 1, 0]), ([0, 0, 1], [0, 0, 1])]
ACC_W = [ACC[0] + ([1, 2, 0, 1],), ACC[1] + ([0.5, 0, 3],)]
BIN = [([1, 0, 1, 1, 0], [1, 1, 0, 1, 0]), ([0, 1], [1, 1])]
BIN_W = [BIN[0] + ([1, 2, 3, 0.5, 1],), BIN[1] + ([2, 0.25],)]
REG = [([1., 2, 3], [1.5, 2, 1]), ([0.], [4.])]
REG_W = [REG[0] + ([1, 0, 2],), REG[1] + ([0.5],)]

# name, metric, dtypes, batches, TF1's update results, TF1's local variable names
CASES = [
    ("accuracy", tf.metrics.accuracy, [I32, I32], ACC, [0.5, 0.71428573],
     ["accuracy/total:0", "accuracy/count:0"]),
    ("accuracy_w", tf.metrics.accuracy, [I32, I32, F32], ACC_W, [0.25, 0.6],
     ["accuracy/total:0", "accuracy/count:0"]),
    ("mean", tf.metrics.mean, [F32], [([1., 2, 3],), ([10.],)], [2.0, 4.0],
     ["mean/total:0", "mean/count:0"]),
    ("mean_w", tf.metrics.mean, [F32, F32], [([1., 2, 3], [1, 0, 2]), ([10.], [0.5])],
     [2.3333333, 3.4285715], ["mean/total:0", "mean/count:0"]),
    ("precision", tf.metrics.precision, [I32, I32], BIN, [0.6666667, 0.6],
     ["precision/true_positives/count:0", "precision/false_positives/count:0"]),
    ("precision_w", tf.metrics.precision, [I32, I32, F32], BIN_W, [0.42857143, 0.3043478],
     ["precision/true_positives/count:0", "precision/false_positives/count:0"]),
    ("recall", tf.metrics.recall, [I32, I32], BIN, [0.6666667, 0.75],
     ["recall/true_positives/count:0", "recall/false_negatives/count:0"]),
    ("recall_w", tf.metrics.recall, [I32, I32, F32], BIN_W, [0.33333334, 0.36842105],
     ["recall/true_positives/count:0", "recall/false_negatives/count:0"]),
    ("true_positives", tf.metrics.true_positives, [I32, I32], BIN, [2, 3],
     ["true_positives/count:0"]),
    ("true_positives_w", tf.metrics.true_positives, [I32, I32, F32], BIN_W, [1.5, 1.75],
     ["true_positives/count:0"]),
    ("false_positives", tf.metrics.false_positives, [I32, I32], BIN, [1, 2],
     ["false_positives/count:0"]),
    ("false_positives_w", tf.metrics.false_positives, [I32, I32, F32], BIN_W, [2, 4],
     ["false_positives/count:0"]),
    ("true_negatives", tf.metrics.true_negatives, [I32, I32], BIN, [1, 1],
     ["true_negatives/count:0"]),
    ("true_negatives_w", tf.metrics.true_negatives, [I32, I32, F32], BIN_W, [1, 1],
     ["true_negatives/count:0"]),
    ("false_negatives", tf.metrics.false_negatives, [I32, I32], BIN, [1, 1],
     ["false_negatives/count:0"]),
    ("false_negatives_w", tf.metrics.false_negatives, [I32, I32, F32], BIN_W, [3, 3],
     ["false_negatives/count:0"]),
    ("mse", tf.metrics.mean_squared_error, [F32, F32], REG, [1.4166666, 5.0625],
     ["mean_squared_error/total:0", "mean_squared_error/count:0"]),
    ("mse_w", tf.metrics.mean_squared_error, [F32, F32, F32], REG_W, [2.75, 4.642857],
     ["mean_squared_error/total:0", "mean_squared_error/count:0"]),
    ("mae", tf.metrics.mean_absolute_error, [F32, F32], REG, [0.8333333, 1.625],
     ["mean_absolute_error/total:0", "mean_absolute_error/count:0"]),
    ("mae_w", tf.metrics.mean_absolute_error, [F32, F32, F32], REG_W, [1.5, 1.8571428],
     ["mean_absolute_error/total:0", "mean_absolute_error/count:0"]),
    ("rmse", tf.metrics.root_mean_squared_error, [F32, F32], REG, [1.190238, 2.25],
     ["root_mean_squared_error/total:0", "root_mean_squared_error/count:0"]),
    ("rmse_w", tf.metrics.root_mean_squared_error, [F32, F32, F32], REG_W,
     [1.6583124, 2.154729],
     ["root_mean_squared_error/total:0", "root_mean_squared_error/count:0"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_update_op_returns_the_metric_over_every_batch_so_far(case):
    _, metric, dtypes, batches, expected, names = case
    updates, final, local = stream(metric, dtypes, batches)
    np.testing.assert_allclose(updates, expected, rtol=1e-6)
    np.testing.assert_allclose(final, expected[-1], rtol=1e-6)
    assert local == names


@pytest.mark.parametrize("executor", EXECUTORS)
def test_accuracy_on_every_executor(executor):
    updates, final, _ = stream(tf.metrics.accuracy, [I32, I32], ACC, executor)
    np.testing.assert_allclose(updates, [0.5, 0.71428573], rtol=1e-6)


def test_value_before_any_batch_is_zero():
    _, final, _ = stream(tf.metrics.mean, [F32], [])
    assert final == 0.0
    _, final, _ = stream(tf.metrics.precision, [I32, I32], [])
    assert final == 0.0


def test_the_tf1_idiom_and_reset_by_the_local_initializer():
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, acc_op = tf.metrics.accuracy(labels, preds)
    init = tf.local_variables_initializer()
    batches = [([1, 2, 3], [1, 2, 0]), ([4, 4], [4, 4]), ([0], [1])]
    with tf.Session() as sess:
        sess.run(init)
        for y, p in batches:
            sess.run(acc_op, {labels: y, preds: p})
        assert sess.run(acc) == pytest.approx(4 / 6)
        assert sess.run(acc) == pytest.approx(4 / 6)  # reading does not update
        sess.run(init)
        assert sess.run(acc) == 0.0
        assert sess.run(acc_op, {labels: [1], preds: [1]}) == 1.0


def test_accumulators_are_local_metric_variables_not_global_nor_trainable():
    tf.Variable(1.0, name="w")
    value, update = tf.metrics.accuracy([1, 0], [1, 1], metrics_collections=["m"],
                                        updates_collections=["u"])
    local = tf.local_variables()
    assert [v.name for v in local] == ["accuracy/total:0", "accuracy/count:0"]
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == local
    assert tf.GraphKeys.METRIC_VARIABLES == "metric_variables"
    assert [v.name for v in tf.global_variables()] == ["w:0"]
    assert not any(v.trainable for v in local)
    assert tf.trainable_variables() == tf.global_variables()
    assert tf.get_collection("m") == [value] and tf.get_collection("u") == [update]
    assert value.name == "accuracy/value:0" and update.name == "accuracy/update_op:0"
    assert value.shape.as_list() == [] and value.dtype == tf.float32


def test_a_second_metric_gets_its_own_scope():
    tf.metrics.mean([1.0])
    tf.metrics.mean([2.0])
    tf.metrics.mean([3.0], name="mine")
    assert [v.name for v in tf.local_variables()] == [
        "mean/total:0", "mean/count:0", "mean_1/total:0", "mean_1/count:0",
        "mine/total:0", "mine/count:0"]


def test_trailing_size_one_dimension_is_squeezed_as_in_tf1():
    value, update = tf.metrics.accuracy([[1], [2], [3]], [1, 2, 0])
    mean, mean_update = tf.metrics.mean([1.0, 2.0, 3.0], weights=[[1.0], [0.0], [1.0]])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == pytest.approx(2 / 3)
        assert sess.run(mean_update) == pytest.approx(2.0)


def test_shape_mismatch_is_tf1s_error_at_the_users_line():
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible") as e:
        tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2]))
    assert "test_streaming.py" in str(e.value) and "tf.metrics.accuracy" in str(e.value)
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        tf.metrics.mean_squared_error(tf.constant([1., 2]), tf.constant([1., 2, 3]))
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        tf.metrics.precision(tf.constant([1, 0]), tf.constant([1, 0, 1]))


def test_weights_that_cannot_broadcast_are_tf1s_error():
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values\. Mismatch "
                       r"at dim 0\. values\.shape=\[3\], weights\.shape=\[2\]"):
        tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2, 3]),
                            weights=tf.constant([1., 2.]))
    with pytest.raises(ValueError, match=r"values\.rank=1\. weights\.rank=3"):
        tf.metrics.mean(tf.constant([1., 2.]), weights=tf.ones([2, 1, 1]))


def test_collections_must_be_lists():
    with pytest.raises(ValueError, match="metrics_collections must be a list"):
        tf.metrics.mean([1.0], metrics_collections="m")


def test_update_before_the_local_initializer_names_the_accumulator():
    _, update = tf.metrics.mean([1.0])
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError,
                                             match="uninitialized value mean/"):
        sess.run(update)


def test_names_inside_name_and_variable_scopes_are_tf1s():
    with tf.name_scope("eval"):
        acc, acc_op = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    with tf.variable_scope("outer"):
        tf.metrics.mean(tf.constant([1.0]))
        with tf.variable_scope("inner", reuse=True):  # metrics make new variables regardless
            rec, rec_op = tf.metrics.recall(tf.constant([1, 0]), tf.constant([1, 1]))
    assert [v.name for v in tf.local_variables()] == [
        "eval/accuracy/total:0", "eval/accuracy/count:0", "outer/mean/total:0",
        "outer/mean/count:0", "outer/inner/recall/true_positives/count:0",
        "outer/inner/recall/false_negatives/count:0"]
    assert (acc.name, acc_op.name) == ("eval/accuracy/value:0", "eval/accuracy/update_op:0")
    assert (rec.name, rec_op.name) == ("outer/inner/recall/value:0",
                                       "outer/inner/recall/update_op:0")
