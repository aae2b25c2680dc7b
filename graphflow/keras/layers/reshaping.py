"""Keras's layers that pad, crop or repeat along the spatial axes (channels last):
ZeroPadding1D, Cropping1D, Cropping2D, UpSampling1D, UpSampling2D (nearest neighbour)."""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.layers.args import channels_last_only, int_tuple

__all__ = ["Cropping1D", "Cropping2D", "UpSampling1D", "UpSampling2D", "ZeroPadding1D"]


def _pairs(value, n: int, what: str, where: str) -> tuple:
    """An int, n ints (symmetric) or n pairs as n (before, after) pairs."""
    if isinstance(value, int):
        return ((value, value),) * n
    value = tuple(value)
    if n == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (tuple(value),)
    if len(value) == n and all(isinstance(v, int) for v in value):
        return tuple((v, v) for v in value)
    if len(value) != n:
        raise ValueError(f"{where}: `{what}` must be an int, {n} ints or {n} pairs of ints, got "
                         f"{value!r}")
    return tuple(int_tuple(v, 2, what, where) for v in value)


def _less(size, pair):
    return None if size is None else size - sum(pair)


class ZeroPadding1D(Layer):
    """Zeros before and after the steps of [batch, steps, channels]."""

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pairs(padding, 1, "padding", f"ZeroPadding1D {self.name!r}")[0]
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        from graphflow.ops.slicing import pad

        return pad(inputs, [[0, 0], list(self.padding), [0, 0]])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        steps = None if dims[1] is None else dims[1] + sum(self.padding)
        return TensorShape([dims[0], steps, dims[2]])

    def get_config(self):
        return {**super().get_config(), "padding": list(self.padding)}


class Cropping1D(Layer):
    """Drops `cropping` = (start, end) steps of [batch, steps, channels]."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pairs(cropping, 1, "cropping", f"Cropping1D {self.name!r}")[0]
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        start, end = self.cropping
        return inputs[:, start:(-end if end else None), :]

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], _less(dims[1], self.cropping), dims[2]])

    def get_config(self):
        return {**super().get_config(), "cropping": list(self.cropping)}


class Cropping2D(Layer):
    """Drops rows and columns: ((top, bottom), (left, right)), (rows, cols) or one int."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        where = f"Cropping2D {self.name!r}"
        self.data_format = channels_last_only(data_format, where)
        self.cropping = _pairs(cropping, 2, "cropping", where)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (top, bottom), (left, right) = self.cropping
        return inputs[:, top:(-bottom if bottom else None), left:(-right if right else None), :]

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], _less(dims[1], self.cropping[0]),
                            _less(dims[2], self.cropping[1]), dims[3]])

    def get_config(self):
        return {**super().get_config(), "cropping": [list(p) for p in self.cropping],
                "data_format": self.data_format}


def _repeat(inputs, axis: int, times: int):
    """Each entry along `axis` repeated `times` times in place (needs the axes after the
    batch known)."""
    from graphflow.ops.array import expand_dims, reshape
    from graphflow.ops.slicing import tile

    dims = inputs.shape.as_list()
    if any(d is None for d in dims[1:]):
        raise ValueError(f"UpSampling needs the non-batch dimensions known, got "
                         f"{inputs.describe()}")
    tiled = tile(expand_dims(inputs, axis + 1),
                 [times if i == axis + 1 else 1 for i in range(len(dims) + 1)])
    out = [-1, *dims[1:]]
    out[axis] = dims[axis] * times
    return reshape(tiled, out)


class UpSampling1D(Layer):
    """Each step repeated `size` times."""

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return _repeat(inputs, 1, self.size)

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], None if dims[1] is None else dims[1] * self.size, dims[2]])

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    """Rows and columns repeated size[0] and size[1] times (nearest-neighbour only)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        where = f"UpSampling2D {self.name!r}"
        self.data_format = channels_last_only(data_format, where)
        if interpolation != "nearest":
            raise ValueError(f"{where}: graphflow supports interpolation='nearest' only, got "
                             f"{interpolation!r}")
        self.interpolation = interpolation
        self.size = int_tuple(size, 2, "size", where)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return _repeat(_repeat(inputs, 1, self.size[0]), 2, self.size[1])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        rows = None if dims[1] is None else dims[1] * self.size[0]
        cols = None if dims[2] is None else dims[2] * self.size[1]
        return TensorShape([dims[0], rows, cols, dims[3]])

    def get_config(self):
        return {**super().get_config(), "size": list(self.size),
                "data_format": self.data_format, "interpolation": self.interpolation}
