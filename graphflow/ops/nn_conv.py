"""2-D convolution (TF1 conventions: NHWC input, HWIO filter, cross-correlation, no bias).

Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter are each other's gradients, so every order
of derivative is available. The backprops take the shape they produce as a static attribute
(batch may be None: it comes from `out_backprop`), which is what lets shapes be inferred before
a run. The window geometry here is shared with pooling (nn_pool.py).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graphflow.core.shape import TensorShape
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.registry import Op, apply_op, register, spec


# --- window geometry ----------------------------------------------------------------------------
def normalize_4(value, what: str) -> tuple:
    """strides/ksize/dilations as TF1's 4 entries [1, h, w, 1]; ints and pairs are widened."""
    if isinstance(value, (int, np.integer)):
        value = [value]
    v = [int(a) for a in value]
    if len(v) == 1:
        v = [1, v[0], v[0], 1]
    elif len(v) == 2:
        v = [1, *v, 1]
    if len(v) != 4 or v[0] != 1 or v[3] != 1 or min(v) < 1:
        raise ValueError(f"{what} must be [1, h, w, 1] with positive h and w (NHWC), got {value}")
    return tuple(v)


def normalize_padding(padding, explicit_ok: bool = True):
    """'SAME', 'VALID', or explicit [[0,0],[top,bottom],[left,right],[0,0]] as a tuple."""
    if isinstance(padding, bytes):
        padding = padding.decode()
    if isinstance(padding, str):
        if padding.upper() not in ("SAME", "VALID"):
            raise ValueError(f"padding must be 'SAME' or 'VALID', not {padding!r}")
        return padding.upper()
    if not explicit_ok:
        raise ValueError(f"padding must be 'SAME' or 'VALID' here, got {padding!r}")
    pads = tuple(tuple(int(p) for p in pair) for pair in padding)
    if len(pads) != 4 or any(len(p) != 2 for p in pads) or pads[0] != (0, 0) \
            or pads[3] != (0, 0) or min(min(p) for p in pads) < 0:
        raise ValueError("explicit padding must be [[0, 0], [top, bottom], [left, right], [0, 0]]"
                         f" with non-negative entries, got {padding!r}")
    return pads


def axis_window(n: int, k: int, s: int, d: int, padding, axis: int):
    """(out, pad_before, pad_after) along one spatial axis (axis 1 = height, 2 = width)."""
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
    if data_format != "NHWC":
        raise ValueError(f"only data_format='NHWC' is supported, not {data_format!r}")


def merge_dim(a, b, what: str):
    if a is not None and b is not None and a != b:
        raise shape_rule(f"{what} disagree: {a} vs {b}")
    return a if a is not None else b


# --- NumPy reference ----------------------------------------------------------------------------
def _taps(x_shape, w_shape, op):
    """Yield (i, j, padded-input slices) for each filter tap, plus the padding and window."""
    kh, kw = w_shape[0], w_shape[1]
    win = window(x_shape[1], x_shape[2], kh, kw, op.strides, op.dilations, op.padding)
    (_, sh, sw, _), (_, dh, dw, _) = op.strides, op.dilations
    taps = [(i, j, (slice(None), slice(i * dh, i * dh + (win.oh - 1) * sh + 1, sh),
                    slice(j * dw, j * dw + (win.ow - 1) * sw + 1, sw)))
            for i in range(kh) for j in range(kw)]
    return taps, ((0, 0), (win.pt, win.pb), (win.pl, win.pr), (0, 0)), win


def conv2d_reference(x, w, op):
    taps, pads, win = _taps(x.shape, w.shape, op)
    xp = np.pad(x, pads)
    out = np.zeros((x.shape[0], win.oh, win.ow, w.shape[3]), dtype=np.result_type(x, w))
    for i, j, sl in taps:
        out += xp[sl] @ w[i, j]
    return out


def backprop_input_reference(input_shape, w, dy, op):
    taps, pads, _ = _taps(input_shape, w.shape, op)
    n, h, wd, c = input_shape
    dxp = np.zeros((n, h + sum(pads[1]), wd + sum(pads[2]), c), dtype=dy.dtype)
    for i, j, sl in taps:
        dxp[sl] += dy @ w[i, j].T
    return dxp[:, pads[1][0]:pads[1][0] + h, pads[2][0]:pads[2][0] + wd, :]


