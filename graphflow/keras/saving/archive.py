"""The file a Keras model or its weights are saved in: a zip archive of JSON and `.npz` members.

Members: `model_config.json` (`{"class_name", "config"}`), `training_config.json` (what compile
got), `weights.npz` (keys `<layer name>/<weight name>`, in layer order), `optimizer_weights.npz`
(the step counter and slots, in order). Nothing else is accepted: the reader refuses any other
member (a `.pkl` inside included), reads JSON with `json` and arrays with `allow_pickle=False`,
so loading a file never runs code. Writes go to a temporary file in the same folder, renamed
over the target only when complete, so a crash never leaves a half-written file in its place.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile

import numpy as np

__all__ = ["MEMBERS", "ArchiveError", "read_archive", "write_archive"]

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
MEMBERS = ("model_config.json", "training_config.json", "weights.npz", "optimizer_weights.npz")


class ArchiveError(ValueError):
    """A file that is not a readable graphflow Keras archive (names the file and the fault)."""


def write_archive(filepath, members: dict, overwrite: bool = True) -> str:
    """Write `members` ({member name: JSON-able dict, or {key: array} for `.npz`}) atomically."""
    path = os.fspath(filepath)
    unknown = sorted(set(members) - set(MEMBERS))
    if unknown:
        raise ValueError(f"write_archive: unknown members {unknown}; allowed: {list(MEMBERS)}")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it.")
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in MEMBERS:
                    if name not in members:
                        continue
                    if name.endswith(".json"):
                        data = json.dumps(members[name], indent=1, sort_keys=False,
                                          default=_json_default).encode()
                    else:
                        data = _npz_bytes(members[name])
                    archive.writestr(name, data)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} {value!r} is not JSON-serialisable; a layer's "
                    f"get_config must return plain values")


def _npz_bytes(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    for key, value in arrays.items():
        if np.asarray(value).dtype == object:
            raise ValueError(f"write_archive: array {key!r} has dtype object, which cannot be "
                             f"saved without pickle")
    np.savez(buffer, **{key: np.asarray(value) for key, value in arrays.items()})
    return buffer.getvalue()


def read_archive(filepath) -> dict:
    """The members of a saved archive: JSON ones as dicts, `.npz` ones as {key: array} in their
    saved order. Raises ArchiveError naming the file and the fault for anything else."""
    path = os.fspath(filepath)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No file or directory found at {path}")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        with open(path, "rb") as raw:
            if raw.read(8) == HDF5_SIGNATURE:
                raise ArchiveError(f"{path} is an HDF5 file (the .h5 format of Keras itself), "
                                   f"which graphflow does not read; save the model with "
                                   f"graphflow (model.save) to get a file it loads.") from None
        raise ArchiveError(f"{path} is not a graphflow Keras archive (a zip file of "
                           f"{', '.join(MEMBERS)}): it is not a zip file, or it is "
                           f"truncated or corrupt.") from None
    with archive:
        names = archive.namelist()
        for name in names:
            if name not in MEMBERS:
                what = " (a pickle: it could run code when loaded)" if name.lower().endswith(
                    (".pkl", ".pickle")) else ""
                raise ArchiveError(f"{path} holds the member {name!r}{what}, which is not part "
                                   f"of a graphflow Keras archive (allowed: "
                                   f"{', '.join(MEMBERS)}); refusing to load it.")
        if not names:
            raise ArchiveError(f"{path} is an empty zip file, not a graphflow Keras archive.")
        members = {}
        for name in names:
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                raise ArchiveError(f"{path}: the member {name!r} is corrupt ({err}).") from None
            members[name] = _json_member(path, name, data) if name.endswith(".json") else \
                _npz_member(path, name, data)
    return members


def _json_member(path: str, name: str, data: bytes) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ArchiveError(f"{path}: the member {name!r} is not valid JSON ({err}).") from None
    if not isinstance(value, dict):
        raise ArchiveError(f"{path}: the member {name!r} should hold a JSON object, not "
                           f"{type(value).__name__}.")
    return value


def _npz_member(path: str, name: str, data: bytes) -> dict:
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
        bad = [n for n in inner.namelist() if not n.endswith(".npy")]
    except zipfile.BadZipFile:
        raise ArchiveError(f"{path}: the member {name!r} is not an .npz archive.") from None
    if bad:
        raise ArchiveError(f"{path}: the member {name!r} holds {bad[0]!r}, which is not a .npy "
                           f"array; refusing to load it.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except ValueError as err:  # object arrays: they would need pickle
        raise ArchiveError(f"{path}: the member {name!r} holds an array that cannot be read "
                           f"without pickle ({err}); refusing to load it.") from None
    except (OSError, EOFError, zipfile.BadZipFile) as err:
        raise ArchiveError(f"{path}: the member {name!r} is corrupt ({err}).") from None
