"""`graphflow.keras.saving`: models and weights in a zip of JSON and `.npz` (never pickle)."""

from graphflow.keras.saving.archive import ArchiveError
from graphflow.keras.saving.model_io import load_model, model_from_config, save_model
from graphflow.keras.saving.weights import load_weights, save_weights

__all__ = ["ArchiveError", "load_model", "model_from_config", "save_model", "load_weights",
           "save_weights"]
