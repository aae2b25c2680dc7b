"""`max_pooling2d` and `average_pooling2d` over NHWC inputs; the stride defaults to nothing
(TF1 requires it), the padding to 'valid'."""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.layers.utils import channels_last, nn_function, padding_of, pair
from graphflow.ops.constant import convert_to_tensor


def _pool(op_name, default_name, inputs, pool_size, strides, padding, data_format, name):
    channels_last(data_format, default_name)
    inputs = convert_to_tensor(inputs)
    if inputs.shape.rank != 4:
        raise ValueError(f"`{default_name}` needs 4-D NHWC inputs, got {inputs.describe()}")
    ph, pw = pair(pool_size, "pool_size")
    sh, sw = pair(strides, "strides")
    fn = nn_function(op_name)
    with get_default_graph().name_scope(name or default_name):
        return fn(inputs, [1, ph, pw, 1], [1, sh, sw, 1], padding_of(padding))


def max_pooling2d(inputs, pool_size, strides, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None):
    """The maximum of each `pool_size` window, windows `strides` apart."""
    return _pool("max_pool", "max_pooling2d", inputs, pool_size, strides, padding, data_format,
                 name)


def average_pooling2d(inputs, pool_size, strides, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None):
    """The mean of each window; with 'same' padding the padded cells are not counted."""
    return _pool("avg_pool", "average_pooling2d", inputs, pool_size, strides, padding,
                 data_format, name)
