"""A model's weights as the `weights.npz` of an archive, and back: matched by layer order (or by
layer name), each layer's weights by their order, with errors that name the layer and shapes."""

from __future__ import annotations

import os
import warnings

from graphflow.keras.saving.archive import ArchiveError, read_archive, write_archive

__all__ = ["load_weights", "model_weight_arrays", "save_weights", "set_model_weights"]


def _layers_with_weights(model) -> list:
    return [layer for layer in model.layers if layer.weights]


def _short_name(layer, var) -> str:
    """`kernel` for `dense/kernel:0`: the variable's name below its layer's scope."""
    name = var.name.split(":")[0]
    try:
        prefix = f"{layer.scope_name}/"
    except (AttributeError, ValueError):  # a layer never built in a scope
        prefix = None
    if prefix and name.startswith(prefix):
        return name[len(prefix):]
    return name.split("/", 1)[-1]


def model_weight_arrays(model) -> dict:
    """{`<layer name>/<weight name>`: array}, layers in `model.layers` order."""
    from graphflow.keras import backend

    entries = []
    for layer in _layers_with_weights(model):
        if "/" in layer.name:  # the archive's keys are `<layer name>/<weight name>`
            raise ValueError(f"Cannot save the weights of layer {layer.name!r}: a layer name "
                             f"with '/' cannot be told from its weight names; rename it.")
        seen: set = set()
        for var in layer.weights:
            short = _short_name(layer, var)
            key, n = f"{layer.name}/{short}", 1
            while key in seen:  # two weights with one short name: keep both, in order
                key, n = f"{layer.name}/{short}_{n}", n + 1
            seen.add(key)
            entries.append((key, var))
    values = backend.batch_get_value([var for _, var in entries])
    return {key: value for (key, _), value in zip(entries, values)}


def _group(arrays: dict) -> list:
    """[(layer name, [(key, array), ...]), ...] in saved order."""
    groups: list = []
    for key, value in arrays.items():
        layer = key.split("/", 1)[0]
        if not groups or groups[-1][0] != layer:
            groups.append((layer, []))
        groups[-1][1].append((key, value))
    return groups


def _check_layer(path: str, index: int, layer, saved: list, skip_mismatch: bool) -> list:
    params = layer.weights
    if len(params) != len(saved):
        message = (f"{path}: layer #{index} (named {layer.name!r}) expects {len(params)} "
                   f"weight(s), but the saved weights have {len(saved)} "
                   f"({', '.join(k for k, _ in saved)}).")
        if skip_mismatch:
            warnings.warn(message + " Skipping it.", stacklevel=4)
            return []
        raise ValueError(message)
    pairs = []
    for var, (key, value) in zip(params, saved):
        expected = tuple(var.shape.as_list())
        if expected != tuple(value.shape):
            message = (f"{path}: shape mismatch in layer #{index} (named {layer.name!r}) for "
                       f"weight {var.name}: the model expects shape {expected}, the file has "
                       f"{key} with shape {tuple(value.shape)}.")
            if skip_mismatch:
                warnings.warn(message + " Skipping the layer.", stacklevel=4)
                return []
            raise ValueError(message)
        pairs.append((var, value))
    return pairs


def set_model_weights(model, arrays: dict, path: str, by_name: bool = False,
                      skip_mismatch: bool = False) -> None:
    """Assign the saved `arrays` (from weights.npz) to `model`'s layers."""
    from graphflow.keras import backend

    groups = _group(arrays)
    pairs = []
    if by_name:
        by_layer = {}
        for layer in model.layers:
            by_layer.setdefault(layer.name, []).append(layer)
        for index, (name, saved) in enumerate(groups):
            for layer in by_layer.get(name, []):
                pairs += _check_layer(path, index, layer, saved, skip_mismatch)
    else:
        layers = _layers_with_weights(model)
        if len(layers) != len(groups):
            raise ValueError(f"{path}: you are trying to load a weight file containing "
                             f"{len(groups)} layers with weights "
                             f"({', '.join(g for g, _ in groups)}) into a model with "
                             f"{len(layers)} ({', '.join(lay.name for lay in layers)}).")
        for index, (layer, (_, saved)) in enumerate(zip(layers, groups)):
            pairs += _check_layer(path, index, layer, saved, skip_mismatch)
    backend.batch_set_value(pairs)


def save_weights(model, filepath, overwrite: bool = True, **kwargs) -> str:
    """Write only the weights (an archive holding `weights.npz`)."""
    _ignore_format(kwargs, "save_weights")
    return write_archive(filepath, {"weights.npz": model_weight_arrays(model)}, overwrite)


def load_weights(model, filepath, by_name: bool = False, skip_mismatch: bool = False,
                 **kwargs) -> None:
    """Load weights saved by `save_weights` or `save` (from the archive's `weights.npz`)."""
    _ignore_format(kwargs, "load_weights")
    if skip_mismatch and not by_name:
        raise ValueError("load_weights: skip_mismatch=True needs by_name=True (as in Keras)")
    path = os.fspath(filepath)
    members = read_archive(path)
    if "weights.npz" not in members:
        raise ArchiveError(f"{path} holds no weights.npz: it is not a weights or model file.")
    set_model_weights(model, members["weights.npz"], path, by_name, skip_mismatch)


def _ignore_format(kwargs: dict, what: str) -> None:
    fmt = kwargs.pop("save_format", None)
    kwargs.pop("options", None)
    if fmt not in (None, "h5", "tf", "keras"):
        raise ValueError(f"{what}: unknown save_format {fmt!r}")
    if kwargs:
        raise TypeError(f"{what} got unexpected arguments: {sorted(kwargs)}")

