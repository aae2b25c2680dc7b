"""The errors ONNX export raises; each names the node (type, name, the line that built it)."""

from __future__ import annotations

from graphflow.errors import GraphflowError


class ExportError(GraphflowError, ValueError):
    """The graph, or the request, cannot be written as an ONNX model."""


class UnsupportedOpError(ExportError):
    """The graph needs an op type that has no ONNX converter (or a configuration of one)."""


def unsupported(node, why: str) -> UnsupportedOpError:
    """An error for a supported op type used in a way ONNX export cannot express."""
    return UnsupportedOpError(f"ONNX export cannot convert {node.describe()}: {why}")
