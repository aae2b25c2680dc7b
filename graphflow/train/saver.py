"""Saver: checkpoints of variable values by name, in NumPy `.npz` plus a JSON index. No pickle.

A checkpoint `prefix` is two files, `prefix.npz` (the values) and `prefix.index.json` (names,
dtypes, shapes, checksums; see `checkpoint_format`), plus `prefix.meta` (the graph) when
asked (TF1's name for it; its content is graphflow's JSON graph file, never a protobuf).
Each is written to a temporary file and renamed, so a crash never leaves a half-written
checkpoint, and each save first removes the temporary files that killed saves left behind. A
directory's `checkpoint` file lists the newest ones for `latest_checkpoint`.
"""

from __future__ import annotations

import os
import re

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
    """Saves and restores variables by name (all global variables by default, slots included).

    A checkpoint is a prefix (`model.ckpt-100`) naming a set of files: the values, an index and
    (unless `write_meta_graph=False`) the graph as JSON; a `checkpoint` state file in the
    directory lists the kept ones for `tf.train.latest_checkpoint`.

    Args:
        var_list: The variables to save: a list (saved under their op names) or a dict from
            checkpoint name to variable (default: all global variables).
        reshape: Only TF1's default False.
        sharded: Only TF1's default False.
        max_to_keep: How many recent checkpoints to keep (older ones are deleted; None or 0
            keeps all).
        keep_checkpoint_every_n_hours: Only TF1's default.
        name: TF1's op name prefix; unused.
        restore_sequentially: Changes nothing.
        saver_def: Only None.
        builder: Only None.
        defer_build: Changes nothing.
        allow_empty: Allow a Saver of no variables (else it raises).
        write_version: Changes nothing.
        pad_step_number: Only TF1's default False.
        save_relative_paths: Changes nothing (the state file holds relative paths).
        filename: Only None.

    Examples:
        >>> w = tf.Variable([1.0, 2.0], name="w")
        >>> saver = tf.train.Saver()
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     path = saver.save(sess, "./model.ckpt", global_step=7)
        >>> print(path, tf.train.latest_checkpoint("."))
        ./model.ckpt-7 ./model.ckpt-7
        >>> with tf.Session() as sess:
        ...     saver.restore(sess, path)
        ...     print(sess.run(w))
        [1. 2.]
    """

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
        self._meta_ext: dict[str, str] = {}  # each kept prefix's graph file suffix

    def save(self, sess, save_path: str, global_step=None, latest_filename: str | None = None,
             meta_graph_suffix: str = "meta", write_meta_graph: bool = True,
             write_state: bool = True, strip_default_attrs: bool = False,
             save_debug_info: bool = False) -> str:
        """Write the variables' current values; returns the checkpoint prefix.

        TF1's arguments in TF1's order: the graph goes to `prefix.meta` (`meta_graph_suffix`)
        as JSON; `latest_filename` names the state file, written unless write_state is False.
        strip_default_attrs and save_debug_info change nothing (graph files are JSON).

        In a graphflow.distributed job of several ranks only rank 0 writes: the others return
        the same prefix and write nothing (their variables equal rank 0's).

        Args:
            sess: The Session whose values to save (every variable must be initialised).
            save_path: The checkpoint prefix, such as "./model.ckpt".
            global_step: A step number (an int or the global step variable) appended as `-N`.
            latest_filename: The state file's name (default "checkpoint").
            meta_graph_suffix: The graph file's suffix (default "meta").
            write_meta_graph: Also write the graph file.
            write_state: Also update the state file.
            strip_default_attrs: Changes nothing.
            save_debug_info: Changes nothing.

        Returns:
            The checkpoint prefix written, with the step: "./model.ckpt-100".

        Examples:
            >>> w = tf.Variable(3.0, name="w")
            >>> saver = tf.train.Saver()
            >>> with tf.Session() as sess:
            ...     sess.run(w.initializer)
            ...     print(saver.save(sess, "./model.ckpt", global_step=100))
            ./model.ckpt-100
        """
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
        del strip_default_attrs, save_debug_info
        write_checkpoint(save_path, values)
        if write_meta_graph:
            text = graph_to_json(sess.graph)
            atomic_write(f"{save_path}.{meta_graph_suffix}", lambda f: f.write(text.encode()))
        if write_state:  # as TF1: without the state, the save is neither kept nor counted
            self._remember(save_path, f".{meta_graph_suffix}", latest_filename)
        return save_path

    def _remember(self, prefix: str, meta_ext: str, state_file: str | None) -> None:
        """Keep `prefix` as the newest; delete checkpoints beyond max_to_keep (with the graph
        file each was saved with, and an older graphflow's `.meta.json`); update the state
        file (`state_file`, by default `checkpoint`)."""
        if prefix in self._kept:
            self._kept.remove(prefix)
        self._kept.append(prefix)
        self._meta_ext[prefix] = meta_ext
        while self.max_to_keep and len(self._kept) > self.max_to_keep:
            old = self._kept.pop(0)
            for ext in (".npz", ".index.json", self._meta_ext.pop(old, ".meta"), ".meta.json"):
                if os.path.exists(old + ext):
                    os.unlink(old + ext)
        write_checkpoint_state(os.path.dirname(os.path.abspath(prefix)), prefix, self._kept,
                               state_file)

    def restore(self, sess, save_path: str) -> None:
        """Set every variable from the checkpoint; on any problem, raise and change nothing.

        The files are verified (checksums, dtypes, shapes) and every variable matched before any
        value is set: NotFoundError for a missing file or variable, DataLossError for damaged
        files, InvalidArgumentError for a variable of another dtype or shape.

        Args:
            sess: The Session to set the values in (no initializer needs to run first).
            save_path: A checkpoint prefix, as `save` returns it or `latest_checkpoint` finds it.

        Examples:
            >>> w = tf.Variable(3.0, name="w")
            >>> saver = tf.train.Saver()
            >>> with tf.Session() as sess:
            ...     sess.run(w.initializer)
            ...     path = saver.save(sess, "./model.ckpt")
            >>> with tf.Session() as sess:
            ...     saver.restore(sess, path)
            ...     print(sess.run(w))
            3.0
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
                raise InvalidArgumentError(_shape_mismatch(name, var, value, values, save_path))
            staged[var.op] = value
        sess.state.variables_from_host(staged)

    @property
    def last_checkpoints(self) -> list[str]:
        """The prefixes of the checkpoints this Saver keeps, oldest first.

        Examples:
            >>> w = tf.Variable(1.0)
            >>> saver = tf.train.Saver(max_to_keep=2)
            >>> with tf.Session() as sess:
            ...     sess.run(w.initializer)
            ...     for step in (1, 2, 3):
            ...         _ = saver.save(sess, "./m", global_step=step)
            >>> print(saver.last_checkpoints)
            ['./m-2', './m-3']
        """
        return list(self._kept)


# Names a variable gets when the user gives none: TF1's `Variable`, `Variable_1`, ... and the
# numbered default scopes of layers (`dense_2/kernel`); they depend on the build order.
_AUTO_NAME = re.compile(r"Variable(_\d+)?|(dense|conv[123]d|conv2d_transpose|"
                        r"separable_conv2d|batch_normalization|fully_connected|embedding|"
                        r"rnn|lstm_cell|gru_cell|basic_rnn_cell|basic_lstm_cell)_\d+")


def has_auto_name(name: str) -> bool:
    """Whether a variable's name (or a scope of it) was generated rather than chosen."""
    return any(_AUTO_NAME.fullmatch(part) for part in name.split("/"))


