"""`graphflow.onnx`: export the inference part of a graph as an ONNX model.

Needs the optional `onnx` package (`pip install graphflow[onnx]`, which also brings onnxruntime
to run the models); graphflow itself imports without it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphflow.onnx.errors import ExportError, UnsupportedOpError

if TYPE_CHECKING:
    import onnx

    from graphflow.core.graph import Graph
    from graphflow.core.node import Tensor
    from graphflow.session import Session

    Tensors = Tensor | str | Sequence[Tensor | str]

INSTALL_HINT = ("graphflow.onnx.export needs the onnx package: pip install graphflow[onnx] "
                "(or pip install onnx onnxruntime)")


def export(graph_or_session: Graph | Session, inputs: Tensors, outputs: Tensors,
           path: str | os.PathLike | None = None, opset: int = 17) -> str | onnx.ModelProto:
    """Write the part of a graph that computes `outputs` from `inputs` as an ONNX model.

    Args:
        graph_or_session: a `Session` (its variables' current values are frozen into the model's
            initializers) or a `Graph` (then the outputs may only depend on constants).
        inputs: the placeholders (or any tensors) the model takes, one or a list; each becomes a
            graph input named like the tensor (`images`), with its static shape, where unknown
            (None) dimensions become symbolic ones (`images_dim0`).
        outputs: the tensors to compute, one or a list (tensors or names like `"Softmax:0"`);
            each keeps its name (`output/Softmax`, or `split:1` for a second output).
        path: where to write the `.onnx` file; None writes nothing and returns the model.
        opset: the ONNX opset version, 13 to the newest the installed onnx knows.

    Returns:
        `path` as a string, or the `onnx.ModelProto` when `path` is None.

    Raises:
        ImportError: onnx is not installed.
        UnsupportedOpError: an op without an ONNX converter (the error names its type, name and
            the line that built it, and lists the supported op types).
        ExportError: a needed placeholder is not among the inputs, a variable has no value, or
            a graph without a session reads variables.
    """
    try:
        import onnx  # noqa: F401
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    from graphflow.onnx.exporter import export as run_export

    return run_export(graph_or_session, inputs, outputs, path, opset)


def supported_op_types() -> list[str]:
    """The graphflow op types the exporter converts (needs onnx installed)."""
    try:
        import onnx  # noqa: F401
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    from graphflow.onnx.converters import supported_op_types as table_types

    return table_types()


__all__ = ["ExportError", "UnsupportedOpError", "export", "supported_op_types"]
