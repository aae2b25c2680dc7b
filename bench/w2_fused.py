"""W2 through the fused CPU kernel: `python bench/w2_fused.py [--n 1000000] [--rounds 200]`.

y = tanh(x*a + b) * sigmoid(x) - 0.5*x, x float32, forward only, beside the NumPy expression.
The variants are timed interleaved, round by round, so drift on a shared machine hits them alike;
each figure is the median over rounds. Ratios are NumPy's time over graphflow's (BENCHMARKS.md:
NumPy takes 3.13 ms on the anchor machine, so 0.8 ms-equivalent means a ratio of 3.9 or more).
"""

import argparse
import statistics
import time

import numpy as np

import graphflow as tf


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    x_val = np.random.default_rng(0).standard_normal(args.n).astype(np.float32)
    a, b, h = np.float32(0.7), np.float32(0.1), np.float32(0.5)

    def numpy_w2():
        return np.tanh(x_val * a + b) * (1 / (1 + np.exp(-x_val))) - h * x_val

    x = tf.placeholder(tf.float32, [args.n])
    y = tf.tanh(x * 0.7 + 0.1) * tf.sigmoid(x) - 0.5 * x
    sess = tf.Session(executor="cpu")
    plan = sess.compiled_plan(y, {x: x_val})
    assert any(s.node.type == "FusedElementwise" for s in plan.steps), "W2 was not fused"
    call = sess.make_callable(y, [x])
    feed = {x: x_val}
    np.testing.assert_allclose(call(x_val), numpy_w2(), rtol=2e-6, atol=1e-6)
    variants = {"numpy": numpy_w2, "Session.run": lambda: sess.run(y, feed),
                "make_callable": lambda: call(x_val)}
    times = {k: [] for k in variants}
    for _ in range(5):
        for fn in variants.values():
            fn()
    for _ in range(args.rounds):
        for k, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - start)
    base = statistics.median(times["numpy"])
    print(f"W2, n = {args.n}, {args.rounds} rounds, medians:")
    for k, ts in times.items():
        t = statistics.median(ts)
        print(f"  {k:<14} {t * 1e3:8.3f} ms   numpy/this = {base / t:5.2f}   "
              f"anchor-equivalent {3.13 * t / base:6.3f} ms")


if __name__ == "__main__":
    main()
