"""Generated from the op registry: every differentiable op's gradient against finite differences.

float64, central differences with eps 1e-5, a random projection of the outputs, and the course's
relative-difference threshold of 1e-7 (SEEDS.md section 4).
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing import strategies
from graphflow.testing.gradient_check import check_gradients

DIFFERENTIABLE = sorted(
    (name, cls) for name, cls in registered_ops().items()
    if not isinstance(cls.examples, NoExamples) and not cls.not_differentiable
)


def test_every_registered_op_is_either_differentiable_or_says_it_is_not():
    for name, cls in registered_ops().items():
        has_gradient = cls.gradient is not None
        assert has_gradient or cls.not_differentiable or isinstance(cls.examples, NoExamples), \
            f"{name} defines no gradient and is not marked not_differentiable"


@pytest.mark.parametrize("name,cls", DIFFERENTIABLE, ids=[n for n, _ in DIFFERENTIABLE])
@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_gradient_matches_finite_differences(name, cls, data):
    make = cls.gradient_examples or cls.examples
    example = data.draw(make(strategies), label="example")
    floats = [i for i, v in enumerate(example.inputs) if np.asarray(v).dtype.kind == "f"]
    assume(floats and all(np.asarray(example.inputs[i]).size > 0 for i in floats))
    assume(all(np.asarray(example.inputs[i]).size <= 64 for i in floats))

    def build(*tensors):
        return apply_op(cls(**_as_float64(example.attrs)), list(tensors))

    try:
        # ops may name the inputs a gradient flows into (polygamma's order gets none, as TF1)
        error = check_gradients(build, example.inputs, wrt=cls.gradient_wrt)
    except ValueError as err:  # e.g. a cast to int: nothing to differentiate
        assume("no floating-point output" not in str(err))
        raise
    assert error < 1e-7, f"{name}: relative difference {error:.3g}"


def _as_float64(attrs):
    from graphflow.core import dtypes

    return {k: (dtypes.float64 if v in (dtypes.float32,) else v) for k, v in attrs.items()}
