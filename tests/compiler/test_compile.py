"""The compiler's prune/sort/slot plan: only what the fetches need, in a deterministic order."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import PASS_NAMES
from graphflow.compiler import compile_plan as _compile
from graphflow.errors import InvalidArgumentError

UNOPTIMISED = [p for p in PASS_NAMES if p != "specialize"]


def compile_plan(fetches, targets, feeds):
    """The plan before the optimising passes, whose structure these tests check."""
    return _compile(fetches, targets, feeds, disabled=UNOPTIMISED)


def test_prune_keeps_only_ancestors_of_the_fetches():
    a = tf.placeholder(tf.float32, [2], name="a")
    b = tf.placeholder(tf.float32, [2], name="b")
    used = tf.exp(a, name="used")
    tf.sqrt(b, name="unused")
    plan = compile_plan([used], [], [a])
    assert [s.name for s in plan.steps] == ["used"]
    plan.verify()


def test_fed_tensors_cut_the_graph_above_them():
    a = tf.placeholder(tf.float32, [2], name="a")
    mid = tf.exp(a, name="mid")
    out = tf.negative(mid, name="out")
    plan = compile_plan([out], [], [mid])  # feeding mid means a is not needed
    assert [s.name for s in plan.steps] == ["out"]


def test_missing_feed_names_the_placeholder_and_the_fetch():
    a = tf.placeholder(tf.float32, [None, 784], name="images")
    out = tf.exp(a, name="activation")
    with pytest.raises(InvalidArgumentError) as info:
        compile_plan([out], [], [])
    text = str(info.value)
    assert "images" in text and "[?,784]" in text and "activation:0" in text
    assert "test_compile.py" in text


def test_order_is_topological_and_deterministic():
    x = tf.placeholder(tf.float32, [3], name="x")
    branches = [tf.exp(x, name=f"b{i}") for i in range(5)]
    total = branches[0]
    for b in branches[1:]:
        total = total + b
    names = [[s.name for s in compile_plan([total], [], [x]).steps] for _ in range(3)]
    assert names[0] == names[1] == names[2]
    pos = {n: i for i, n in enumerate(names[0])}
    last_add = max(i for n, i in pos.items() if n.lower().startswith("add"))  # Add or TF1's add
    assert all(pos[f"b{i}"] < last_add for i in range(5))
    assert names[0][:5] == [f"b{i}" for i in range(5)]


def test_control_inputs_are_scheduled_before_their_dependents():
    v = tf.Variable(1.0, name="v")
    with tf.control_dependencies([v.initializer]):
        out = tf.identity(v * 2.0, name="out")
    plan = compile_plan([out], [], [])
    names = [s.name for s in plan.steps]
    assert names.index("v/Assign") < names.index("out")
    with tf.Session() as sess:
        assert sess.run(out) == 2.0


def test_slots_are_freed_after_their_last_reader_but_never_fetches():
    x = tf.placeholder(tf.float32, [3], name="x")
    a = tf.exp(x, name="a")
    b = tf.negative(a, name="b")
    c = tf.square(b, name="c")
    plan = compile_plan([c, a], [], [x])
    freed = {s for step in plan.steps for s in step.frees}
    fetched = set(plan.fetch_slots)
    assert not freed & fetched
    b_slot = next(st.out_slots[0] for st in plan.steps if st.name == "b")
    assert b_slot in freed
    text = str(plan)
    assert "Exp" in text and "return" in text


def test_session_caches_the_compiled_plan_per_signature():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = x * 2.0
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y, {x: np.ones(3, np.float32)})
        assert len(sess._runnables) == 1
        sess.run(y, {x: np.ones(4, np.float32)})
        assert len(sess._runnables) == 2  # keyed by feed shapes too (for shape specialisation)