def _shape_mismatch(name: str, var, value, values: dict, save_path: str) -> str:
    """The restore error for a variable whose shape differs from the checkpoint's entry: both
    shapes, the variable, the checkpoint, and advice that fits how the variable was named."""
    lhs, rhs = var.shape.bracketed(), TensorShape(value.shape).bracketed()
    lines = [f"Assign requires shapes of both tensors to match. lhs shape= {lhs} rhs shape= "
             f"{rhs}: cannot restore variable '{name}' of shape {lhs} (created at "
             f"{var.op.site}) from checkpoint {save_path} ({save_path}.npz), which stores "
             f"'{name}' with shape {rhs}."]
    if has_auto_name(name):
        fits = [other for other, v in values.items()
                if other != name and v.dtype == value.dtype
                and var.shape.is_compatible_with(v.shape)]
        also = f" (the checkpoint's {', '.join(repr(n) for n in sorted(fits)[:3])} "\
               f"{'has' if len(fits) == 1 else 'have'} shape {lhs})" if fits else ""
        lines.append(f"'{name}' has a generated name, which depends on the order variables "
                     f"are built in{also}: give variables explicit names (name=... or "
                     "variable scopes), in the saving and the restoring program alike.")
    else:
        lines.append("The graph has changed since the checkpoint was written: build the same "
                     "architecture as the program that saved it, or restore only the variables "
                     "that still fit with tf.train.Saver(var_list=[...]) and initialise the "
                     "others.")
    return "\n".join(lines)


