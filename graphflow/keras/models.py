"""`keras.models`: the model classes, saving and loading whole models, and cloning."""

from __future__ import annotations

from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.engine.training import Model

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_config",
           "model_from_json", "save_model"]


def save_model(model, filepath, overwrite=True, include_optimizer=True, **kwargs):
    """Write `model` (config, weights, optimizer state) to one archive; see keras.saving."""
    from graphflow.keras import saving

    return saving.save_model(model, filepath, overwrite=overwrite,
                             include_optimizer=include_optimizer, **kwargs)


def load_model(filepath, custom_objects=None, compile=True, **kwargs):  # noqa: A002
    """The model saved at `filepath`, compiled again when it was compiled."""
    from graphflow.keras import saving

    return saving.load_model(filepath, custom_objects=custom_objects, compile=compile,
                             **kwargs)


def model_from_config(config, custom_objects=None):
    """A new model (new weights) from `{"class_name", "config"}`."""
    from graphflow.keras.engine.serialization import deserialize_layer

    return deserialize_layer(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    """A new model (new weights) from `Model.to_json()`'s text."""
    import json

    return model_from_config(json.loads(json_string), custom_objects)


def clone_model(model, input_tensors=None, clone_function=None):
    """A model with the same layers and connections but new, freshly initialised weights."""
    if clone_function is not None or input_tensors is not None:
        from graphflow.core.site import argument_error

        raise argument_error("clone_model", "only the default clone (input_tensors=None, "
                             "clone_function=None) is supported; rebuild the model with "
                             "from_config and call it on your tensors instead", TypeError)
    return model_from_config({"class_name": type(model).__name__ if type(model) in
                              (Model, Sequential) else "Model",
                              "config": model.get_config()})
