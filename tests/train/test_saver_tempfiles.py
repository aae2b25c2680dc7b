"""A save killed midway leaves a temporary file; the next save in that directory removes it."""

import os
import subprocess
import sys
import textwrap

import numpy as np

import graphflow as tf

KILLED_SAVE = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import graphflow as tf
    from graphflow.train import checkpoint_format

    def savez_then_die(f, **arrays):  # the process is killed while the .npz is being written
        f.write(b"PK" + b"\\0" * (1 << 20))
        f.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    w = tf.Variable(np.zeros(1000, np.float32), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = os.path.join(sys.argv[1], "model")
        tf.train.Saver().save(sess, prefix, global_step=int(sys.argv[2]))
        checkpoint_format.np.savez = savez_then_die
        tf.train.Saver().save(sess, prefix, global_step=99)
""")


def _temp_files(directory) -> list[str]:
    return [n for n in os.listdir(directory) if n.startswith(".tmp-")]


def test_killed_saves_leave_temp_files_that_the_next_save_removes(tmp_path):
    for step in (1, 2):
        done = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(tmp_path), str(step)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == -9, done.stderr
        # the half-written .npz of this killed save; the last one's was removed by its first save
        assert len(_temp_files(tmp_path)) == 1
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model-2")

    w = tf.Variable(np.ones(1000, np.float32), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        assert not sess.run(w).any()  # the killed saves never damaged the previous checkpoint
        tf.train.Saver().save(sess, str(tmp_path / "model"), global_step=3)
    assert _temp_files(tmp_path) == []
