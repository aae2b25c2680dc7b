"""One rank of the 2-process tests (test_mpirun.py runs it under graphflow-run; not collected).

`python mpi_worker.py MODE[,MODE...] OUTDIR`: each rank writes what it saw to
OUTDIR/MODE-rank{N}.npz (and .json); the test compares them with what one process computes.
- collectives: allreduce, allgather (unequal first dimensions), broadcast, their gradients.
- train: the digits MLP, each rank on its shard of the data, DistributedOptimizer with Adam,
  variables broadcast from rank 0 after rank-dependent initial values; a Saver at a
  rank-dependent path (only rank 0's is written); a FileWriter on OUTDIR/logs, shared by the
  ranks, with a rank-named file suffix (only rank 0's file is written; with tensorboard only).
- raise: rank 1 raises while rank 0 waits in an allreduce.
"""

import importlib.util
import json
import os
import sys

import numpy as np

import graphflow as tf
import graphflow.distributed as hvd

STEPS = 8
SUMMARIES = importlib.util.find_spec("tensorboard") is not None  # FileWriter needs it
N_EXAMPLES = 512


def collectives(out: str) -> dict:
    r = hvd.rank()
    x = tf.placeholder(tf.float32, [None, 3])
    i = tf.placeholder(tf.int64, [2])
    mean, total = hvd.allreduce(x), hvd.allreduce(x, average=False)
    isum = hvd.allreduce(i, average=False)
    gathered = hvd.allgather(x)
    root1 = hvd.broadcast(x, root_rank=1)
    (d_gather,) = tf.gradients(tf.reduce_sum(gathered * gathered), [x])
    (d_mean,) = tf.gradients(tf.reduce_sum(mean * 3.0), [x])
    (d_bcast,) = tf.gradients(tf.reduce_sum(root1 * 2.0), [x])
    rows = r + 1  # rank 0 has 1 row, rank 1 has 2: allgather takes unequal first dimensions
    xv = np.arange(rows * 3, dtype=np.float32).reshape(rows, 3) + 10 * r
    same = np.arange(6, dtype=np.float32).reshape(2, 3) * (r + 1)
    with tf.Session() as sess:
        got = sess.run({"gathered": gathered, "d_gather": d_gather}, {x: xv})
        got.update(sess.run({"mean": mean, "total": total, "d_mean": d_mean, "root1": root1,
                             "d_bcast": d_bcast}, {x: same}))
        got["isum"] = sess.run(isum, {i: np.array([r, 10 ** 12 * r], np.int64)})
        try:  # shapes that differ between ranks: every rank raises the same clear error
            sess.run(mean, {x: xv})
        except tf.errors.OpError as err:
            got["mismatch"] = np.array(str(err))
    got["x"], got["same"] = xv, same
    return got


def train(out: str) -> dict:
    from graphflow.datasets import load_digits

    r = hvd.rank()
    X, y = load_digits()
    X, y = X[:N_EXAMPLES], y[:N_EXAMPLES]
    Xs, ys = hvd.shard(X, y)
    rng = np.random.RandomState(100 + r)  # each rank draws its own: the broadcast must win
    x = tf.placeholder(tf.float32, [None, 64])
    labels = tf.placeholder(tf.int64, [None])
    w1 = tf.Variable(rng.randn(64, 32).astype(np.float32) * 0.2, name="w1")
    b1 = tf.Variable(np.zeros(32, np.float32), name="b1")
    w2 = tf.Variable(rng.randn(32, 10).astype(np.float32) * 0.2, name="w2")
    b2 = tf.Variable(np.zeros(10, np.float32), name="b2")
    logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    step = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.01)).minimize(loss)
    sync = hvd.broadcast_global_variables(0)
    saver = tf.train.Saver()
    loss_summary = tf.summary.scalar("loss", loss) if SUMMARIES else loss
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(os.path.join(out, "logs"), sess.graph,
                                       filename_suffix=f".rank{r}") if SUMMARIES else None
        sess.run(tf.global_variables_initializer())
        sess.run(sync)
        initial = sess.run([w1, b1, w2, b2])
        losses = []
        for i in range(STEPS):
            _, value, summary = sess.run([step, loss, loss_summary], {x: Xs, labels: ys})
            losses.append(value)
            if writer is not None:
                writer.add_summary(summary, i)
        if writer is not None:
            writer.close()
        final = sess.run([w1, b1, w2, b2])
        path = saver.save(sess, os.path.join(out, f"ckpt-rank{r}", "model"))
    got = {f"initial{k}": v for k, v in enumerate(initial)}
    got.update({f"final{k}": v for k, v in enumerate(final)})
    got["losses"] = np.array(losses)
    got["path"] = np.array(path)
    return got


def fail(out: str) -> dict:
    x = tf.placeholder(tf.float32, [3])
    total = hvd.allreduce(x)
    if hvd.rank() == 1:
        raise ValueError("rank 1 fails on purpose")
    with tf.Session() as sess:
        sess.run(total, {x: np.ones(3, np.float32)})  # waits for rank 1 for ever, unless aborted
    return {}


def main(modes: str, out: str) -> None:
    """Run each of the comma-separated `modes` in its own graph, in one job."""
    hvd.init()
    r = hvd.rank()
    for mode in modes.split(","):
        with tf.Graph().as_default():
            got = {"collectives": collectives, "train": train, "raise": fail}[mode](out)
        np.savez(os.path.join(out, f"{mode}-rank{r}.npz"), **got)
        with open(os.path.join(out, f"{mode}-rank{r}.json"), "w") as f:
            json.dump({"rank": r, "size": hvd.size(), "local_rank": hvd.local_rank(),
                       "local_size": hvd.local_size()}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
