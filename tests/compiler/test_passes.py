"""Each pass does its job and says so in the report that `Session.explain` prints."""

import numpy as np

import graphflow as tf
from graphflow.compiler import PASS_NAMES, compile_plan


def report(plan):
    return dict(plan.report)


def types(plan):
    return [s.type for s in plan.steps]


def test_constant_subexpressions_are_folded():
    x = tf.placeholder(tf.float32, [3])
    scale = tf.exp(tf.constant([0.0, 1.0, 2.0])) * 2.0
    plan = compile_plan([x * scale], [], [x], disabled=["fuse"])
    assert "Exp" not in types(plan)
    assert "folded 2 nodes" in report(plan)["fold"]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(x * scale, {x: [1, 1, 1]}),
                                   2 * np.exp([0.0, 1.0, 2.0]), rtol=1e-6)


def test_random_ops_are_never_folded_or_merged():
    a = tf.random_normal([3], seed=1)
    b = tf.random_normal([3], seed=1)
    plan = compile_plan([a * 1.0, b * 1.0], [], [])
    assert types(plan).count("RandomStandardNormal") == 2


def test_duplicates_are_computed_once():
    x = tf.placeholder(tf.float32, [3])
    y = tf.exp(x) + tf.exp(x)
    plan = compile_plan([y], [], [x], disabled=["fuse"])
    assert types(plan).count("Exp") == 1
    assert "merged 1" in report(plan)["cse"]


def test_neutral_operations_disappear():
    x = tf.placeholder(tf.float32, [2, 3])
    y = tf.transpose(tf.transpose(-(-(x * 1.0 + 0.0))))
    plan = compile_plan([tf.exp(y)], [], [x], disabled=["fuse"])
    assert types(plan) == ["Exp"]


def test_broadcasting_multiplication_by_one_is_kept():
    x = tf.placeholder(tf.float32, [3])
    y = x * tf.ones([2, 3])  # changes the shape: not a no-op
    plan = compile_plan([y], [], [x], disabled=["fuse"])
    assert "Mul" in types(plan)


def test_elementwise_chains_fuse_into_one_node():
    x = tf.placeholder(tf.float32, [1000])
    y = tf.tanh(x * 0.7 + 0.1) * tf.sigmoid(x) - 0.5 * x
    plan = compile_plan([y], [], [x], feed_shapes=[(1000,)])
    assert types(plan) == ["FusedElementwise"]
    assert "fused 7 ops into 1 groups" in report(plan)["fuse"]


def test_fusion_keeps_values_used_outside_the_group():
    x = tf.placeholder(tf.float32, [4])
    h = tf.exp(x) * 2.0
    total = tf.reduce_sum(h)
    out = h + 1.0
    plan = compile_plan([out, total], [], [x])
    fused = [s for s in plan.steps if s.type == "FusedElementwise"]
    assert len(fused) == 1 and len(fused[0].outputs) == 2


def test_unknown_shapes_are_specialised_to_the_feed():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.exp(x)
    plan = compile_plan([y], [], [x], feed_shapes=[(5, 3)])
    assert plan.steps[0].outputs[0].shape.as_list() == [5, 3]


def test_memory_plan_reuses_buffers_and_updates_in_place():
    x = tf.placeholder(tf.float32, [256])
    y = x
    for _ in range(6):
        y = tf.matmul(tf.reshape(y, [16, 16]), tf.ones([16, 16]))
        y = tf.reshape(tf.exp(y) * 0.001, [256])
    plan = compile_plan([y], [], [x], disabled=["fuse"])
    mem = plan.memory
    assert mem["planned_bytes"] < mem["naive_bytes"]
    assert mem["in_place"] >= 1


def test_fed_fetched_and_variable_values_get_no_buffer():
    x = tf.placeholder(tf.float32, [4])
    v = tf.Variable(tf.zeros([4]))
    y = tf.exp(x) + v
    plan = compile_plan([y], [], [x])
    values = plan.slot_values
    for s in plan.fetch_slots + plan.feed_slots:
        assert values[s].buffer is None
    for step in plan.steps:
        if step.type == "VariableV2":
            assert step.outputs[0].buffer is None


def test_every_pass_can_be_switched_off_by_name():
    x = tf.placeholder(tf.float32, [3])
    plan = compile_plan([tf.exp(x) * 1.0], [], [x], disabled=PASS_NAMES)
    assert all(what == "disabled" for name, what in plan.report if name in PASS_NAMES)
    assert types(plan) == ["Exp", "Mul"]


def test_explain_prints_the_report_and_the_memory_plan():
    x = tf.placeholder(tf.float32, [None, 8])
    y = tf.reduce_sum(tf.tanh(x * 2.0 + 1.0) * x, axis=1)
    lines = []
    with tf.Session() as sess:
        text = sess.explain(y, {x: np.ones((4, 8), np.float32)}, full=True,
                            print_fn=lines.append)
    assert lines == [text]
    for name in PASS_NAMES:
        assert name in text
    assert "naive" in text and "planned" in text and "FusedElementwise" in text
