"""`Print` (TF1's `tf.Print`): its first input passed through, printing `data` when it runs.

As in TF1 the line goes to stderr: `message` followed by each data tensor summarised to its
first `summarize` elements (default 3) in brackets, `x: [1 2 3...][[1 2][3...]...]` (see
print_format). `first_n` limits how many runs print; graphflow counts them per node (TF1 per
kernel instance, which is per Session).
"""

from __future__ import annotations

import sys

import numpy as np

from graphflow.core.node import Tensor
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.print_format import summarize_v1
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec

__all__ = ["Print"]


@register("Print")
class PrintOp(Op):
    """Returns `input`; prints `message` and the summarised data tensors to stderr when run."""

    attrs = {"message": "", "first_n": -1, "summarize": 3}
    input_names = ("input",)
    stateful = True  # it has an effect, so it is never folded, merged or skipped
    examples = NoExamples("its output is its input and its effect is a printed line; "
                          "tested in tests/compat/test_print.py")

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self._runs = 0

    def infer(self, x, *data):
        return spec(x.dtype, x.shape)

    def compute(self, x, *data):
        self._runs += 1
        if self.first_n is None or self.first_n < 0 or self._runs <= self.first_n:
            parts = [summarize_v1(d, self.summarize) for d in data]
            print((self.message or "") + "".join(parts), file=sys.stderr)
        return np.array(x, copy=True)

    def gradient(self, node, dy):
        return [dy] + [None] * (len(node.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None,  # noqa: N802 - TF1's name
          name: str | None = None) -> Tensor:
    """TF1's `tf.Print`: an identity of `input_` that prints `data` each time it runs.

    It prints to standard error (as TF1 does), `message` then each of `data`; use the returned
    tensor in place of `input_` so the print runs.

    Args:
        input_: The tensor to pass through.
        data: A list of tensors to print.
        message: Text printed before the values.
        first_n: Print only the first n runs (None or negative: every run).
        summarize: How many entries of each tensor to print (default 3).
        name: A name for the op.

    Returns:
        A Tensor with input_'s value.

    Examples:
        >>> x = tf.constant([1., 2.])
        >>> x = tf.Print(x, [tf.reduce_sum(x)], message="sum: ")
        >>> with tf.Session() as sess:
        ...     print(sess.run(x))
        [1. 2.]
    """
    x = convert_to_tensor(input_)
    data = [convert_to_tensor(d) for d in (data or [])]
    op = PrintOp(message=message or "", first_n=-1 if first_n is None else int(first_n),
                 summarize=3 if summarize is None else int(summarize))
    return apply_op(op, [x, *data], name=name)
