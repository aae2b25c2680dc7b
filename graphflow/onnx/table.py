"""The converter table: graphflow op type -> a function writing the op as ONNX nodes.

A converter is `fn(b, node, ins) -> list[str]`: `b` is the ModelBuilder, `node` the graphflow
Operation, `ins` the ONNX value names of its inputs; it returns one ONNX name per output of the
node (usually `b.outputs(node)`, the names the node's tensors keep in the model).

The converter modules (`convert_*.py`) register into this table with `@converts`; this module
imports none of them. `converters.py` imports them all and answers lookups on the filled table.
"""

from __future__ import annotations

from collections.abc import Callable

Converter = Callable[..., list]

_CONVERTERS: dict[str, Converter] = {}

# Not converted but accepted: what the graph walk turns into graph inputs or walks through.
INPUT_ONLY = ("Placeholder",)


def converts(*op_types: str):
    """Decorator registering one converter for each of `op_types`."""

    def deco(fn: Converter) -> Converter:
        for op_type in op_types:
            if op_type in _CONVERTERS:
                raise ValueError(f"an ONNX converter for {op_type!r} is already registered")
            _CONVERTERS[op_type] = fn
        return fn

    return deco


def registered(op_type: str) -> Converter | None:
    """The converter registered for `op_type`, or None."""
    return _CONVERTERS.get(op_type)


def registered_op_types() -> list[str]:
    """The op types with a registered converter, sorted."""
    return sorted(_CONVERTERS)
