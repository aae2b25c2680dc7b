"""Per-op profiling: a traced run records every step; the table and the Chrome trace are valid."""

import json

import numpy as np

import graphflow as tf


def _model():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(np.ones((4, 3), np.float32), name="w")
    y = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w, name="product")), name="total")
    return x, y


def test_traced_run_records_each_step_with_times_and_shapes():
    x, y = _model()
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(y, {x: np.ones((2, 4))}, options=tf.RunOptions(trace=True),
                         run_metadata=md)
        plain = sess.run(y, {x: np.ones((2, 4))})
    assert value == plain == 24.0
    names = [t.name for t in md.step_stats]
    assert "product" in names and "total" in names
    product = md.step_stats[names.index("product")]
    assert product.shapes == ((2, 3),) and product.end_ns >= product.start_ns
    assert "test_profiling.py" in product.site


def test_tf1_trace_level_spelling_works():
    x, y = _model()
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: np.ones((1, 4))},
                 options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=md)
    assert md.step_stats


def test_table_is_sorted_by_time_and_trace_is_valid_json(tmp_path):
    x, y = _model()
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: np.ones((64, 4))}, options=tf.RunOptions(trace=True), run_metadata=md)
    table = md.table()
    assert "total over" in table and "product" in table
    times = [t.end_ns - t.start_ns for t in md.step_stats]
    first_row = table.splitlines()[2]
    assert md.step_stats[int(np.argmax(times))].name[:28] in first_row
    path = md.write_chrome_trace(str(tmp_path / "trace.json"))
    data = json.loads(open(path).read())
    events = data["traceEvents"]
    assert len(events) == len(md.step_stats)
    assert all(e["ph"] == "X" and e["dur"] >= 0 and e["ts"] >= 0 for e in events)


def test_untraced_runs_record_nothing():
    x, y = _model()
    md = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: np.ones((1, 4))}, run_metadata=md)
    assert md.step_stats == []
