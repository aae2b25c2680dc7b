"""ModelBuilder: the ONNX nodes and initializers being written, and the helpers converters share.

Names: a graphflow tensor keeps its name in the model (`hidden/MatMul` for output 0 of the node,
`split:1` for the others); values a converter adds between them get fresh names derived from the
node's (`conv1/Conv2D__nchw`). Opset differences (axes as attribute or input) live here so that
converters do not repeat them.
"""

from __future__ import annotations

import numpy as np
from onnx import helper, numpy_helper

from graphflow.onnx.errors import ExportError

MIN_OPSET = 13  # Softmax with per-axis semantics, Squeeze/Unsqueeze/ReduceSum axes as inputs
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


def tensor_name(t) -> str:
    """The name a graphflow tensor has in the exported model."""
    return t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}"


def onnx_dtype(dtype, what: str) -> int:
    """The TensorProto element type of a graphflow dtype; ExportError for strings."""
    if dtype.is_string:
        raise ExportError(f"ONNX export cannot write the string tensor {what}")
    return int(helper.np_dtype_to_tensor_dtype(dtype.np))


class ModelBuilder:
    """Accumulates the ONNX graph's nodes and initializers for one export."""

    def __init__(self, opset: int, reserved_names):
        self.opset = opset
        self.nodes: list = []
        self.initializers: list = []
        self._constants: dict[str, np.ndarray] = {}
        self._used: set[str] = set(reserved_names)
        self._prefix = "graphflow"
        self.variables: dict = {}  # VariableV2 node -> frozen value (filled by the driver)
        self.nchw: dict[str, str] = {}  # NHWC value -> its NCHW transpose (see layout.py)

    # --- names --------------------------------------------------------------------------------
    def begin(self, node) -> None:
        """Fresh names made while converting `node` start with its name."""
        self._prefix = node.name

    def outputs(self, node) -> list[str]:
        return [tensor_name(t) for t in node.outputs]

    def fresh(self, hint: str) -> str:
        base = f"{self._prefix}__{hint}"
        name, k = base, 1
        while name in self._used:
            name, k = f"{base}_{k}", k + 1
        self._used.add(name)
        return name

    # --- nodes and constants ------------------------------------------------------------------
    def add(self, op_type: str, inputs, output: str | None = None, hint: str | None = None,
            n_outputs: int = 1, **attrs):
        """Append an ONNX node; returns its output name (or names when n_outputs > 1)."""
        if n_outputs == 1:
            outs = [output or self.fresh(hint or op_type.lower())]
        else:
            outs = [self.fresh(f"{hint or op_type.lower()}_{i}") for i in range(n_outputs)]
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(helper.make_node(op_type, list(inputs), outs,
                                           name=self.fresh(f"{op_type}_node"), **attrs))
        return outs[0] if n_outputs == 1 else outs

    def initializer(self, value, name: str | None = None, hint: str = "const") -> str:
        """Store `value` (a NumPy array) as an initializer; returns its name."""
        array = np.asarray(value)
        if array.dtype.kind in "OSU":
            raise ExportError(f"ONNX export cannot store the string constant {name or hint}")
        if name is None:
            name = self.fresh(hint)
        else:
            self._used.add(name)
        self.initializers.append(numpy_helper.from_array(np.asarray(array, order="C"), name))
        self._constants[name] = array
        return name

    def ints(self, values, hint: str = "ints") -> str:
        """A 1-D int64 constant (shapes, axes, pads given as inputs)."""
        return self.initializer(np.asarray(list(values), dtype=np.int64), hint=hint)

    def scalar(self, value, np_dtype, hint: str = "scalar") -> str:
        return self.initializer(np.asarray(value, dtype=np_dtype), hint=hint)

    def constant_value(self, name: str):
        """The NumPy value behind `name` when it is an initializer, else None."""
        return self._constants.get(name)

    def prune(self, outputs) -> None:
        """Drop the nodes and initializers no output needs (e.g. a kernel stored again as OIHW)."""
        needed = set(outputs)
        kept = []
        for node in reversed(self.nodes):
            if needed.intersection(node.output):
                kept.append(node)
                needed.update(node.input)
        self.nodes = kept[::-1]
        self.initializers = [t for t in self.initializers if t.name in needed]

    # --- helpers whose ONNX form depends on the opset -----------------------------------------
    def transpose(self, x: str, perm, output: str | None = None, hint: str = "transposed") -> str:
        """Transpose(x, perm); a constant is transposed now and stored instead."""
        value = self.constant_value(x)
        if value is not None and output is None:
            return self.initializer(np.transpose(value, perm), hint=hint)
        return self.add("Transpose", [x], output, hint, perm=[int(p) for p in perm])

    def unsqueeze(self, x: str, axes, output: str | None = None) -> str:
        return self.add("Unsqueeze", [x, self.ints(axes, "axes")], output, "unsqueezed")

    def squeeze(self, x: str, axes=None, output: str | None = None) -> str:
        ins = [x] if not axes else [x, self.ints(axes, "axes")]
        return self.add("Squeeze", ins, output, "squeezed")

    def reduce(self, op_type: str, x: str, axes, keepdims: bool,
               output: str | None = None) -> str:
        """Reduce over `axes` (None: all of them); axes are an input from opset 18 (13 for Sum)."""
        if axes is not None and len(axes) == 0:  # TF reduces nothing; ONNX would reduce all
            return self.add("Identity", [x], output)
        keep = int(bool(keepdims))
        as_input = op_type == "ReduceSum" or self.opset >= 18
        if axes is None:
            return self.add(op_type, [x], output, keepdims=keep)
        if as_input:
            return self.add(op_type, [x, self.ints(axes, "axes")], output, keepdims=keep)
        return self.add(op_type, [x], output, keepdims=keep, axes=[int(a) for a in axes])

    def cast(self, x: str, np_dtype, output: str | None = None) -> str:
        return self.add("Cast", [x], output, "cast",
                        to=int(helper.np_dtype_to_tensor_dtype(np.dtype(np_dtype))))


def value_info(name: str, dtype, shape, symbol=None):
    """A graph input/output declaration; None dims are symbolic (`symbol(i)`) or left unknown."""
    elem = onnx_dtype(dtype, repr(name))
    if shape.dims is None:
        return helper.make_tensor_value_info(name, elem, None)
    dims = [d if d is not None else (symbol(i) if symbol else None)
            for i, d in enumerate(shape.dims)]
    return helper.make_tensor_value_info(name, elem, dims)


__all__ = ["INT64_MAX", "INT64_MIN", "MIN_OPSET", "ModelBuilder", "onnx_dtype", "tensor_name",
           "value_info"]
