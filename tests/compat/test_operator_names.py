"""Python operators name their ops and converted constants as TF1's do.

Recorded from tf.compat.v1 in graph mode (TF 2.21) on 2026-12-02: for each expression, the names
of the ops it adds, in order, and the inputs of the last one; `a`, `v`, `m`, `p`, `q` are
Consts made beforehand. graphflow's `v[0]` reads its bounds from attributes (TF1 from three
Consts `strided_slice/stack*`) and `p ^ q` is one LogicalXor (TF1 builds it from And/Or/Not),
so for those only the op's name is compared.
"""

import pytest

import graphflow.compat.v1 as tf
from graphflow.errors import ShapeError

# expression -> (names of the ops it adds, inputs of the last one), TF1's at the root scope
RECORDED = {
    "a + 2.0": (["add/y", "add"], ["a:0", "add/y:0"]),
    "2.0 + a": (["add/x", "add"], ["add/x:0", "a:0"]),
    "a + v": (["add"], ["a:0", "v:0"]),
    "a - 2.0": (["sub/y", "sub"], ["a:0", "sub/y:0"]),
    "2.0 - a": (["sub/x", "sub"], ["sub/x:0", "a:0"]),
    "a * 2.0": (["mul/y", "mul"], ["a:0", "mul/y:0"]),
    "2.0 * a": (["mul/x", "mul"], ["mul/x:0", "a:0"]),
    "a / 2.0": (["truediv/y", "truediv"], ["a:0", "truediv/y:0"]),
    "2.0 / a": (["truediv/x", "truediv"], ["truediv/x:0", "a:0"]),
    "a // 2.0": (["floordiv/y", "floordiv"], ["a:0", "floordiv/y:0"]),
    "2.0 // a": (["floordiv/x", "floordiv"], ["floordiv/x:0", "a:0"]),
    "a % 2.0": (["mod/y", "mod"], ["a:0", "mod/y:0"]),
    "2.0 % a": (["mod/x", "mod"], ["mod/x:0", "a:0"]),
    "a ** 2.0": (["pow/y", "pow"], ["a:0", "pow/y:0"]),
    "2.0 ** a": (["pow/x", "pow"], ["pow/x:0", "a:0"]),
    "-a": (["Neg"], ["a:0"]),
    "abs(a)": (["Abs"], ["a:0"]),
    "m @ m": (["matmul"], ["m:0", "m:0"]),
    "m @ [[1.0]]": (["matmul/b", "matmul"], ["m:0", "matmul/b:0"]),
    "[[1.0]] @ m": (["matmul/x", "matmul"], ["matmul/x:0", "m:0"]),
    "a < 2.0": (["Less/y", "Less"], ["a:0", "Less/y:0"]),
    "a <= 2.0": (["LessEqual/y", "LessEqual"], ["a:0", "LessEqual/y:0"]),
    "a > 2.0": (["Greater/y", "Greater"], ["a:0", "Greater/y:0"]),
    "a >= 2.0": (["GreaterEqual/y", "GreaterEqual"], ["a:0", "GreaterEqual/y:0"]),
    "2.0 < a": (["Greater/y", "Greater"], ["a:0", "Greater/y:0"]),
    "~p": (["LogicalNot"], ["p:0"]),
    "p & q": (["and"], ["p:0", "q:0"]),
    "p | q": (["or"], ["p:0", "q:0"]),
    "p & True": (["and/y", "and"], ["p:0", "and/y:0"]),
    "a + a + a": (["add", "add_1"], ["add:0", "a:0"]),
    "tf.add(a, v)": (["Add"], ["a:0", "v:0"]),
    "tf.multiply(a, v)": (["Mul"], ["a:0", "v:0"]),
    "i / 2": (
        ["truediv/y", "truediv/Cast", "truediv/Cast_1", "truediv"],
        ["truediv/Cast:0", "truediv/Cast_1:0"],
    ),
}
NAME_ONLY = {"v[0]": "strided_slice", "v[1:]": "strided_slice", "p ^ q": "xor"}


def _build(expression, scope):
    g = tf.Graph()
    with g.as_default():
        env = {
            "tf": tf,
            "a": tf.constant(1.0, name="a"),
            "v": tf.constant([1.0, 2.0], name="v"),
            "m": tf.constant([[1.0]], name="m"),
            "p": tf.constant(True, name="p"),
            "q": tf.constant(False, name="q"),
            "i": tf.constant(3, name="i"),
        }
        before = len(g.get_operations())
        if scope:
            with tf.name_scope(scope):
                out = eval(expression, env)  # noqa: S307 - the recorded expressions above
        else:
            out = eval(expression, env)  # noqa: S307
        return out, [op.name for op in g.get_operations()[before:]]


@pytest.mark.parametrize("scope", ["", "s"])
@pytest.mark.parametrize("expression", sorted(RECORDED))
def test_operators_name_their_ops_as_tf1(expression, scope):
    out, made = _build(expression, scope)
    names, inputs = RECORDED[expression]
    prefix = f"{scope}/" if scope else ""
    inside = {n.split(":")[0] for n in inputs} & set(names)  # inputs the expression made
    assert made == [prefix + n for n in names]
    assert [t.name for t in out.op.inputs] == [
        prefix + t if t.split(":")[0] in inside else t for t in inputs
    ]


@pytest.mark.parametrize("scope", ["", "s"])
@pytest.mark.parametrize("expression", sorted(NAME_ONLY))
def test_indexing_and_xor_take_tf1s_op_name(expression, scope):
    out, _ = _build(expression, scope)
    assert out.op.name == (f"{scope}/" if scope else "") + NAME_ONLY[expression]


