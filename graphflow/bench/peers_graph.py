"""JAX (jit), TensorFlow compat.v1 (graph mode, Session) and PyTensor (compiled functions, its C
virtual machine) on the benchmark workloads."""

from __future__ import annotations

import numpy as np

from graphflow.bench.timing import measure, measure_once


def _import(name):
    try:
        return __import__(name)
    except ImportError:
        return None


def _w2_input():
    return np.random.default_rng(0).standard_normal(1_000_000).astype(np.float32)


def _w2_expected(x):
    return np.tanh(x * np.float32(0.7) + np.float32(0.1)) / (1 + np.exp(-x)) - np.float32(0.5) * x


def jax_rows(workload: str) -> list:
    if _import("jax") is None:
        return []
    import jax
    import jax.numpy as jnp

    from graphflow.bench.workloads import NumpyMLP, Row, _check, _mlp_data

    label = "jax jit"
    if workload == "W1":
        f = jax.jit(lambda x: x * 2 + 1)
        x = jnp.ones(1, jnp.float32)
        _check(np.asarray(f(x)), np.full(1, 3.0), "jax W1")
        return [Row("W1 run", label, measure(lambda: f(x).block_until_ready()))]
    if workload == "W2":
        f = jax.jit(lambda x: jnp.tanh(x * 0.7 + 0.1) * jax.nn.sigmoid(x) - 0.5 * x)
        xn = _w2_input()
        x = jnp.asarray(xn)
        _check(np.asarray(f(x)), _w2_expected(xn), "jax W2")
        return [Row("W2 elementwise 1M", label, measure(lambda: f(x).block_until_ready()))]
    if workload == "W3":
        x, labels, w1, w2 = _mlp_data()

        def loss_fn(p, x, y):
            logits = jax.nn.relu(x @ p[0] + p[1]) @ p[2] + p[3]
            return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(logits), axis=1))

        @jax.jit
        def step(p, x, y):
            loss, g = jax.value_and_grad(loss_fn)(p, x, y)
            return [a - 0.1 * b for a, b in zip(p, g)], loss

        params = [jnp.asarray(w1), jnp.zeros(256, jnp.float32), jnp.asarray(w2),
                  jnp.zeros(10, jnp.float32)]
        xj, yj = jnp.asarray(x), jnp.asarray(labels)
        _, loss = step(params, xj, yj)
        _check(float(loss), float(NumpyMLP(w1, w2).step(x, labels)), "jax W3", rtol=1e-5)
        return [Row("W3 MLP step", label,
                    measure(lambda: step(params, xj, yj)[1].block_until_ready()))]
    if workload == "W4":
        from graphflow.bench.lenet import LR, init_params

        rng = np.random.default_rng(0)
        params = [jnp.asarray(a) for a in init_params(rng)]
        xs = jnp.asarray(rng.random((64, 28, 28, 1), dtype=np.float32))
        ys = jnp.asarray(np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)])
        dn = ("NHWC", "HWIO", "NHWC")

        def loss_fn(p, x, y):
            a = x
            for w, b in ((p[0], p[1]), (p[2], p[3])):
                a = jax.lax.conv_general_dilated(a, w, (1, 1), "VALID", dimension_numbers=dn)
                a = jax.nn.relu(a + b)
                a = jax.lax.reduce_window(a, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1),
                                          "VALID")
            a = a.reshape(64, 256)
            a = jax.nn.relu(a @ p[4] + p[5])
            a = jax.nn.relu(a @ p[6] + p[7])
            return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(a @ p[8] + p[9]), axis=1))

        @jax.jit
        def step(p, x, y):
            loss, g = jax.value_and_grad(loss_fn)(p, x, y)
            return [a - LR * b for a, b in zip(p, g)], loss

        step(params, xs, ys)
        return [Row("W4 LeNet step", label,
                    measure(lambda: step(params, xs, ys)[1].block_until_ready()))]
    if workload == "W5":
        def build_and_run():
            def chain(x):
                for i in range(1000):
                    x = x + 0.01 if i % 3 == 0 else x * 0.999 if i % 3 == 1 else jnp.tanh(x)
                return x.sum()

            x = jnp.linspace(-1, 1, 16, dtype=jnp.float32)
            return jax.jit(jax.value_and_grad(chain))(x)[1].block_until_ready()

        return [Row("W5 build+grad+run", label, measure_once(build_and_run, repeats=3))]
    return []


