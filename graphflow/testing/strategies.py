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
from graphflow.testing import nn_strategies as nn  # noqa: F401  the NN ops' examples: s.nn.*

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
    """An array of `dtype` and `shape`, entries in [lo, hi], at least `margin` from `away_from`."""
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
def cast_example(draw, floats_only=False):
    src = draw(dtype_of("float" if floats_only else "any"))
    dst = draw(dtype_of("float" if floats_only else "any"))
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


# --- matmul, add_n and reductions -------------------------------------------------------------
@st.composite
def matmul_example(draw, batched=False):
    """a, b with distinct m, k, n (so a transposition bug changes shapes) and transpose flags."""
    dtype = draw(dtype_of("numeric"))
    m, k, n = draw(st.lists(st.integers(1, 5), min_size=3, max_size=3, unique=True))
    ta, tb = draw(st.booleans()), draw(st.booleans())
    if batched:
        pair = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2,
                                                      min_side=1, max_side=3))
        ba, bb = pair.input_shapes
        attrs = {"adj_x": ta, "adj_y": tb}
    else:
        ba = bb = ()
        attrs = {"transpose_a": ta, "transpose_b": tb}
    a = draw(values(dtype, ba + ((k, m) if ta else (m, k))))
    b = draw(values(dtype, bb + ((n, k) if tb else (k, n))))
    return Example([a, b], attrs)


@st.composite
def add_n_example(draw):
    dtype = draw(dtype_of("numeric"))
    shp = draw(shapes())
    count = draw(st.integers(1, 4))
    return Example([draw(values(dtype, shp)) for _ in range(count)], {})


def axes(rank):
    """A reduction `axis` attribute: None, or a tuple of distinct axes, some negative."""
    if rank == 0:
        return st.sampled_from([None, ()])
    chosen = st.lists(st.integers(0, rank - 1), unique=True, max_size=rank)
    signed = chosen.flatmap(lambda ax: st.tuples(*[st.sampled_from([a, a - rank]) for a in ax]))
    return st.one_of(st.none(), signed)


@st.composite
def distinct_values(draw, dtype, shape, step=0.25):
    """Values at least `step` apart, so max/min have no ties inside a finite-difference step."""
    n = int(np.prod(shape, dtype=np.int64))
    order = np.asarray(draw(st.permutations(range(n))), dtype=np.float64) - n // 2
    return (order.reshape(shape) * (1 if dtype.is_integer else step)).astype(dtype.np)


@st.composite
def reduction_example(draw, kind="numeric", lo=-3.0, hi=3.0, away_from=None, margin=0.05,
                      distinct=False):
    dtype = draw(dtype_of(kind))
    shp = draw(shapes())
    x = draw(distinct_values(dtype, shp) if distinct else
             values(dtype, shp, lo, hi, away_from, margin))
    return Example([x], {"axis": draw(axes(len(shp))), "keepdims": draw(st.booleans())})


@st.composite
def broadcast_reduced_example(draw):
    """(dy, x) where dy has the shape of x reduced over `axis`."""
    dtype = draw(dtype_of(FLOAT_DTYPES))
    shp = draw(shapes())
    axis, keepdims = draw(axes(len(shp))), draw(st.booleans())
    norm = tuple(range(len(shp))) if axis is None else tuple(a % len(shp) for a in axis)
    reduced = np.sum(np.zeros(shp), axis=norm, keepdims=keepdims).shape
    dy = draw(values(dtype, reduced))
    x = draw(values(dtype, shp))
    return Example([dy, x], {"axis": axis, "keepdims": keepdims, "mean": draw(st.booleans())})


@st.composite
def arg_reduction_example(draw):
    dtype = draw(dtype_of("numeric"))
    shp = draw(shapes(min_rank=1))
    axis = draw(st.integers(-len(shp), len(shp) - 1))
    output_type = draw(st.sampled_from([dtypes.int32, dtypes.int64]))
    return Example([draw(values(dtype, shp))], {"axis": axis, "output_type": output_type})


@st.composite
def labels_logits_example(draw, probabilities=False):
    """(labels, logits): distributions over the last axis, or per-entry probabilities."""
    dtype = draw(dtype_of(FLOAT_DTYPES))
    shape = draw(shapes(min_rank=1, max_rank=3))
    logits = draw(values(dtype, shape, -4.0, 4.0))
    raw = draw(values(dtype, shape, 0.0, 1.0))
    if probabilities:
        labels = raw
    else:
        w = np.asarray(raw, dtype=np.float64) + 1e-3
        labels = (w / w.sum(axis=-1, keepdims=True)).astype(dtype.np)
    return Example([labels, logits], {})


# --- array ops (graphflow/ops/array.py, shape_ops.py, slicing.py, gather.py, indexing.py) --------
def _array(draw, kind="numeric", shape=None, min_rank=0, max_rank=3):
    dtype = draw(dtype_of(kind))
    shp = tuple(shape) if shape is not None else draw(shapes(min_rank, max_rank))
    return draw(values(dtype, shp))


