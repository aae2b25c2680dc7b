"""TF1 control flow as functional graph ops: cond, case, while_loop, map_fn, scan, foldl, foldr.

Each builds an If or While node over sub-graphs traced from the user's functions
(graphflow/ops/function_graph.py); the compiler treats the node as one step and the executors
compile and run its sub-graphs (graphflow/executors/control_flow.py). Gradients are more If and
While nodes (gradients.py).
"""

from graphflow.control_flow import gradients as _gradients  # noqa: F401 - the ops' gradients
from graphflow.control_flow.cond import case, cond
from graphflow.control_flow.functional import foldl, foldr, map_fn, scan
from graphflow.control_flow.ops import If, Replay, While
from graphflow.control_flow.while_loop import while_loop

__all__ = ["If", "Replay", "While", "case", "cond", "foldl", "foldr", "map_fn", "scan",
           "while_loop"]
