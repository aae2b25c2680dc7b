"""`tf.summary.scalar`: the op `ScalarSummary`, a Summary with one `simple_value` per element."""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import string
from graphflow.core.node import Tensor
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.registry import NoExamples, Op, register, spec
from graphflow.summary.naming import summary_op
from graphflow.summary.protos import as_bytes, protos, serialized

NO_EXAMPLES = NoExamples("its value is a serialised Summary proto (bytes), not an array to "
                         "compare; tested in tests/summary/")


def check_string(tensor, what: str, op: str) -> None:
    if not tensor.dtype.is_string:
        raise dtype_rule(f"{op} takes a string {what}, got {tensor.dtype.name}")


def check_real(tensor, what: str = "values") -> None:
    """TF1's summaries take real numbers only: not bool, not string."""
    if not tensor.dtype.is_numeric:
        raise dtype_rule(f"Value passed to parameter '{what}' has DataType "
                         f"{tensor.dtype.name} not in list of allowed values: float16, float32, "
                         "float64, int8, int16, int32, int64, uint8")


def bracketed(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


@register("ScalarSummary")
class ScalarSummary(Op):
    """A Summary holding `simple_value` = float(value) under each tag (tags and values have one
    shape: `tf.summary.scalar` passes one tag and a scalar)."""

    input_names = ("tags", "values")
    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, tags, values):
        check_string(tags, "tags", self.type)
        check_real(values)
        if tags.shape.is_fully_defined() and values.shape.is_fully_defined() and \
                tags.shape.as_list() != values.shape.as_list():
            raise shape_rule(f"tags and values are not the same shape: "
                             f"{bracketed(tags.shape.as_list())} != "
                             f"{bracketed(values.shape.as_list())} (tf.summary.scalar takes a "
                             "scalar; reduce the tensor first, e.g. with reduce_mean)")
        return spec(string, [])

    def compute(self, tags, values):
        tags, values = np.asarray(tags, dtype=object), np.asarray(values)
        if tags.shape != values.shape:
            tag = as_bytes(tags.reshape(-1)[0]).decode() if tags.size else ""
            raise ValueError(f"tags and values are not the same shape: {bracketed(tags.shape)} "
                             f"!= {bracketed(values.shape)} (tag '{tag}')")
        pb = protos().summary
        summary = pb.Summary()
        for tag, value in zip(tags.reshape(-1), values.reshape(-1)):
            summary.value.add(tag=as_bytes(tag).decode("utf-8"), simple_value=float(value))
        return serialized(summary)


def scalar(name: str, tensor, collections=None, family: str | None = None) -> Tensor:
    """TF1's `tf.summary.scalar`: a scalar string tensor, the serialised Summary of `tensor`.

    The node is named by the name scope (`train/loss`) and so is the tag; `family` prefixes
    the tag so that TensorBoard groups it. Added to `collections` (default `summaries`).

    Args:
        name: The summary's name; its node is named by the name scope (`train/loss`), and so
            is its tag.
        tensor: A real numeric scalar (e.g. the loss).
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).
        family: A prefix for the tag, so TensorBoard shows the summary in its own tab.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> with tf.name_scope("train"):
        ...     summary = tf.summary.scalar("loss", tf.constant(0.25))
        >>> summary.name
        'train/loss:0'
        >>> with tf.Session() as sess:
        ...     print(tf.Summary.FromString(sess.run(summary)))
        value {
          tag: "train/loss"
          simple_value: 0.25
        }
        <BLANKLINE>
    """
    return summary_op(ScalarSummary(), name, family, tensor, collections, tag_name="tags")
