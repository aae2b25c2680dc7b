"""Hypothesis strategies that ops use in their `examples`, so every op's tests are generated.

Imported only by tests (hypothesis is a dev dependency). Every strategy returns `Example`s whose
values avoid an op's kinks (|x| > margin where the derivative jumps), so the same examples serve
shape inference, executor agreement and float64 gradient checks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graphflow.core import dtypes
from graphflow.ops.registry import Example

FLOAT_DTYPES = (dtypes.float32, dtypes.float64)
INT_DTYPES = (dtypes.int32, dtypes.int64)

KIND_DTYPES = {
    "float": FLOAT_DTYPES,
    "numeric": FLOAT_DTYPES + INT_DTYPES,
    "signed": FLOAT_DTYPES + INT_DTYPES,
    "bool": (dtypes.bool_,),
    "any": FLOAT_DTYPES + INT_DTYPES + (dtypes.bool_,),
}


def shapes(min_rank=0, max_rank=3, min_side=1, max_side=4):
    """Shapes with distinct-enough sides that a transposition bug changes the result."""
    return hnp.array_shapes(min_dims=min_rank, max_dims=max_rank, min_side=min_side,
                            max_side=max_side) if max_rank > 0 else st.just(())


def values(dtype, shape, lo=-3.0, hi=3.0, away_from=None, margin=0.05):
    """An array of `dtype` and `shape` with entries in [lo, hi], at least `margin` from `away_from`."""
    if dtype.is_bool:
        return hnp.arrays(np.bool_, shape)
    if dtype.is_integer:
        lo_i, hi_i = int(np.ceil(lo)), int(np.floor(hi))
        elements = st.integers(lo_i, hi_i)
        if away_from is not None:
            elements = elements.filter(lambda v: v != away_from)
        return hnp.arrays(dtype.np, shape, elements=elements)
    lo32, hi32 = float(np.float32(lo)), float(np.float32(hi))
    lo32 = lo32 if lo32 >= lo else float(np.nextafter(np.float32(lo), np.float32(np.inf)))
    hi32 = hi32 if hi32 <= hi else float(np.nextafter(np.float32(hi), np.float32(-np.inf)))
    elements = st.floats(lo32, hi32, allow_nan=False, allow_infinity=False, width=32,
                         allow_subnormal=False).filter(lambda v: v == 0 or abs(v) >= 1e-3)
    if away_from is not None:
        elements = elements.filter(lambda v: abs(v - away_from) > margin)
    return hnp.arrays(dtype.np, shape, elements=elements)


def dtype_of(kind_or_dtypes):
    choices = KIND_DTYPES[kind_or_dtypes] if isinstance(kind_or_dtypes, str) else kind_or_dtypes
    return st.sampled_from(list(choices))


@st.composite
def unary_example(draw, kind="float", lo=-3.0, hi=3.0, away_from=None, margin=0.05,
                  shape=None, attrs=None):
    dtype = draw(dtype_of(kind))
    shp = draw(shape if shape is not None else shapes())
    x = draw(values(dtype, shp, lo, hi, away_from, margin))
    return Example([x], dict(attrs or {}))


@st.composite
def binary_example(draw, kind="numeric", lo=-3.0, hi=3.0, rhs_away_from=None, distinct=False):
    """Two operands of one dtype whose shapes broadcast together."""
    dtype = draw(dtype_of(kind))
    pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                  min_side=1, max_side=4))
    sx, sy = pair.input_shapes
    x = draw(values(dtype, sx, lo, hi))
    y = draw(values(dtype, sy, lo, hi, away_from=rhs_away_from, margin=0.1))
    if distinct and dtype.is_floating:
        # max/min must not switch branches inside a finite-difference step
        gap = np.abs(np.subtract(x, y, dtype=np.float64))
        assume(gap.size == 0 or gap.min() > 0.05)
    return Example([x, y], {})


@st.composite
def cast_example(draw):
    src = draw(dtype_of("any"))
    dst = draw(dtype_of("any"))
    shp = draw(shapes())
    x = draw(values(src, shp, -100, 100) if not src.is_bool else values(src, shp))
    return Example([x], {"dtype": dst})


@st.composite
def broadcast_pair_example(draw, reduce=True):
    """(big, small) where small broadcasts to big; `reduce` orders them (grad, like)."""
    dtype = draw(dtype_of(FLOAT_DTYPES))
    big = draw(shapes(min_rank=0, max_rank=3))
    lead = draw(st.integers(0, len(big)))
    small = tuple(1 if draw(st.booleans()) else d for d in big[lead:])
    a = draw(values(dtype, big))
    b = draw(values(dtype, small))
    return Example([a, b] if reduce else [b, a], {})
