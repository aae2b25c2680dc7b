"""The `checkpoint` state file of a checkpoint directory: which checkpoints exist, newest last.

It is JSON: `{"model_checkpoint_path": "model-3", "all_model_checkpoint_paths": ["model-2",
"model-3"]}`, paths relative to the directory (absolute ones are kept as they are), as TF1's
`CheckpointState` holds them. Reading validates every field; a damaged file is a DataLossError.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from graphflow.errors import DataLossError, InvalidArgumentError
from graphflow.io.atomic_files import atomic_write

STATE_FILENAME = "checkpoint"
_MAX_STATE_BYTES = 1 << 24


@dataclass
class CheckpointState:
    """TF1's CheckpointState: the newest checkpoint prefix and all those kept, oldest first."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str] = field(default_factory=list)


def _directory(checkpoint_dir) -> str:
    try:
        directory = os.fspath(checkpoint_dir)
    except TypeError:
        raise InvalidArgumentError(f"checkpoint_dir must be a path, got {checkpoint_dir!r}") \
            from None
    if isinstance(directory, bytes):
        directory = os.fsdecode(directory)
    if "\0" in directory:
        raise InvalidArgumentError(f"checkpoint_dir {directory!r} contains a NUL character")
    return directory


def _path_field(value, path: str, what: str) -> str:
    if not isinstance(value, str) or not value or "\0" in value:
        raise DataLossError(f"Checkpoint state file {path} is corrupt: {what} must be a "
                            f"non-empty path string, got {value!r:.80}")
    return value


def get_checkpoint_state(checkpoint_dir, latest_filename: str | None = None):
    """The directory's CheckpointState, or None when it has no state file.

    Relative paths in the file are joined to `checkpoint_dir`, as in TF1. A state file that
    cannot be read or parsed raises DataLossError naming it.

    Args:
        checkpoint_dir: The directory the Saver wrote to.
        latest_filename: The state file's name (default "checkpoint").

    Returns:
        A CheckpointState (`model_checkpoint_path`, `all_model_checkpoint_paths`) or None.

    Examples:
        >>> w = tf.Variable(1.0)
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     _ = tf.train.Saver().save(sess, "./model.ckpt", global_step=5)
        >>> state = tf.train.get_checkpoint_state(".")
        >>> print(state.model_checkpoint_path, state.all_model_checkpoint_paths)
        ./model.ckpt-5 ['./model.ckpt-5']
    """
    directory = _directory(checkpoint_dir)
    path = os.path.join(directory, latest_filename or STATE_FILENAME)
    try:
        with open(path, "rb") as f:
            raw = f.read(_MAX_STATE_BYTES + 1)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # checkpoint_dir is a file: there is no state file in it
    except OSError as err:
        raise DataLossError(f"Cannot read checkpoint state file {path}: {err.strerror}") from None
    if len(raw) > _MAX_STATE_BYTES:
        raise DataLossError(f"Checkpoint state file {path} is corrupt: larger than "
                            f"{_MAX_STATE_BYTES} bytes")
    try:
        state = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise DataLossError(f"Checkpoint state file {path} is corrupt: not JSON "
                            f"({type(err).__name__}: {err})") from None
    if not isinstance(state, dict):
        raise DataLossError(f"Checkpoint state file {path} is corrupt: expected a JSON object, "
                            f"got {type(state).__name__}")
    newest = _path_field(state.get("model_checkpoint_path"), path, "model_checkpoint_path")
    kept = state.get("all_model_checkpoint_paths", [newest])
    if not isinstance(kept, list):
        raise DataLossError(f"Checkpoint state file {path} is corrupt: "
                            f"all_model_checkpoint_paths must be a list, got {kept!r:.80}")
    kept = [_path_field(p, path, "each of all_model_checkpoint_paths") for p in kept]
    return CheckpointState(os.path.join(directory, newest),
                           [os.path.join(directory, p) for p in kept])


def latest_checkpoint(checkpoint_dir, latest_filename: str | None = None) -> str | None:
    """The newest checkpoint prefix recorded in `checkpoint_dir`, or None if there is none.

    None also when the state file names a checkpoint whose files are gone (TF1 does the same);
    a damaged state file raises DataLossError.

    Args:
        checkpoint_dir: The directory the Saver wrote to.
        latest_filename: The state file's name (default "checkpoint").

    Returns:
        A prefix for `Saver.restore`, or None.

    Examples:
        >>> print(tf.train.latest_checkpoint("./no_checkpoints_here"))
        None
        >>> w = tf.Variable(1.0)
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     _ = tf.train.Saver().save(sess, "./model.ckpt", global_step=5)
        >>> print(tf.train.latest_checkpoint("."))
        ./model.ckpt-5
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None:
        return None
    prefix = state.model_checkpoint_path
    return prefix if os.path.isfile(prefix + ".index.json") else None


def write_checkpoint_state(directory: str, newest: str, kept: list[str],
                           filename: str | None = None) -> None:
    """Record `newest` and `kept` (checkpoint prefixes) in `directory`'s state file
    (`filename`, `checkpoint` by default: TF1's latest_filename)."""
    def relative(prefix: str) -> str:
        same = os.path.dirname(os.path.abspath(prefix)) == os.path.abspath(directory)
        return os.path.basename(prefix) if same else os.path.abspath(prefix)

    state = {"model_checkpoint_path": relative(newest),
             "all_model_checkpoint_paths": [relative(p) for p in kept]}
    atomic_write(os.path.join(directory, filename or STATE_FILENAME),
                 lambda f: f.write(json.dumps(state, indent=1).encode()))
