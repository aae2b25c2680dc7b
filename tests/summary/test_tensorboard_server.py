"""`tensorboard --logdir` serves what FileWriter wrote: scalar tags and values, and the graph.

Starts the real server on 127.0.0.1 with port 0 (it picks a free port and prints it), queries
its HTTP data API, and stops it. Skipped, with the reason, only when the server cannot start.
"""

import json
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402

START_TIMEOUT_S = 90
URL = re.compile(r"TensorBoard \S+ at (http://127\.0\.0\.1:\d+)/")


def _write_run(logdir):
    with tf.name_scope("model"):
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [-1.0]], name="W")
        y = tf.matmul(x, w)
    loss = tf.reduce_mean(tf.square(y), name="mse")
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("W", w)
    merged = tf.summary.merge_all()
    losses = []
    with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
        sess.run(tf.global_variables_initializer())
        for step in range(4):
            summary, _, value = sess.run([merged, train_op, loss],
                                         {x: np.float32([[1, 0], [0, 2]])})
            writer.add_summary(summary, step)
            losses.append(float(value))
    return losses


def _lines(stream, out: queue.Queue):
    for line in stream:
        out.put(line)


def _get(base, path, timeout=10):
    with urllib.request.urlopen(base + path, timeout=timeout) as reply:
        return reply.read().decode("utf-8")


@pytest.fixture
def server(tmp_path):
    """(base URL, logdir) of a running `tensorboard --logdir` over a freshly written run."""
    losses = _write_run(tmp_path)
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", str(tmp_path),
               "--host", "127.0.0.1", "--port", "0", "--load_fast", "false",
               "--reload_interval", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, stdin=subprocess.DEVNULL)
    output: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, output), daemon=True).start()
    seen, base, deadline = [], None, time.monotonic() + START_TIMEOUT_S
    try:
        while base is None and time.monotonic() < deadline:
            try:
                line = output.get(timeout=0.5)
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            seen.append(line)
            found = URL.search(line)
            base = found.group(1) if found else None
        if base is None:
            pytest.skip("tensorboard could not start here: " + "".join(seen)[-800:])
        yield base, losses
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _wait_for(base, path, ready, timeout=60):
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        last = _get(base, path)
        if ready(last):
            return last
        time.sleep(0.5)
    raise AssertionError(f"{path} never got ready; last answer: {last[:500]}")


def test_tensorboard_serves_the_scalars_and_the_graph(server):
    base, losses = server
    assert json.loads(_get(base, "/data/runs")) in ([], ["."])
    tags = json.loads(_wait_for(base, "/data/plugin/scalars/tags",
                                lambda text: "loss" in json.loads(text).get(".", {})))
    assert set(tags["."]) == {"loss"}
    points = json.loads(_get(base, "/data/plugin/scalars/scalars?run=.&tag=loss"))
    assert [p[1] for p in points] == [0, 1, 2, 3]
    np.testing.assert_allclose([p[2] for p in points], losses, rtol=1e-6)
    histograms = json.loads(_get(base, "/data/plugin/histograms/tags"))
    assert "W" in histograms["."]
    info = json.loads(_get(base, "/data/plugin/graphs/info"))
    assert info["."]["run_graph"] is True
    graph = _get(base, "/data/plugin/graphs/graph?run=.&conceptual=false")
    for name in ("model/x", "model/W", "model/MatMul", "mse", "loss"):
        assert f'name: "{name}"' in graph, name
    assert 'op: "ScalarSummary"' in graph and "_output_shapes" in graph
