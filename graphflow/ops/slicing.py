"""Ops that cut out, repeat or border a block: slice, tile, pad (CONSTANT/REFLECT/SYMMETRIC)."""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.errors import shape_rule
from graphflow.ops.array import reshape
from graphflow.ops.array_util import static, static_ints
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.indexing import slice_by_spec, slice_by_spec_grad
from graphflow.ops.joining import stack
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.registry import Op, apply_op, register, spec
from graphflow.ops.shape_ops import shape

__all__ = ["slice", "tile", "pad"]

_pyslice = slice  # the module defines TF1's `slice` below


def _check_rank(x, n: int, what: str):
    if x.shape.dims is not None and len(x.shape.dims) != n:
        raise shape_rule(f"{what} has {n} entries but the input {x.shape} has rank "
                         f"{len(x.shape.dims)}")


@register("Slice")
class Slice(Op):
    """The block starting at `begin` of extent `size` (-1: to the end of that dimension)."""

    attrs = {"begin": None, "size": None}
    input_names = ("input",)

    def infer(self, x):
        begin, size = list(self.begin), list(self.size)
        if len(begin) != len(size):
            raise shape_rule(f"begin {begin} and size {size} must have the same length")
        _check_rank(x, len(begin), f"begin {begin}")
        dims = x.shape.dims or [None] * len(begin)
        out = []
        for i, (b, s, d) in enumerate(zip(begin, size, dims, strict=False)):
            if b < 0 or s < -1 or (d is not None and b + max(s, 0) > d) or \
                    (d is not None and b > d):
                bound = "?" if d is None else d
                raise shape_rule(f"Expected begin[{i}] in [0, {bound}] and size[{i}] in "
                                 f"[0, {bound} - begin] (or -1), but got begin {begin} and size "
                                 f"{size} for input shape {x.shape}")
            out.append(s if s != -1 else (None if d is None else d - b))
        return spec(x.dtype, out)

    def compute(self, x):
        for i, (b, s) in enumerate(zip(self.begin, self.size, strict=False)):
            if b > x.shape[i] or (s != -1 and b + s > x.shape[i]):
                raise ValueError(f"slice: begin {list(self.begin)} and size {list(self.size)} "
                                 f"do not fit the value's shape {list(x.shape)}")
        return x[self._key()]

    def _key(self):
        return tuple(_pyslice(b, None if s == -1 else b + s)
                     for b, s in zip(self.begin, self.size, strict=False))

    def gradient(self, node, dy):
        spec_ = tuple(("slice", b, None if s == -1 else b + s, 1)
                      for b, s in zip(self.begin, self.size, strict=False))
        return [slice_by_spec_grad(dy, spec_, node.inputs[0])]

    @staticmethod
    def examples(s):
        return s.slice_example()


@register("Tile")
class Tile(Op):
    """`input` repeated `multiples[i]` times along each axis i."""

    fresh_output = True
    attrs = {"multiples": None}
    input_names = ("input",)

    def infer(self, x):
        mult = list(self.multiples)
        if any(m < 0 for m in mult):
            raise shape_rule(f"multiples {mult} must be non-negative")
        _check_rank(x, len(mult), f"multiples {mult}")
        dims = x.shape.dims or [None] * len(mult)
        return spec(x.dtype, [0 if m == 0 else (None if d is None else d * m)
                              for d, m in zip(dims, mult, strict=False)])

    def compute(self, x):
        return np.tile(x, self.multiples) if x.ndim else np.array(x)

    def gradient(self, node, dy):
        x = node.inputs[0]
        mult = list(self.multiples)
        if not mult:
            return [dy]
        if x.shape.is_fully_defined():
            inter = [v for m, d in zip(mult, x.shape.as_list(), strict=False) for v in (m, d)]
        else:
            sx = shape(x)
            inter = stack([v for i, m in enumerate(mult) for v in (m, sx[i])])
        return [reduce_sum(reshape(dy, inter), axis=list(range(0, 2 * len(mult), 2)))]

    @staticmethod
    def examples(s):
        return s.tile_example()


_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


@register("Pad")
class Pad(Op):
    """`input` with `paddings[i] = [before, after]` entries added around axis i.

    CONSTANT fills with `constant_values`; REFLECT mirrors without repeating the edge, SYMMETRIC
    repeats it (so REFLECT needs pad < dim and SYMMETRIC pad <= dim).
    """

    fresh_output = True
    attrs = {"paddings": None, "mode": "CONSTANT", "constant_values": 0}
    input_names = ("tensor",)

    def infer(self, x):
        pads = [list(p) for p in self.paddings]
        if any(len(p) != 2 or min(p) < 0 for p in pads):
            raise shape_rule(f"paddings {pads} must be non-negative [before, after] pairs")
        if self.mode not in _MODES:
            raise shape_rule(f"mode {self.mode!r} must be one of {_MODES}")
        _check_rank(x, len(pads), f"paddings {pads}")
        dims = x.shape.dims or [None] * len(pads)
        limit = {"REFLECT": 1, "SYMMETRIC": 0}.get(self.mode)
        for i, (d, p) in enumerate(zip(dims, pads, strict=False)):
            if limit is not None and d is not None and max(p) > d - limit:
                raise shape_rule(f"{self.mode} padding {p} of dimension {i} must be at most "
                                 f"{d - limit} for input shape {x.shape}")
        return spec(x.dtype, [None if d is None else d + sum(p)
                              for d, p in zip(dims, pads, strict=False)])

    def compute(self, x):
        pads = [tuple(p) for p in self.paddings]
        if not pads:
            return np.array(x)
        if self.mode == "CONSTANT":
            return np.pad(x, pads, constant_values=np.asarray(self.constant_values, x.dtype))
        limit = 1 if self.mode == "REFLECT" else 0
        for i, p in enumerate(pads):
            if max(p) > x.shape[i] - limit:
                raise ValueError(f"{self.mode} padding {list(p)} is too large for dimension {i} "
                                 f"of size {x.shape[i]}")
        return np.pad(x, pads, mode="reflect" if self.mode == "REFLECT" else "symmetric")

    def gradient(self, node, dy):
        if self.mode != "CONSTANT":
            return [apply_op(MirrorPadGrad(paddings=self.paddings, mode=self.mode), [dy])]
        return [slice_by_spec(dy, tuple(("slice", b, -a if a else None, 1)
                                        for b, a in self.paddings))]

    @staticmethod
    def examples(s):
        return s.pad_example()


