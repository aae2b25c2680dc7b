"""Checkpoint integrity: checksums catch bit flips and swapped keys; each index field is checked."""

import json

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import DataLossError, InvalidArgumentError, NotFoundError
from graphflow.train import checkpoint_format


def _index(model) -> dict:
    return json.loads(model.files[".index.json"])


def _flip(data: bytes, position: int, bit: int) -> bytes:
    out = bytearray(data)
    out[position] ^= 1 << bit
    return bytes(out)


def test_a_checkpoint_carries_checksums_of_its_data_and_of_each_entry(saved_model):
    index = _index(saved_model)
    assert index["version"] == checkpoint_format.VERSION == 2
    assert set(index["checksums"]) == set(saved_model.vars)
    assert index["data"]["bytes"] == len(saved_model.files[".npz"])
    assert saved_model.check_restore(saved_model.write({})) is None  # an intact copy restores


@pytest.mark.parametrize("ext", [".npz", ".index.json"])
def test_every_sampled_bit_flip_is_detected(saved_model, ext):
    """Flip one bit in every other byte (every fourth of the .npz): each is a DataLossError."""
    data = saved_model.files[ext]
    step = 4 if ext == ".npz" else 2
    outcomes = {}
    for position in range(0, len(data), step):
        prefix = saved_model.write({ext: _flip(data, position, position % 8)})
        err = saved_model.check_restore(prefix)
        outcomes[type(err).__name__] = outcomes.get(type(err).__name__, 0) + 1
    assert outcomes == {"DataLossError": len(range(0, len(data), step))}


def test_swapped_keys_of_same_dtype_and_shape_are_detected(saved_model):
    index = _index(saved_model)
    index["keys"]["a"], index["keys"]["b"] = index["keys"]["b"], index["keys"]["a"]
    err = saved_model.check_restore(saved_model.write({".index.json": json.dumps(index).encode()}))
    assert isinstance(err, DataLossError) and "checksum of 'a'" in str(err)


def test_swapped_entries_with_their_checksums_are_still_detected(saved_model):
    index = _index(saved_model)
    for field in ("keys", "checksums"):
        index[field]["a"], index[field]["b"] = index[field]["b"], index[field]["a"]
    err = saved_model.check_restore(saved_model.write({".index.json": json.dumps(index).encode()}))
    assert isinstance(err, DataLossError)


@pytest.mark.parametrize("field, value, message", [
    (["keys"], 5, "'keys' must be an object"),
    (["variables"], [1, 2], "'variables' must be an object"),
    (["variables", "a"], "x", "the entry of 'a' must be an object"),
    (["variables", "a", "shape"], {"n": [[[]]]}, "'a' has shape"),
    (["variables", "a", "shape"], [2, -3], "'a' has shape"),
    (["variables", "a", "shape"], [True, 3], "'a' has shape"),
    (["variables", "a", "shape"], [10 ** 12, 10 ** 12], "needs"),
    (["variables", "a", "dtype"], "object", "'a' has dtype"),
    (["keys", "a"], ["v0"], "'keys' must map"),
    (["keys", "a"], "v1", "'keys' must map"),
    (["checksums", "a"], "00", "'checksums'"),
    (["data", "bytes"], "12", "'data'"),
    (["data"], None, "'data' must be an object"),
    (["version"], 3, "version 3"),
    (["version"], True, "version True"),
    (["format"], "other", "not a graphflow checkpoint index"),
])
def test_each_index_field_is_checked_by_type(saved_model, field, value, message):
    index = _index(saved_model)
    target = index
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    err = saved_model.check_restore(saved_model.write({".index.json": json.dumps(index).encode()}))
    assert isinstance(err, DataLossError) and message in str(err), err


@pytest.mark.parametrize("text", [b"", b"[]", b"null", b"{", b"\xff\xfe", b"[" * 100000,
                                  b'{"format": "graphflow-checkpoint", "version": 2}'])
def test_an_index_that_is_not_an_index_is_data_loss(saved_model, text):
    assert isinstance(saved_model.check_restore(saved_model.write({".index.json": text})),
                      DataLossError)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04", b"\x93NUMPY" + b"\0" * 100,
                                  b"\x80\x04K\x01.", b"\0" * 2000])
def test_data_that_is_not_the_saved_npz_is_data_loss(saved_model, data):
    assert isinstance(saved_model.check_restore(saved_model.write({".npz": data})), DataLossError)


def test_missing_files_are_not_found_and_none_is_refused(saved_model, tmp_path):
    with pytest.raises(NotFoundError, match="No checkpoint at"):
        saved_model.saver.restore(saved_model.sess, str(tmp_path / "nothing"))
    with pytest.raises(InvalidArgumentError, match="None"):
        saved_model.saver.restore(saved_model.sess, None)
    saved_model._assert_values(saved_model.before)


def _write_version_1(prefix: str, values: dict, keys: dict | None = None) -> None:
    """A checkpoint as graphflow wrote it before checksums (format version 1)."""
    np.savez(prefix + ".npz", **{f"v{i}": v for i, v in enumerate(values.values())})
    index = {"format": "graphflow-checkpoint", "version": 1,
             "variables": {n: {"dtype": v.dtype.name, "shape": list(v.shape)}
                           for n, v in values.items()},
             "keys": keys or {n: f"v{i}" for i, n in enumerate(values)}}
    with open(prefix + ".index.json", "w") as f:
        json.dump(index, f)


def test_version_1_checkpoints_still_restore(saved_model):
    prefix = saved_model.directory + "/old"
    _write_version_1(prefix, saved_model.saved)
    assert saved_model.check_restore(prefix) is None


def test_version_1_checkpoints_are_still_checked_field_by_field(saved_model):
    prefix = saved_model.directory + "/old"
    keys = {n: f"v{i}" for i, n in enumerate(saved_model.saved)}
    keys["a"], keys["steps"] = keys["steps"], keys["a"]  # different dtypes and shapes: caught
    _write_version_1(prefix, saved_model.saved, keys)
    err = saved_model.check_restore(prefix)
    assert isinstance(err, DataLossError) and "its index says" in str(err)


def test_string_variables_are_refused_rather_than_pickled(tmp_path):
    with pytest.raises(InvalidArgumentError, match="never pickle"):
        checkpoint_format.write_checkpoint(str(tmp_path / "s"), {"s": np.array([b"x"], object)})
    assert not list(tmp_path.iterdir())


def test_restore_never_reads_variable_values_directly(saved_model, monkeypatch):
    """The Saver goes through the state's host boundary, never `state.variables`."""
    state = saved_model.sess.state
    calls = []
    for method in ("is_initialized", "variable_to_host", "variables_from_host"):
        original = getattr(state, method)
        monkeypatch.setattr(state, method, lambda *a, _m=method, _f=original: (
            calls.append(_m), _f(*a))[1])
    saver = tf.train.Saver()
    prefix = saver.save(saved_model.sess, saved_model.directory + "/again",
                        write_meta_graph=False)
    saver.restore(saved_model.sess, prefix)
    assert set(calls) == {"is_initialized", "variable_to_host", "variables_from_host"}
