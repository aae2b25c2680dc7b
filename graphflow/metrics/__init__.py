"""TF1's `tf.metrics`: streaming metrics as (value, update_op) pairs over local accumulators.

Run `local_variables_initializer()` (it zeroes the accumulators), run `update_op` once per
batch, then fetch `value` for the metric over every batch seen since the initializer.
"""

from graphflow.metrics.counts import (
    false_negatives,
    false_positives,
    precision,
    recall,
    true_negatives,
    true_positives,
)
from graphflow.metrics.mean_iou import mean_iou
from graphflow.metrics.means import (
    accuracy,
    mean,
    mean_absolute_error,
    mean_cosine_distance,
    mean_relative_error,
    mean_squared_error,
    mean_tensor,
    percentage_below,
    root_mean_squared_error,
)
from graphflow.metrics.operating_point import (
    sensitivity_at_specificity,
    specificity_at_sensitivity,
)
from graphflow.metrics.per_class import mean_per_class_accuracy
from graphflow.metrics.thresholds import (
    auc,
    false_negatives_at_thresholds,
    false_positives_at_thresholds,
    precision_at_thresholds,
    recall_at_thresholds,
    true_negatives_at_thresholds,
    true_positives_at_thresholds,
)

__all__ = [
    "accuracy", "auc", "false_negatives", "false_negatives_at_thresholds", "false_positives",
    "false_positives_at_thresholds", "mean", "mean_absolute_error", "mean_cosine_distance",
    "mean_iou", "mean_per_class_accuracy", "mean_relative_error", "mean_squared_error",
    "mean_tensor", "percentage_below", "precision", "precision_at_thresholds", "recall",
    "recall_at_thresholds", "root_mean_squared_error", "sensitivity_at_specificity",
    "specificity_at_sensitivity", "true_negatives", "true_negatives_at_thresholds",
    "true_positives", "true_positives_at_thresholds",
]
