"""The `checkpoint` state file: get_checkpoint_state, latest_checkpoint as TF1; safe on garbage."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphflow as tf
from graphflow.errors import DataLossError

EXAMPLES = int(os.environ.get("GRAPHFLOW_FUZZ_EXAMPLES", 0)) or settings.default.max_examples


def test_get_checkpoint_state_lists_the_kept_checkpoints_joined_to_the_directory(tmp_path):
    tf.Variable(1.0, name="w")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (1, 2, 3):
            saver.save(sess, str(tmp_path / "model"), global_step=step, write_meta_graph=False)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert isinstance(state, tf.train.CheckpointState)
    assert state.model_checkpoint_path == str(tmp_path / "model-3")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "model-2"),
                                                str(tmp_path / "model-3")]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model-3")


def test_no_state_file_is_none_and_a_vanished_checkpoint_is_none(tmp_path):
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    assert tf.train.get_checkpoint_state(str(tmp_path / "nowhere")) is None
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    (tmp_path / "checkpoint").write_text(json.dumps({"model_checkpoint_path": "gone"}))
    assert tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == [
        str(tmp_path / "gone")]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


@pytest.mark.parametrize("text", [
    b"", b"\xff\xfe", b"[" * 100000, b"[]", b"5", b"{}", b'{"model_checkpoint_path": 5}',
    b'{"model_checkpoint_path": ""}', b'{"model_checkpoint_path": "a\\u0000b"}',
    b'{"model_checkpoint_path": "m", "all_model_checkpoint_paths": "m"}',
    b'{"model_checkpoint_path": "m", "all_model_checkpoint_paths": [["m"]]}',
])
def test_a_damaged_state_file_is_data_loss_naming_it(tmp_path, text):
    (tmp_path / "checkpoint").write_bytes(text)
    for read in (tf.train.get_checkpoint_state, tf.train.latest_checkpoint):
        with pytest.raises(DataLossError, match="checkpoint"):
            read(str(tmp_path))


def test_fuzzed_state_files_give_a_state_or_data_loss(tmp_path):
    paths = st.text(max_size=12) | st.integers() | st.none() | st.lists(st.text(max_size=4))

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(st.binary(max_size=200),
                     st.dictionaries(st.sampled_from(["model_checkpoint_path",
                                                      "all_model_checkpoint_paths", "x"]),
                                     paths | st.lists(paths, max_size=3)).map(
                         lambda d: json.dumps(d).encode())))
    def check(text):
        (tmp_path / "checkpoint").write_bytes(text)
        try:
            state = tf.train.get_checkpoint_state(str(tmp_path))
        except DataLossError as err:
            assert str(tmp_path / "checkpoint") in str(err)
            return
        assert isinstance(state.model_checkpoint_path, str)
        assert all(isinstance(p, str) for p in state.all_model_checkpoint_paths)
        assert tf.train.latest_checkpoint(str(tmp_path)) is None  # no such checkpoint exists

    check()
