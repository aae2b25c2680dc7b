"""Saver: checkpoints of variable values by name, in NumPy `.npz` plus a JSON index. No pickle.

A checkpoint `prefix` is two files, `prefix.npz` (the values) and `prefix.index.json` (names,
dtypes, shapes), plus `prefix.meta.json` (the graph) when asked. Each is written to a temporary
file and renamed, so a crash never leaves a half-written checkpoint; a directory's `checkpoint`
file (JSON) lists the newest ones for `latest_checkpoint`.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

from graphflow.core.graph import GraphKeys
from graphflow.core.shape import TensorShape
from graphflow.errors import GraphflowError, InvalidArgumentError

FORMAT = "graphflow-checkpoint"
VERSION = 1


class NotFoundError(GraphflowError, ValueError):
    """A checkpoint, or a variable in it, does not exist."""


class DataLossError(GraphflowError, ValueError):
    """A checkpoint file is truncated or corrupt."""


def _atomic_write(path: str, write) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-" + os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Saver:
    """Saves and restores variables by name (all global variables by default, slots included)."""

    def __init__(self, var_list=None, max_to_keep: int = 5, name: str = "save"):
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            if var_list is None:
                from graphflow.core.graph import get_default_graph

                var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
            self._vars = {v.op.name: v for v in var_list}
        if not self._vars:
            raise ValueError("No variables to save: build the model's Variables before the Saver.")
        self.max_to_keep = max_to_keep
        self._kept: list[str] = []

    def save(self, sess, save_path: str, global_step=None, write_meta_graph: bool = True) -> str:
        """Write the variables' current values; returns the checkpoint prefix."""
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) \
                else int(sess.run(global_step))
            save_path = f"{save_path}-{int(step)}"
        values = {}
        for name, var in self._vars.items():
            if not sess.state.is_initialized(var.op):
                raise InvalidArgumentError(
                    f"Cannot save uninitialized variable '{name}' (created at {var.op.site}).")
            values[name] = sess.state.variable_to_host(var.op)
        index = {"format": FORMAT, "version": VERSION,
                 "variables": {n: {"dtype": str(var.dtype), "shape": list(v.shape)}
                               for (n, var), v in zip(self._vars.items(), values.values())}}
        directory = os.path.dirname(os.path.abspath(save_path))
        os.makedirs(directory, exist_ok=True)
        arrays = {f"v{i}": v for i, v in enumerate(values.values())}
        index["keys"] = {n: f"v{i}" for i, n in enumerate(values)}
        _atomic_write(save_path + ".npz", lambda f: np.savez(f, **arrays))
        _atomic_write(save_path + ".index.json",
                      lambda f: f.write(json.dumps(index, indent=1).encode()))
        if write_meta_graph:
            from graphflow.io.graph_json import graph_to_json

            text = graph_to_json(sess.graph)
            _atomic_write(save_path + ".meta.json", lambda f: f.write(text.encode()))
        self._remember(save_path)
        return save_path

    def _remember(self, prefix: str) -> None:
        if prefix in self._kept:
            self._kept.remove(prefix)
        self._kept.append(prefix)
        while self.max_to_keep and len(self._kept) > self.max_to_keep:
            old = self._kept.pop(0)
            for ext in (".npz", ".index.json", ".meta.json"):
                if os.path.exists(old + ext):
                    os.unlink(old + ext)
        directory = os.path.dirname(os.path.abspath(prefix))
        state = {"model_checkpoint_path": os.path.basename(prefix),
                 "all_model_checkpoint_paths": [os.path.basename(p) for p in self._kept]}
        _atomic_write(os.path.join(directory, "checkpoint"),
                      lambda f: f.write(json.dumps(state, indent=1).encode()))

    def restore(self, sess, save_path: str) -> None:
        """Set every variable from the checkpoint; on any problem, raise and change nothing."""
        values = read_checkpoint(save_path)
        staged = {}
        for name, var in self._vars.items():
            if name not in values:
                raise NotFoundError(
                    f"Key {name} not found in checkpoint {save_path}: the variable "
                    f"'{name}' (created at {var.op.site}) was not saved there. The checkpoint has: "
                    f"{sorted(values)}"
                )
            value = values[name]
            if value.dtype != var.dtype.np:
                raise InvalidArgumentError(
                    f"Checkpoint {save_path} stores '{name}' as {value.dtype}, but the variable "
                    f"is {var.dtype.name} (created at {var.op.site})."
                )
            if not var.shape.is_compatible_with(value.shape):
                raise InvalidArgumentError(
                    f"Assign requires shapes of both tensors to match. lhs shape= "
                    f"{var.shape.bracketed()} rhs shape= "
                    f"{TensorShape(value.shape).bracketed()}: restoring "
                    f"'{name}' "
                    f"(created at {var.op.site}) from {save_path}. Give variables explicit names "
                    "so that restoring does not depend on the order they were built in."
                )
            staged[var.op] = value
        sess.state.variables_from_host(staged)

    @property
    def last_checkpoints(self) -> list[str]:
        return list(self._kept)


def read_checkpoint(save_path: str) -> dict:
    """{variable name: array} from a checkpoint prefix, validated against its index."""
    index_path, data_path = save_path + ".index.json", save_path + ".npz"
    if not os.path.exists(index_path) or not os.path.exists(data_path):
        raise NotFoundError(f"No checkpoint at '{save_path}' (expected {data_path} and "
                            f"{index_path}).")
    try:
        with open(index_path, "rb") as f:
            index = json.loads(f.read().decode())
        if index.get("format") != FORMAT:
            raise ValueError("not a graphflow checkpoint index")
        with np.load(data_path, allow_pickle=False) as data:
            values = {name: data[key] for name, key in index["keys"].items()}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as err:
        raise DataLossError(f"Checkpoint '{save_path}' is truncated or corrupt: {err}") from None
    for name, meta in index["variables"].items():
        v = values[name]
        if str(v.dtype) != meta["dtype"] and not (meta["dtype"] == "bool" and v.dtype == bool):
            raise DataLossError(f"Checkpoint '{save_path}': '{name}' has dtype {v.dtype}, its "
                                f"index says {meta['dtype']}")
        if list(v.shape) != meta["shape"]:
            raise DataLossError(f"Checkpoint '{save_path}': '{name}' has shape {list(v.shape)}, "
                                f"its index says {meta['shape']}")
    return values


def latest_checkpoint(checkpoint_dir: str) -> str | None:
    """The newest checkpoint prefix recorded in `checkpoint_dir`, or None."""
    path = os.path.join(checkpoint_dir, "checkpoint")
    try:
        with open(path) as f:
            state = json.load(f)
        prefix = os.path.join(checkpoint_dir, state["model_checkpoint_path"])
    except (OSError, ValueError, KeyError):
        return None
    return prefix if os.path.exists(prefix + ".index.json") else None
