"""FileWriter: event files that tensorboard's own readers load (EventAccumulator, raw loader)."""

import os
import warnings

import numpy as np
import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402
from graphflow.summary import Event, SessionLog, Summary  # noqa: E402


def _train_tutorial(logdir, steps=6):
    """A TF1 tutorial's loop: summaries of a regression, merge_all, FileWriter(logdir,
    sess.graph), add_summary(s, step) while training."""
    rng = np.random.RandomState(0)
    data_x = rng.rand(32, 3).astype(np.float32)
    data_y = data_x @ np.float32([[1.0], [2.0], [-1.0]])
    with tf.name_scope("input"):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y_ = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.name_scope("model"):
        w = tf.Variable(tf.zeros([3, 1]), name="W")
        b = tf.Variable(0.0, name="b")
        y = tf.matmul(x, w) + b
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(y - y_))
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    tf.summary.image("inputs", tf.reshape(x[:2], [2, 1, 3, 1]), max_outputs=2)
    tf.summary.text("note", tf.constant("training"))
    merged = tf.summary.merge_all()
    losses = []
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(logdir, sess.graph)
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            summary, _, value = sess.run([merged, train_op, loss], {x: data_x, y_: data_y})
            writer.add_summary(summary, step)
            losses.append(float(value))
        writer.close()
    return losses


def test_a_training_loop_writes_what_tensorboard_reads(tmp_path, accumulator, raw_events):
    losses = _train_tutorial(tmp_path)
    acc = accumulator(tmp_path)
    tags = acc.Tags()
    assert tags["scalars"] == ["loss_1"]  # as in TF1: the scope name "loss" is taken
    assert tags["histograms"] == ["weights"]
    assert tags["images"] == ["inputs/image/0", "inputs/image/1"]
    assert tags["tensors"] == ["note"]
    assert tags["graph"] and tags["meta_graph"]
    scalars = acc.Scalars("loss_1")
    assert [e.step for e in scalars] == list(range(6))
    np.testing.assert_allclose([e.value for e in scalars], losses, rtol=1e-6)
    assert losses[-1] < losses[0]
    histograms = acc.Histograms("weights")
    assert [h.step for h in histograms] == list(range(6))
    assert histograms[0].histogram_value.num == 3.0 and histograms[0].histogram_value.max == 0.0
    assert histograms[-1].histogram_value.max > 0.0
    image = acc.Images("inputs/image/0")[0]
    assert (image.width, image.height) == (3, 1)
    assert acc.Tensors("note")[0].tensor_proto.string_val == [b"training"]
    graph = acc.Graph()
    names = {n.name for n in graph.node}
    assert {"input/x", "input/y", "model/W", "model/MatMul", "loss/Mean", "loss_1"} <= names
    assert any(n.startswith("gradients/") for n in names)
    assert acc.MetaGraph().graph_def == graph
    # The first event of the file, as TF's: file_version brain.Event:2.
    (events,) = raw_events(tmp_path).values()
    assert events[0].file_version == "brain.Event:2"
    assert events[1].WhichOneof("what") == "graph_def"


def test_sess_run_fetches_several_summaries_and_a_train_op_together(tmp_path, accumulator):
    w = tf.Variable(1.0, name="weight")
    loss = tf.square(w - 3.0)
    train_op = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    s_loss, s_w = tf.summary.scalar("loss", loss), tf.summary.scalar("w", w)
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path) as writer:
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            a, b, _ = sess.run([s_loss, s_w, train_op])
            writer.add_summary(a, step)
            writer.add_summary(b, step)
    acc = accumulator(tmp_path)
    # Summaries are computed from the values the run read, before the update: w = 1, 2, 2.5.
    assert [e.value for e in acc.Scalars("w")] == [1.0, 2.0, 2.5]
    assert [e.value for e in acc.Scalars("loss")] == [4.0, 1.0, 0.25]


def test_add_summary_takes_protos_and_strips_repeated_metadata(tmp_path, raw_events):
    text = tf.summary.text("t", tf.constant("x"))
    with tf.Session() as sess:
        serialized = sess.run(text)
    with tf.summary.FileWriter(tmp_path) as writer:
        writer.add_summary(serialized, 1)
        writer.add_summary(serialized, 2)
        writer.add_summary(Summary(value=[Summary.Value(tag="p", simple_value=7.0)]), 3)
        with pytest.raises(TypeError, match="add_summary takes a Summary proto"):
            writer.add_summary(12)
    (events,) = raw_events(tmp_path).values()
    summaries = [e for e in events if e.WhichOneof("what") == "summary"]
    assert [e.step for e in summaries] == [1, 2, 3]
    assert summaries[0].summary.value[0].metadata.plugin_data.plugin_name == "text"
    assert not summaries[1].summary.value[0].HasField("metadata")  # as TF1: first one keeps it
    assert summaries[2].summary.value[0].simple_value == 7.0


