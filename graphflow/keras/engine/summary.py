"""`model.summary()`: the table tf-keras prints, line for line.

A model whose graph is a chain (a Sequential, a subclassed model, or a functional model with one
single-input node per depth and no shared layer) gets three columns in 65 characters; any other
functional model gets a fourth, "Connected to" (`layer[node][tensor]` of each input), in 98.
Cells too long for their column continue on the next line, broken after "),", "},", "]," or
"',". The footer counts the parameters and their bytes as tf-keras 2.x does
("Total params: 67 (268.00 Byte)"; TF 1.x printed "Total params: 67").
"""

from __future__ import annotations

import numpy as np

from graphflow import nest
from graphflow.keras.engine.base_layer import keras_history
from graphflow.keras.engine.input_layer import InputLayer

__all__ = ["count_params", "print_summary", "readable_size"]

_BREAKS = ("),", "},", "],", "',")


def count_params(weights) -> int:
    """Values in the distinct `weights`."""
    unique = {id(w): w for w in weights}.values()
    return int(sum(w.shape.num_elements() for w in unique))


def _bytes(weights) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(w.shape.num_elements() * np.dtype(w.dtype.as_numpy_dtype).itemsize
                   for w in unique))


def readable_size(size: float) -> str:
    """Bytes as tf-keras writes them: `268.00 Byte`, `147.00 KB`, ..."""
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _is_chain(model) -> bool:
    if not getattr(model, "_is_graph_network", False) or type(model).__name__ == "Sequential":
        return True
    seen = set()
    for nodes in model._nodes_by_depth.values():
        if len(nodes) > 1:
            return False
        layer, index = nodes[0]
        if not isinstance(layer, InputLayer) and \
                len(nest.flatten(layer._inbound_nodes[index][0])) > 1:
            return False
        if id(layer) in seen:
            return False
        seen.add(id(layer))
    return True


def _output_shape(layer):
    if getattr(layer, "_is_graph_network", False):
        return layer.output_shape
    nodes = layer._inbound_nodes
    if not nodes:
        return "multiple"
    shapes = [[tuple(t.shape.as_list()) if t.shape.rank is not None else None
               for t in nest.flatten(node[1])] for node in nodes]
    if any(s != shapes[0] for s in shapes[1:]):
        return "multiple"
    if isinstance(layer, InputLayer):
        return shapes[0]
    return shapes[0][0] if len(shapes[0]) == 1 else shapes[0]


def _row(fields, positions, print_fn) -> None:
    left = [str(f) for f in fields]
    last = len(positions) - 1
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col > 0 else 0
            space = 2 if col != last else 0
            cutoff = positions[col] - start - space - (1 if col != last else 0)
            piece = text[:cutoff]
            ends = [piece.find(b) + len(b) for b in _BREAKS if piece.find(b) >= 0]
            if ends:
                cutoff = min(ends)
                piece = piece[:cutoff]
            if col == 0:
                line += " "
            line += piece + " " * space
            left[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        print_fn(line)


def _connections(model, layer) -> list:
    out = []
    for index, node in enumerate(layer._inbound_nodes):
        if (id(layer), index) not in model._network_nodes or isinstance(layer, InputLayer):
            continue
        for t in nest.flatten(node[0]):
            parent, parent_node, tensor_index = keras_history(t)
            out.append(f"{parent.name}[{parent_node}][{tensor_index}]")
    return out


def print_summary(model, line_length=None, positions=None, print_fn=None) -> None:
    """Print the summary of `model` through `print_fn` (default: print), one line per call."""
    print_fn = print_fn or print
    chain = _is_chain(model)
    if chain:
        line_length = line_length or 65
        positions = list(positions or [0.45, 0.85, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = list(positions or [0.3, 0.6, 0.70, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    _row(headers, positions, print_fn)
    print_fn("=" * line_length)
    for layer in model.layers:
        try:
            shape = _output_shape(layer)
        except AttributeError:
            shape = "multiple"
        if not layer.built and not getattr(layer, "_is_graph_network", False):
            params = "0 (unused)"
        else:
            params = layer.count_params()
        fields = [f"{layer.name} ({type(layer).__name__})", shape, params]
        if not chain:
            fields.append(_connections(model, layer))
        _row(fields, positions, print_fn)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    n_train, n_frozen = count_params(trainable), count_params(frozen)
    b_train, b_frozen = _bytes(trainable), _bytes(frozen)
    print_fn(f"Total params: {n_train + n_frozen} ({readable_size(b_train + b_frozen)})")
    print_fn(f"Trainable params: {n_train} ({readable_size(b_train)})")
    print_fn(f"Non-trainable params: {n_frozen} ({readable_size(b_frozen)})")
    print_fn("_" * line_length)
