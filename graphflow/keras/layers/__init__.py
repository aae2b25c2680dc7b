"""`graphflow.keras.layers`: Keras's layers, and `serialize` / `deserialize` / `get` over the
classes this package exports (found by class name, so every Layer class imported here, K3's
recurrent ones included, is registered without a table to keep in step)."""

from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.engine.input_layer import Input, InputLayer
from graphflow.keras.layers.advanced_activations import ELU, LeakyReLU, PReLU, ReLU, Softmax
from graphflow.keras.layers.conv import Conv1D, Conv2D, Conv2DTranspose, ZeroPadding2D
from graphflow.keras.layers.core import (
    Activation,
    Dense,
    Dropout,
    Flatten,
    Lambda,
    Masking,
    Permute,
    RepeatVector,
    Reshape,
)
from graphflow.keras.layers.embeddings import Embedding
from graphflow.keras.layers.merge import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from graphflow.keras.layers.noise import (
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
)
from graphflow.keras.layers.normalization import BatchNormalization, LayerNormalization
from graphflow.keras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from graphflow.keras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from graphflow.keras.layers.recurrent_cells import (
    GRUCell,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
)
from graphflow.keras.layers.reshaping import (
    Cropping1D,
    Cropping2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
)
from graphflow.keras.layers.wrappers import Bidirectional, TimeDistributed

# Keras's aliases
Convolution2D, Convolution1D, Deconvolution2D = Conv2D, Conv1D, Conv2DTranspose
MaxPool2D, AvgPool2D, MaxPool1D, AvgPool1D = (MaxPooling2D, AveragePooling2D, MaxPooling1D,
                                              AveragePooling1D)
GlobalAvgPool2D, GlobalMaxPool2D = GlobalAveragePooling2D, GlobalMaxPooling2D

__all__ = [
    "GRU", "LSTM", "RNN", "SimpleRNN", "GRUCell", "LSTMCell", "SimpleRNNCell",
    "StackedRNNCells", "Bidirectional", "TimeDistributed",
    "Activation", "Add", "Average", "AveragePooling1D", "AveragePooling2D", "AvgPool1D",
    "AvgPool2D", "BatchNormalization", "Concatenate", "Conv1D", "Conv2D", "Conv2DTranspose",
    "Convolution1D", "Convolution2D", "Deconvolution2D", "Dense", "Dropout", "Embedding",
    "Flatten", "GlobalAvgPool2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Input", "InputLayer",
    "InputSpec", "Lambda", "Layer", "Masking", "MaxPool1D", "MaxPool2D", "MaxPooling1D",
    "MaxPooling2D",
    "Maximum", "Minimum", "Multiply", "Permute", "RepeatVector", "Reshape", "Subtract",
    "ZeroPadding2D", "add", "average", "concatenate", "deserialize", "get", "maximum", "minimum",
    "multiply", "serialize", "subtract",
    "Cropping1D", "Cropping2D", "ELU", "GaussianDropout", "GaussianNoise", "LayerNormalization",
    "LeakyReLU", "PReLU", "ReLU", "Softmax", "SpatialDropout1D", "SpatialDropout2D",
    "UpSampling1D", "UpSampling2D", "ZeroPadding1D",
]


def _registry() -> dict:
    """Class name -> Layer class for every layer class this module holds (read when asked, so
    classes imported above after this function was written count too)."""
    return {cls.__name__: cls for cls in globals().values()
            if isinstance(cls, type) and issubclass(cls, Layer)}


def serialize(layer) -> dict:
    """`{"class_name": "Dense", "config": layer.get_config()}`."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def get(class_name: str):
    """The layer class called `class_name`."""
    classes = _registry()
    if class_name not in classes:
        raise ValueError(f"Unknown layer: {class_name!r}. Known layers: "
                         f"{', '.join(sorted(classes))}; pass others in custom_objects")
    return classes[class_name]


def deserialize(config, custom_objects=None):
    """A new layer from `serialize`'s dict; `custom_objects` maps names to user classes (and
    functions, for Lambda layers and custom activations)."""
    import inspect

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A layer config must be a dict with 'class_name' and 'config', got "
                         f"{config!r}")
    name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = custom_objects.get(name) or get(name)
    layer_config = dict(config.get("config") or {})
    from_config = cls.from_config
    if "custom_objects" in inspect.signature(from_config).parameters:
        return from_config(layer_config, custom_objects=custom_objects)
    if custom_objects and "activation" in layer_config and \
            layer_config["activation"] in custom_objects:
        layer_config["activation"] = custom_objects[layer_config["activation"]]
    return from_config(layer_config)