@st.composite
def fill_example(draw):
    dtype = draw(dtype_of("any"))
    value = draw(values(dtype, ()))
    return Example([value], {"shape": list(draw(shapes(0, 3)))})


@st.composite
def range_example(draw):
    if draw(st.booleans()):
        start, limit = draw(st.integers(-5, 5)), draw(st.integers(-5, 5))
        delta = draw(st.sampled_from([1, 2, 3, -1, -2]))
        return Example([], {"start": start, "limit": limit, "delta": delta,
                            "dtype": draw(st.sampled_from(INT_DTYPES))})
    start, limit = draw(st.floats(-5, 5, width=32)), draw(st.floats(-5, 5, width=32))
    delta = draw(st.sampled_from([0.5, 1.0, 1.5, -0.7]))
    return Example([], {"start": start, "limit": limit, "delta": delta,
                        "dtype": draw(st.sampled_from(FLOAT_DTYPES))})


@st.composite
def broadcast_to_example(draw):
    target = list(draw(shapes(0, 3)))
    n = draw(st.integers(0, len(target)))
    src = [draw(st.sampled_from([1, d])) for d in target[len(target) - n:]]
    return Example([_array(draw, shape=src)], {"shape": target})


@st.composite
def reshape_example(draw):
    x = _array(draw)
    dims = list(x.shape)
    draw(st.randoms(use_true_random=False)).shuffle(dims)
    target = []
    for d in dims:  # merge neighbours at random so the rank changes too
        if target and draw(st.booleans()):
            target[-1] *= d
        else:
            target.append(d)
    if target and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    if draw(st.booleans()):
        target.insert(draw(st.integers(0, len(target))), 1)
    return Example([x], {"shape": target})


@st.composite
def transpose_example(draw):
    x = _array(draw)
    if draw(st.booleans()):
        return Example([x], {"perm": None})
    return Example([x], {"perm": list(draw(st.permutations(range(x.ndim))))})


@st.composite
def expand_dims_example(draw):
    x = _array(draw)
    return Example([x], {"axis": draw(st.integers(-x.ndim - 1, x.ndim))})


@st.composite
def squeeze_example(draw):
    base = list(draw(shapes(0, 3, min_side=2)))
    n_ones = draw(st.integers(0, 2))
    for _ in range(n_ones):
        base.insert(draw(st.integers(0, len(base))), 1)
    x = _array(draw, shape=base)
    ones = [i for i, d in enumerate(base) if d == 1]
    if not ones or draw(st.booleans()):
        return Example([x], {"axis": None})
    axes = draw(st.lists(st.sampled_from(ones), min_size=1, unique=True))
    return Example([x], {"axis": tuple(a - len(base) if draw(st.booleans()) else a
                                       for a in axes)})


@st.composite
def concat_example(draw):
    base = list(draw(shapes(1, 3)))
    axis = draw(st.integers(0, len(base) - 1))
    dtype = draw(dtype_of("numeric"))
    xs = []
    for _ in range(draw(st.integers(1, 3))):
        shp = list(base)
        shp[axis] = draw(st.integers(1, 3))
        xs.append(draw(values(dtype, tuple(shp))))
    return Example(xs, {"axis": axis - len(base) if draw(st.booleans()) else axis})


@st.composite
def stack_example(draw):
    shp = draw(shapes(0, 3))
    dtype = draw(dtype_of("numeric"))
    xs = [draw(values(dtype, shp)) for _ in range(draw(st.integers(1, 3)))]
    return Example(xs, {"axis": draw(st.integers(-len(shp) - 1, len(shp)))})


@st.composite
def unstack_example(draw):
    x = _array(draw, min_rank=1)
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return Example([x], {"axis": axis, "num": x.shape[axis]})


@st.composite
def split_example(draw):
    x = _array(draw, min_rank=1)
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    d = x.shape[axis]
    if draw(st.booleans()):
        n = draw(st.sampled_from([k for k in range(1, d + 1) if d % k == 0]))
        return Example([x], {"num_split": n, "axis": axis})
    cuts = sorted(draw(st.lists(st.integers(0, d), max_size=3)))
    sizes = list(np.diff([0, *cuts, d]))
    sizes = [int(v) for v in sizes]
    if draw(st.booleans()):
        sizes[draw(st.integers(0, len(sizes) - 1))] = -1
    return Example([x], {"size_splits": tuple(sizes), "axis": axis})


@st.composite
def slice_example(draw):
    x = _array(draw)
    begin, size = [], []
    for d in x.shape:
        b = draw(st.integers(0, d))
        begin.append(b)
        size.append(draw(st.sampled_from([-1, draw(st.integers(0, d - b))])))
    return Example([x], {"begin": tuple(begin), "size": tuple(size)})


@st.composite
def tile_example(draw):
    x = _array(draw, max_rank=3)
    return Example([x], {"multiples": tuple(draw(st.integers(0, 3)) for _ in x.shape)})


