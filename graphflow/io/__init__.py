"""Serialised graphs: a JSON form of a graph that round-trips without pickle."""

from graphflow.io.graph_json import (
    export_meta_graph,
    graph_to_json,
    import_graph_file,
    import_graph_json,
)

__all__ = ["export_meta_graph", "graph_to_json", "import_graph_file", "import_graph_json"]
