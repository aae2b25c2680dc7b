"""Elementwise ops: unary functions, broadcasting binary ops, activations, casts, selection.

TF1's and ONNX's broadcasting are both NumPy's, so binary ops map one to one.
"""

from __future__ import annotations

from graphflow.onnx.errors import unsupported
from graphflow.onnx.table import converts
from graphflow.ops.nn_activations import SELU_ALPHA, SELU_SCALE

UNARY = {"Neg": "Neg", "Abs": "Abs", "Sign": "Sign", "Exp": "Exp", "Log": "Log", "Sqrt": "Sqrt",
         "Reciprocal": "Reciprocal", "Sigmoid": "Sigmoid", "Tanh": "Tanh", "Relu": "Relu",
         "Floor": "Floor", "Ceil": "Ceil", "Round": "Round", "Softplus": "Softplus",
         "Softsign": "Softsign", "Elu": "Elu", "LogicalNot": "Not"}

BINARY = {"Add": "Add", "Sub": "Sub", "Mul": "Mul", "RealDiv": "Div", "Pow": "Pow",
          "Maximum": "Max", "Minimum": "Min", "Equal": "Equal", "Less": "Less",
          "LessEqual": "LessOrEqual", "Greater": "Greater", "GreaterEqual": "GreaterOrEqual",
          "LogicalAnd": "And", "LogicalOr": "Or", "LogicalXor": "Xor"}


def _dtype(node, i=0):
    return node.inputs[i].dtype.np


@converts(*UNARY)
def unary(b, node, ins):
    if node.type == "Relu" and not node.inputs[0].dtype.is_floating:
        zero = b.scalar(0, _dtype(node), "zero")
        return [b.add("Max", [ins[0], zero], b.outputs(node)[0])]
    return [b.add(UNARY[node.type], ins, b.outputs(node)[0])]


@converts(*BINARY)
def binary(b, node, ins):
    if node.type == "Pow" and not node.inputs[0].dtype.is_floating:
        raise unsupported(node, "integer Pow has no exact ONNX equivalent; cast to float first")
    return [b.add(BINARY[node.type], ins, b.outputs(node)[0])]


@converts("NotEqual")
def not_equal(b, node, ins):
    return [b.add("Not", [b.add("Equal", ins)], b.outputs(node)[0])]


@converts("Square")
def square(b, node, ins):
    return [b.add("Mul", [ins[0], ins[0]], b.outputs(node)[0])]


@converts("SquaredDifference")
def squared_difference(b, node, ins):
    diff = b.add("Sub", ins, hint="difference")
    return [b.add("Mul", [diff, diff], b.outputs(node)[0])]


@converts("Rsqrt")
def rsqrt(b, node, ins):
    return [b.add("Reciprocal", [b.add("Sqrt", ins)], b.outputs(node)[0])]


@converts("Relu6")
def relu6(b, node, ins):
    lo, hi = b.scalar(0, _dtype(node), "zero"), b.scalar(6, _dtype(node), "six")
    return [b.add("Clip", [ins[0], lo, hi], b.outputs(node)[0])]


@converts("LeakyRelu")
def leaky_relu(b, node, ins):
    return [b.add("LeakyRelu", ins, b.outputs(node)[0], alpha=float(node.get_attr("alpha")))]


@converts("Selu")
def selu(b, node, ins):
    return [b.add("Selu", ins, b.outputs(node)[0], alpha=SELU_ALPHA, gamma=SELU_SCALE)]


@converts("Cast")
def cast(b, node, ins):
    """ONNX casts float to int by truncation toward zero and to bool by `!= 0`, as TF1 does."""
    return [b.cast(ins[0], node.get_attr("dtype").np, b.outputs(node)[0])]


@converts("AddN")
def add_n(b, node, ins):
    return [b.add("Sum", ins, b.outputs(node)[0])]


@converts("SelectV2")
def select(b, node, ins):
    return [b.add("Where", ins, b.outputs(node)[0])]
