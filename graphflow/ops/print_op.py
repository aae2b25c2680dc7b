"""`Print` (TF1's `tf.Print`): its first input passed through, printing `data` when it runs.

As in TF1 the line goes to stderr: `message` followed by each data tensor summarised to its first
`summarize` elements (default 3) in brackets, `x: [1 2 3...][[1 2][3 4]]`. `first_n` limits
how many runs print; graphflow counts them per node (TF1 per kernel instance, which is per Session).
"""

from __future__ import annotations

import sys

import numpy as np

from graphflow.core.node import Tensor
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec

__all__ = ["Print"]


def _element(v) -> str:
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8", "replace")
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.6g}"
    return str(v.item() if isinstance(v, np.generic) else v)


def summarize(value, n) -> str:
    """`[...]` as TF1's Print writes one tensor: its first `n` elements (all when n < 0)."""
    value = np.asarray(value)
    if value.ndim == 0:
        return "[" + _element(value[()]) + "]"
    flat = value.reshape(-1)
    limit = flat.size if n is None or n < 0 else min(n, flat.size)
    out: list[str] = []
    index = [0]

    def one_dim(dim):  # a port of TF's PrintOneDim, separators and "..." included
        count = value.shape[dim]
        if dim == value.ndim - 1:
            for i in range(count):
                if index[0] >= limit:
                    out.append((" " if dim != 0 and i > 0 else "") + "...")
                    return
                out.append((" " if i > 0 else "") + _element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(count):
            opened = index[0] < limit
            if opened:
                out.append("[")
            one_dim(dim + 1)
            if index[0] < limit or opened:
                out.append("]")

    one_dim(0)
    return "[" + "".join(out) + "]"


@register("Print")
class PrintOp(Op):
    """Returns `input`; prints `message` and the summarised data tensors to stderr when run."""

    attrs = {"message": "", "first_n": -1, "summarize": 3}
    input_names = ("input",)
    stateful = True  # it has an effect, so it is never folded, merged or skipped
    examples = NoExamples("its output is its input and its effect is a printed line; "
                          "tested in tests/compat/test_print_assign.py")

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self._runs = 0

    def infer(self, x, *data):
        return spec(x.dtype, x.shape)

    def compute(self, x, *data):
        self._runs += 1
        if self.first_n is None or self.first_n < 0 or self._runs <= self.first_n:
            parts = [summarize(d, self.summarize) for d in data]
            print((self.message or "") + "".join(parts), file=sys.stderr)
        return np.array(x, copy=True)

    def gradient(self, node, dy):
        return [dy] + [None] * (len(node.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None,  # noqa: N802 - TF1's name
          name: str | None = None) -> Tensor:
    """TF1's `tf.Print`: an identity of `input_` that prints `data` each time it runs."""
    x = convert_to_tensor(input_)
    data = [convert_to_tensor(d) for d in (data or [])]
    op = PrintOp(message=message or "", first_n=-1 if first_n is None else int(first_n),
                 summarize=3 if summarize is None else int(summarize))
    return apply_op(op, [x, *data], name=name)
