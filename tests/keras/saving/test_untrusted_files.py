"""Loading refuses what is not our archive, with the file and the fault named, and never runs
code; writing is atomic, so a failed save leaves the previous file as it was."""

import io
import os
import zipfile

import numpy as np
import pytest

from graphflow.keras import layers
from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.saving import ArchiveError, load_model, load_weights
from graphflow.keras.saving.archive import read_archive, write_archive


def small_model():
    model = Sequential([layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", "mse")
    return model


def make_zip(path, members: dict):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return str(path)


def test_truncated_archive(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match=f"{path} is not a graphflow Keras archive.*"
                                           f"truncated or corrupt"):
        load_model(str(path))


def test_a_keras_hdf5_file_is_named_as_such(tmp_path):
    path = tmp_path / "keras.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    with pytest.raises(ArchiveError, match="keras.h5 is an HDF5 file.*save the model with "
                                           "graphflow"):
        load_model(str(path))
    with pytest.raises(TypeError, match="unexpected arguments: \\['bogus'\\]"):
        load_model(str(path), bogus=1)


def test_random_bytes_and_missing_file(tmp_path):
    path = tmp_path / "noise.h5"
    path.write_bytes(bytes(range(256)) * 2)
    with pytest.raises(ArchiveError, match="noise.h5 is not a graphflow Keras archive"):
        load_weights(small_model(), str(path))
    with pytest.raises(FileNotFoundError, match="No file or directory found at .*absent"):
        load_model(str(tmp_path / "absent"))


def test_a_pickle_inside_is_refused_and_not_run(tmp_path):
    marker = tmp_path / "ran"

    # pickle protocol 0 by hand for `open(marker, "w")`: unpickling it would create the file
    payload = f"cbuiltins\nopen\n(V{marker}\nVw\ntR.".encode()
    path = make_zip(tmp_path / "evil.h5", {"model_config.json": "{}", "model.pkl": payload})
    with pytest.raises(ArchiveError, match="holds the member 'model.pkl' \\(a pickle: it could "
                                           "run code when loaded\\).*refusing to load it"):
        load_model(path)
    assert not marker.exists()


def test_object_arrays_inside_npz_are_refused(tmp_path):
    buffer = io.BytesIO()
    np.savez(buffer, **{"dense/kernel": np.array([{"a": 1}], dtype=object)})
    path = make_zip(tmp_path / "obj.h5", {"weights.npz": buffer.getvalue()})
    with pytest.raises(ArchiveError, match="weights.npz' holds an array that cannot be read "
                                           "without pickle"):
        read_archive(path)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as npz:
        npz.writestr("payload.pkl", b"x")
    path = make_zip(tmp_path / "inner.h5", {"weights.npz": inner.getvalue()})
    with pytest.raises(ArchiveError, match="holds 'payload.pkl', which is not a .npy array"):
        read_archive(path)


def test_bad_json_and_empty_zip(tmp_path):
    path = make_zip(tmp_path / "j.h5", {"model_config.json": b"{not json"})
    with pytest.raises(ArchiveError, match="model_config.json' is not valid JSON"):
        load_model(path)
    path = make_zip(tmp_path / "list.h5", {"model_config.json": b"[1, 2]"})
    with pytest.raises(ArchiveError, match="should hold a JSON object, not list"):
        load_model(path)
    path = make_zip(tmp_path / "empty.h5", {})
    with pytest.raises(ArchiveError, match="empty zip file"):
        load_model(path)
    path = make_zip(tmp_path / "cls.h5", {"model_config.json": b'{"class_name": "Evil"}'})
    with pytest.raises(ValueError, match="Unknown layer: 'Evil'.*pass others in custom_objects"):
        load_model(path)


def test_a_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "m.h5"
    model = small_model()
    model.save(str(path))
    before = path.read_bytes()
    with pytest.raises(TypeError, match="object .* is not JSON-serialisable"):
        write_archive(path, {"model_config.json": {"config": object()}})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.h5"]  # no temporary file left behind
    with pytest.raises(ValueError, match="dtype object, which cannot be saved without pickle"):
        write_archive(path, {"weights.npz": {"w": np.array([None], dtype=object)}})
    assert path.read_bytes() == before
    with pytest.raises(ValueError, match="unknown members \\['model.pkl'\\]"):
        write_archive(path, {"model.pkl": {}})
