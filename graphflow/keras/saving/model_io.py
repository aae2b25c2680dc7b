"""`save_model` / `load_model`: a whole model (architecture, weights, compile settings and
optimizer state) in one archive, rebuilt from its config on load."""

from __future__ import annotations

import os
import warnings

from graphflow.keras.saving.archive import ArchiveError, read_archive, write_archive
from graphflow.keras.saving.weights import model_weight_arrays, set_model_weights

__all__ = ["load_model", "model_from_config", "save_model"]

def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True,
               **kwargs) -> str:
    """Write `model` to `filepath` (any extension, `.h5` included: the file is our zip).

    Keeps the config (`model.get_config()`), the weights, what `compile` got, and, with
    `include_optimizer`, the optimizer's step counter and slots.
    """
    kwargs.pop("save_format", None)
    kwargs.pop("signatures", None)
    kwargs.pop("options", None)
    if kwargs:
        raise TypeError(f"save_model got unexpected arguments: {sorted(kwargs)}")
    from graphflow.keras.engine.functional import ModelConfigError

    try:
        config = model.get_config()
    except ModelConfigError as err:  # a subclassed model without get_config
        raise ValueError(f"save_model cannot write the architecture of {model.name!r}: "
                         f"{err}") from None
    members = {"model_config.json": {"class_name": type(model).__name__, "config": config},
               "weights.npz": model_weight_arrays(model)}
    compile_args = getattr(model, "compile_args", None)
    if getattr(model, "optimizer", None) is not None and compile_args:
        training = dict(compile_args)
        if training.get("optimizer_config") is None:
            warnings.warn(f"save_model: the optimizer of {model.name!r} "
                          f"({type(model.optimizer).__name__}) is a TF1 optimizer with no "
                          f"config; the loaded model will need compiling again.", stacklevel=2)
        else:
            members["training_config.json"] = training
            weights = list(getattr(model.optimizer, "weights", []) or [])
            if include_optimizer and weights:
                members["optimizer_weights.npz"] = _optimizer_arrays(model.optimizer)
    return write_archive(filepath, members, overwrite)


def _optimizer_arrays(optimizer) -> dict:
    values = optimizer.get_weights()
    names = [var.name.split(":")[0] for var in optimizer.weights]
    return {f"{i:05d}:{name}": value for i, (name, value) in enumerate(zip(names, values))}


def model_from_config(config: dict, custom_objects=None):
    """A new model built from `{"class_name", "config"}` (what `model_config.json` holds);
    user classes (models, layers, functions) come from `custom_objects` by name."""
    from graphflow.keras.engine.serialization import deserialize_layer

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"model_from_config takes {{'class_name': ..., 'config': ...}}, got "
                         f"{str(config)[:80]}")
    model = deserialize_layer({"class_name": config["class_name"],
                               "config": config.get("config") or {}}, custom_objects)
    if not hasattr(model, "_init_graph_network"):
        raise ValueError(f"model_from_config: {config['class_name']!r} is a layer, not a "
                         f"model (Sequential, Model or a subclass)")
    return model


def load_model(filepath, custom_objects=None, compile: bool = True, **kwargs):  # noqa: A002
    """The model saved at `filepath`, with its weights; compiled as it was (and with its
    optimizer state) unless `compile=False` or it was saved uncompiled.

    Keras's `options` and `safe_mode` are accepted: loading never runs code from the file (a
    Lambda's function is found by name in `custom_objects`), so it is always "safe".
    """
    kwargs.pop("options", None)
    kwargs.pop("safe_mode", None)
    if kwargs:
        raise TypeError(f"load_model got unexpected arguments: {sorted(kwargs)}")
    path = os.fspath(filepath)
    members = read_archive(path)
    if "model_config.json" not in members:
        raise ArchiveError(f"{path} holds no model_config.json: it is a weights file; build "
                           f"the model and call model.load_weights({path!r}).")
    try:
        model = model_from_config(members["model_config.json"], custom_objects)
    except (KeyError, TypeError) as err:
        raise ArchiveError(f"{path}: model_config.json does not describe a model this version "
                           f"can build ({type(err).__name__}: {err}).") from None
    set_model_weights(model, members.get("weights.npz", {}), path)
    training = members.get("training_config.json")
    if not compile:
        return model
    if training is None:
        warnings.warn(f"No training configuration found in {path}: the model was *not* "
                      f"compiled. Compile it manually.", stacklevel=2)
        return model
    _compile_from(model, training, custom_objects or {}, path)
    if "optimizer_weights.npz" in members:
        _restore_optimizer(model, members["optimizer_weights.npz"], path)
    return model


def _resolve(value, custom_objects: dict):
    if isinstance(value, str):
        return custom_objects.get(value, value)
    if isinstance(value, list):
        return [_resolve(v, custom_objects) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, custom_objects) for k, v in value.items()}
    return value


def _compile_from(model, training: dict, custom_objects: dict, path: str) -> None:
    from graphflow.keras import optimizers

    try:
        optimizer = optimizers.deserialize(training["optimizer_config"],
                                           custom_objects=custom_objects)
    except (KeyError, TypeError, ValueError) as err:
        raise ArchiveError(f"{path}: training_config.json has no usable optimizer_config "
                           f"({err}).") from None
    try:
        model.compile(optimizer=optimizer, loss=_resolve(training.get("loss"), custom_objects),
                      metrics=_resolve(training.get("metrics"), custom_objects),
                      loss_weights=training.get("loss_weights"),
                      sample_weight_mode=training.get("sample_weight_mode"),
                      weighted_metrics=_resolve(training.get("weighted_metrics"),
                                                custom_objects))
    except (ValueError, TypeError, KeyError) as err:
        raise ValueError(f"{path}: the model cannot be compiled as it was saved "
                         f"(loss={training.get('loss')!r}, metrics={training.get('metrics')!r})"
                         f": {err}. Pass your own functions by name in custom_objects, or "
                         f"load_model(..., compile=False) and compile it yourself.") from err


def _restore_optimizer(model, arrays: dict, path: str) -> None:
    """Build the training step (which makes the optimizer's slots), then set the saved state."""
    model._function("train")
    values = [arrays[key] for key in sorted(arrays)]
    try:
        model.optimizer.set_weights(values)
    except ValueError as err:
        warnings.warn(f"{path}: the optimizer state was not restored ({err}); training "
                      f"starts with a fresh optimizer.", stacklevel=3)
