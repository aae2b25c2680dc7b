"""Saver: checkpoints of variable values by name, in NumPy `.npz` plus a JSON index. No pickle.

A checkpoint `prefix` is two files, `prefix.npz` (the values) and `prefix.index.json` (names,
dtypes, shapes, checksums; see `checkpoint_format`), plus `prefix.meta.json` (the graph) when
asked. Each is written to a temporary file and renamed, so a crash never leaves a half-written
checkpoint, and each save first removes the temporary files that killed saves left behind. A
directory's `checkpoint` file lists the newest ones for `latest_checkpoint`.
"""

from __future__ import annotations

import os

import numpy as np

from graphflow.core.graph import Graph, GraphKeys
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.errors import DataLossError, InvalidArgumentError, NotFoundError
from graphflow.io.atomic_files import atomic_write, remove_stale_temp_files
from graphflow.io.graph_json import graph_to_json, import_graph_dict, import_graph_file
from graphflow.train.checkpoint_format import read_checkpoint, write_checkpoint
from graphflow.train.checkpoint_state import write_checkpoint_state

__all__ = ["DataLossError", "NotFoundError", "Saver", "import_meta_graph", "read_checkpoint"]


class Saver:
    """Saves and restores variables by name (all global variables by default, slots included)."""

    def __init__(self, var_list=None, reshape: bool = False, sharded: bool = False,
                 max_to_keep: int = 5, keep_checkpoint_every_n_hours: float = 10000.0,
                 name=None, restore_sequentially: bool = False, saver_def=None, builder=None,
                 defer_build: bool = False, allow_empty: bool = False, write_version: int = 2,
                 pad_step_number: bool = False, save_relative_paths: bool = False,
                 filename=None):
        """TF1's arguments in TF1's order. restore_sequentially, defer_build, write_version and
        save_relative_paths change nothing here (checkpoints are one relative `.npz` file set);
        allow_empty permits a Saver of no variables; the others work only at their defaults."""
        from graphflow.compat.missing import unsupported_argument

        del name, restore_sequentially, defer_build, write_version
        del save_relative_paths
        for arg, value, default in (("reshape", reshape, False), ("sharded", sharded, False),
                                    ("keep_checkpoint_every_n_hours",
                                     keep_checkpoint_every_n_hours, 10000.0),
                                    ("saver_def", saver_def, None), ("builder", builder, None),
                                    ("pad_step_number", pad_step_number, False),
                                    ("filename", filename, None)):
            if value != default:
                raise unsupported_argument("Saver", arg, value)
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            if var_list is None:
                from graphflow.core.graph import get_default_graph

                var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
            self._vars = {v.op.name: v for v in var_list}
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save: build the model's Variables before the Saver.")
        self.max_to_keep = max_to_keep
        self._kept: list[str] = []

    def save(self, sess, save_path: str, global_step=None, write_meta_graph: bool = True) -> str:
        """Write the variables' current values; returns the checkpoint prefix.

        In a graphflow.distributed job of several ranks only rank 0 writes: the others return
        the same prefix and write nothing (their variables equal rank 0's)."""
        from graphflow.distributed.comm import is_secondary

        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) \
                else int(sess.run(global_step))
            save_path = f"{save_path}-{int(step)}"
        if is_secondary():
            return save_path
        values = {}
        for name, var in self._vars.items():
            if not sess.state.is_initialized(var.op):
                raise InvalidArgumentError(
                    f"Cannot save uninitialized variable '{name}' (created at {var.op.site}).")
            values[name] = sess.state.variable_to_host(var.op)
        directory = os.path.dirname(os.path.abspath(save_path))
        os.makedirs(directory, exist_ok=True)
        remove_stale_temp_files(directory)
        write_checkpoint(save_path, values)
        if write_meta_graph:
            text = graph_to_json(sess.graph)
            atomic_write(save_path + ".meta.json", lambda f: f.write(text.encode()))
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
        write_checkpoint_state(os.path.dirname(os.path.abspath(prefix)), prefix, self._kept)

    def restore(self, sess, save_path: str) -> None:
        """Set every variable from the checkpoint; on any problem, raise and change nothing.

        The files are verified (checksums, dtypes, shapes) and every variable matched before any
        value is set: NotFoundError for a missing file or variable, DataLossError for damaged
        files, InvalidArgumentError for a variable of another dtype or shape.
        """
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


def import_meta_graph(meta_graph_or_file, clear_devices: bool = False, import_scope=None, *,
                      graph: Graph | None = None) -> Saver | None:
    """Load a `.meta.json` graph into `graph` (the default graph); returns a Saver for its
    variables, or None when it has none. TF1's clear_devices and import_scope work only at
    their defaults.

    The file is checked node by node as if the graph were built from Python; a damaged file
    raises DataLossError, one describing an invalid graph InvalidArgumentError (both naming the
    file and the node), and nothing is added to the graph then.
    """
    from graphflow.compat.missing import unsupported_argument

    for arg, value, default in (("clear_devices", clear_devices, False),
                                ("import_scope", import_scope, None)):
        if value != default:
            raise unsupported_argument("import_meta_graph", arg, value)
    if isinstance(meta_graph_or_file, dict):  # a graph document already read (graph_to_dict)
        graph = import_graph_dict(meta_graph_or_file, graph)
    else:
        graph = import_graph_file(meta_graph_or_file, graph)
    variables = [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                 if isinstance(v, Tensor)]
    return Saver(variables) if variables else None
