"""NN window geometry (TF1's output sizes and padding splits) and the attribute rules behind it.

Shared by convolution and pooling ops, their CPU kernels and their test strategies; it imports
no op module, so nothing here can close an import circle. The `*_problem` checks return a message
(or None) so that `infer` can raise it as a build error (`value_rule`, which the graph completes
with the op and the user's line) and `compute`/kernels as a run-time ValueError: an imported
graph file, or attributes edited after building, reach the kernels without `infer`.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np

from graphflow.core.shape import TensorShape
from graphflow.errors import dtype_rule, shape_rule, value_rule


# --- normalising the public functions' arguments (never raises: infer validates) ---------------
def normalize_4(value):
    """strides/ksize/dilations as TF1's 4 entries [1, h, w, 1]; ints and pairs are widened."""
    if _is_int(value):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
        return value
    v = [int(a) for a in value]
    if len(v) == 1:
        v = [1, v[0], v[0], 1]
    elif len(v) == 2:
        v = [1, *v, 1]
    return tuple(v)


def normalize_padding(padding):
    """'SAME'/'VALID' upper-cased, explicit [[0,0],[t,b],[l,r],[0,0]] as tuples; else as given."""
    if isinstance(padding, bytes):
        padding = padding.decode(errors="replace")
    if isinstance(padding, str):
        return padding.upper()
    if isinstance(padding, (list, tuple)) and all(
            isinstance(p, (list, tuple)) and all(_is_int(a) for a in p) for p in padding):
        return tuple(tuple(int(a) for a in p) for p in padding)
    return padding


# --- attribute rules --------------------------------------------------------------------------
def _is_int(v) -> bool:
    return isinstance(v, Integral) and not isinstance(v, bool)


def _is_real(v) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool)


def four_problem(value, what: str) -> str | None:
    """None when `value` is TF1's [1, h, w, 1] with positive h and w (NHWC)."""
    if not isinstance(value, (list, tuple)) or len(value) != 4 or not all(map(_is_int, value)):
        return f"{what} must be 4 integers [1, h, w, 1] (NHWC), got {value!r}"
    if value[0] != 1 or value[3] != 1:
        return (f"{what} must be 1 in the batch and channel dimensions ([1, h, w, 1], NHWC), "
                f"got {list(value)}")
    if min(value) < 1:
        return f"{what} must be positive, got {list(value)}"
    return None


def padding_problem(padding, window_hw=None) -> str | None:
    """None for 'SAME', 'VALID' or [[0, 0], [top, bottom], [left, right], [0, 0]] (>= 0).

    Pools pass their window (kh, kw): each explicit pad must then be smaller than the window,
    so that every window holds at least one real cell."""
    if padding in ("SAME", "VALID"):
        return None
    if isinstance(padding, str):
        return f"padding must be 'SAME', 'VALID' or explicit pairs, not {padding!r}"
    ok = (isinstance(padding, (list, tuple)) and len(padding) == 4
          and all(isinstance(p, (list, tuple)) and len(p) == 2 and all(map(_is_int, p))
                  for p in padding))
    if not ok or tuple(padding[0]) != (0, 0) or tuple(padding[3]) != (0, 0) \
            or min(min(p) for p in padding) < 0:
        return ("explicit padding must be [[0, 0], [top, bottom], [left, right], [0, 0]] with "
                f"non-negative integers, got {padding!r}")
    if window_hw is not None:
        for axis, k, name in ((1, window_hw[0], "top/bottom"), (2, window_hw[1], "left/right")):
            if max(padding[axis]) >= k:
                return (f"explicit {name} padding {list(padding[axis])} must be smaller than the "
                        f"window size {k}, or a window would hold only padding")
    return None


def data_format_problem(data_format) -> str | None:
    if data_format != "NHWC":
        return f"only data_format='NHWC' is supported, not {data_format!r}"
    return None


def sizes_problem(sizes, what: str) -> str | None:
    """None for 4 sizes, each a non-negative integer or None (known only at run time, from the
    op's sizes input or, for the batch, from out_backprop); -1 is TF1's old unknown batch."""
    if not isinstance(sizes, (list, tuple)) or len(sizes) != 4:
        return f"{what} must have 4 entries, got {sizes!r}"
    known = [d for i, d in enumerate(sizes) if d is not None and not (i == 0 and d == -1)]
    if not all(_is_int(d) and d >= 0 for d in known):
        return f"{what} must be non-negative integers, got {list(sizes)}"
    return None


