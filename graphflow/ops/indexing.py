"""`tensor[...]`: NumPy-style basic indexing as a StridedSlice op with a static spec.

The key is turned into a tuple of entries known while building: ("int", i) drops an axis,
("slice", start, stop, step) keeps one, ("ellipsis",) stands for the untouched middle axes and
("newaxis",) inserts a size-1 axis. A scalar int tensor computed at run time is also accepted as an
index: the slice is taken first, then `gather` picks the entry (non-negative values only).
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.errors import shape_rule
from graphflow.ops.array_util import constant_value, shape_tensor_value
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import gather
from graphflow.ops.registry import Op, apply_op, register, spec
from graphflow.ops.shape_ops import shape_arg

__all__: list[str] = []

FULL = ("slice", None, None, 1)


def _expand(entries, rank: int) -> list:
    """`entries` with the ellipsis (explicit, or implied at the end) replaced by full slices."""
    if sum(e[0] == "ellipsis" for e in entries) > 1:
        raise shape_rule("an index can only have a single ellipsis ('...')")
    used = sum(e[0] in ("int", "slice") for e in entries)
    if used > rank:
        raise shape_rule(f"too many indices: the tensor has rank {rank} but {used} dimensions "
                         "were indexed")
    fill = [FULL] * (rank - used)
    out = []
    for e in entries:
        out.extend(fill if e[0] == "ellipsis" else [e])
    if not any(e[0] == "ellipsis" for e in entries):
        out.extend(fill)
    return out


def numpy_key(entries) -> tuple:
    """The NumPy index equivalent to a spec."""
    conv = {"int": lambda e: e[1], "slice": lambda e: slice(e[1], e[2], e[3]),
            "ellipsis": lambda e: Ellipsis, "newaxis": lambda e: None}
    return tuple(conv[e[0]](e) for e in entries)


def sliced_shape(shape: TensorShape, entries) -> TensorShape:
    """The static shape of `tensor[spec]`; shape_rule for an int index out of a known range."""
    dims = shape.dims
    if dims is None:
        return TensorShape(None)
    out, axis = [], 0
    for e in _expand(entries, len(dims)):
        if e[0] == "newaxis":
            out.append(1)
            continue
        d = dims[axis]
        if e[0] == "int":
            if d is not None and not -d <= e[1] < d:
                raise shape_rule(f"index {e[1]} is out of bounds for axis {axis} with size {d} "
                                 f"(slice index {e[1]} of dimension {axis} out of bounds; the "
                                 f"tensor's shape is {shape})")
        else:
            if e[3] == 0:
                raise shape_rule("slice step cannot be zero")
            out.append(None if d is None else len(range(*slice(e[1], e[2], e[3]).indices(d))))
        axis += 1
    return TensorShape(out)


@register("StridedSlice")
class StridedSlice(Op):
    """`input[spec]` with NumPy basic-indexing semantics (see the module docstring)."""

    attrs = {"spec": ()}
    input_names = ("input",)

    def infer(self, x):
        return spec(x.dtype, sliced_shape(x.shape, self.spec))

    def compute(self, x):
        key = self.__dict__.get("_key")
        if key is None:  # built once per node: indexing sits in hot training loops
            key = self.__dict__["_key"] = numpy_key(self.spec)
        return np.asarray(x[key])

    def gradient(self, node, dy):
        return [slice_by_spec_grad(dy, self.spec, node.inputs[0])]

    @staticmethod
    def examples(s):
        return s.strided_slice_example()


@register("StridedSliceGrad")
class StridedSliceGrad(Op):
    """Zeros of `shape` (attr, or a runtime input) with `grad` written at `[spec]`."""

    fresh_output = True
    attrs = {"spec": (), "shape": None}
    input_names = ("grad", "shape")

    def infer(self, dy, shape_t=None):
        if shape_t is None:
            out = TensorShape(self.shape)
        else:
            known = shape_tensor_value(shape_t)
            out = TensorShape(None if known is None else known)
        expected = sliced_shape(out, self.spec)
        if not expected.is_compatible_with(dy.shape):
            raise shape_rule(f"grad has shape {dy.shape} but slicing {out} gives {expected}")
        return spec(dy.dtype, out)

    def compute(self, dy, shape_t=None):
        shape = self.shape if shape_t is None else [int(d) for d in shape_t]
        out = np.zeros(shape, dtype=dy.dtype)
        out[numpy_key(self.spec)] = dy
        return out

    def gradient(self, node, ddy):
        return [slice_by_spec(ddy, self.spec)] + [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.strided_slice_grad_example()


def slice_by_spec(x: Tensor, entries, name: str | None = None) -> Tensor:
    """`x[spec]` for a spec in the canonical tuple form."""
    return apply_op(StridedSlice(spec=tuple(entries)), [x], name=name or "strided_slice")


def slice_by_spec_grad(dy: Tensor, entries, like: Tensor) -> Tensor:
    """`dy` scattered into zeros shaped like `like` at `[spec]` (the gradient of a slice)."""
    shape, extra = shape_arg(like)
    return apply_op(StridedSliceGrad(spec=tuple(entries), shape=shape), [dy, *extra])


def _index_value(v, what: str):
    """A static int (or None) from a slice bound, which may be a constant tensor."""
    if v is None:
        return None
    if isinstance(v, Tensor):
        known = constant_value(v)
        if known is None or np.ndim(known) != 0:
            raise TypeError(f"slice {what} must be an int known while building the graph, got "
                            f"{v.describe()}; use graphflow.slice/gather with a runtime value")
        v = known.item()
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"slice {what} must be an int or None, got {v!r}")
    return int(v)


def _bad_index(k) -> TypeError:
    return TypeError(
        f"Only integers, slices (`:`), ellipsis (`...`), graphflow.newaxis (`None`) and scalar "
        f"int tensors are valid indices, got {k!r}. Use graphflow.gather for a list of indices "
        "and graphflow.where for a mask."
    )


def getitem(tensor, key) -> Tensor:
    """`tensor[key]` as in NumPy basic indexing (TF1's `Tensor.__getitem__`)."""
    x = convert_to_tensor(tensor)
    if not isinstance(key, tuple):
        key = (key,)
    entries, dynamic = [], []
    for k in key:
        if k is Ellipsis:
            entries.append(("ellipsis",))
        elif k is None:
            entries.append(("newaxis",))
        elif isinstance(k, slice):
            step = _index_value(k.step, "step")
            entries.append(("slice", _index_value(k.start, "start"), _index_value(k.stop, "stop"),
                            1 if step is None else step))
        elif isinstance(k, Tensor):
            known = constant_value(k)
            if known is not None and np.ndim(known) == 0 and np.asarray(known).dtype.kind in "iu":
                entries.append(("int", int(known)))
            elif k.dtype.is_integer and k.shape.rank == 0:
                dynamic.append((len(entries), k))
                entries.append(FULL)
            else:
                raise _bad_index(k)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            entries.append(("int", int(k)))
        else:
            raise _bad_index(k)
    out = slice_by_spec(x, entries)
    if dynamic:
        out = _gather_dynamic(out, entries, dynamic, x.shape.rank)
    return out


def _gather_dynamic(out: Tensor, entries, dynamic, rank) -> Tensor:
    """Pick runtime scalar indices out of the already-sliced `out`, last axis first."""
    used = sum(e[0] in ("int", "slice") for e in entries)
    for pos, index in reversed(dynamic):
        axis = 0
        for e in entries[:pos]:
            if e[0] == "ellipsis":
                if rank is None:
                    raise TypeError("a runtime index after `...` needs a tensor of known rank")
                axis += rank - used
            elif e[0] != "int":
                axis += 1
        out = gather(out, index, axis=axis)
    return out
