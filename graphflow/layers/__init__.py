"""`graphflow.layers`: TF1's `tf.layers` functions, building variables with `get_variable` under
variable scopes (`dense/kernel`, `conv2d_1/bias`), so `reuse=` and `variable_scope` share them."""

from graphflow.layers.conv import conv2d
from graphflow.layers.core import dropout, flatten
from graphflow.layers.dense import dense
from graphflow.layers.normalization import batch_normalization
from graphflow.layers.pooling import average_pooling2d, max_pooling2d

__all__ = ["average_pooling2d", "batch_normalization", "conv2d", "dense", "dropout", "flatten",
           "max_pooling2d"]
