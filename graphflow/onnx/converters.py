"""Every ONNX converter, registered: importing this module imports each `convert_*` module.

The converter modules register into `table.py` and never import this module, so the imports run
one way: converters -> convert_* -> table. The exporter looks converters up here.
"""

from __future__ import annotations

from graphflow.onnx import (  # noqa: F401 - each module registers its converters
    convert_array,
    convert_elementwise,
    convert_expand,
    convert_math,
    convert_nn,
    convert_sources,
)
from graphflow.onnx.errors import UnsupportedOpError
from graphflow.onnx.table import INPUT_ONLY, Converter, registered, registered_op_types


def supported_op_types() -> list[str]:
    """Every op type the exporter can write (Placeholder only as one of the `inputs`)."""
    return sorted([*registered_op_types(), *INPUT_ONLY])


def converter_for(node) -> Converter:
    """The converter of `node`'s op type; UnsupportedOpError naming the node otherwise."""
    fn = registered(node.type)
    if fn is None:
        raise UnsupportedOpError(
            f"ONNX export has no converter for {node.describe()}. Supported op types: "
            f"{', '.join(supported_op_types())}."
        )
    return fn
