"""`model_to_dot` / `plot_model`: a Keras model's layers as a graphviz drawing.

The DOT text is written here (one record node per layer: name and class, with input and output
shapes when `show_shapes`, edges from each layer call's inputs) and drawn by graphviz's `dot`
program through `graphflow.viz.render`, as graphflow's own graph pictures are; no Python
binding is needed.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphflow import nest
from graphflow.viz.dot import quote
from graphflow.viz.render import FORMATS, run_dot

__all__ = ["DotGraph", "model_to_dot", "plot_model"]


class DotGraph:
    """The DOT source of a model drawing; `create(format='svg')` draws it (pydot's spelling,
    so `SVG(model_to_dot(model).create(prog='dot', format='svg'))` works as with Keras)."""

    def __init__(self, source: str):
        self.source = source

    def to_string(self) -> str:
        return self.source

    def __str__(self) -> str:
        return self.source

    def create(self, prog: str = "dot", format: str = "png") -> bytes:  # noqa: A002
        if prog != "dot":
            raise ValueError(f"DotGraph.create draws with graphviz's `dot` only, got "
                             f"prog={prog!r}")
        return run_dot(self.source, FORMATS.get(format, format))

    def create_svg(self) -> bytes:
        return self.create(format="svg")

    def _repr_svg_(self) -> str:
        return self.create_svg().decode()

    def write(self, path, format: str = "raw") -> None:  # noqa: A002
        Path(path).write_bytes(self.source.encode() if format == "raw"
                               else self.create(format=format))


def _shape_text(shape) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    if shape is None:
        return "multiple"
    return str(tuple(shape))


def _record(text: str) -> str:
    """A shape or name as record-label text: the characters records treat as syntax escaped."""
    for ch in "{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _layer_shapes(layer) -> tuple[str, str]:
    from graphflow.keras.engine.input_layer import InputLayer

    try:
        out = layer.output_shape
    except AttributeError:
        out = None
    if isinstance(layer, InputLayer):
        return f"[{_shape_text(out)}]", f"[{_shape_text(out)}]"
    try:
        ins = layer.input_shape
    except AttributeError:
        ins = None
    return _shape_text(ins), _shape_text(out)


def _graph_layers(model) -> list:
    layers = getattr(model, "_layers", None)
    if not getattr(model, "_is_graph_network", False) or not layers:
        raise ValueError(f"model_to_dot: the model {model.name!r} is not built (no layers "
                         f"connected to inputs yet); call it on data or build it first.")
    return list(layers)


def _edges(model, layers: list) -> list:
    from graphflow.keras.engine.base_layer import keras_history

    nodes = getattr(model, "_network_nodes", None)
    edges = []
    for layer in layers:
        for index, (inputs, _, _) in enumerate(layer._inbound_nodes):
            if nodes is not None and (id(layer), index) not in nodes:
                continue
            for tensor in nest.flatten(inputs):
                history = keras_history(tensor)
                if history is not None and (history[0], layer) not in edges:
                    edges.append((history[0], layer))
    return edges


def _is_nested(layer) -> bool:
    return bool(getattr(layer, "_is_graph_network", False) and getattr(layer, "_layers", None))


class _Drawer:
    """Writes the nodes and edges of a model, nested models as clusters when `expand`."""

    def __init__(self, show_shapes, show_layer_names, show_dtype, expand):
        self.show_shapes, self.show_names = show_shapes, show_layer_names
        self.show_dtype, self.expand = show_dtype, expand
        self.lines: list = []
        self.count = 0

    def label(self, layer) -> str:
        name = _record(type(layer).__name__)
        if self.show_names:
            name = f"{_record(layer.name)}|{name}"
        if self.show_dtype:
            dtype = getattr(layer, "dtype", None)
            name += f"|{_record(str(getattr(dtype, 'name', dtype)))}"
        if not self.show_shapes:
            return name
        ins, outs = _layer_shapes(layer)
        return f"{{{name}}}|{{input:|output:}}|{{{{{_record(ins)}}}|{{{_record(outs)}}}}}"

    def model(self, model) -> tuple[list, list]:
        """Draw `model`'s layers; returns the node ids its inputs enter and its outputs leave."""
        from graphflow.keras.engine.base_layer import keras_history

        layers = _graph_layers(model)
        heads, tails = {}, {}
        for layer in layers:
            if self.expand and _is_nested(layer):
                self.lines.append(f"subgraph cluster_{self.count} {{")
                self.count += 1
                self.lines.append(f"label={quote(layer.name)};")
                heads[id(layer)], tails[id(layer)] = self.model(layer)
                self.lines.append("}")
                continue
            node = f"layer_{self.count}"
            self.count += 1
            heads[id(layer)] = tails[id(layer)] = [node]
            self.lines.append(f"{node} [label={quote(self.label(layer))}];")
        for parent, child in _edges(model, layers):
            for a in tails.get(id(parent), []):
                for b in heads.get(id(child), []):
                    self.lines.append(f"{a} -> {b};")
        ends_in = [n for t in model.inputs for n in heads.get(id(keras_history(t)[0]), [])]
        ends_out = [n for t in model.outputs for n in tails.get(id(keras_history(t)[0]), [])]
        return ends_in, ends_out


def model_to_dot(model, show_shapes: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", expand_nested: bool = False, dpi: int = 96,
                 show_dtype: bool = False) -> DotGraph:
    """The drawing of `model` as DOT (a DotGraph): one node per layer with Keras's labels;
    `expand_nested` draws the layers of a model used as a layer inside a box of its name."""
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"model_to_dot: rankdir must be 'TB', 'LR', 'BT' or 'RL', got "
                         f"{rankdir!r}")
    drawer = _Drawer(show_shapes, show_layer_names, show_dtype, expand_nested)
    drawer.model(model)
    lines = ["digraph G {", f"rankdir={rankdir};", "concentrate=true;", f"dpi={int(dpi)};",
             "node [shape=record];", *drawer.lines, "}"]
    return DotGraph("\n".join(lines) + "\n")


def plot_model(model, to_file="model.png", show_shapes: bool = False,
               show_layer_names: bool = True, rankdir: str = "TB", expand_nested: bool = False,
               dpi: int = 96, show_dtype: bool = False):
    """Draw `model` into `to_file` (format from its suffix: .png, .svg, .pdf, .dot, ...).

    Returns an IPython Image when IPython is present (so a notebook shows it), else the path.
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_layer_names=show_layer_names,
                       rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                       show_dtype=show_dtype)
    path = Path(os.fspath(to_file))
    suffix = path.suffix.lstrip(".").lower() or "png"
    if suffix not in FORMATS:
        raise ValueError(f"plot_model: cannot tell the picture format from {str(path)!r}; use "
                         f"one of {', '.join('.' + f for f in sorted(FORMATS))}")
    fmt = FORMATS[suffix]
    data = dot.source.encode() if fmt == "dot" else run_dot(dot.source, fmt)
    path.write_bytes(data)
    if fmt == "png":
        try:
            from IPython.display import Image
        except ImportError:
            return path
        return Image(filename=str(path))
    return path
