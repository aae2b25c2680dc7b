"""FusedElementwise: a group of elementwise ops evaluated as one node (made by the compiler).

Its `program` lists the member ops in order, each as (op type, attributes, argument refs): a ref
i >= 0 is the fused node's input i, a ref -(j + 1) is member j's result. `results` names the
members whose values leave the group. The reference compute evaluates the members one by one; the
CPU executor evaluates them over cache-sized blocks without full-size temporaries.
"""

from __future__ import annotations

import numpy as np

from graphflow.ops.registry import NoExamples, Op, get_op, register, spec


class _Spec:
    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype, self.shape = dtype, shape


@register("FusedElementwise")
class FusedElementwise(Op):
    fresh_output = True
    attrs = {"program": (), "results": (), "members": ()}
    examples = NoExamples("built only by the compiler's fusion pass; tested by "
                          "tests/compiler/test_passes_preserve_meaning.py")

    def member_ops(self) -> list:
        ops = self.__dict__.get("_ops")
        if ops is None:
            ops = [get_op(t)(**attrs) for t, attrs, _ in self.program]
            self.__dict__["_ops"] = ops
        return ops

    def infer(self, *inputs):
        values = []
        for op, (_, _, refs) in zip(self.member_ops(), self.program):
            args = [inputs[r] if r >= 0 else values[-r - 1] for r in refs]
            out = op.infer(*args)
            values.append(_Spec(out.dtype, out.shape))
        return [spec(values[j].dtype, values[j].shape) for j in self.results]

    def compute(self, *inputs):
        values = []
        for op, (_, _, refs) in zip(self.member_ops(), self.program):
            values.append(op.compute(*[inputs[r] if r >= 0 else values[-r - 1] for r in refs]))
        outs = [np.asarray(values[j]) for j in self.results]
        return outs[0] if len(outs) == 1 else tuple(outs)

    def describe_program(self) -> str:
        lines = []
        for j, (t, _, refs) in enumerate(self.program):
            args = ", ".join(f"in{r}" if r >= 0 else f"t{-r - 1}" for r in refs)
            lines.append(f"t{j} = {t}({args})")
        return "; ".join(lines)
