"""The fused evaluator's multiply-adds: single-use Muls folded into the Add/Sub that reads them.

Each fold must compute what the unfused members did (to within an FMA's single rounding), for
every place a scalar, a tiled or a full operand can sit, and must leave Muls alone whose result
is read twice or is itself an output.
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow._ext import fused as ext
from graphflow.executors.cpu.kernels_fused import _OPCODES, _multiply_adds

MUL, ADD, SUB = _OPCODES["Mul"], _OPCODES["Add"], _OPCODES["Sub"]


def _run(fetches, feed):
    got = tf.Session(executor="cpu").run(fetches, feed)
    ref = tf.Session(executor="reference").run(fetches, feed)
    return got, ref


@pytest.mark.parametrize("shape_b", [(), (7,), (5, 7)])  # scalar, tiled row, full
@pytest.mark.parametrize("form", ["a*b+c", "c+a*b", "a*b-c", "c-a*b", "a*b+c*e", "a*b-c*e",
                                  "b*a-e*c"])
def test_folded_forms_agree_with_the_reference(form, shape_b):
    rng = np.random.default_rng(len(form) * 10 + len(shape_b))
    a = tf.placeholder(tf.float32, [5, 7])
    b = tf.placeholder(tf.float32, list(shape_b))
    c = tf.placeholder(tf.float32, [5, 7])
    e = tf.constant(np.float32(0.25))
    y = tf.tanh(eval(form, {}, {"a": a, "b": b, "c": c, "e": e}))  # the fold feeds a member
    feed = {a: rng.standard_normal((5, 7)).astype(np.float32),
            b: rng.standard_normal(shape_b).astype(np.float32),
            c: rng.standard_normal((5, 7)).astype(np.float32)}
    got, ref = _run([y], feed)
    np.testing.assert_allclose(got[0], ref[0], rtol=2e-6, atol=1e-6)


def test_only_single_use_muls_that_are_not_results_are_folded():
    # members: 0 = x * y, 1 = m0 + z, 2 = x * z (read twice), 3 = m2 + m2, 4 = m0' as a result
    program = [("Mul", {}, (0, 1)), ("Add", {}, (-1, 2)), ("Mul", {}, (0, 2)),
               ("Add", {}, (-3, -3)), ("Mul", {}, (1, 2)), ("Sub", {}, (-5, 0))]
    out = _multiply_adds(program, results=(1, 3, 4, 5))
    assert out[0] == ("", None, ()) and out[1] == (ext.MUL_ADD, None, (0, 1, 2))
    assert out[2:5] == program[2:5]  # read twice; a result
    assert out[5] == program[5]


def test_an_output_aliasing_its_input_still_reads_each_block_first():
    n = 5000  # several blocks and both threads
    x = np.linspace(-3, 3, n, dtype=np.float32)
    code = [(ext.MUL_MUL_SUB, 2, 0, 1, 0, 0)]  # x * s - x * x
    ev = ext.Evaluator(code, 2, 3, [2], [(ext.FULL, 1, n), (ext.SCALAR, 1, 1)], (n,),
                       np.float32, 256)
    expected = x * np.float32(1.5) - x * x
    assert ev(x, x, np.float32(1.5)) is x  # in place: the result lands after each block
    np.testing.assert_allclose(x, expected, rtol=2e-6, atol=1e-6)


def test_a_multiply_add_with_the_wrong_operand_count_is_refused():
    with pytest.raises(ValueError, match="instruction 0"):
        ext.Evaluator([(ext.MUL_ADD, 2, 0, 1)], 2, 3, [2], [(ext.FULL, 1, 4)] * 2, (4,),
                      np.float32, 16)