def static_sizes(sizes) -> list:
    """A sizes attribute as int-or-None entries (TF1's old -1 batch becomes None)."""
    return [None if d is None or (i == 0 and d == -1) else d for i, d in enumerate(sizes)]


def resolve_sizes(sizes, runtime, what: str, batch=None):
    """(concrete sizes, None) or (None, problem): a backprop op's result shape at run time.

    `sizes` is the static attribute; `runtime` the value of the op's sizes input (a Shape of the
    forward input, when some dim was unknown at build time), which must agree with it; an unknown
    batch comes from `batch` (out_backprop's)."""
    dims = static_sizes(sizes)
    if runtime is not None:
        values = [int(v) for v in np.reshape(runtime, [-1])]
        if len(values) != 4:
            return None, f"the {what} input must hold 4 sizes, got {values}"
        if any(a is not None and a != b for a, b in zip(dims, values)):
            return None, f"the {what} input {values} disagrees with the static {what} {dims}"
        dims = values
    if dims[0] is None and batch is not None:
        dims[0] = batch
    if any(d is None or d < 0 for d in dims):
        return None, (f"{what} {dims} must be non-negative and known at run time (the op has no "
                      f"{what} input giving its unknown dims)")
    return tuple(dims), None


def real_problem(value, what: str, minimum=None) -> str | None:
    if not _is_real(value) or not np.isfinite(value) or (minimum is not None and value < minimum):
        bound = "" if minimum is None else f" >= {minimum}"
        return f"{what} must be a finite number{bound}, got {value!r}"
    return None


def first_problem(*problems) -> str | None:
    return next((p for p in problems if p), None)


def raise_rule(problem: str | None) -> None:
    """At build time: a rule failure the graph turns into an error naming the op and line."""
    if problem:
        raise value_rule(problem)


def raise_runtime(problem: str | None) -> None:
    """At run time: the executor names the op, its input shapes and where it was built."""
    if problem:
        raise ValueError(problem)


# --- operand rules (build time) ----------------------------------------------------------------
def dims4(shape: TensorShape, what: str) -> list:
    if shape.rank is None:
        return [None] * 4
    if shape.rank != 4:
        raise shape_rule(f"{what} must be 4-D (NHWC / HWIO), got shape {shape}")
    return shape.as_list()


def check_float(*tensors):
    for t in tensors:
        if not t.dtype.is_floating:
            raise dtype_rule(f"{t.describe()} must be floating-point, not {t.dtype.name}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise dtype_rule("all operands must share one dtype: "
                         + ", ".join(t.dtype.name for t in tensors))


def check_nhwc(data_format):
    raise_rule(data_format_problem(data_format))


def merge_dim(a, b, what: str):
    if a is not None and b is not None and a != b:
        raise shape_rule(f"{what} disagree: {a} vs {b}")
    return a if a is not None else b


# --- window geometry ----------------------------------------------------------------------------
def axis_window(n: int, k: int, s: int, d: int, padding, axis: int):
    """(out, pad_before, pad_after) along one spatial axis (axis 1 = height, 2 = width).

    Raises ValueError when the window does not fit the (padded) input."""
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-n // s)
        pad = max((out - 1) * s + eff - n, 0)
        return out, pad // 2, pad - pad // 2  # TF1: the odd cell goes bottom/right
    before, after = (0, 0) if padding == "VALID" else padding[axis]
    out = (n + before + after - eff) // s + 1
    if out < 1:
        raise ValueError(f"a window of {eff} (size {k}, dilation {d}) does not fit in {n} "
                         f"input cells with padding {before}+{after}")
    return out, before, after


class Window(NamedTuple):
    """A concrete window placement: output size and the padding before/after each axis."""

    oh: int
    ow: int
    pt: int
    pb: int
    pl: int
    pr: int


def window(h: int, w: int, kh: int, kw: int, strides, dilations, padding) -> Window:
    oh, pt, pb = axis_window(h, kh, strides[1], dilations[1], padding, 1)
    ow, pl, pr = axis_window(w, kw, strides[2], dilations[2], padding, 2)
    return Window(oh, ow, pt, pb, pl, pr)


def out_dim(n, k, s, d, padding, axis: int):
    """Static output size along an axis; None when the input or window size is unknown."""
    if n is None or k is None:
        return None
    try:
        return axis_window(n, k, s, d, padding, axis)[0]
    except ValueError as err:
        raise shape_rule(str(err)) from None
