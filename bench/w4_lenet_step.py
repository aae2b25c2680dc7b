"""W4, one LeNet-5 training step: `python bench/w4_lenet_step.py [--batch 64] [--rounds 40]`.

NHWC 28x28x1; conv 5x5x6 VALID + ReLU + maxpool 2; conv 5x5x16 VALID + ReLU + maxpool 2; dense
120 ReLU, 84 ReLU, 10; mean softmax cross-entropy; SGD. Timed beside a hand-written NumPy step
(im2col by sliding windows, one GEMM per conv), interleaved round by round; medians after a warm-up.
Ratios are NumPy's time over graphflow's (BENCHMARKS.md: NumPy 14.4 ms, TF1 3.40 ms on the anchor
machine, so beating TF1 means a ratio above 4.2).
"""

import argparse
import statistics
import time

import numpy as np

import graphflow as tf
from graphflow.bench.lenet import build_graph, init_params, numpy_step


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--disable-passes", default="", help="compiler passes to switch off, a,b")
    args = ap.parse_args()
    disabled = [p for p in args.disable_passes.split(",") if p]
    rng = np.random.default_rng(0)
    params = init_params(rng)
    xs = rng.random((args.batch, 28, 28, 1), dtype=np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, args.batch)]
    x, y, variables, train = build_graph(params, args.batch)

    sessions = {}
    for executor in ("cpu", "reference"):
        sess = tf.Session(executor=executor, disabled_passes=disabled)
        sess.run(tf.global_variables_initializer())
        sessions[executor] = sess
    feed = {x: xs, y: ys}
    mine = [p.copy() for p in params]
    numpy_step(mine, xs, ys)  # one step from the same start: all three must agree
    for executor, sess in sessions.items():
        sess.run(train, feed)
        for got, want in zip(sess.run(variables), mine, strict=True):
            np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-6, err_msg=executor)

    state = [p.copy() for p in params]
    variants = {"numpy": lambda: numpy_step(state, xs, ys),
                "cpu": lambda: sessions["cpu"].run(train, feed),
                "reference": lambda: sessions["reference"].run(train, feed)}
    times = {k: [] for k in variants}
    for _ in range(3):
        for fn in variants.values():
            fn()
    for _ in range(args.rounds):
        for k, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - start)
    base = statistics.median(times["numpy"])
    print(f"W4 LeNet-5 step, batch {args.batch}, {args.rounds} rounds, medians:")
    for k, ts in times.items():
        t = statistics.median(ts)
        print(f"  {k:<10} {t * 1e3:8.3f} ms   numpy/this = {base / t:5.2f}   "
              f"anchor-equivalent {14.4 * t / base:7.3f} ms (TF1 3.40 ms)")


if __name__ == "__main__":
    main()
