"""Transfer: a value copied between devices (made by the compiler's placement pass)."""

from __future__ import annotations

import numpy as np

from graphflow.ops.registry import NoExamples, Op, register, spec


@register("Transfer")
class Transfer(Op):
    """The input's value on device `dst` (it lives on `src`); executors implement the copy."""

    fresh_output = True
    attrs = {"src": "host", "dst": "host"}
    input_names = ("x",)
    examples = NoExamples("inserted only by the placement pass; tested by "
                          "tests/executors/test_contract.py through the strict executor")

    def infer(self, x):
        return spec(x.dtype, x.shape)

    def compute(self, x):
        return np.array(x, copy=True)

    def gradient(self, node, dy):
        return [dy]
