"""Comparing an executor's results with the reference executor's, shared by the executor tests."""

from __future__ import annotations

import numpy as np

# (rtol, atol) per dtype for results that must agree with the NumPy reference.
TOLERANCES = {np.dtype(np.float32): (1e-5, 1e-6), np.dtype(np.float64): (1e-10, 1e-12),
              np.dtype(np.float16): (1e-3, 1e-3)}


def assert_agree(got, expected, what: str = "", tolerances=None) -> None:
    """Same dtype, shape and NaN positions, values within the dtype's tolerance."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype, f"{what}: dtype {got.dtype} vs {expected.dtype}"
    assert got.shape == expected.shape, f"{what}: shape {got.shape} vs {expected.shape}"
    if expected.dtype.kind in "fc":
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected), err_msg=f"{what}: NaNs")
        rtol, atol = (tolerances or TOLERANCES)[expected.dtype]
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=what)
    else:
        np.testing.assert_array_equal(got, expected, err_msg=what)


def noncontiguous(x):
    """The same values in memory that is not C-contiguous (every other element of a wider array,
    or a transposed copy for matrices)."""
    x = np.asarray(x)
    if x.ndim == 0 or x.size == 0:
        return x
    if x.ndim == 2 and x.shape[0] > 1 and x.shape[1] > 1 and x.sum() % 2 == 0:
        return np.ascontiguousarray(x.T).T
    wide = np.zeros(x.shape[:-1] + (2 * x.shape[-1],), x.dtype)[..., ::2]
    wide[...] = x
    return wide
