"""The graph IR: dtypes, shapes, graphs, operations, tensors and creation sites."""

from graphflow.core import dtypes
from graphflow.core.dtypes import DType, as_dtype
from graphflow.core.graph import Graph, GraphKeys, get_default_graph, reset_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import TensorShape, as_shape

__all__ = ["DType", "Graph", "GraphKeys", "Operation", "Tensor", "TensorShape", "as_dtype",
           "as_shape", "dtypes", "get_default_graph", "reset_default_graph"]
