"""`tf.summary.text` and `tf.summary.tensor_summary`: the op `TensorSummaryV2`.

Its Summary holds the whole tensor as a TensorProto (tensorboard's converter) with the
SummaryMetadata it was given serialised: `text` marks it for TensorBoard's text plugin.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import string
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import DTypeError, shape_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, register, spec
from graphflow.summary.naming import summary_op
from graphflow.summary.protos import as_bytes, protos, serialized
from graphflow.summary.scalar import NO_EXAMPLES, check_string

TEXT_PLUGIN = "text"


def tensor_proto(value: np.ndarray, is_string: bool):
    """`value` as a TensorProto; string tensors keep their bytes."""
    if is_string:
        flat = np.empty(value.size, dtype=object)
        flat[:] = [as_bytes(v) for v in value.reshape(-1)]
        value = flat.reshape(value.shape)
    return protos().tensor_util.make_tensor_proto(value)


@register("TensorSummaryV2")
class TensorSummaryV2(Op):
    """A Summary holding `tensor` under `tag` with the given serialised SummaryMetadata."""

    input_names = ("tag", "tensor", "serialized_summary_metadata")
    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, tag, tensor, metadata):
        check_string(tag, "tag", self.type)
        check_string(metadata, "serialized_summary_metadata", self.type)
        if tag.shape.rank not in (None, 0):
            raise shape_rule(f"the tag must be a scalar, got shape {tag.shape}")
        return spec(string, [])

    def compute(self, tag, tensor, metadata):
        pb = protos().summary
        tensor = np.asarray(tensor)
        is_string = tensor.dtype.kind in "OSU"
        summary = pb.Summary()
        value = summary.value.add(tag=as_bytes(tag).decode("utf-8"))
        value.metadata.ParseFromString(as_bytes(metadata))
        value.tensor.CopyFrom(tensor_proto(tensor, is_string))
        return serialized(summary)


def _metadata(plugin: str | None, summary_description, display_name, given=None) -> bytes:
    pb = protos().summary
    meta = pb.SummaryMetadata()
    if given is not None:
        meta.CopyFrom(given)
    if plugin is not None:
        meta.plugin_data.plugin_name = plugin
    if summary_description is not None:
        meta.summary_description = summary_description
    if display_name is not None:
        meta.display_name = display_name
    return meta.SerializeToString()


def tensor_summary(name: str, tensor, summary_description: str | None = None, collections=None,
                   summary_metadata=None, family: str | None = None,
                   display_name: str | None = None) -> Tensor:
    """TF1's `tf.summary.tensor_summary`: the whole tensor, serialised, under the tag `name`.

    Args:
        name: The summary's name; its node is named by the name scope (`train/loss`), and so
            is its tag.
        tensor: A tensor of any dtype and shape.
        summary_description: A description stored in the summary's metadata.
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).
        summary_metadata: A SummaryMetadata proto to start the metadata from.
        family: A prefix for the tag, so TensorBoard shows the summary in its own tab.
        display_name: The name TensorBoard shows, stored in the metadata.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> summary = tf.summary.tensor_summary("t", tf.constant([1, 2]))
        >>> with tf.Session() as sess:
        ...     value = tf.Summary.FromString(sess.run(summary)).value[0]
        >>> value.tag, value.tensor.dtype, len(value.tensor.tensor_content)
        ('t', 3, 8)
    """
    serialized_meta = _metadata(None, summary_description, display_name, summary_metadata)
    return summary_op(TensorSummaryV2(), name, family, tensor, collections,
                      extra=[("serialized_summary_metadata", serialized_meta)])


def text(name: str, tensor, collections=None) -> Tensor:
    """TF1's `tf.summary.text`: a string tensor, shown in TensorBoard's Text tab.

    Args:
        name: The summary's name (also its tag).
        tensor: A string tensor (Markdown is rendered); another dtype raises.
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> summary = tf.summary.text("note", tf.constant("lr **0.1**"))
        >>> with tf.Session() as sess:
        ...     value = tf.Summary.FromString(sess.run(summary)).value[0]
        >>> value.tag, value.metadata.plugin_data.plugin_name, value.tensor.string_val
        ('note', 'text', [b'lr **0.1**'])
    """
    tensor = convert_to_tensor(tensor)
    if not tensor.dtype.is_string:
        raise argument_error("tf.summary.text", f"Expected tensor {tensor.name} to have dtype "
                             f"string, got {tensor.dtype.name}", DTypeError)
    return summary_op(TensorSummaryV2(), name, None, tensor, collections,
                      extra=[("serialized_summary_metadata",
                              _metadata(TEXT_PLUGIN, None, None))])