@register("MirrorPadGrad")
class MirrorPadGrad(Op):
    """The gradient of a REFLECT/SYMMETRIC pad: mirrored border entries summed back inside."""

    fresh_output = True
    attrs = {"paddings": None, "mode": "REFLECT"}
    input_names = ("grad",)

    def infer(self, dy):
        pads = [list(p) for p in self.paddings]
        _check_rank(dy, len(pads), f"paddings {pads}")
        dims = dy.shape.dims or [None] * len(pads)
        out = [None if d is None else d - sum(p) for d, p in zip(dims, pads, strict=False)]
        if any(v is not None and v < 1 for v in out):
            raise shape_rule(f"paddings {pads} are larger than the gradient's shape {dy.shape}")
        return spec(dy.dtype, out)

    def compute(self, dy):
        out = dy
        shift = 1 if self.mode == "REFLECT" else 0
        for axis, (b, a) in enumerate(self.paddings):
            g = np.moveaxis(out, axis, 0)
            m = g.shape[0] - b - a
            core = np.array(g[b:b + m])
            np.add.at(core, np.arange(b, 0, -1) - 1 + shift, g[:b])
            np.add.at(core, m - 1 - shift - np.arange(a), g[b + m:])
            out = np.moveaxis(core, 0, axis)
        return np.array(out, order="C")  # a copy even when there was nothing to pad

    def gradient(self, node, ddy):
        return [pad(ddy, self.paddings, mode=self.mode)]

    @staticmethod
    def examples(s):
        return s.mirror_pad_grad_example()


# --- public functions ---------------------------------------------------------------------------
def slice(input_, begin, size, name: str | None = None) -> Tensor:  # noqa: A001
    """The block of `input_` at `begin` of extent `size` (-1 takes the rest of a dimension).

    Args:
        input_: A tensor.
        begin: The first index in each dimension.
        size: The extent in each dimension; -1 takes the rest.
        name: A name for the op.

    Returns:
        A Tensor of input_'s dtype and shape `size` (with the -1s resolved).

    Examples:
        >>> x = tf.constant([[1, 2, 3], [4, 5, 6]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.slice(x, [0, 1], [2, -1])))
        [[2 3]
         [5 6]]
    """
    b = static_ints(begin, "begin", "slice")
    s = static_ints(size, "size", "slice")
    return apply_op(Slice(begin=tuple(b), size=tuple(s)), [convert_to_tensor(input_)],
                    name=name or "Slice")


def tile(input, multiples, name: str | None = None) -> Tensor:  # noqa: A002
    """Repeat `input` `multiples[i]` times along axis i.

    Args:
        input: A tensor.
        multiples: One int per axis of input.
        name: A name for the op.

    Returns:
        A Tensor whose axis i is `multiples[i]` times as long.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.tile([[1, 2]], [2, 2])))
        [[1 2 1 2]
         [1 2 1 2]]
    """
    m = static_ints(multiples, "multiples", "tile")
    return apply_op(Tile(multiples=tuple(m)), [convert_to_tensor(input)], name=name or "Tile")


def pad(tensor, paddings, mode: str = "CONSTANT", name: str | None = None,
        constant_values=0) -> Tensor:
    """Add `paddings[i] = [before, after]` entries around each axis i.

    Args:
        tensor: A tensor.
        paddings: One `[before, after]` pair of ints per axis.
        mode: "CONSTANT" (fill with `constant_values`), "REFLECT" or "SYMMETRIC".
        name: A name for the op.
        constant_values: The fill value for CONSTANT mode.

    Returns:
        A Tensor of tensor's dtype, each axis longer by its before + after.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.pad([[1, 2]], [[1, 0], [0, 1]])))
        ...     print(sess.run(tf.pad([1, 2, 3], [[2, 0]], mode="REFLECT")))
        [[0 0 0]
         [1 2 0]]
        [3 2 1 2 3]
    """
    x = convert_to_tensor(tensor)
    rows = static(paddings, "paddings", "pad")
    pads = tuple(tuple(static_ints(r, "paddings", "pad")) for r in rows)
    mode = str(mode).upper()
    if mode not in _MODES:
        raise ValueError(f"pad: mode must be one of {_MODES}, got {mode!r}")
    value = static(constant_values, "constant_values", "pad")
    if x.dtype.is_integer and isinstance(value, float) and value != int(value):
        raise TypeError(f"pad: constant_values {value} does not fit {x.dtype.name}")
    return apply_op(Pad(paddings=pads, mode=mode, constant_values=value), [x],
                    name=name or ("Pad" if mode == "CONSTANT" else "MirrorPad"))