def backprop_filter_reference(x, filter_shape, dy, op):
    taps, pads, _ = _taps(x.shape, filter_shape, op)
    xp = np.pad(x, pads)
    dw = np.zeros(filter_shape, dtype=dy.dtype)
    for i, j, sl in taps:
        dw[i, j] = np.tensordot(xp[sl], dy, axes=([0, 1, 2], [0, 1, 2]))
    return dw


# --- ops ------------------------------------------------------------------------------------------
class _ConvBase(Op):
    attrs = {"strides": (1, 1, 1, 1), "padding": "VALID", "dilations": (1, 1, 1, 1),
             "data_format": "NHWC"}

    def _out_hw(self, h, w, kh, kw):
        return (out_dim(h, kh, self.strides[1], self.dilations[1], self.padding, 1),
                out_dim(w, kw, self.strides[2], self.dilations[2], self.padding, 2))

    def _geometry(self):
        return {k: self.attrs[k] for k in ("strides", "padding", "dilations", "data_format")}


def _static_sizes(t, what: str) -> tuple:
    """The static shape the gradient's backprop op must produce (batch may stay unknown)."""
    dims = t.shape.as_list() if t.shape.rank == 4 else None
    if dims is None or any(d is None for d in dims[1:]):
        raise ValueError(f"conv2d gradients need the {what}'s height, width and channels known "
                         f"when gradients are built; {t.describe()} has shape {t.shape}")
    return tuple(dims)


@register("Conv2D")
class Conv2D(_ConvBase):
    """Cross-correlation of NHWC `input` with an HWIO `filter`: no kernel flip, no bias."""

    fresh_output = True
    input_names = ("input", "filter")

    def infer(self, x, w):
        check_float(x, w)
        check_nhwc(self.data_format)
        n, h, wd, c = dims4(x.shape, "input")
        kh, kw, ci, co = dims4(w.shape, "filter")
        merge_dim(c, ci, "input channels and the filter's in_channels")
        return spec(x.dtype, [n, *self._out_hw(h, wd, kh, kw), co])

    def compute(self, x, w):
        return np.asarray(conv2d_reference(x, w, self), dtype=x.dtype)

    def gradient(self, node, dy):
        x, w = node.inputs
        dx = apply_op(Conv2DBackpropInput(input_sizes=(None, *_static_sizes(x, "input")[1:]),
                                          **self._geometry()), [w, dy])
        dw = apply_op(Conv2DBackpropFilter(filter_sizes=_static_sizes(w, "filter"),
                                           **self._geometry()), [x, dy])
        return [dx, dw]

    @staticmethod
    def examples(s):
        from graphflow.ops.nn_examples import conv_example

        return conv_example(s, "forward")