def test_a_repeated_operator_and_a_taken_name_get_suffixes():
    with tf.Graph().as_default():  # TF1 gives the same names, then `Add_3` for tf.add
        a = tf.constant(1.0, name="a")
        taken = tf.constant(0.0, name="add")
        assert (a + taken).op.name == "add_1"  # TF1: the scope `add` is taken, so `add_1`
        assert (a + 1.0).op.inputs[1].op.name == "add_2/y"
        assert tf.add(a, taken).op.name == "Add_3"  # names are unique ignoring case


def test_a_shape_error_names_the_operators_op():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        with pytest.raises(ShapeError, match=r"^Add 'add' built at .*test_operator_names\.py"):
            x + tf.constant([1.0, 2.0, 3.0])


# The binary functions, recorded the same day: for `f(p, 2.0)`, `f(2.0, p)` and, inside
# `name_scope("s")`, `f(p, 3.0, name="nm")`, the op's name and its inputs' op names. All were built
# in one graph, in this order (hence `Sub`'s `s_1`), exactly as the test below rebuilds them.
FUNCTIONS = {
    "add": [("Add", ["p", "Add/y"]), ("Add_1", ["Add_1/x", "p"]), ("s/nm", ["p", "s/nm/y"])],
    "subtract": [
        ("Sub", ["p", "Sub/y"]),
        ("Sub_1", ["Sub_1/x", "p"]),
        ("s_1/nm", ["p", "s_1/nm/y"]),
    ],
    "multiply": [
        ("Mul", ["p", "Mul/y"]),
        ("Mul_1", ["Mul_1/x", "p"]),
        ("s_2/nm", ["p", "s_2/nm/y"]),
    ],
    "maximum": [
        ("Maximum", ["p", "Maximum/y"]),
        ("Maximum_1", ["Maximum_1/x", "p"]),
        ("s_3/nm", ["p", "s_3/nm/y"]),
    ],
    "minimum": [
        ("Minimum", ["p", "Minimum/y"]),
        ("Minimum_1", ["Minimum_1/x", "p"]),
        ("s_4/nm", ["p", "s_4/nm/y"]),
    ],
    "pow": [("Pow", ["p", "Pow/y"]), ("Pow_1", ["Pow_1/x", "p"]), ("s_5/nm", ["p", "s_5/nm/y"])],
    "less": [
        ("Less", ["p", "Less/y"]),
        ("Less_1", ["Less_1/x", "p"]),
        ("s_6/nm", ["p", "s_6/nm/y"]),
    ],
    "equal": [
        ("Equal", ["p", "Equal/y"]),
        ("Equal_1", ["Equal_1/x", "p"]),
        ("s_7/nm", ["p", "s_7/nm/y"]),
    ],
    "squared_difference": [
        ("SquaredDifference", ["p", "SquaredDifference/y"]),
        ("SquaredDifference_1", ["SquaredDifference_1/x", "p"]),
        ("s_8/nm", ["p", "s_8/nm/y"]),
    ],
    "atan2": [
        ("Atan2", ["p", "Atan2/x"]),
        ("Atan2_1", ["Atan2_1/y", "p"]),
        ("s_9/nm", ["p", "s_9/nm/x"]),
    ],
    "floormod": [
        ("FloorMod", ["p", "FloorMod/y"]),
        ("FloorMod_1", ["FloorMod_1/x", "p"]),
        ("s_10/nm", ["p", "s_10/nm/y"]),
    ],
    "mod": [
        ("FloorMod_2", ["p", "FloorMod_2/y"]),
        ("FloorMod_3", ["FloorMod_3/x", "p"]),
        ("s_11/nm", ["p", "s_11/nm/y"]),
    ],
    "logical_and": [
        ("LogicalAnd", ["Placeholder", "LogicalAnd/y"]),
        ("LogicalAnd_1", ["LogicalAnd_1/x", "Placeholder"]),
        ("s_12/nm", ["Placeholder", "s_12/nm/y"]),
    ],
    "not_equal": [
        ("NotEqual", ["p", "NotEqual/y"]),
        ("NotEqual_1", ["NotEqual_1/x", "p"]),
        ("s_13/nm", ["p", "s_13/nm/y"]),
    ],
    "greater_equal": [
        ("GreaterEqual", ["p", "GreaterEqual/y"]),
        ("GreaterEqual_1", ["GreaterEqual_1/x", "p"]),
        ("s_14/nm", ["p", "s_14/nm/y"]),
    ],
    "realdiv": [
        ("RealDiv", ["p", "RealDiv/y"]),
        ("RealDiv_1", ["RealDiv_1/x", "p"]),
        ("s_15/nm", ["p", "s_15/nm/y"]),
    ],
    "truncatediv": [
        ("TruncateDiv", ["Placeholder_1", "TruncateDiv/y"]),
        ("TruncateDiv_1", ["TruncateDiv_1/x", "Placeholder_1"]),
        ("s_16/nm", ["Placeholder_1", "s_16/nm/y"]),
    ],
}


def test_binary_functions_name_their_ops_and_operands_as_tf1():
    import graphflow as gf

    got = {}
    with gf.Graph().as_default():
        p = gf.placeholder(gf.float32, [2], name="p")
        for fn in FUNCTIONS:
            a, two, three = p, 2.0, 3.0
            if fn == "logical_and":
                a, two, three = gf.placeholder(gf.bool, [2]), True, False
            elif fn == "truncatediv":
                a, two, three = gf.placeholder(gf.int32, [2]), 2, 3
            f = getattr(gf, fn)
            outs = [f(a, two), f(two, a)]
            with gf.name_scope("s"):
                outs.append(f(a, three, name="nm"))
            got[fn] = [(o.op.name, [i.op.name for i in o.op.inputs]) for o in outs]
    assert got == FUNCTIONS
