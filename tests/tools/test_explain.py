"""`sess.explain`: a short report for users, the compiler's full view on request, REPL-safe."""

import numpy as np

import graphflow as tf
from graphflow.explain import Explanation


def mlp():
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    h = tf.layers.dense(x, 16, activation=tf.nn.relu, name="hidden")
    logits = tf.layers.dense(h, 3, name="out")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    step = tf.train.AdamOptimizer(0.01).minimize(loss)
    feeds = {x: np.ones((32, 8), np.float32), labels: np.zeros(32, np.int64)}
    return loss, step, feeds


def test_the_short_report_says_what_runs_what_was_fused_and_the_memory_saved():
    loss, step, feeds = mlp()
    with tf.Session() as sess:
        report = sess.explain([loss, step], feeds)
        plan = sess.compiled_plan([loss, step], feeds)
        executor = sess.executor.name
    lines = report.splitlines()
    flat = " ".join(report.split())  # the report wraps its long lines
    assert lines[0] == (f"run(loss:0, Adam) on the {executor} executor, "
                        "fed x float32[32,8], labels int64[32]")
    assert f"runs {len(plan.steps)} steps" in report and "MatMul x" in report
    fused = [s for s in plan.steps if s.type == "FusedElementwise"]
    assert fused and f"into {len(fused)} steps" in report
    assert "Mul+Mul+Add" in report  # Adam's moment update, named by its ops
    assert "memory:" in flat and "less)" in flat and "reused across steps" in flat
    if not dict(plan.report)["updates"].startswith(("0 of", "no ")):  # the cpu executor's
        assert "variable updates in place" in flat
    assert len(lines) < 20 and max(map(len, lines)) <= 100
    # The compiler's view is one step away, and not in the short report.
    assert "specialize" not in report and "plan:" not in report
    assert "specialize" in report.full and str(plan).splitlines()[0] in report.full


def test_full_true_is_the_compilers_view():
    loss, step, feeds = mlp()
    with tf.Session() as sess:
        full = sess.explain(loss, feeds, full=True)
        short = sess.explain(loss, feeds)
    assert full == short.full and full.full is full
    for name in ("prune", "specialize", "fold", "cse", "simplify", "fuse", "memory"):
        assert f"  {name} " in full
    assert "memory: naive" in full and "= MatMul(" in full


def test_safe_in_a_repl_shown_once_never_printed(capsys):
    loss, step, feeds = mlp()
    with tf.Session() as sess:
        report = sess.explain(loss, feeds)
    assert capsys.readouterr().out == ""  # explain itself prints nothing
    assert isinstance(report, Explanation) and isinstance(report, str)
    assert repr(report) == str(report)  # what the REPL echoes: the report, without quotes
    seen = []
    with tf.Session() as sess:
        again = sess.explain(loss, feeds, print_fn=seen.append)
    assert seen == [again]


def test_a_run_without_feeds_or_fusion():
    c = tf.constant([1.0, 2.0], name="c")
    v = tf.Variable([3.0, 4.0], name="v")
    y = tf.matmul(tf.reshape(c, [1, 2]), tf.reshape(v, [2, 1]), name="y")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        report = sess.explain(y)
        executor = sess.executor.name
    assert report.splitlines()[0] == f"run(y:0) on the {executor} executor"
    assert "fused" not in report and "memory:" in report
