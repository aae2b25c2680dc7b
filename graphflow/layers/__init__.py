"""`graphflow.layers`: TF1's `tf.layers` classes (`Dense`, `Conv2D`, ... on the `Layer` base) and
functions (each a class applied once), building variables with `get_variable` under variable
scopes (`dense/kernel`, `conv2d_1/bias`), so `reuse=` and `variable_scope` share them."""

from graphflow.compat.missing import module_getattr
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.conv import Conv1D, Conv2D, conv1d, conv2d
from graphflow.layers.conv_transpose import Conv2DTranspose, conv2d_transpose
from graphflow.layers.core import Dropout, Flatten, dropout, flatten
from graphflow.layers.dense import Dense, dense
from graphflow.layers.normalization import BatchNormalization, batch_normalization
from graphflow.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    MaxPooling1D,
    MaxPooling2D,
    average_pooling1d,
    average_pooling2d,
    max_pooling1d,
    max_pooling2d,
)

__all__ = ["AveragePooling1D", "AveragePooling2D", "BatchNormalization", "Conv1D", "Conv2D",
           "Conv2DTranspose", "Dense", "Dropout", "Flatten", "InputSpec", "Layer",
           "MaxPooling1D", "MaxPooling2D", "average_pooling1d", "average_pooling2d",
           "batch_normalization", "conv1d", "conv2d", "conv2d_transpose", "dense", "dropout",
           "flatten", "max_pooling1d", "max_pooling2d"]


__getattr__ = module_getattr(__name__, "tf.layers")  # a TF1 name graphflow lacks, or a typo
