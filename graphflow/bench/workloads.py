"""Workloads W1-W5 (docs/performance.md), each as graphflow runs beside a hand-written NumPy
baseline.

Every workload returns a list of Rows: (workload, variant, seconds). Results are checked against
the baseline before anything is timed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import graphflow as gf
from graphflow.bench.timing import measure, measure_once, measure_together, synced


class Row(NamedTuple):
    workload: str
    variant: str
    seconds: float
    note: str = ""


def _check(got, expected, what, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol,
                               err_msg=f"{what} disagrees with the NumPy baseline")


def w1_dispatch(executors) -> list:
    """Fixed cost per run and per op: y = x*2 + 1 on shape (1,), and chains of 20/200 ops.

    Each group (NumPy and every executor) is timed interleaved, so its ratios share the load.
    """
    x_val = np.ones(1, np.float32)
    fns = {("W1 run", "numpy"): lambda: x_val * 2 + 1}
    for ex in executors:
        g = gf.Graph()
        with g.as_default():
            x = gf.placeholder(gf.float32, [1])
            y = x * 2 + 1
            sess = gf.Session(graph=g, executor=ex)
            _check(sess.run(y, {x: x_val}), x_val * 2 + 1, "W1")
            feed = {x: x_val}
            fns[("W1 run", f"graphflow/{ex}")] = lambda sess=sess, y=y, feed=feed: \
                sess.run(y, feed)
            call = sess.make_callable(y, [x])
            fns[("W1 make_callable", f"graphflow/{ex}")] = lambda call=call: call(x_val)
    rows = _rows(fns)
    for length in (20, 200):
        def numpy_chain(v, n=length):
            for i in range(n):
                k = i % 4
                v = v * 1.5 if k == 0 else v + 0.25 if k == 1 else np.tanh(v) if k == 2 \
                    else v - 0.125
            return v

        fns = {(f"W1 chain {length}", "numpy"): lambda f=numpy_chain: f(x_val)}
        for ex in executors:
            g = gf.Graph()
            with g.as_default():
                x = gf.placeholder(gf.float32, [1])
                y = x
                for i in range(length):
                    k = i % 4
                    y = y * 1.5 if k == 0 else y + 0.25 if k == 1 else gf.tanh(y) if k == 2 \
                        else y - 0.125
                sess = gf.Session(graph=g, executor=ex)
                call = sess.make_callable(y, [x])
                _check(call(x_val), numpy_chain(x_val), f"W1 chain {length}")
                fns[(f"W1 chain {length}", f"graphflow/{ex}")] = lambda call=call: call(x_val)
        rows += _rows(fns)
    return rows


def _rows(fns: dict) -> list:
    """Rows for {(workload, variant): fn}, all timed together (measure_together)."""
    return [Row(w, v, seconds) for (w, v), seconds in measure_together(fns).items()]


def w2_elementwise(executors, n: int = 1_000_000) -> list:
    """y = tanh(x*a + b) * sigmoid(x) - 0.5*x over 1M float32 values, forward only."""
    x_val = np.random.default_rng(0).standard_normal(n).astype(np.float32)

    def numpy_w2():
        return np.tanh(x_val * np.float32(0.7) + np.float32(0.1)) * \
            (1 / (1 + np.exp(-x_val))) - np.float32(0.5) * x_val

    expected = numpy_w2()
    rows = [Row("W2 elementwise 1M", "numpy", measure(numpy_w2))]
    for ex in executors:
        g = gf.Graph()
        with g.as_default():
            x = gf.placeholder(gf.float32, [n])
            y = gf.tanh(x * 0.7 + 0.1) * gf.sigmoid(x) - 0.5 * x
            sess = gf.Session(graph=g, executor=ex)
            call = sess.make_callable(y, [x])
            _check(call(x_val), expected, "W2")
            rows.append(Row("W2 elementwise 1M", f"graphflow/{ex}",
                            measure(lambda: call(x_val))))
        if ex == "cuda":  # the bus copies dominate above: also time x kept on the device
            rows.append(_w2_resident(ex, x_val, expected))
    return rows


def _w2_resident(ex, x_val, expected) -> Row:
    """W2 with x a variable on the executor's device and y run as a target (nothing copied)."""
    g = gf.Graph()
    with g.as_default():
        x = gf.Variable(x_val)
        y = gf.tanh(x * 0.7 + 0.1) * gf.sigmoid(x) - 0.5 * x
        sess = gf.Session(graph=g, executor=ex)
        sess.run(gf.global_variables_initializer())
        _check(sess.run(y), expected, "W2 resident")
        call = sess.make_callable(y.op, [])
    return Row("W2 elementwise 1M", f"graphflow/{ex} resident", measure(synced(ex, call)),
               "input on the device")


def _mlp_data(batch=128):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 784)).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    w1 = (rng.standard_normal((784, 256)) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((256, 10)) * 0.05).astype(np.float32)
    return x, labels, w1, w2


