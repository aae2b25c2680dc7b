"""A saved model to damage: its checkpoint files, and a check that a restore of them is safe."""

import os

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphflowError

EXTENSIONS = (".npz", ".index.json")


class SavedModel:
    """Five variables (two of one dtype and shape, for swaps) saved, then set to other values.

    `check_restore(prefix)` restores from `prefix` and asserts the only two safe outcomes: a
    graphflow error naming the checkpoint with every variable unchanged, or every variable
    exactly as saved (the values are then put back for the next case).
    """

    def __init__(self, directory):
        self.directory = str(directory)
        self.vars = {
            "a": tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="a"),
            "b": tf.Variable(-np.arange(1, 7, dtype=np.float32).reshape(2, 3), name="b"),
            "steps": tf.Variable(np.array([1, 2, 3, 4], np.int32), name="steps"),
            "flag": tf.Variable(True, name="flag"),
            "d": tf.Variable(np.linspace(0.0, 1.0, 3)[:, None], name="d"),
        }
        self.saver = tf.train.Saver()
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())
        self.prefix = self.saver.save(self.sess, os.path.join(self.directory, "m"),
                                      write_meta_graph=False)
        self.saved = self.sess.run(self.vars)
        others = {k: (np.logical_not(v) if v.dtype == bool else v * 3 + 7)
                  for k, v in self.saved.items()}
        self._reset = [self.vars[k].assign(v.astype(self.saved[k].dtype))
                       for k, v in others.items()]
        self.sess.run(self._reset)
        self.before = self.sess.run(self.vars)
        self.files = {ext: open(self.prefix + ext, "rb").read() for ext in EXTENSIONS}
        self._count = 0
        self.outcomes: dict[str, int] = {}

    def write(self, files: dict) -> str:
        """Write `{extension: bytes}` (the saved files where not given) under a new prefix."""
        self._count += 1
        prefix = os.path.join(self.directory, f"case{self._count}")
        for ext in EXTENSIONS:
            with open(prefix + ext, "wb") as f:
                f.write(files.get(ext, self.files[ext]))
        return prefix

    def remove(self, prefix: str) -> None:
        for ext in EXTENSIONS:
            if os.path.exists(prefix + ext):
                os.unlink(prefix + ext)

    def values(self) -> dict:
        return self.sess.run(self.vars)

    def check_restore(self, prefix: str):
        """Restore; returns the graphflow error raised, or None when the values came back."""
        try:
            self.saver.restore(self.sess, prefix)
        except GraphflowError as err:
            assert prefix in str(err), f"the error does not name the checkpoint: {err}"
            self._assert_values(self.before)
            self._count_outcome(type(err).__name__)
            return err
        finally:
            self.remove(prefix)
        self._assert_values(self.saved)
        self.sess.run(self._reset)
        self._count_outcome("restored")
        return None

    def _count_outcome(self, kind: str) -> None:
        self.outcomes[kind] = self.outcomes.get(kind, 0) + 1

    def _assert_values(self, expected: dict) -> None:
        got = self.values()
        for name, value in expected.items():
            assert got[name].dtype == value.dtype, name
            np.testing.assert_array_equal(got[name], value, err_msg=name)


@pytest.fixture
def saved_model(tmp_path, request):
    model = SavedModel(tmp_path)
    yield model
    model.sess.close()
    if os.environ.get("GRAPHFLOW_FUZZ_EXAMPLES"):  # scripts/fuzz.sh reports what happened
        print(f"\n{request.node.name}: {model.outcomes}")