def tf1_rows(workload: str) -> list:
    """TensorFlow 2's compat.v1 graph mode: the TF1 programs our users come from."""
    if _import("tensorflow") is None:
        return []
    import tensorflow.compat.v1 as tf

    from graphflow.bench.workloads import NumpyMLP, Row, _check, _mlp_data

    tf.disable_eager_execution()
    label = "tf1 compat Session"
    graph = tf.Graph()
    with graph.as_default():
        if workload == "W1":
            x = tf.placeholder(tf.float32, [1])
            y = x * 2 + 1
            sess = tf.Session(graph=graph)
            v = np.ones(1, np.float32)
            _check(sess.run(y, {x: v}), v * 2 + 1, "tf1 W1")
            return [Row("W1 run", label, measure(lambda: sess.run(y, {x: v})))]
        if workload == "W2":
            xn = _w2_input()
            x = tf.placeholder(tf.float32, [xn.size])
            y = tf.tanh(x * 0.7 + 0.1) * tf.sigmoid(x) - 0.5 * x
            sess = tf.Session(graph=graph)
            _check(sess.run(y, {x: xn}), _w2_expected(xn), "tf1 W2")
            return [Row("W2 elementwise 1M", label, measure(lambda: sess.run(y, {x: xn})))]
        if workload == "W3":
            xv, labels, w1, w2 = _mlp_data()
            x = tf.placeholder(tf.float32, [None, 784])
            y = tf.placeholder(tf.float32, [None, 10])
            v1, v2 = tf.Variable(w1), tf.Variable(w2)
            b1, b2 = tf.Variable(tf.zeros([256])), tf.Variable(tf.zeros([10]))
            logits = tf.matmul(tf.nn.relu(tf.matmul(x, v1) + b1), v2) + b2
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y,
                                                                             logits=logits))
            step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
            sess = tf.Session(graph=graph)
            sess.run(tf.global_variables_initializer())
            first = sess.run([loss, step], {x: xv, y: labels})[0]
            _check(first, float(NumpyMLP(w1, w2).step(xv, labels)), "tf1 W3", rtol=1e-5)
            return [Row("W3 MLP step", label,
                        measure(lambda: sess.run([loss, step], {x: xv, y: labels})))]
        if workload == "W4":
            from graphflow.bench.lenet import build_graph, init_params

            rng = np.random.default_rng(0)
            params = init_params(rng)
            xs = rng.random((64, 28, 28, 1), dtype=np.float32)
            ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
            x, y, _, train = build_graph(params, 64, tf=tf)
            sess = tf.Session(graph=graph)
            sess.run(tf.global_variables_initializer())
            sess.run(train, {x: xs, y: ys})
            return [Row("W4 LeNet step", label, measure(lambda: sess.run(train, {x: xs, y: ys})))]
        if workload == "W5":
            def build_and_run():
                with tf.Graph().as_default() as g:
                    x = tf.placeholder(tf.float32, [16])
                    y = x
                    for i in range(1000):
                        y = y + 0.01 if i % 3 == 0 else y * 0.999 if i % 3 == 1 else tf.tanh(y)
                    (grad,) = tf.gradients(y, x)
                    with tf.Session(graph=g) as sess:
                        return sess.run([y, grad], {x: np.linspace(-1, 1, 16)})

            return [Row("W5 build+grad+run", label, measure_once(build_and_run, repeats=3))]
    return []


def pytensor_rows(workload: str) -> list:
    """PyTensor (Theano's successor): a symbolic graph compiled by `pytensor.function` and run by
    its C VM. No W4 row: PyTensor 3 has no batched multi-channel 2-D convolution or pooling op.
    No W5 row: `pytensor.grad` of the 1,000-op chain exceeds Python's recursion limit, and with
    the limit raised, gradient and compile had not finished after 5 minutes (2026-12-02)."""
    if _import("pytensor") is None:
        return []
    import pytensor
    import pytensor.tensor as pt

    from graphflow.bench.workloads import NumpyMLP, Row, _check, _mlp_data

    label = "pytensor function"
    f32 = np.float32  # Python floats would make PyTensor's results float64
    if workload == "W1":
        x = pt.vector("x", dtype="float32")
        f = pytensor.function([x], x * f32(2) + f32(1))
        v = np.ones(1, np.float32)
        _check(f(v), v * 2 + 1, "pytensor W1")
        return [Row("W1 run", label, measure(lambda: f(v)))]
    if workload == "W2":
        x = pt.vector("x", dtype="float32")
        f = pytensor.function([x], pt.tanh(x * f32(0.7) + f32(0.1)) * pt.sigmoid(x)
                              - f32(0.5) * x)
        xn = _w2_input()
        _check(f(xn), _w2_expected(xn), "pytensor W2")
        return [Row("W2 elementwise 1M", label, measure(lambda: f(xn)))]
    if workload == "W3":
        xv, labels, w1, w2 = _mlp_data()
        params = [pytensor.shared(w1.copy()), pytensor.shared(np.zeros(256, np.float32)),
                  pytensor.shared(w2.copy()), pytensor.shared(np.zeros(10, np.float32))]
        x, y = pt.matrix("x", dtype="float32"), pt.matrix("y", dtype="float32")
        logits = pt.maximum(x @ params[0] + params[1], f32(0)) @ params[2] + params[3]
        loss = -pt.mean(pt.sum(y * pt.special.log_softmax(logits, axis=1), axis=1))
        grads = pytensor.grad(loss, params)
        step = pytensor.function([x, y], loss,
                                 updates=[(p, p - f32(0.1) * g) for p, g in zip(params, grads)])
        _check(float(step(xv, labels)), float(NumpyMLP(w1, w2).step(xv, labels)), "pytensor W3",
               rtol=1e-5)
        return [Row("W3 MLP step", label, measure(lambda: step(xv, labels)))]
    return []