class NumpyMLP:
    """The hand-written baseline: forward, backward and an in-place SGD step."""

    def __init__(self, w1, w2, lr=0.1):
        self.w1, self.b1 = w1.copy(), np.zeros(256, np.float32)
        self.w2, self.b2 = w2.copy(), np.zeros(10, np.float32)
        self.lr = np.float32(lr)

    def step(self, x, y):
        z1 = x @ self.w1 + self.b1
        h = np.maximum(z1, 0)
        logits = h @ self.w2 + self.b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -(y * (shifted - np.log(e.sum(axis=1, keepdims=True)))).sum(axis=1).mean()
        d_logits = (p - y) / np.float32(len(x))
        dw2 = h.T @ d_logits
        dh = d_logits @ self.w2.T
        dh *= z1 > 0
        dw1 = x.T @ dh
        self.w2 -= self.lr * dw2
        self.b2 -= self.lr * d_logits.sum(axis=0)
        self.w1 -= self.lr * dw1
        self.b1 -= self.lr * dh.sum(axis=0)
        return loss


def w3_mlp_step(executors) -> list:
    x, labels, w1, w2 = _mlp_data()
    h = np.maximum(x @ w1, 0)
    d = np.ones((128, 10), np.float32)
    fns = {("W3 MLP step", "GEMM floor"): lambda: (x @ w1, h @ w2, d @ w2.T, h.T @ d, x.T @ h)}
    base = NumpyMLP(w1, w2)
    reference_losses = [NumpyMLP(w1, w2).step(x, labels) for _ in range(1)]
    fns[("W3 MLP step", "numpy")] = lambda: base.step(x, labels)
    for ex in executors:
        g = gf.Graph()
        with g.as_default():
            xs = gf.placeholder(gf.float32, [None, 784])
            ys = gf.placeholder(gf.float32, [None, 10])
            v1, v2 = gf.Variable(w1), gf.Variable(w2)
            b1, b2 = gf.Variable(np.zeros(256, np.float32)), gf.Variable(np.zeros(10, np.float32))
            logits = gf.matmul(gf.nn.relu(gf.matmul(xs, v1) + b1), v2) + b2
            loss = gf.reduce_mean(gf.nn.softmax_cross_entropy_with_logits(labels=ys,
                                                                          logits=logits))
            step = gf.train.GradientDescentOptimizer(0.1).minimize(loss)
            sess = gf.Session(graph=g, executor=ex)
            sess.run(gf.global_variables_initializer())
            call = sess.make_callable([loss, step], [xs, ys])
            _check(call(x, labels)[0], reference_losses[0], "W3 loss", rtol=1e-5)
            fns[("W3 MLP step", f"graphflow/{ex}")] = lambda call=call: call(x, labels)
    return _rows(fns)


def w5_build(executors, length: int = 1000) -> list:
    """A 1000-op elementwise chain plus its gradient, from nothing to the first run."""
    x_val = np.linspace(-1, 1, 16).astype(np.float32)

    def numpy_w5():
        v, tape = x_val, []
        for i in range(length):
            tape.append(v)
            v = v + 0.01 if i % 3 == 0 else v * 0.999 if i % 3 == 1 else np.tanh(v)
        g = np.ones_like(v)
        for i in reversed(range(length)):
            if i % 3 == 1:
                g = g * np.float32(0.999)
            elif i % 3 == 2:
                g = g * (1 - np.tanh(tape[i]) ** 2)
        return v, g

    expected = numpy_w5()
    rows = [Row("W5 build+grad+run", "numpy", measure_once(numpy_w5))]
    for ex in executors:
        def build_and_run():
            g = gf.Graph()
            with g.as_default():
                x = gf.placeholder(gf.float32, [16])
                y = x
                for i in range(length):
                    y = y + 0.01 if i % 3 == 0 else y * 0.999 if i % 3 == 1 else gf.tanh(y)
                (grad,) = gf.gradients(y, x)
                with gf.Session(graph=g, executor=ex) as sess:
                    return sess.run([y, grad], {x: x_val})

        got = build_and_run()
        _check(got[0], expected[0], "W5 forward")
        _check(got[1], expected[1], "W5 gradient", rtol=1e-3)
        rows.append(Row("W5 build+grad+run", f"graphflow/{ex}", measure_once(build_and_run)))
    return rows




def w4_lenet_step(executors, batch: int = 64) -> list:
    """One LeNet-5 SGD step on a batch of 64 28x28x1 images."""
    from graphflow.bench.lenet import build_graph, init_params, numpy_step

    rng = np.random.default_rng(0)
    params = init_params(rng)
    xs = rng.random((batch, 28, 28, 1), dtype=np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    expected = [p.copy() for p in params]
    numpy_step(expected, xs, ys)
    state = [p.copy() for p in params]
    rows = [Row("W4 LeNet step", "numpy", measure(lambda: numpy_step(state, xs, ys)))]
    for ex in executors:
        g = gf.Graph()
        with g.as_default():
            x, y, variables, train = build_graph(params, batch)
            sess = gf.Session(graph=g, executor=ex)
            sess.run(gf.global_variables_initializer())
            step = sess.make_callable(train, [x, y])
            step(xs, ys)
            for got, want in zip(sess.run(variables), expected):
                _check(got, want, "W4 weights after one step", rtol=2e-4, atol=2e-6)
            rows.append(Row("W4 LeNet step", f"graphflow/{ex}",
                            measure(synced(ex, lambda: step(xs, ys)))))
    return rows


WORKLOADS = {"W1": w1_dispatch, "W2": w2_elementwise, "W3": w3_mlp_step, "W4": w4_lenet_step,
             "W5": w5_build}
