"""TensorBoard's protocol buffers, imported on first use with a message saying what to install.

graphflow encodes nothing by hand: summaries, events and graphs are the `tensorboard` package's
own protos (`tensorboard.compat.proto`), so `import graphflow` works without it and the first
summary op or FileWriter says `pip install graphflow[summary]`.
"""

from __future__ import annotations

import importlib
import types

import numpy as np

INSTALL_HINT = "pip install graphflow[summary] (or pip install tensorboard pillow)"

_PROTOS = {"summary": "summary_pb2", "event": "event_pb2", "graph": "graph_pb2",
           "node_def": "node_def_pb2", "attr_value": "attr_value_pb2", "types": "types_pb2",
           "tensor_shape": "tensor_shape_pb2", "config": "config_pb2",
           "meta_graph": "meta_graph_pb2", "step_stats": "step_stats_pb2"}
_loaded: types.SimpleNamespace | None = None


def require(module: str, package: str, what: str = "graphflow.summary"):
    """`import module`, or an ImportError saying that `what` needs `package` and how to get it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(f"{what} needs the {package} package, which is not installed: "
                          f"{INSTALL_HINT}") from err


def protos() -> types.SimpleNamespace:
    """The proto modules by short name (`protos().summary` is `summary_pb2`), and
    `tensor_util`, tensorboard's NumPy -> TensorProto converter."""
    global _loaded
    if _loaded is None:
        found = {short: require(f"tensorboard.compat.proto.{name}", "tensorboard")
                 for short, name in _PROTOS.items()}
        found["tensor_util"] = require("tensorboard.util.tensor_util", "tensorboard")
        _loaded = types.SimpleNamespace(**found)
    return _loaded


def serialized(summary) -> np.ndarray:
    """A Summary proto as a summary op's value: a 0-d string (object) array of its bytes."""
    out = np.empty((), dtype=object)
    out[()] = summary.SerializeToString()
    return out


def as_bytes(value) -> bytes:
    """One element of a string tensor's value (bytes, str or a NumPy string) as bytes."""
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)