@st.composite
def pad_example(draw):
    mode = draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
    x = _array(draw, shape=draw(shapes(0, 3, min_side=2)))
    limit = {"CONSTANT": 3, "REFLECT": -1, "SYMMETRIC": 0}[mode]
    pads = tuple((draw(st.integers(0, d + limit if limit <= 0 else limit)),
                  draw(st.integers(0, d + limit if limit <= 0 else limit))) for d in x.shape)
    attrs = {"paddings": pads, "mode": mode}
    if mode == "CONSTANT":
        attrs["constant_values"] = draw(st.sampled_from([0, 1, -2])) if x.dtype != np.bool_ \
            else False
    return Example([x], attrs)


@st.composite
def mirror_pad_grad_example(draw):
    mode = draw(st.sampled_from(["REFLECT", "SYMMETRIC"]))
    core = draw(shapes(1, 3, min_side=2))
    limit = 1 if mode == "REFLECT" else 0
    pads = tuple((draw(st.integers(0, d - limit)), draw(st.integers(0, d - limit))) for d in core)
    shp = tuple(d + b + a for d, (b, a) in zip(core, pads, strict=True))
    return Example([_array(draw, "float", shape=shp)], {"paddings": pads, "mode": mode})


@st.composite
def _indices(draw, bound, shape=None):
    dtype = draw(st.sampled_from(INT_DTYPES))
    shp = shape if shape is not None else draw(shapes(0, 2))
    return draw(hnp.arrays(dtype.np, shp, elements=st.integers(0, bound - 1)))


@st.composite
def gather_example(draw):
    params = _array(draw, min_rank=1)
    axis = draw(st.integers(-params.ndim, params.ndim - 1))
    return Example([params, draw(_indices(params.shape[axis]))], {"axis": axis})


@st.composite
def scatter_add_example(draw):
    shape = draw(shapes(1, 3))
    axis = draw(st.integers(0, len(shape) - 1))
    idx = draw(_indices(shape[axis]))
    upd_shape = tuple(shape[:axis]) + idx.shape + tuple(shape[axis + 1:])
    return Example([_array(draw, "float", shape=upd_shape), idx],
                   {"axis": axis, "shape": list(shape)})


@st.composite
def one_hot_example(draw):
    depth = draw(st.integers(0, 4))
    idx = draw(hnp.arrays(draw(st.sampled_from(INT_DTYPES)).np, draw(shapes(0, 2)),
                          elements=st.integers(-1, depth)))
    axis = draw(st.integers(-1, idx.ndim))
    dtype = draw(dtype_of("numeric"))
    on, off = draw(st.sampled_from([(1, 0), (5, -1), (2, 3)]))
    return Example([idx], {"depth": depth, "axis": axis, "dtype": dtype, "on_value": on,
                           "off_value": off})


@st.composite
def select_example(draw):
    dtype = draw(dtype_of("numeric"))
    trio = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3,
                                                  min_side=1, max_side=4))
    sc, sx, sy = trio.input_shapes
    return Example([draw(values(dtypes.bool_, sc)), draw(values(dtype, sx)),
                    draw(values(dtype, sy))], {})


@st.composite
def index_spec(draw, shape):
    """A valid basic-indexing spec for `shape` in the StridedSlice canonical form."""
    rank = len(shape)
    used = draw(st.integers(0, rank))
    entries = []
    for d in shape[:used]:
        if draw(st.booleans()):
            entries.append(("int", draw(st.integers(-d, d - 1))))
        else:
            bound = st.one_of(st.none(), st.integers(-d - 1, d + 1))
            entries.append(("slice", draw(bound), draw(bound),
                            draw(st.sampled_from([1, 1, 2, -1, -2]))))
    for _ in range(draw(st.integers(0, 2))):
        entries.insert(draw(st.integers(0, len(entries))), ("newaxis",))
    if draw(st.booleans()):
        pos = draw(st.integers(0, len(entries)))
        entries.insert(pos, ("ellipsis",))
        # an explicit ellipsis in the middle: the remaining entries index the last axes
        tail = [e for e in entries[pos + 1:] if e[0] in ("int", "slice")]
        head = [e for e in entries[:pos] if e[0] in ("int", "slice")]
        assume(len(head) + len(tail) <= rank)
        dims = list(shape[:len(head)]) + list(shape[rank - len(tail):])
        k = 0
        for i, e in enumerate(entries):
            if e[0] == "int":
                d = dims[k]
                entries[i] = ("int", max(-d, min(e[1], d - 1)))
            if e[0] in ("int", "slice"):
                k += 1
    return tuple(entries)


@st.composite
def strided_slice_example(draw):
    x = _array(draw)
    return Example([x], {"spec": draw(index_spec(x.shape))})


@st.composite
def strided_slice_grad_example(draw):
    shape = draw(shapes(0, 3))
    spec = draw(index_spec(shape))
    from graphflow.ops.indexing import numpy_key

    out_shape = np.zeros(shape)[numpy_key(spec)].shape
    return Example([_array(draw, "float", shape=out_shape)], {"spec": spec, "shape": list(shape)})
