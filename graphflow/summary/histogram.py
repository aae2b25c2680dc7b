"""`tf.summary.histogram`: the op `HistogramSummary`, with TF1's exponential bucket layout.

TF1 (tensorflow/core/lib/histogram) counts values into fixed buckets whose right edges are
+-1e-12 * 1.1**k up to 1e20, 0, and +-DBL_MAX; a value goes to the first bucket whose edge is
greater than it. The proto keeps the non-empty buckets and collapses each run of empty ones into
one, whose edge is the run's last. min, max, num, sum and sum_squares are over the values as
doubles, summed in order as TF1 does.
"""

from __future__ import annotations

import functools
import sys

import numpy as np

from graphflow.core.dtypes import string
from graphflow.core.node import Tensor
from graphflow.errors import shape_rule
from graphflow.ops.registry import Op, register, spec
from graphflow.summary.naming import summary_op
from graphflow.summary.protos import as_bytes, protos, serialized
from graphflow.summary.scalar import NO_EXAMPLES, check_real, check_string

DBL_MAX = sys.float_info.max


@functools.cache
def bucket_limits() -> np.ndarray:
    """TF1's default bucket edges (1551 of them), computed as TF1 computes them."""
    positive, v = [], 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(DBL_MAX)
    limits = np.array([-x for x in reversed(positive)] + [0.0] + positive)
    limits.flags.writeable = False
    return limits


def histogram_proto(values: np.ndarray):
    """The HistogramProto of `values` (any shape, finite), as TF1's Histogram::EncodeToProto."""
    pb = protos().summary
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    limits = bucket_limits()
    counts = np.bincount(np.minimum(np.searchsorted(limits, x, side="right"), len(limits) - 1),
                         minlength=len(limits)).astype(np.float64)
    histo = pb.HistogramProto(
        min=float(x.min()) if x.size else DBL_MAX, max=float(x.max()) if x.size else -DBL_MAX,
        num=float(x.size), sum=float(np.cumsum(x)[-1]) if x.size else 0.0,
        sum_squares=float(np.cumsum(x * x)[-1]) if x.size else 0.0)
    edges, kept = [], []
    i = 0
    while i < len(counts):
        end, count = limits[i], counts[i]
        i += 1
        if count <= 0:  # a run of empty buckets becomes one, ending where the run ends
            while i < len(counts) and counts[i] <= 0:
                end, count = limits[i], counts[i]
                i += 1
        edges.append(float(end))
        kept.append(float(count))
    histo.bucket_limit.extend(edges)
    histo.bucket.extend(kept)
    return histo


@register("HistogramSummary")
class HistogramSummary(Op):
    """A Summary with one HistogramProto of all of `values` under `tag`."""

    input_names = ("tag", "values")
    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, tag, values):
        check_string(tag, "tag", self.type)
        check_real(values)
        if tag.shape.rank not in (None, 0):
            raise shape_rule(f"tags must be scalar, got a tag of shape {tag.shape}")
        return spec(string, [])

    def compute(self, tag, values):
        name = as_bytes(tag).decode("utf-8")
        values = np.asarray(values)
        if values.size and not np.isfinite(values).all():
            raise ValueError(f"Nan in summary histogram for: {name} (the values hold NaN or "
                             "infinity)")
        summary = protos().summary.Summary()
        summary.value.add(tag=name, histo=histogram_proto(values))
        return serialized(summary)


def histogram(name: str, values, collections=None, family: str | None = None) -> Tensor:
    """TF1's `tf.summary.histogram`: the serialised Summary of a histogram of `values`.

    For watching weights and activations change during training (TensorBoard's Histograms
    and Distributions tabs).

    Args:
        name: The summary's name; its node is named by the name scope (`train/loss`), and so
            is its tag.
        values: A real numeric tensor of any shape.
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).
        family: A prefix for the tag, so TensorBoard shows the summary in its own tab.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> summary = tf.summary.histogram("weights", tf.constant([1.0, 2.0, 2.0, 3.0]))
        >>> with tf.Session() as sess:
        ...     histo = tf.Summary.FromString(sess.run(summary)).value[0].histo
        >>> histo.num, histo.min, histo.max, histo.sum
        (4.0, 1.0, 3.0, 8.0)
    """
    return summary_op(HistogramSummary(), name, family, values, collections)
