"""TF1's summary naming: a summary's node name is its name scope, and its tag follows from it.

`tf.summary.scalar('loss', x)` under `name_scope('train')` is the node `train/loss` with the tag
`train/loss`; a second one is `train/loss_1`; with `family='fam'` the node is `train/fam/loss`
and the tag `fam/train/fam/loss` (the family first, so TensorBoard shows it as a tab). Names lose
characters a node name cannot have, as in TF1's `clean_tag`.
"""

from __future__ import annotations

import contextlib
import re

from graphflow.core.graph import GraphKeys
from graphflow.core.node import Tensor
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.registry import apply_op, graph_of
from graphflow.summary.protos import protos

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]")


def clean_tag(name: str | None) -> str | None:
    """`name` with characters other than letters, digits, `_-./` replaced by `_`, and leading
    slashes removed (TF1's rule; None stays None)."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", str(name)).lstrip("/")


@contextlib.contextmanager
def summary_scope(name: str, family: str | None = None, values=()):
    """`with summary_scope(name, family) as (tag, scope):` the scope the summary node takes
    exactly (`scope` ends in `/`) and its tag (TF1's `summary_op_util.summary_scope`)."""
    protos()  # fail here, at the user's line, when tensorboard is missing
    name, family = clean_tag(name), clean_tag(family)
    if not name:
        raise ValueError("a summary needs a non-empty name (it becomes its tag)")
    base = name if family is None else f"{family}/{name}"
    with graph_of(values).name_scope(base) as scope:
        tag = scope.rstrip("/")
        yield (tag if family is None else f"{family}/{tag}"), scope


def collect(value: Tensor, collections, default=(GraphKeys.SUMMARIES,)) -> Tensor:
    """Add a summary to `collections` (None: `default`), as TF1 does."""
    for key in (default if collections is None else collections):
        value.graph.add_to_collection(key, value)
    return value


def summary_op(op, name: str, family: str | None, tensor, collections, tag_name: str = "tag",
               extra=()) -> Tensor:
    """The usual summary node: `op` over a string constant holding the tag (named `tag_name`
    inside the summary's scope, as TF1 names it), the tensor, and `extra` constants; collected
    into `collections` (default SUMMARIES)."""
    with summary_scope(name, family, [tensor]) as (tag, scope):
        inputs = [constant(tag, name=tag_name), convert_to_tensor(tensor, name="values")]
        inputs += [convert_to_tensor(v, name=n) for n, v in extra]
        node = apply_op(op, inputs, name=scope)
    return collect(node, collections)
