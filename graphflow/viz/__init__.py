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


# Above this many nodes the notebook picture collapses every top-level name scope.
REPR_FULL_UP_TO = 2000


def _graph_repr_svg(self: Graph) -> str | None:
    """Jupyter's rich display; None (plain repr) when `dot` is missing or drawing fails."""
    if not dot_available() or len(self) == 0:
        return None
    try:
        # Gradients, optimizer and initializers folded ("auto"); a huge graph as top-level boxes,
        # so that the notebook never waits minutes for graphviz.
        return to_svg(self, collapse_scopes="auto" if len(self) <= REPR_FULL_UP_TO else True)
    except Exception:  # noqa: BLE001 - a notebook display must never raise
        return None


def _install() -> None:
    Graph._repr_svg_ = _graph_repr_svg


_install()
