"""Matrix products, bias addition, softmax, reductions and arg-reductions."""

from __future__ import annotations

import numpy as np

from graphflow.onnx.errors import unsupported
from graphflow.onnx.table import converts

REDUCTIONS = {"Sum": "ReduceSum", "Mean": "ReduceMean", "Max": "ReduceMax", "Min": "ReduceMin",
              "Prod": "ReduceProd"}


@converts("MatMul")
def matmul(b, node, ins):
    """MatMul, or Gemm with transA/transB when an operand is transposed (constants are
    transposed at export instead)."""
    ta, tb = bool(node.get_attr("transpose_a")), bool(node.get_attr("transpose_b"))
    out = b.outputs(node)[0]
    a, w = ins
    if ta and b.constant_value(a) is not None:
        a, ta = b.transpose(a, (1, 0)), False
    if tb and b.constant_value(w) is not None:
        w, tb = b.transpose(w, (1, 0)), False
    if not (ta or tb):
        return [b.add("MatMul", [a, w], out)]
    if node.inputs[0].dtype.is_floating:
        return [b.add("Gemm", [a, w], out, transA=int(ta), transB=int(tb))]
    a = b.transpose(a, (1, 0)) if ta else a
    w = b.transpose(w, (1, 0)) if tb else w
    return [b.add("MatMul", [a, w], out)]


@converts("BatchMatMulV2")
def batch_matmul(b, node, ins):
    operands = []
    for t, name, adj in zip(node.inputs, ins, (node.get_attr("adj_x"), node.get_attr("adj_y")),
                            strict=True):
        if adj:
            rank = t.shape.rank
            if rank is None:
                raise unsupported(node, f"an adjoint operand of unknown rank ({t.describe()})")
            name = b.transpose(name, [*range(rank - 2), rank - 1, rank - 2])
        operands.append(name)
    return [b.add("MatMul", operands, b.outputs(node)[0])]


@converts("BiasAdd")
def bias_add(b, node, ins):
    """NHWC: the 1-D bias broadcasts along the last axis, which is plain broadcasting."""
    return [b.add("Add", ins, b.outputs(node)[0])]


@converts("Softmax", "LogSoftmax")
def softmax(b, node, ins):
    """From opset 13 ONNX normalises along `axis` alone, which is TF's meaning."""
    return [b.add(node.type, ins, b.outputs(node)[0], axis=int(node.get_attr("axis")))]


@converts(*REDUCTIONS)
def reduction(b, node, ins):
    x = node.inputs[0]
    if node.type == "Mean" and not x.dtype.is_floating:
        raise unsupported(node, f"the mean of integers ({x.dtype.name}) truncates toward zero in "
                                "TF1, which ONNX's ReduceMean does not promise; cast to float "
                                "first")
    axis = node.get_attr("axis")
    return [b.reduce(REDUCTIONS[node.type], ins[0], axis, node.get_attr("keepdims"),
                     b.outputs(node)[0])]


@converts("Any", "All")
def logical_reduction(b, node, ins):
    """any/all as the max/min of the values cast to int32 (ONNX reduces no bools)."""
    as_int = b.cast(ins[0], np.int32)
    op_type = "ReduceMax" if node.type == "Any" else "ReduceMin"
    reduced = b.reduce(op_type, as_int, node.get_attr("axis"), node.get_attr("keepdims"))
    return [b.cast(reduced, np.bool_, b.outputs(node)[0])]


@converts("ArgMax", "ArgMin")
def arg_reduction(b, node, ins):
    """ONNX returns int64 and the first index on ties, as TF1 does; int32 is cast."""
    out = b.outputs(node)[0]
    want = node.get_attr("output_type").np
    index = b.add(node.type, ins, out if want == np.int64 else None,
                  axis=int(node.get_attr("axis")), keepdims=0, select_last_index=0)
    return [index if want == np.int64 else b.cast(index, want, out)]
