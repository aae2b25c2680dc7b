"""MatMulUpdate: `var -= scale * (a @ b)` (or `+=`) as one node, made by the compiler's
fuse_matmul_updates pass.

The SGD step of a dense layer's weights is a matrix product, a multiply by the learning rate and a
subtract: a product written to a temporary the size of the weights, then one more pass over it.
BLAS computes `C = alpha * A @ B + beta * C` in one call, so with beta = 1 and alpha = -scale the
product accumulates straight into the variable's storage: no temporary and no extra pass.
`update` is the original AssignSub or AssignAdd; the reference computes exactly what the three
ops did (the product, the scaling, then the update with its checks).
"""

from __future__ import annotations

import numpy as np

from graphflow.ops.matmul import MatMul
from graphflow.ops.registry import NoExamples, Op, register


@register("MatMulUpdate")
class MatMulUpdate(Op):
    takes_context = True
    stateful = True
    input_names = ("scale", "a", "b")
    attrs = {"transpose_a": False, "transpose_b": False, "scale_first": True, "members": (),
             "update": None, "key": None}
    examples = NoExamples("built only by the compiler's fuse_matmul_updates pass; tested by "
                          "tests/compiler/test_matmul_updates.py")

    def __init__(self, **attrs):
        super().__init__(**attrs)
        if self.attrs["update"] is not None:  # the variable it updates, as passes look it up
            self.attrs["key"] = self.attrs["update"].key

    @property
    def sign(self) -> int:
        """+1 when the product is added to the variable, -1 when it is subtracted."""
        return -1 if self.update.update_combine == "Sub" else 1

    def product_op(self) -> MatMul:
        return MatMul(transpose_a=self.transpose_a, transpose_b=self.transpose_b)

    def infer(self, scale, a, b):
        return self.update.infer(self.product_op().infer(a, b))

    def compute(self, ctx, scale, a, b):
        """The reference: the product, the scaling, then the original update."""
        product = self.product_op().compute(a, b)
        value = np.multiply(scale, product) if self.scale_first else np.multiply(product, scale)
        return self.update.compute(ctx, np.asarray(value, dtype=product.dtype))

    def describe_program(self) -> str:
        a = "transpose(a)" if self.transpose_a else "a"
        b = "transpose(b)" if self.transpose_b else "b"
        return f"scale * matmul({a}, {b}); then {self.update.type}"


__all__ = ["MatMulUpdate"]