@register("Conv2DBackpropInput")
class Conv2DBackpropInput(_ConvBase):
    """The gradient of Conv2D with respect to its input; also `conv2d_transpose`."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "input_sizes": None}
    input_names = ("filter", "out_backprop")

    def infer(self, w, dy):
        check_float(w, dy)
        check_nhwc(self.data_format)
        n, oh, ow, co = dims4(dy.shape, "out_backprop")
        kh, kw, ci, co_w = dims4(w.shape, "filter")
        merge_dim(co, co_w, "out_backprop channels and the filter's out_channels")
        sizes = list(self.input_sizes)
        n = merge_dim(None if sizes[0] is None or sizes[0] < 0 else sizes[0], n, "batch sizes")
        c = merge_dim(sizes[3], ci, "input_sizes channels and the filter's in_channels")
        exp_h, exp_w = self._out_hw(sizes[1], sizes[2], kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the height input_sizes implies")
        merge_dim(exp_w, ow, "out_backprop width and the width input_sizes implies")
        return spec(w.dtype, [n, sizes[1], sizes[2], c])

    def compute(self, w, dy):
        shape = (dy.shape[0], *self.input_sizes[1:])
        return np.asarray(backprop_input_reference(shape, w, dy, self), dtype=dy.dtype)

    def gradient(self, node, dz):
        w, dy = node.inputs
        dw = apply_op(Conv2DBackpropFilter(filter_sizes=_static_sizes(w, "filter"),
                                           **self._geometry()), [dz, dy])
        return [dw, apply_op(Conv2D(**self._geometry()), [dz, w])]

    @staticmethod
    def examples(s):
        from graphflow.ops.nn_examples import conv_example

        return conv_example(s, "input")


@register("Conv2DBackpropFilter")
class Conv2DBackpropFilter(_ConvBase):
    """The gradient of Conv2D with respect to its filter."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "filter_sizes": None}
    input_names = ("input", "out_backprop")

    def infer(self, x, dy):
        check_float(x, dy)
        check_nhwc(self.data_format)
        n, h, wd, c = dims4(x.shape, "input")
        n2, oh, ow, co = dims4(dy.shape, "out_backprop")
        merge_dim(n, n2, "batch sizes of input and out_backprop")
        kh, kw, ci, co_f = self.filter_sizes
        merge_dim(c, ci, "input channels and filter_sizes in_channels")
        merge_dim(co, co_f, "out_backprop channels and filter_sizes out_channels")
        exp_h, exp_w = self._out_hw(h, wd, kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the conv output height")
        merge_dim(exp_w, ow, "out_backprop width and the conv output width")
        return spec(x.dtype, list(self.filter_sizes))

    def compute(self, x, dy):
        return np.asarray(backprop_filter_reference(x, tuple(self.filter_sizes), dy, self),
                          dtype=dy.dtype)

    def gradient(self, node, dw):
        x, dy = node.inputs
        dx = apply_op(Conv2DBackpropInput(input_sizes=(None, *_static_sizes(x, "input")[1:]),
                                          **self._geometry()), [dw, dy])
        return [dx, apply_op(Conv2D(**self._geometry()), [x, dw])]

    @staticmethod
    def examples(s):
        from graphflow.ops.nn_examples import conv_example

        return conv_example(s, "filter")


# --- public functions ---------------------------------------------------------------------------
def _conv_attrs(strides, padding, dilations, data_format) -> dict:
    return {"strides": normalize_4(strides, "strides"), "padding": normalize_padding(padding),
            "dilations": normalize_4(dilations if dilations is not None else 1, "dilations"),
            "data_format": data_format or "NHWC"}


def _sizes(value, what: str) -> tuple:
    """A static 4-entry shape; a tensor batch entry (e.g. tf.shape(x)[0]) stays unknown."""
    from graphflow.core.node import Tensor

    if isinstance(value, Tensor):
        if value.op.type != "Const":
            raise TypeError(f"{what} must be known when the graph is built (a list or a "
                            f"constant), got {value.describe()}")
        value = value.op.get_attr("value").tolist()
    dims = [None if isinstance(d, Tensor) or d is None else int(d) for d in value]
    if len(dims) != 4 or any(d is None for d in dims[1:]):
        raise ValueError(f"{what} must have 4 entries with known height, width and channels, "
                         f"got {value}")
    return tuple(dims)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=None, name=None, filters=None):
    """Cross-correlate NHWC `input` with HWIO `filter`; no bias is added (use bias_add)."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise ValueError("conv2d needs filter, strides and padding")
    x = convert_to_tensor(input)
    w = convert_to_tensor(filter, dtype_hint=x.dtype)
    return apply_op(Conv2D(**_conv_attrs(strides, padding, dilations, data_format)), [x, w],
                    name=name or "Conv2D")


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to an input of shape `input_sizes`."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    dy = convert_to_tensor(out_backprop)
    w = convert_to_tensor(filter, dtype_hint=dy.dtype)
    op = Conv2DBackpropInput(input_sizes=_sizes(input_sizes, "input_sizes"),
                             **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [w, dy], name=name or "Conv2DBackpropInput")


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=None,
                           name=None):
    """The gradient of conv2d with respect to a filter of shape `filter_sizes`."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    x = convert_to_tensor(input)
    sizes = _sizes(filter_sizes, "filter_sizes")
    if sizes[0] is None:
        raise ValueError(f"filter_sizes must be fully known, got {filter_sizes}")
    op = Conv2DBackpropFilter(filter_sizes=sizes,
                              **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [x, convert_to_tensor(out_backprop, dtype_hint=x.dtype)],
                    name=name or "Conv2DBackpropFilter")


def conv2d_transpose(value, filter, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, dilations=None):
    """The transpose of conv2d (its input gradient); filter is [h, w, out_channels, in_channels]."""
    return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                 data_format=data_format, dilations=dilations,
                                 name=name or "conv2d_transpose")
