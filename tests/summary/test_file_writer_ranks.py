"""Issue #15: in a job of several ranks only rank 0 writes summaries. Here the rank is faked;
tests/distributed/test_mpirun.py checks the same with two real MPI ranks."""

import os

import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402
from graphflow.summary import writer as writer_module  # noqa: E402


def _write(logdir):
    scalar = tf.summary.scalar("loss", tf.constant(1.5))
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(logdir, sess.graph)
        writer.add_summary(sess.run(scalar), global_step=1)
        writer.flush()
        writer.close()
        writer.reopen()
        writer.add_summary(sess.run(scalar), global_step=2)
        writer.close()
    return writer


def test_a_secondary_rank_creates_no_directory_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_module, "is_secondary", lambda: True)
    logdir = tmp_path / "logs"
    writer = _write(str(logdir))
    assert not logdir.exists()
    assert "writing nothing on this rank" in repr(writer)


def test_a_secondary_rank_still_checks_its_arguments(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_module, "is_secondary", lambda: True)
    with pytest.raises(TypeError, match="takes a directory path"):
        tf.summary.FileWriter(3)
    with pytest.raises(TypeError, match="graphflow Graph"):
        tf.summary.FileWriter(str(tmp_path), graph="not a graph")


def test_rank_0_and_a_single_process_write_as_before(tmp_path, raw_events):
    _write(str(tmp_path))
    events = raw_events(str(tmp_path))
    assert len(events) == 2  # one file, then a second after reopen()
    steps = sorted(e.step for file in events.values() for e in file if e.HasField("summary"))
    assert steps == [1, 2]
    assert all(name.startswith("events.out.tfevents.") for name in os.listdir(tmp_path))
