"""Data-parallel training speed: `python bench/distributed.py [--ranks 1 2] [--json out.json]`.

For each rank count it starts itself under graphflow-run; every rank trains the digits MLP
(examples/digits_mlp.py, Adam) and LeNet-5 (graphflow.bench.lenet, SGD, random 28x28 images)
with DistributedOptimizer on batches of 64 per rank, and rank 0 reports:
- samples/s: all ranks' samples per second of wall time (median of repeats of fixed length:
  every rank runs the same number of steps, as collectives require);
- allreduce per step, traced: the MPIAllreduce step's time inside a training step, waiting for
  the slower rank included;
- allreduce alone: one fused gradient buffer's allreduce after a barrier (the transfer itself).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
BATCH = 64


def _timed_steps(step, sess, warmup: int, repeats: int, steps: int) -> float:
    """Median seconds per step over `repeats` runs of `steps` steps, after `warmup` steps."""
    from graphflow.distributed import comm

    for _ in range(warmup):
        step()
    samples = []
    for _ in range(repeats):
        comm.world().comm.Barrier()
        start = time.perf_counter()
        for _ in range(steps):
            step()
        samples.append((time.perf_counter() - start) / steps)
    return statistics.median(samples)


def _traced_allreduce(sess, fetches, feed, runs: int = 20) -> float:
    """Median seconds of the MPIAllreduce steps in one traced training step."""
    import graphflow as tf

    times = []
    for _ in range(runs):
        md = tf.RunMetadata()
        sess.run(fetches, feed, options=tf.RunOptions(trace=True), run_metadata=md)
        times.append(sum(t.seconds for t in md.step_stats if t.type == "MPIAllreduce"))
    return statistics.median(times)


def _allreduce_alone(n_floats: int, runs: int = 50) -> float:
    """Median seconds of one allreduce of `n_floats` float32 values, ranks aligned first."""
    from graphflow.distributed import comm

    w = comm.world()
    send = np.ones(n_floats, np.float32)
    recv = np.empty_like(send)
    times = []
    for _ in range(runs):
        w.comm.Barrier()
        start = time.perf_counter()
        w.comm.Allreduce(send, recv)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _digits_mlp(hvd, tf):
    from graphflow.datasets import load_digits

    spec = importlib.util.spec_from_file_location("digits_mlp", ROOT / "examples/digits_mlp.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    x, labels, loss, _ = example.build()
    step = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.005)).minimize(loss)
    X, y = hvd.shard(*load_digits(), drop_remainder=True)
    return step, [x, labels], [X[:BATCH], y[:BATCH]]


def _lenet(hvd, tf):
    from graphflow.bench import lenet

    class WithDistributedSGD:
        """graphflow, its GradientDescentOptimizer wrapped: build_graph takes the module."""

        train = SimpleNamespace(GradientDescentOptimizer=lambda lr: hvd.DistributedOptimizer(
            tf.train.GradientDescentOptimizer(lr)))

        def __getattr__(self, name):
            return getattr(tf, name)

    rng = np.random.default_rng(hvd.rank())
    x, y, _, step = lenet.build_graph(lenet.init_params(np.random.default_rng(0)), BATCH,
                                      tf=WithDistributedSGD())
    images = rng.standard_normal((BATCH, 28, 28, 1)).astype(np.float32)
    onehot = np.eye(10, dtype=np.float32)[rng.integers(0, 10, BATCH)]
    return step, [x, y], [images, onehot]


def worker(steps: int) -> None:
    """One rank: time both workloads; rank 0 prints one JSON line."""
    import graphflow as tf
    import graphflow.distributed as hvd

    hvd.init()
    rows = []
    for name, build, warmup in (("digits MLP", _digits_mlp, 20), ("LeNet-5", _lenet, 3)):
        with tf.Graph().as_default():
            step, feeds, values = build(hvd, tf)
            params = sum(v.shape.num_elements() for v in tf.trainable_variables())
            sync = hvd.broadcast_global_variables(0)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(sync)
                call = sess.make_callable(step, feeds)
                per_step = _timed_steps(lambda c=call, v=values: c(*v), sess, warmup, 5,
                                        steps if name == "digits MLP" else max(5, steps // 10))
                feed = dict(zip(feeds, values))
                traced = _traced_allreduce(sess, step, feed) if hvd.size() > 1 else 0.0
        rows.append({"workload": name, "ranks": hvd.size(), "batch_per_rank": BATCH,
                     "parameters": params, "seconds_per_step": per_step,
                     "samples_per_second": hvd.size() * BATCH / per_step,
                     "allreduce_traced_s": traced,
                     "allreduce_alone_s": _allreduce_alone(params) if hvd.size() > 1 else 0.0})
    if hvd.rank() == 0:
        print("RESULT " + json.dumps(rows), flush=True)


def _run_job(ranks: int, threads: str | None, steps: int) -> list:
    cmd = [sys.executable, "-m", "graphflow.distributed.launcher", "-np", str(ranks), "python",
           __file__, "--worker", "--steps", str(steps)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                        os.environ.get("PYTHONPATH", "")])}
    if threads:
        env["OMP_NUM_THREADS"] = threads
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    found = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    if done.returncode != 0 or not found:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n"
                           f"{done.stderr[-3000:]}")
    rows = json.loads(found[-1][len("RESULT "):])
    for r in rows:
        r["threads"] = threads or "default"
        r["load_average"] = os.getloadavg()[0]  # the machine's, over the last minute
    return rows


def _median_rows(rows: list) -> list:
    """One row per (workload, ranks, threads): medians over the rounds, and the samples/s range."""
    groups: dict = {}
    for r in rows:
        groups.setdefault((r["workload"], r["ranks"], r["threads"]), []).append(r)
    out = []
    for same in groups.values():
        row = dict(same[0])
        for key in ("seconds_per_step", "samples_per_second", "allreduce_traced_s",
                    "allreduce_alone_s"):
            row[key] = statistics.median(r[key] for r in same)
        row["samples_per_second_range"] = [min(r["samples_per_second"] for r in same),
                                           max(r["samples_per_second"] for r in same)]
        row["rounds"] = len(same)
        out.append(row)
    return sorted(out, key=lambda r: (r["workload"] != "digits MLP", r["ranks"],
                                      r["threads"] != "1"))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    p.add_argument("--rounds", type=int, default=3, help="jobs per configuration, alternated")
    p.add_argument("--steps", type=int, default=200, help="digits MLP steps per repeat")
    p.add_argument("--json", help="write the rows to this file")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker(args.steps)
        return 0
    # one rank also with one thread: what each of N ranks has on a machine of N cores
    configs = [(n, t) for n in args.ranks for t in ((None, "1") if n == 1 else (None,))]
    rows = []
    for _ in range(args.rounds):
        for ranks, threads in configs:
            rows += _run_job(ranks, threads, args.steps)
    loads = [r["load_average"] for r in rows]
    rows = _median_rows(rows)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
          f"{min(loads):.1f}-{max(loads):.1f} during the jobs, {args.rounds} rounds")
    print("| workload | ranks | threads per rank | samples/s (range) | ms/step | "
          "allreduce in step (traced) | allreduce alone | parameters |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        traced = f"{r['allreduce_traced_s'] * 1e3:.2f} ms" if r["ranks"] > 1 else "-"
        alone = f"{r['allreduce_alone_s'] * 1e6:.0f} us" if r["ranks"] > 1 else "-"
        lo, hi = r["samples_per_second_range"]
        print(f"| {r['workload']} | {r['ranks']} | {r['threads']} | "
              f"{r['samples_per_second']:,.0f} ({lo:,.0f}-{hi:,.0f}) | "
              f"{r['seconds_per_step'] * 1e3:.2f} | {traced} | {alone} | {r['parameters']:,} |")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
