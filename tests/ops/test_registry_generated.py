"""Tests generated from the op registry: every op's static inference against its runtime result.

For each op with examples, hypothesis draws valid inputs; the op is applied to placeholders whose
shapes are fully known, or partly/fully unknown, and the reference result must have the inferred
dtype and a shape compatible with the inferred one (equal to it when the inputs were fully known).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphflow as gf
from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing import strategies

OPS = sorted(registered_ops().items())
GENERATED = [(name, cls) for name, cls in OPS if not isinstance(cls.examples, NoExamples)]


def test_every_op_has_examples_or_says_why():
    for name, cls in OPS:
        if isinstance(cls.examples, NoExamples):
            assert cls.examples.reason, name
        else:
            assert callable(cls.examples), name


def _masked(shape, mask):
    if mask == "unknown_rank":
        return None
    if mask == "unknown_dims":
        return [None] * len(shape)
    return list(shape)


@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@given(data=st.data(), mask=st.sampled_from(["known", "unknown_dims", "unknown_rank"]))
def test_inferred_shape_and_dtype_match_runtime(name, cls, data, mask):
    example = data.draw(cls.examples(strategies), label="example")
    graph = gf.Graph()
    with graph.as_default():
        phs = [gf.placeholder(gf.as_dtype(v.dtype), _masked(np.shape(v), mask))
               for v in example.inputs]
        out = apply_op(cls(**example.attrs), phs)
        outs = list(out) if isinstance(out, tuple) else [out]
        with gf.Session(graph=graph) as sess:
            results = sess.run(outs, dict(zip(phs, example.inputs)))
    for t, value in zip(outs, results):
        value = np.asarray(value)
        assert value.dtype == t.dtype.np, f"{name}: runtime {value.dtype} vs inferred {t.dtype}"
        assert t.shape.is_compatible_with(value.shape), \
            f"{name}: runtime shape {value.shape} vs inferred {t.shape}"
        if mask == "known":
            assert t.shape.is_fully_defined(), f"{name}: inferred {t.shape} from known inputs"
            assert tuple(t.shape.as_list()) == value.shape
