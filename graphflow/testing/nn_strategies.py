"""Hypothesis strategies for the NN ops' `examples`, reached as `s.nn` (hypothesis is a dev dep).

Tensors stay tiny (N <= 2, H, W <= 5, C <= 3) because gradient checks cost one run per input
element, and pool inputs are spaced apart so no window has a tie inside a finite difference.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from graphflow.core import dtypes
from graphflow.ops.nn_geometry import window
from graphflow.ops.registry import Example


@st.composite
def _geometry(draw, dilate=True, explicit=True):
    """(N, H, W, C, kh, kw, strides, dilations, padding) for which the window fits."""
    n = draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    c = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    strides = (1, draw(st.integers(1, 3)), draw(st.integers(1, 3)), 1)
    dil = (1, draw(st.integers(1, 2)), draw(st.integers(1, 2)), 1) if dilate else (1, 1, 1, 1)
    choices = ["SAME", "VALID"] + (["explicit"] if explicit else [])
    padding = draw(st.sampled_from(choices))
    if padding == "explicit":
        padding = ((0, 0), (draw(st.integers(0, 2)), draw(st.integers(0, 2))),
                   (draw(st.integers(0, 2)), draw(st.integers(0, 2))), (0, 0))
    try:
        win = window(h, w, kh, kw, strides, dil, padding)
    except ValueError:
        assume(False)
    return n, h, w, c, kh, kw, strides, dil, padding, win


def conv_example(s, mode: str):
    """Inputs for Conv2D ("forward"), Conv2DBackpropInput ("input") or ...Filter ("filter")."""

    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        n, h, w, c, kh, kw, strides, dil, padding, win = draw(_geometry())
        co = draw(st.integers(1, 3))
        attrs = {"strides": strides, "padding": padding, "dilations": dil}
        x = draw(s.values(dtype, (n, h, w, c), -1.0, 1.0))
        f = draw(s.values(dtype, (kh, kw, c, co), -1.0, 1.0))
        dy = draw(s.values(dtype, (n, win.oh, win.ow, co), -1.0, 1.0))
        if mode == "forward":
            return Example([x, f], attrs)
        if mode == "input":
            return Example([f, dy], {**attrs, "input_sizes": (n, h, w, c)})
        return Example([x, dy], {**attrs, "filter_sizes": (kh, kw, c, co)})

    return build()


def pool_example(s, mode: str):
    """Inputs for MaxPool/AvgPool ("forward"), MaxPoolGrad ("max_grad"), MaxPoolGradGrad
    ("max_gradgrad") or AvgPoolGrad ("avg_grad")."""

    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        n, h, w, c, kh, kw, strides, _, padding, win = draw(_geometry(False, False))
        attrs = {"ksize": (1, kh, kw, 1), "strides": strides, "padding": padding}
        x = draw(s.distinct_values(dtype, (n, h, w, c)))
        dy = draw(s.values(dtype, (n, win.oh, win.ow, c), -1.0, 1.0))
        if mode == "forward":
            return Example([x], attrs)
        if mode == "max_grad":
            return Example([x, dy], attrs)
        if mode == "max_gradgrad":
            return Example([x, draw(s.values(dtype, (n, h, w, c), -1.0, 1.0))], attrs)
        return Example([dy], {**attrs, "orig_input_shape": (n, h, w, c)})

    return build()


def activation_example(s, kinks=(0.0,), lo=-4.0, hi=4.0):
    """A float tensor whose entries stay 0.05 away from each of the activation's kinks."""

    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        x = draw(s.values(dtype, draw(s.shapes()), lo, hi))
        for k in kinks:
            assume(np.all(np.abs(np.asarray(x, np.float64) - k) > 0.05))
        return Example([x], {})

    return build()


def bias_add_example(s, grad: bool = False):
    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        shape = draw(s.shapes(min_rank=2, max_rank=4, max_side=3))
        x = draw(s.values(dtype, shape))
        if grad:
            return Example([x], {})
        return Example([x, draw(s.values(dtype, shape[-1:]))], {})

    return build()


def fused_batch_norm_example(s):
    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        training = draw(st.booleans())
        shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3)),
                 draw(st.integers(1, 3)))
        assume(not training or shape[0] * shape[1] * shape[2] > 1)
        c = shape[3]
        x = draw(s.values(dtype, shape))
        if training:  # a spread-out batch keeps 1/sqrt(var) well conditioned
            x = (x + np.arange(x.size).reshape(shape) % 3).astype(dtype.np)
        scale, offset = draw(s.values(dtype, (c,), 0.5, 2.0)), draw(s.values(dtype, (c,)))
        mean, var = draw(s.values(dtype, (c,))), draw(s.values(dtype, (c,), 0.5, 2.0))
        return Example([x, scale, offset, mean, var],
                       {"epsilon": 1e-3, "is_training": training})

    return build()


def sparse_xent_example(s):
    @st.composite
    def build(draw):
        dtype = draw(s.dtype_of("float"))
        shape = draw(s.shapes(min_rank=1, max_rank=3))
        logits = draw(s.values(dtype, shape, -4.0, 4.0))
        itype = draw(st.sampled_from([dtypes.int32, dtypes.int64]))
        labels = draw(s.values(itype, shape[:-1], 0, shape[-1] - 1))
        return Example([labels, logits], {})

    return build()


def in_top_k_example(s):
    @st.composite
    def build(draw):
        n, c = draw(st.integers(1, 4)), draw(st.integers(1, 5))
        preds = draw(s.values(dtypes.float32, (n, c)))
        itype = draw(st.sampled_from([dtypes.int32, dtypes.int64]))
        targets = draw(s.values(itype, (n,), 0, c - 1))
        return Example([preds, targets], {"k": draw(st.integers(0, c))})

    return build()
