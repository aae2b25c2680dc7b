"""Keras's merge layers over a list of tensors: Add, Subtract (two), Multiply, Average, Maximum,
Minimum (same shapes), Concatenate (along `axis`), and their functional forms
`add([a, b])`, `concatenate([a, b], axis=-1)`, ...

Masks merge as in Keras: an elementwise merge keeps a step where every masked input keeps it;
Concatenate joins the masks as it joins the inputs (an unmasked input counts as all kept) and
keeps a position where all joined entries are kept."""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import Layer

__all__ = ["Add", "Average", "Concatenate", "Maximum", "Minimum", "Multiply", "Subtract", "add",
           "average", "concatenate", "maximum", "minimum", "multiply", "subtract"]


def _mask_list(inputs, mask, where: str):
    """The masks as a list aligned with the inputs, or None when no input has one."""
    if mask is None:
        return None
    if not isinstance(mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) or \
            len(mask) != len(inputs):
        raise ValueError(f"{where}: the inputs and their masks should be lists of one length, "
                         f"got inputs={inputs!r} and mask={mask!r}")
    return None if all(m is None for m in mask) else list(mask)


def _shapes(input_shape) -> list:
    if not isinstance(input_shape, (list, tuple)) or not input_shape or \
            not all(isinstance(s, (list, tuple, TensorShape)) or s is None
                    for s in input_shape):
        return []
    return [as_shape(s) for s in input_shape]


class Merge(Layer):
    """Elementwise merge of 2+ tensors of one shape (batch dimensions may be unknown)."""

    min_inputs, max_inputs = 2, None

    def _check(self, shapes):
        n = len(shapes)
        where = f"A `{type(self).__name__}` layer ({self.name!r})"
        if n < self.min_inputs or (self.max_inputs is not None and n > self.max_inputs):
            count = f"exactly {self.max_inputs}" if self.max_inputs == self.min_inputs \
                else f"at least {self.min_inputs}"
            raise ValueError(f"{where} should be called on a list of {count} inputs, got {n}")
        merged = shapes[0]
        for s in shapes[1:]:
            if not merged.is_compatible_with(s):
                raise ValueError(f"{where} needs inputs of the same shape, got "
                                 f"{[str(x) for x in shapes]}")
            merged = merged.merge_with(s)
        return merged

    def build(self, input_shape):
        shapes = _shapes(input_shape)
        if not shapes:
            raise ValueError(f"A `{type(self).__name__}` layer ({self.name!r}) should be called "
                             f"on a list of inputs, got shape {input_shape}")
        self._check(shapes)
        self.built = True

    def call(self, inputs):
        out = inputs[0]
        for t in inputs[1:]:
            out = self.combine(out, t)
        return self.finish(out, len(inputs))

    def combine(self, a, b):
        raise TypeError(f"{type(self).__name__} defines no merge")

    def finish(self, out, n):
        return out

    def compute_mask(self, inputs, mask=None):
        masks = _mask_list(inputs, mask, f"A `{type(self).__name__}` layer ({self.name!r})")
        if masks is None:
            return None
        from graphflow.ops.elementwise import logical_and

        kept = [m for m in masks if m is not None]
        out = kept[0]
        for m in kept[1:]:
            out = logical_and(out, m)
        return out

    def compute_output_shape(self, input_shape):
        return self._check(_shapes(input_shape))


class Add(Merge):
    """The sum of the inputs."""

    def combine(self, a, b):
        return a + b


class Subtract(Merge):
    """inputs[0] - inputs[1] (exactly two inputs)."""

    max_inputs = 2

    def combine(self, a, b):
        return a - b


class Multiply(Merge):
    """The elementwise product of the inputs."""

    def combine(self, a, b):
        return a * b


class Average(Merge):
    """The elementwise mean of the inputs."""

    def combine(self, a, b):
        return a + b

    def finish(self, out, n):
        return out / float(n)


class Maximum(Merge):
    """The elementwise maximum of the inputs."""

    def combine(self, a, b):
        from graphflow.ops.elementwise import maximum as _maximum

        return _maximum(a, b)


class Minimum(Merge):
    """The elementwise minimum of the inputs."""

    def combine(self, a, b):
        from graphflow.ops.elementwise import minimum as _minimum

        return _minimum(a, b)


class Concatenate(Layer):
    """The inputs joined along `axis`; every other dimension must agree."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _output(self, input_shape):
        shapes = _shapes(input_shape)
        where = f"A `Concatenate` layer ({self.name!r})"
        if len(shapes) < 2:
            raise ValueError(f"{where} should be called on a list of at least 2 inputs, got "
                             f"{input_shape}")
        ranks = {s.rank for s in shapes}
        if len(ranks) != 1 or None in ranks:
            raise ValueError(f"{where} requires inputs of one known rank, got "
                             f"{[str(s) for s in shapes]}")
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(f"{where}: axis {self.axis} is out of range for inputs of rank "
                             f"{rank}")
        axis = self.axis % rank
        dims = shapes[0].as_list()
        total = 0
        for s in shapes:
            d = s.as_list()
            for i in range(rank):
                if i != axis and None not in (dims[i], d[i]) and dims[i] != d[i]:
                    raise ValueError(f"{where} requires inputs with matching shapes except "
                                     f"for the concatenation axis {self.axis}. Got inputs "
                                     f"shapes: {[str(x) for x in shapes]}")
                if i != axis and dims[i] is None:
                    dims[i] = d[i]
            total = None if total is None or d[axis] is None else total + d[axis]
        dims[axis] = total
        return TensorShape(dims)

    def build(self, input_shape):
        self._output(input_shape)
        self.built = True

    def call(self, inputs):
        from graphflow.ops.joining import concat

        return concat(list(inputs), self.axis)

    def compute_mask(self, inputs, mask=None):
        masks = _mask_list(inputs, mask, f"A `Concatenate` layer ({self.name!r})")
        if masks is None:
            return None
        from graphflow.ops.array import expand_dims
        from graphflow.ops.joining import concat
        from graphflow.ops.reduce import reduce_all
        from graphflow.ops.shape_ops import ones_like

        full = []
        for t, m in zip(inputs, masks):
            if m is None:
                m = ones_like(t, dtype="bool")
            elif m.shape.rank is not None and t.shape.rank is not None and \
                    m.shape.rank < t.shape.rank:
                m = expand_dims(m, -1)
            full.append(m)
        return reduce_all(concat(full, self.axis), axis=-1)

    def compute_output_shape(self, input_shape):
        return self._output(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def add(inputs, **kwargs):
    """`Add(**kwargs)(inputs)`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """`Concatenate(axis, **kwargs)(inputs)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
