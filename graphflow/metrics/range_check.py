"""`CheckRange`: its input unchanged, but the run fails when a value lies outside [low, high].

TF1's metrics assert that AUC predictions lie in [0, 1] and that confusion-matrix labels lie in
[0, num_classes); graphflow has no `Assert`, so this op is that one check. A value known while
building is checked at once, as TF1's static asserts do.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.errors import InvalidArgumentError
from graphflow.ops.array_util import constant_value
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec


def _violation(value, low, high) -> str | None:
    arr = np.asarray(value)
    bad = (arr < low) | (arr > high)
    if not bad.any():
        return None
    first = arr.reshape(-1)[int(np.argmax(bad.reshape(-1)))]
    return (f"{int(bad.sum())} of {arr.size} values lie outside [{low}, {high}] (the first "
            f"is {first!r}); values {np.array2string(arr.reshape(-1)[:6], separator=' ')}")


@register("CheckRange")
class CheckRange(Op):
    """Passes `x` through; raises InvalidArgumentError (naming `message`) if out of range."""

    attrs = {"low": 0.0, "high": 1.0, "message": ""}
    input_names = ("x",)
    stateful = True  # a check with an effect (the error): never folded away or merged
    examples = NoExamples("a pass-through whose behaviour is its error; tested in "
                          "tests/metrics/test_auc.py and tests/metrics/test_mean_iou.py")

    def infer(self, x):
        return spec(x.dtype, x.shape)

    def compute(self, x):
        problem = _violation(x, self.low, self.high)
        if problem:  # the run loop adds this op, its site and its input's producer
            raise ValueError(f"{self.message}: {problem}")
        return x

    def gradient(self, node, dy):
        return [dy]


def check_range(function: str, x, low, high, message: str):
    """`x`, checked to lie in [low, high] now if it is a constant, else when it runs."""
    known = constant_value(x)
    if known is not None:
        problem = _violation(known, low, high)
        if problem:
            raise argument_error(function, f"{message}: {problem}", InvalidArgumentError)
        return x
    return apply_op(CheckRange(low=low, high=high, message=message), [x], name="check_range")
