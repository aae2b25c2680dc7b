"""Pictures of graphs: `to_dot` (DOT text), `render` (SVG/PNG/PDF with graphviz's `dot`).

Importing this module (which `import graphflow` does) gives `Graph` a `_repr_svg_`, so a graph
displays itself in Jupyter when graphviz's `dot` is installed.
"""

from __future__ import annotations

from graphflow.core.graph import Graph
from graphflow.viz.dot import to_dot
from graphflow.viz.plan_view import fused_members
from graphflow.viz.render import (
    GraphvizNotFoundError,
    dot_available,
    dot_binary,
    render,
    to_svg,
)

__all__ = ["GraphvizNotFoundError", "dot_available", "dot_binary", "fused_members", "render",
           "to_dot", "to_svg"]

# Above this many nodes the notebook picture collapses top-level name scopes (gradients and
# optimizer updates would otherwise drown the model).
REPR_COLLAPSE_ABOVE = 150


def _graph_repr_svg(self: Graph) -> str | None:
    """Jupyter's rich display; None (plain repr) when `dot` is missing or drawing fails."""
    if not dot_available() or len(self) == 0:
        return None
    try:
        return to_svg(self, collapse_scopes=len(self) > REPR_COLLAPSE_ABOVE)
    except Exception:  # noqa: BLE001 - a notebook display must never raise
        return None


def _install() -> None:
    Graph._repr_svg_ = _graph_repr_svg


_install()
