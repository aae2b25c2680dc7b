"""`graphflow.keras`: Keras's models and layers, run by graphflow's compiler and executors.

Also reachable as `tf.keras` (`import graphflow as tf`, or through `graphflow.compat.v1`). Models
are graph-mode Keras 2 (tf.keras of TF 1.15): layers build ops in the default graph and a model
runs in the session of `keras.backend.get_session()`.
"""

from graphflow.keras import (  # noqa: F401
    activations,
    backend,
    callbacks,
    constraints,
    engine,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    preprocessing,
    regularizers,
    saving,
    utils,
)
from graphflow.keras.engine.input_layer import Input, InputLayer  # noqa: F401
from graphflow.keras.engine.training import bind_saving
from graphflow.keras.models import Model, Sequential  # noqa: F401

bind_saving(saving)  # saving is built on the engine, so the engine gets it from here

__all__ = ["Input", "InputLayer", "Model", "Sequential", "activations", "backend", "callbacks",
           "constraints", "initializers", "layers", "losses", "metrics", "models",
           "optimizers", "preprocessing", "regularizers", "saving", "utils"]
