"""FusedUpdate: a state update that absorbed the elementwise ops computing its value (made by the
compiler's fuse_updates pass).

An optimizer's `var.assign_sub(lr * grad)` is a multiply then a subtract, two passes over the
variable's size and a temporary the size of the variable. As one node the executor can compute
`var - lr * grad` in one pass, straight into the variable's storage. `program` and `results`
describe the absorbed ops as FusedElementwise does (ops/fused.py); `update` is the original update
op (AssignSub, AssignAdd), whose `update_combine` names the elementwise op that joins the
variable's value (one more input, after the program's) with the computed value.
"""

from __future__ import annotations

from graphflow.ops.fused import FusedElementwise
from graphflow.ops.registry import NoExamples, Op, register


@register("FusedUpdate")
class FusedUpdate(Op):
    takes_context = True
    stateful = True
    attrs = {"program": (), "results": (), "members": (), "update": None, "key": None}
    examples = NoExamples("built only by the compiler's fuse_updates pass; tested by "
                          "tests/compiler/test_fused_updates.py")

    def __init__(self, **attrs):
        super().__init__(**attrs)
        if self.attrs["update"] is not None:  # the variable it updates, as passes look it up
            self.attrs["key"] = self.attrs["update"].key

    def value_op(self) -> FusedElementwise:
        """The absorbed ops as one FusedElementwise (what the update's value was)."""
        op = self.__dict__.get("_value_op")
        if op is None:
            op = FusedElementwise(program=self.program, results=self.results,
                                  members=self.members)
            self.__dict__["_value_op"] = op
        return op

    def combined_program(self, nin: int) -> tuple:
        """The program with the update's combine as a last member: input `nin` (after the node's
        inputs) is the variable's value, the result its new value (for a one-pass kernel)."""
        last = self.results[0]
        return self.program + ((self.update.update_combine, {}, (nin, -(last + 1))),)

    def infer(self, *inputs):
        value = self.value_op().infer(*inputs)[0]
        return self.update.infer(value)

    def compute(self, ctx, *inputs):
        """The reference: the absorbed ops, then the original update (its checks and all)."""
        return self.update.compute(ctx, self.value_op().compute(*inputs))

    def describe_program(self) -> str:
        return f"{self.value_op().describe_program()}; then {self.update.type}"


__all__ = ["FusedUpdate"]
