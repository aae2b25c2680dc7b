"""The fused evaluator's per-call paths: operand tables on the stack or the heap, registers on
the stack (small one-thread runs) or allocated, and operands it must convert first.

W1's tiny runs take the stack paths; these tests make sure the others still agree with NumPy.
"""

import numpy as np
import pytest

from graphflow._ext import fused as ext
from graphflow.executors.cpu.kernels_fused import _OPCODES

ADD, MUL = _OPCODES["Add"], _OPCODES["Mul"]


def _ring(nin):
    """out_k = in_k * in_(k+1) + in_k for k < nin: nin inputs, nin outputs, 2 * nin registers."""
    code = []
    for k in range(nin):
        code.append((MUL, nin + k, k, (k + 1) % nin))
        code.append((ADD, nin + k, nin + k, k))
    return code


@pytest.mark.parametrize("nin", [3, 9])  # 9 > the 8 operands whose tables live on the stack
@pytest.mark.parametrize("n,block", [(7, 16), (3000, 256)])  # stack registers / allocated ones
def test_many_operands_and_register_files_agree_with_numpy(nin, n, block):
    rng = np.random.default_rng(nin * n)
    xs = [rng.standard_normal(n).astype(np.float32) for _ in range(nin)]
    ev = ext.Evaluator(_ring(nin), nin, 2 * nin, list(range(nin, 2 * nin)),
                       [(ext.FULL, 1, n)] * nin, (n,), np.float32, block)
    got = ev(None, *xs)
    assert isinstance(got, tuple) and len(got) == nin
    for k in range(nin):
        expected = xs[k] * xs[(k + 1) % nin] + xs[k]
        np.testing.assert_allclose(got[k], expected, rtol=1e-6, atol=1e-6)


def test_byte_swapped_and_wrong_dtype_operands_are_converted():
    x = np.linspace(-2, 2, 40)
    ev = ext.Evaluator([(MUL, 2, 0, 1)], 2, 3, [2], [(ext.FULL, 1, 40), (ext.SCALAR, 1, 1)],
                       (40,), np.float32, 16)
    swapped = x.astype(">f4")
    out = np.empty(40, ">f4")  # the loop cannot write it directly: filled by a copy
    assert ev(out, swapped, np.float64(3.0).reshape(1)) is out
    np.testing.assert_allclose(out, x * 3, rtol=1e-6)
    assert ev(None, x, np.ones(1, np.float32)).dtype == np.float32


def test_an_operand_of_the_wrong_size_names_the_shapes():
    ev = ext.Evaluator([(ADD, 1, 0, 0)], 1, 2, [1], [(ext.FULL, 1, 6)], (2, 3), np.float32, 16)
    with pytest.raises(ValueError, match=r"input 0 has shape \(5,\).*output shape \(2, 3\)"):
        ev(None, np.ones(5, np.float32))