def test_session_logs_events_and_run_metadata(tmp_path, raw_events, accumulator):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.reduce_sum(x * 2.0, name="y")
    metadata = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(y, {x: [1.0, 2.0]}, options=tf.RunOptions(trace=True), run_metadata=metadata)
    with tf.summary.FileWriter(tmp_path, graph=tf.get_default_graph()) as writer:
        writer.add_session_log(SessionLog(status=SessionLog.START), 0)
        writer.add_event(Event(step=5, summary=Summary(value=[Summary.Value(
            tag="raw", simple_value=1.0)])))
        writer.add_run_metadata(metadata, "step_1", global_step=1)
        with pytest.raises(ValueError, match="The provided tag was already used"):
            writer.add_run_metadata(metadata, "step_1")
        with pytest.raises(TypeError, match="add_run_metadata takes a graphflow.RunMetadata"):
            writer.add_run_metadata("nonsense", "other")
    (events,) = raw_events(tmp_path).values()
    kinds = [e.WhichOneof("what") for e in events]
    assert kinds == ["file_version", "graph_def", "meta_graph_def", "session_log", "summary",
                     "tagged_run_metadata"]
    assert events[3].session_log.status == SessionLog.START and events[4].step == 5
    acc = accumulator(tmp_path)
    assert acc.Tags()["run_metadata"] == ["step_1"]
    stats = acc.RunMetadata("step_1").step_stats.dev_stats[0].node_stats
    assert "y" in {n.node_name for n in stats}
    assert all(n.all_end_rel_micros >= 0 for n in stats)


def test_flush_close_reopen_and_closed_writes(tmp_path, raw_events):
    writer = tf.summary.FileWriter(tmp_path, filename_suffix=".gf", flush_secs=3600)
    assert writer.get_logdir() == str(tmp_path)
    writer.add_summary(Summary(value=[Summary.Value(tag="a", simple_value=1.0)]), 1)
    writer.flush()  # on disk now, before close, despite the long flush interval
    (events,) = raw_events(tmp_path).values()
    assert [e.step for e in events if e.HasField("summary")] == [1]
    writer.close()
    with pytest.warns(UserWarning, match="Attempting to use a closed FileWriter"):
        writer.add_summary(Summary(value=[Summary.Value(tag="a", simple_value=2.0)]), 2)
    writer.reopen()
    writer.add_summary(Summary(value=[Summary.Value(tag="a", simple_value=3.0)]), 3)
    writer.close()
    writer.close()  # twice is fine
    files = raw_events(tmp_path)
    assert len(files) == 2 and all(name.endswith(".gf") for name in files)
    steps = [[e.step for e in events if e.HasField("summary")] for events in files.values()]
    assert sorted(steps) == [[1], [3]]
    assert all(events[0].file_version == "brain.Event:2" for events in files.values())


def test_file_writer_cache_shares_one_writer_per_logdir(tmp_path):
    first = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is first
    other = tf.summary.FileWriterCache.get(str(tmp_path / "other"))
    assert other is not first
    tf.summary.FileWriterCache.clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        first.flush()
    assert "closed FileWriter" in str(seen[0].message)
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not first
    tf.summary.FileWriterCache.clear()


def test_bad_logdirs_and_graphs(tmp_path):
    a_file = tmp_path / "afile"
    a_file.write_text("")
    with pytest.raises(tf.errors.FailedPreconditionError, match="afile is not a directory") as e:
        tf.summary.FileWriter(str(a_file))
    assert "test_file_writer.py" in str(e.value)
    with pytest.raises(tf.errors.FailedPreconditionError, match="afile is not a directory"):
        tf.summary.FileWriter(str(a_file / "sub"))
    with pytest.raises(TypeError, match="takes a directory path"):
        tf.summary.FileWriter(3)
    with pytest.raises(TypeError, match="must be a graphflow Graph"):
        tf.summary.FileWriter(str(tmp_path / "g"), graph="not a graph")
    with tf.Session() as sess, pytest.raises(TypeError, match=r"such as sess.graph"):
        tf.summary.FileWriter(str(tmp_path / "s"), sess)
    with pytest.raises(ValueError, match="only graph, or graph_def"):
        tf.summary.FileWriter(str(tmp_path / "both"), tf.get_default_graph(),
                              graph_def=tf.summary.graph_to_graph_def())
    assert not os.path.exists(tmp_path / "g")  # nothing was created for a refused graph


def test_a_graph_def_proto_is_written_as_given(tmp_path, accumulator):
    tf.placeholder(tf.float32, [2], name="p")
    graph_def = tf.summary.graph_to_graph_def()
    with tf.summary.FileWriter(tmp_path, graph_def=graph_def) as writer:
        writer.add_graph(tf.get_default_graph(), global_step=2)
    assert [n.name for n in accumulator(tmp_path).Graph().node] == ["p"]