def import_meta_graph(meta_graph_or_file, clear_devices: bool = False, import_scope=None, *,
                      graph: Graph | None = None) -> Saver | None:
    """Load a graph file (`prefix.meta` as the Saver writes it, or `prefix.meta.json` as older
    graphflow wrote it: either spelling finds either file) into `graph` (the default graph),
    collections included; returns a Saver for its variables, or None when it has none. TF1's
    clear_devices and import_scope work only at their defaults.

    The file is checked node by node as if the graph were built from Python; a damaged file
    raises DataLossError, one describing an invalid graph InvalidArgumentError (both naming the
    file and the node), and nothing is added to the graph then. TF's own protobuf MetaGraphDef
    is recognised and refused with InvalidArgumentError.

    Args:
        meta_graph_or_file: The graph file's path (graphflow's JSON; not a TF protobuf).
        clear_devices: Only TF1's default False.
        import_scope: Only TF1's default None.
        graph: The graph to load into (default: the default graph); keyword only.

    Returns:
        A Saver for the loaded variables, or None when the graph has none.

    Examples:
        >>> w = tf.Variable([1.0, 2.0], name="w")
        >>> y = tf.reduce_sum(w * 2.0, name="y")
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     path = tf.train.Saver().save(sess, "./model")
        >>> tf.reset_default_graph()
        >>> saver = tf.train.import_meta_graph(path + ".meta")
        >>> with tf.Session() as sess:
        ...     saver.restore(sess, path)
        ...     print(sess.run("y:0"))
        6.0
    """
    from graphflow.compat.missing import unsupported_argument

    for arg, value, default in (("clear_devices", clear_devices, False),
                                ("import_scope", import_scope, None)):
        if value != default:
            raise unsupported_argument("import_meta_graph", arg, value)
    if isinstance(meta_graph_or_file, dict):  # a graph document already read (graph_to_dict)
        graph = import_graph_dict(meta_graph_or_file, graph)
    else:
        graph = import_graph_file(_graph_file(meta_graph_or_file), graph)
    variables = [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                 if isinstance(v, Tensor)]
    return Saver(variables) if variables else None


def _graph_file(path):
    """`path`, or its other spelling (`.meta` <-> `.meta.json`) when only that file exists."""
    try:
        name = os.fspath(path)
    except TypeError:
        return path  # import_graph_file names the bad argument
    if isinstance(name, bytes) or os.path.exists(name):
        return path
    other = name[: -len(".json")] if name.endswith(".meta.json") \
        else name + ".json" if name.endswith(".meta") else None
    return other if other is not None and os.path.isfile(other) else path
