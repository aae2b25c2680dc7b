"""Layers (and models) from `{"class_name", "config"}`: the engine's model classes (registered
here by their modules, so this module imports none of them), every other layer through
`graphflow.keras.layers.deserialize`, user classes through `custom_objects`."""

from __future__ import annotations

__all__ = ["deserialize_layer", "register_model_class", "serialize_layer"]

_MODEL_CLASSES: dict = {}


def register_model_class(name: str, cls) -> None:
    """Let configs name `cls` (`Model`, `Functional`, `Sequential`)."""
    _MODEL_CLASSES[name] = cls


def serialize_layer(layer) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize_layer(data: dict, custom_objects=None):
    """A new layer from `data`; models nest (`Sequential`, `Model`/`Functional`)."""
    from graphflow.keras.engine.input_layer import InputLayer

    name, config = data["class_name"], dict(data["config"])
    custom = dict(custom_objects or {})
    if name in custom:
        cls = custom[name]
        if name in _MODEL_CLASSES or hasattr(cls, "_init_graph_network"):
            return cls.from_config(config, custom_objects)
        return cls.from_config(config)
    if name == "InputLayer":
        config.pop("sparse", None)
        config.pop("ragged", None)
        return InputLayer(**config)
    if name in _MODEL_CLASSES:
        return _MODEL_CLASSES[name].from_config(config, custom_objects)
    from graphflow.keras import layers

    return layers.deserialize({"class_name": name, "config": config},
                              custom_objects=custom_objects)
