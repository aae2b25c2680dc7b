"""Helpers for the summary tests: run a summary op and parse it; read event files back with
tensorboard's own readers. tensorboard is imported inside the helpers, so this file loads
without it; each test module skips itself (with the reason) when it is missing."""

import os

import pytest


@pytest.fixture
def parsed():
    """`parsed(summary_tensor, executor=None, feed_dict=None)`: the Summary proto it computes."""
    import graphflow as tf
    from graphflow.summary import Summary

    def run(tensor, executor=None, feed_dict=None):
        with tf.Session(executor=executor) as sess:
            value = sess.run(tensor, feed_dict)
        assert isinstance(value, bytes), type(value)
        return Summary.FromString(value)

    return run


@pytest.fixture
def raw_events():
    """`raw_events(logdir)`: {file name: its Events as written}, for each event file."""
    from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
    from tensorboard.compat.proto.event_pb2 import Event

    def read(logdir):
        files = sorted(f for f in os.listdir(logdir) if f.startswith("events.out.tfevents."))
        return {f: [Event.FromString(r)
                    for r in RawEventFileLoader(os.path.join(logdir, f)).Load()]
                for f in files}

    return read


@pytest.fixture
def accumulator():
    """`accumulator(logdir)`: tensorboard's EventAccumulator over it, loaded, keeping all."""
    from tensorboard.backend.event_processing import event_accumulator as ea

    def load(logdir):
        acc = ea.EventAccumulator(str(logdir), size_guidance={
            ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.IMAGES: 0, ea.AUDIO: 0, ea.TENSORS: 0,
            ea.COMPRESSED_HISTOGRAMS: 0})
        return acc.Reload()

    return load
