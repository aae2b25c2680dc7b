"""`tf.print`: an op that prints Python values and tensors, formatted as TF prints them.

Unlike `tf.Print` it passes nothing through: the op is run (`sess.run(op)`, or a control
dependency) for its line. Python values are fixed when the op is built and kept in its text
template; tensors are formatted when it runs (see print_format), `summarize` entries at each
end of every dimension.
"""

from __future__ import annotations

import os
import sys

from graphflow.core.node import Tensor
from graphflow.ops.print_format import format_v2
from graphflow.ops.registry import NoExamples, Op, apply_op, register

__all__ = ["print"]

_STREAMS = ("stderr", "stdout")


@register("PrintV2")
class PrintV2(Op):
    """Writes template[0] + tensor 0 + template[1] + ... + `end` to its stream when run."""

    attrs = {"template": ("",), "summarize": 3, "end": "\n", "output_stream": "stderr"}
    stateful = True  # its effect is the point: never folded, merged or skipped
    examples = NoExamples("no outputs; its effect is a printed line; tested in "
                          "tests/compat/test_print.py")

    def infer(self, *tensors):
        if len(self.template) != len(tensors) + 1:
            raise ValueError(f"PrintV2: a template of {len(self.template)} pieces cannot hold "
                             f"{len(tensors)} tensors (it needs one more piece than tensors)")
        if not (self.output_stream in _STREAMS or str(self.output_stream).startswith("file://")):
            raise ValueError(f"PrintV2: unsupported output_stream {self.output_stream!r}")
        return []

    def compute(self, *values):
        pieces = [self.template[0]]
        for value, text in zip(values, self.template[1:]):
            pieces += [format_v2(value, self.summarize), text]
        line = "".join(pieces) + self.end
        if self.output_stream.startswith("file://"):
            with open(self.output_stream[len("file://"):], "a", encoding="utf-8") as f:
                f.write(line)
        else:
            stream = sys.stderr if self.output_stream == "stderr" else sys.stdout
            stream.write(line)
            stream.flush()
        return ()


def _stream_name(stream) -> str:
    if stream in (sys.stderr, sys.__stderr__):
        return "stderr"
    if stream in (sys.stdout, sys.__stdout__):
        return "stdout"
    if isinstance(stream, str) and stream.startswith("file://") and len(stream) > 7:
        return stream
    raise ValueError(f"print: unsupported output_stream {stream!r}; graphflow prints to "
                     "sys.stderr, sys.stdout or a 'file://PATH' (appended to)")


def _pieces(value, tensors: list) -> list:
    """`value` as text pieces with None where each of its tensors goes (Python's str() of the
    structure, tensors in place: `[1, <tensor>]`)."""
    if isinstance(value, Tensor):
        tensors.append(value)
        return [None]
    if isinstance(value, str):
        return [value]
    found: list = []
    marks: dict = {}

    def mark(x):
        if isinstance(x, Tensor):
            token = f"\0gf-tensor-{len(marks)}\0"
            marks[token] = x
            return token
        if isinstance(x, list):
            return [mark(v) for v in x]
        if isinstance(x, tuple) and not hasattr(x, "_fields"):
            return tuple(mark(v) for v in x)
        if isinstance(x, dict):
            return {k: mark(v) for k, v in x.items()}
        return x

    text = str(mark(value))
    for token, tensor in marks.items():
        head, _, text = text.partition(repr(token))
        found += [head, None]
        tensors.append(tensor)
    return found + [text]


def print(*inputs, **kwargs):  # noqa: A001 - TF's tf.print (this module prints with write)
    """TF's `tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end=os.linesep,
    name=None)`: the op that prints `inputs` (tensors, strings, Python structures holding
    tensors) separated by `sep`, then `end`, to `output_stream` each time it runs.

    Args:
        *inputs: What to print: tensors, strings, numbers, or lists and dicts holding them.
        **kwargs: TF's options: `output_stream` (sys.stderr, the default, or sys.stdout),
            `summarize` (entries shown per tensor edge, 3 by default), `sep`, `end`, `name`.

    Returns:
        An Operation; run it (or make other ops depend on it) to print.

    Examples:
        >>> import sys
        >>> show = tf.print("loss:", tf.constant([0.5, 0.25]), output_stream=sys.stdout)
        >>> with tf.Session() as sess:
        ...     sess.run(show)
        loss: [0.5 0.25]
    """
    options = {"output_stream": sys.stderr, "summarize": 3, "sep": " ", "end": os.linesep,
               "name": None}
    for key in kwargs:
        if key not in options:
            raise TypeError(f"print() got an unexpected keyword argument '{key}'")
    options.update(kwargs)
    tensors: list = []
    pieces: list = []
    for i, value in enumerate(inputs):
        if i:
            pieces.append(str(options["sep"]))
        pieces += _pieces(value, tensors)
    template, current = [], ""
    for piece in pieces:  # merge the literal text between tensors
        if piece is None:
            template.append(current)
            current = ""
        else:
            current += piece
    template.append(current)
    summarize = options["summarize"]
    op = PrintV2(template=tuple(template), end=str(options["end"]),
                 output_stream=_stream_name(options["output_stream"]),
                 summarize=3 if summarize is None else int(summarize))
    name = options["name"] or "PrintV2"
    if not tensors:
        from graphflow.core.graph import get_default_graph

        return get_default_graph().create_node(op, [], name=name)
    return apply_op(op, tensors, name=name)
