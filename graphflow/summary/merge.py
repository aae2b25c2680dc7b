"""`tf.summary.merge` and `merge_all`: the op `MergeSummary`, one Summary of all the values.

Each input is a string tensor of serialised Summary protos (of any shape); a tag seen twice is
an error, as in TF1, except the empty tag.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import string
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import dtype_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, graph_of, register, spec
from graphflow.summary.naming import clean_tag, collect
from graphflow.summary.protos import as_bytes, protos, serialized
from graphflow.summary.scalar import NO_EXAMPLES


@register("MergeSummary")
class MergeSummary(Op):
    """The union of the values of every Summary in its inputs, in input order."""

    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, *inputs):
        wrong = [t.dtype.name for t in inputs if not t.dtype.is_string]
        if wrong:
            raise dtype_rule(f"Tensors in list passed to 'inputs' of 'MergeSummary' Op have "
                             f"types {wrong} that do not match expected type string")
        return spec(string, [])

    def compute(self, *inputs):
        pb = protos().summary
        merged, tags = pb.Summary(), set()
        for value in inputs:
            for item in np.asarray(value, dtype=object).reshape(-1):
                one = pb.Summary()
                try:
                    one.ParseFromString(as_bytes(item))
                except Exception as err:  # protobuf's DecodeError, or bytes() refusing a value
                    raise ValueError("Could not parse one of the summary inputs") from err
                for v in one.value:
                    if v.tag and v.tag in tags:
                        raise ValueError(f"Duplicate tag {v.tag} found in summary inputs "
                                         "(give each summary its own name)")
                    tags.add(v.tag)
                merged.value.extend(one.value)
        return serialized(merged)


def merge(inputs, collections=None, name: str | None = None) -> Tensor:
    """TF1's `tf.summary.merge`: one serialised Summary of all the summaries in `inputs`.

    The node is `Merge/MergeSummary` (or `name/name`); it is added to `collections` if given.

    Args:
        inputs: A list of summary tensors (scalar strings), or one of them.
        collections: Graph collections to add the merged tensor to (default: none).
        name: The merged op's name.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> a = tf.summary.scalar("a", 1.0)
        >>> b = tf.summary.scalar("b", 2.0)
        >>> merged = tf.summary.merge([a, b])
        >>> with tf.Session() as sess:
        ...     print([v.tag for v in tf.Summary.FromString(sess.run(merged)).value])
        ['a', 'b']
    """
    protos()
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not inputs:
        raise argument_error("tf.summary.merge", "List argument 'inputs' to 'MergeSummary' Op "
                             "with length 0 shorter than minimum length 1", ValueError)
    name = clean_tag(name)
    with graph_of(inputs).name_scope(name or "Merge"):
        tensors = [convert_to_tensor(t) for t in inputs]
        merged = apply_op(MergeSummary(), tensors, name=name or "MergeSummary")
    return collect(merged, collections, default=())


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """TF1's `tf.summary.merge_all`: merge every summary in collection `key` (those whose
    names start with `scope`, when given); None when there are none.

    Args:
        key: The collection (default `GraphKeys.SUMMARIES`, where the summary ops add themselves).
        scope: Keep only summaries whose names start with this scope (a regex match).
        name: The merged op's name.

    Returns:
        A scalar string tensor of the merged Summary, or None when the collection is empty.

    Examples:
        >>> tf.summary.merge_all() is None
        True
        >>> with tf.name_scope("train"):
        ...     _ = tf.summary.scalar("loss", 0.5)
        >>> _ = tf.summary.scalar("lr", 0.1)
        >>> merged = tf.summary.merge_all(scope="train")
        >>> with tf.Session() as sess:
        ...     print([v.tag for v in tf.Summary.FromString(sess.run(merged)).value])
        ['train/loss']
    """
    found = get_default_graph().get_collection(key, scope=scope)
    if not found:
        return None
    return merge(found, name=name)
