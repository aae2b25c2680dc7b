"""Checkpoint files: writing, reading and verifying `prefix.npz` and `prefix.index.json`.

`prefix.npz` holds one array per variable (`v0`, `v1`, ...; plain `.npy` members, read with
`allow_pickle=False`). `prefix.index.json` says, per variable name, its dtype, its shape, its
member in the `.npz` and a sha256 of (name, dtype, shape, bytes); and the size and sha256 of the
whole `.npz`. Reading checks every field of the index by type, then the `.npz` checksum, then each
entry, before returning anything, so a bit flip or swapped keys is a DataLossError, never a
silently wrong value. Version-1 checkpoints (before checksums) still load, checked field by field
but without checksums: there, two entries of the same dtype and shape swapped cannot be detected.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

import numpy as np

from graphflow.errors import DataLossError, GraphflowError, InvalidArgumentError, NotFoundError
from graphflow.io.atomic_files import atomic_write

FORMAT = "graphflow-checkpoint"
VERSION = 2
READABLE_VERSIONS = (1, 2)
DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                    "uint64", "float16", "float32", "float64"})
_MAX_INDEX_BYTES = 1 << 26
_NPY_HEADER_SLACK = 1 << 16  # a .npy member is its bytes plus a header far below this
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def entry_digest(name: str, dtype: str, shape, value: np.ndarray) -> str:
    """sha256 of one entry: its name, dtype and shape, then its bytes (C order, little-endian)."""
    h = hashlib.sha256(json.dumps([name, dtype, [int(d) for d in shape]]).encode())
    h.update(b"\0")
    h.update(np.ascontiguousarray(value).reshape(-1).view(np.uint8))
    return h.hexdigest()


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_checkpoint(prefix: str, values: dict) -> None:
    """Write `{name: array}` as `prefix.npz`, then its index `prefix.index.json`."""
    arrays, variables, keys, checksums = {}, {}, {}, {}
    for i, (name, value) in enumerate(values.items()):
        value = np.asarray(value)
        if value.dtype.name not in DTYPES:
            raise InvalidArgumentError(f"Cannot save variable '{name}' of dtype {value.dtype}: "
                                       f"checkpoints hold only {sorted(DTYPES)} (never pickle).")
        value = np.asarray(value, dtype=value.dtype.newbyteorder("<"), order="C")
        key = f"v{i}"
        arrays[key], keys[name] = value, key
        variables[name] = {"dtype": value.dtype.name, "shape": list(value.shape)}
        checksums[name] = entry_digest(name, value.dtype.name, value.shape, value)
    data_path = prefix + ".npz"
    atomic_write(data_path, lambda f: np.savez(f, **arrays))
    index = {"format": FORMAT, "version": VERSION, "variables": variables, "keys": keys,
             "checksums": checksums,
             "data": {"bytes": os.path.getsize(data_path), "sha256": file_digest(data_path)}}
    atomic_write(prefix + ".index.json", lambda f: f.write(json.dumps(index, indent=1).encode()))


class _Index:
    """A checkpoint index whose every field was checked by type."""

    def __init__(self, index_path: str, data_size: int):
        self.path = index_path
        index = self._load()
        self.version = self._version(index)
        variables = self._dict(index, "variables")
        keys = self._dict(index, "keys")
        if set(keys) != set(variables):
            self._fail(f"'keys' names {sorted(set(keys) ^ set(variables))!r:.200} that "
                       "'variables' does not, or the other way round")
        if not all(isinstance(k, str) and k for k in keys.values()) or \
                len(set(keys.values())) != len(keys):
            self._fail("'keys' must map each variable to its own member name (a string)")
        self.keys = keys
        self.entries = {name: self._entry(name, meta, data_size)
                        for name, meta in variables.items()}
        if self.version >= 2:
            checksums = self._dict(index, "checksums")
            if set(checksums) != set(variables) or \
                    not all(isinstance(c, str) and _SHA256.match(c) for c in checksums.values()):
                self._fail("'checksums' must hold one sha256 (64 hex digits) per variable")
            self.checksums = checksums
            data = self._dict(index, "data")
            size, digest = data.get("bytes"), data.get("sha256")
            if type(size) is not int or not isinstance(digest, str) or not _SHA256.match(digest):
                self._fail("'data' must hold the .npz's size ('bytes') and 'sha256'")
            self.data_size, self.data_sha256 = size, digest

    def _fail(self, what: str):
        raise DataLossError(f"Checkpoint index {self.path} is corrupt: {what}.")

    def _load(self) -> dict:
        with open(self.path, "rb") as f:
            raw = f.read(_MAX_INDEX_BYTES + 1)
        if len(raw) > _MAX_INDEX_BYTES:
            self._fail(f"larger than {_MAX_INDEX_BYTES} bytes")
        try:
            index = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as err:
            self._fail(f"not JSON ({type(err).__name__}: {err})")
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            self._fail(f"not a graphflow checkpoint index (no \"format\": \"{FORMAT}\")")
        return index

    def _version(self, index: dict) -> int:
        version = index.get("version")
        if type(version) is not int or version not in READABLE_VERSIONS:
            self._fail(f"version {version!r:.40} is not one this graphflow reads "
                       f"({', '.join(map(str, READABLE_VERSIONS))})")
        return version

    def _dict(self, index: dict, key: str) -> dict:
        value = index.get(key)
        if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
            self._fail(f"'{key}' must be an object keyed by variable names, got "
                       f"{type(value).__name__}")
        return value

    def _entry(self, name: str, meta, data_size: int) -> tuple[np.dtype, tuple]:
        if not isinstance(meta, dict):
            self._fail(f"the entry of '{name}' must be an object, got {type(meta).__name__}")
        dtype, shape = meta.get("dtype"), meta.get("shape")
        if not isinstance(dtype, str) or dtype not in DTYPES:
            self._fail(f"'{name}' has dtype {dtype!r:.40}, not one of {sorted(DTYPES)}")
        if not isinstance(shape, list) or len(shape) > 64 or \
                not all(type(d) is int and 0 <= d < 1 << 62 for d in shape):
            self._fail(f"'{name}' has shape {shape!r:.80}, not a list of non-negative integers")
        size = np.dtype(dtype).itemsize
        for d in shape:
            size *= d
        if size > data_size:
            self._fail(f"'{name}' of shape {shape} needs {size} bytes but the .npz has "
                       f"{data_size}")
        return np.dtype(dtype), tuple(shape)


def _read_members(data_path: str, index: _Index) -> dict:
    with open(data_path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":
            raise DataLossError(f"Checkpoint data {data_path} is corrupt: not a .npz (zip) file.")
    values = {}
    with np.load(data_path, allow_pickle=False) as data:
        members = {info.filename: info for info in data.zip.infolist()}
        expected = {key + ".npy" for key in index.keys.values()}
        if set(members) != expected:
            raise DataLossError(f"Checkpoint data {data_path} holds members "
                                f"{sorted(members)!r:.200}; its index expects {sorted(expected)}.")
        for name, key in index.keys.items():
            dtype, shape = index.entries[name]
            nbytes = dtype.itemsize * int(np.prod(shape, dtype=object))
            if members[key + ".npy"].file_size > nbytes + _NPY_HEADER_SLACK:
                raise DataLossError(f"Checkpoint data {data_path}: member {key} of '{name}' is "
                                    f"larger than a {dtype.name} array of shape {list(shape)}.")
            value = data[key]
            if value.dtype != dtype or value.shape != shape:
                raise DataLossError(
                    f"Checkpoint data {data_path}: '{name}' is a {value.dtype} array of shape "
                    f"{list(value.shape)}, its index says {dtype.name} {list(shape)}.")
            if index.version >= 2 and \
                    entry_digest(name, dtype.name, shape, value) != index.checksums[name]:
                raise DataLossError(
                    f"Checkpoint {data_path}: the checksum of '{name}' does not match its index "
                    "(its name, dtype, shape or values were changed after it was saved).")
            values[name] = value
    return values


def read_checkpoint(save_path) -> dict:
    """{variable name: array} from a checkpoint prefix, every part verified first.

    Raises NotFoundError when the files are missing and DataLossError, naming the file and what
    is wrong, when anything in them is damaged.
    """
    if save_path is None:
        raise InvalidArgumentError("Can't load save_path when it is None.")
    try:
        prefix = os.fspath(save_path)
    except TypeError:
        raise InvalidArgumentError(f"save_path must be a path, got {save_path!r:.80}") from None
    if not isinstance(prefix, str) or "\0" in prefix:
        raise InvalidArgumentError(f"save_path {prefix!r:.200} is not a usable path string")
    index_path, data_path = prefix + ".index.json", prefix + ".npz"
    if not os.path.isfile(index_path) or not os.path.isfile(data_path):
        raise NotFoundError(f"No checkpoint at '{prefix}' (expected {data_path} and "
                            f"{index_path}).")
    try:
        data_size = os.path.getsize(data_path)
        index = _Index(index_path, data_size)
        if index.version >= 2:
            if data_size != index.data_size or file_digest(data_path) != index.data_sha256:
                raise DataLossError(
                    f"Checkpoint data {data_path} is corrupt: its size or sha256 does not match "
                    f"{index_path} ({data_size} bytes, the index says {index.data_size}).")
        return _read_members(data_path, index)
    except GraphflowError:
        raise
    except Exception as err:  # noqa: BLE001 - any failure to decode hostile bytes is data loss
        raise DataLossError(f"Checkpoint '{prefix}' is truncated or corrupt: "
                            f"{type(err).__name__}: {err}") from None
