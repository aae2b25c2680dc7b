"""graphflow.threads: one policy for OpenMP and BLAS threads, applied when an executor starts."""

import ast
import os
import subprocess
import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import graphflow as tf
from graphflow import threads
from graphflow._ext import runloop
from graphflow.executors import executor_status

VARIABLES = ("GRAPHFLOW_NUM_THREADS", *threads.BLAS_VARIABLES)


@pytest.fixture
def env(monkeypatch):
    """A clean thread environment; the default policy is applied again afterwards."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    monkeypatch.undo()
    threads.apply_thread_policy()


def blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_graphflow_num_threads_governs_openmp_and_blas(env):
    env.setenv("GRAPHFLOW_NUM_THREADS", "1")
    env.setenv("OPENBLAS_NUM_THREADS", "7")  # the graphflow variable wins over BLAS's own
    policy = threads.thread_policy()
    assert (policy.openmp, policy.blas) == (1, 1)
    assert "GRAPHFLOW_NUM_THREADS=1" in policy.reason


def test_small_machines_get_one_blas_thread_by_default(env):
    env.setattr(threads, "cores", lambda: 2)
    policy = threads.thread_policy()
    assert (policy.openmp, policy.blas) == (2, 1) and "2 cores" in policy.reason
    env.setattr(threads, "cores", lambda: 8)
    policy = threads.thread_policy()
    assert (policy.openmp, policy.blas) == (8, 8)


def test_a_blas_count_the_user_set_is_left_alone(env):
    env.setattr(threads, "cores", lambda: 2)
    env.setenv("OPENBLAS_NUM_THREADS", "2")
    policy = threads.thread_policy()
    assert policy.blas is None and "OPENBLAS_NUM_THREADS" in policy.reason
    env.setenv("OMP_NUM_THREADS", "1")  # the standard OpenMP variable also sets our kernels
    assert threads.thread_policy().openmp == 1


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_count_names_the_variable(env, value):
    env.setenv("GRAPHFLOW_NUM_THREADS", value)
    with pytest.raises(ValueError, match=f"GRAPHFLOW_NUM_THREADS must be a positive integer, "
                                         f"not '{value}'"):
        threads.thread_policy()


@pytest.mark.skipif(not executor_status().get("cpu", (False, ""))[0],
                    reason="the cpu executor is not available here")
def test_starting_a_cpu_session_applies_the_policy(env):
    if not blas_threads():
        pytest.skip("threadpoolctl finds no BLAS library in this process")
    env.setenv("GRAPHFLOW_NUM_THREADS", "1")
    tf.Session(executor="cpu").close()
    assert runloop.openmp_max_threads() == 1
    assert set(blas_threads()) == {1}
    env.setenv("GRAPHFLOW_NUM_THREADS", "2")
    tf.Session(executor="cpu").close()
    assert runloop.openmp_max_threads() == 2
    assert set(blas_threads()) == {2}


def mlp_losses(steps=5) -> list:
    """A small MLP trained with Adam: its losses, which the thread counts must not change."""
    rng = np.random.default_rng(0)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 64])
        y = tf.placeholder(tf.float32, [None, 10])
        a = x
        for n_in, n_out in ((64, 128), (128, 64), (64, 10)):
            w = tf.Variable((rng.standard_normal((n_in, n_out)) * 0.1).astype(np.float32))
            a = tf.matmul(a, w) + tf.Variable(np.zeros(n_out, np.float32))
            a = tf.nn.relu(a) if n_out != 10 else a
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=a))
        train = tf.train.AdamOptimizer(1e-2).minimize(loss)
        feed = {x: rng.standard_normal((64, 64)).astype(np.float32),
                y: np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]}
        with tf.Session(graph=g, executor="cpu") as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run([loss, train], feed)[0] for _ in range(steps)]


@pytest.mark.skipif(not executor_status().get("cpu", (False, ""))[0],
                    reason="the cpu executor is not available here")
def test_thread_counts_do_not_change_results(env):
    env.setenv("GRAPHFLOW_NUM_THREADS", "1")
    one = mlp_losses()
    env.setenv("GRAPHFLOW_NUM_THREADS", "2")
    two = mlp_losses()
    np.testing.assert_allclose(one, two, rtol=1e-6)
    assert one[-1] < one[0]


def test_a_blas_loaded_after_the_first_session_is_limited_by_the_next():
    """SciPy brings its own OpenBLAS: a Session started after importing it limits that one too."""
    pytest.importorskip("scipy", reason="SciPy (with its own BLAS) is not installed")
    script = ("import graphflow as tf\n"
              "from threadpoolctl import threadpool_info\n"
              "tf.Session(executor='cpu').close()\n"
              "import scipy.linalg\n"
              "tf.Session(executor='cpu').close()\n"
              "print(sorted({(i['filepath'], i['num_threads']) for i in threadpool_info()\n"
              "              if i['user_api'] == 'blas'}))\n")
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env["GRAPHFLOW_NUM_THREADS"] = "1"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    libraries = ast.literal_eval(done.stdout.strip())
    assert libraries and all(n == 1 for _, n in libraries), libraries
