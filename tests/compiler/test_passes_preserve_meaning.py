"""Every pass preserves meaning: random graphs give the same results with passes on and off."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import graphflow as tf
from graphflow.compiler import PASS_NAMES

UNARY = ["exp", "tanh", "sigmoid", "negative", "square", "abs", "relu", "identity"]
BINARY = ["add", "subtract", "multiply", "maximum"]


@st.composite
def random_graph(draw):
    """A recipe: a list of (kind, args) steps over a growing pool of float64 (3, 4) tensors."""
    steps = []
    pool = 2  # two placeholders to start
    for _ in range(draw(st.integers(3, 14))):
        kind = draw(st.sampled_from(["unary", "binary", "const", "duplicate", "transpose2",
                                     "reshape2", "bias", "neutral"]))
        pick = st.integers(0, pool - 1)
        if kind == "unary":
            steps.append((kind, draw(st.sampled_from(UNARY)), draw(pick)))
        elif kind in ("binary", "duplicate"):
            steps.append((kind, draw(st.sampled_from(BINARY)), draw(pick), draw(pick)))
        elif kind == "const":
            steps.append((kind, draw(st.floats(-2, 2, allow_nan=False)), draw(pick)))
        elif kind == "neutral":
            steps.append((kind, draw(st.sampled_from(["mul1", "add0", "sub0", "negneg"])),
                          draw(pick)))
        else:
            steps.append((kind, draw(pick)))
        pool += 1
    fetched = draw(st.lists(st.integers(0, pool - 1), min_size=1, max_size=4, unique=True))
    return steps, fetched


def build(recipe):
    steps, fetched = recipe
    a = tf.placeholder(tf.float64, [None, 4], name="a")
    b = tf.placeholder(tf.float64, [3, 4], name="b")
    pool = [a, b]
    for step in steps:
        kind = step[0]
        if kind == "unary":
            pool.append(getattr(tf, step[1])(pool[step[2]]))
        elif kind == "binary":
            pool.append(getattr(tf, step[1])(pool[step[2]], pool[step[3]]))
        elif kind == "duplicate":  # the same op twice on the same inputs: CSE material
            fn = getattr(tf, step[1])
            pool.append(fn(pool[step[2]], pool[step[3]]) + fn(pool[step[2]], pool[step[3]]))
        elif kind == "const":  # a constant subexpression: folding material
            c = tf.constant(np.full(4, step[1]))
            pool.append(pool[step[2]] * tf.exp(c * 0.5 + 1.0))
        elif kind == "transpose2":
            pool.append(tf.transpose(tf.transpose(pool[step[1]])))
        elif kind == "reshape2":
            pool.append(tf.reshape(tf.reshape(pool[step[1]], [-1]), [-1, 4]))
        elif kind == "bias":
            pool.append(pool[step[1]] + tf.constant([1.0, 2.0, 3.0, 4.0], dtype=tf.float64))
        else:
            x = pool[step[2]]
            pool.append({"mul1": lambda: x * 1.0, "add0": lambda: x + 0.0,
                         "sub0": lambda: x - 0.0, "negneg": lambda: -(-x)}[step[1]]())
    return a, b, [pool[i] for i in fetched]


@given(recipe=random_graph(), seed=st.integers(0, 2**16),
       disabled=st.sampled_from([(), PASS_NAMES[1:]] + [(p,) for p in PASS_NAMES]))
def test_passes_do_not_change_results(recipe, seed, disabled):
    graph = tf.Graph()
    with graph.as_default():
        a, b, fetches = build(recipe)
        rng = np.random.default_rng(seed)
        feed = {a: rng.uniform(-2, 2, (3, 4)), b: rng.uniform(-2, 2, (3, 4))}
        with tf.Session(graph=graph, disabled_passes=PASS_NAMES) as plain:
            expected = plain.run(fetches, feed)
        with tf.Session(graph=graph, disabled_passes=disabled) as optimised:
            got = optimised.run(fetches, feed)
            again = optimised.run(fetches, feed)  # reused buffers must not leak between runs
    for e, g, g2 in zip(expected, got, again):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(g2, e, rtol=1e-12, atol=1e-12)
