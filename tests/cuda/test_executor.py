"""The cuda executor without a GPU: it registers, says why it cannot run (CuPy missing, or no
usable GPU) without raising, never imports CuPy at `import graphflow`, and its lowering renders
one module per plan, choosing the generated kernels only where the generator accepts the step."""

import os
import subprocess
import sys

import executor_support
import numpy as np
import pytest

import graphflow as gf
from graphflow.executors import executor_names, executor_status
from graphflow.executors.base import _EXECUTORS
from graphflow.executors.cuda.executor import CudaExecutor, generated_steps

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))




def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    return done.stdout.strip()


def test_cuda_is_registered_with_its_device():
    assert "cuda" in executor_names()
    assert _EXECUTORS["cuda"].device == "cuda:0"
    assert _EXECUTORS["cuda"].table.name == "cuda"


def test_import_graphflow_does_not_import_cupy():
    out = _python("import sys, graphflow, graphflow.executors.cuda.executor; "
                  "print('cupy' in sys.modules)")
    assert out == "False"  # only `available()` and a session's first use import it


def test_without_cupy_available_says_how_to_install_it():
    out = _python("import sys; sys.modules['cupy'] = None\n"
                  "from graphflow.executors import executor_status\n"
                  "print(executor_status()['cuda'])")
    assert out == "(False, 'CuPy is not installed (pip install graphflow[cuda])')"


def test_without_cupy_a_session_names_the_reason():
    out = _python("import sys; sys.modules['cupy'] = None\n"
                  "import graphflow as gf\n"
                  "try:\n    gf.Session(executor='cuda')\n"
                  "except RuntimeError as err:\n    print(err)")
    assert "Executor 'cuda' is not available here: CuPy is not installed" in out


def test_the_environment_variable_selects_it():
    code = ("import graphflow as gf\n"
            "try:\n    gf.Session()\n"
            "except RuntimeError as err:\n    print(err)\nelse:\n    print('cuda ran')")
    env = {**os.environ, "PYTHONPATH": ROOT, "GRAPHFLOW_EXECUTOR": "cuda"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    ok, why = executor_status()["cuda"]
    assert done.stdout.strip() == ("cuda ran" if ok else f"Executor 'cuda' is not available "
                                   f"here: {why}")


def test_with_cupy_but_no_gpu_the_reason_is_the_drivers():
    pytest.importorskip("cupy")
    ok, why = CudaExecutor().available()
    if ok:
        pytest.skip("a GPU is present")
    assert why.startswith("no usable CUDA GPU: "), why
    assert len(why) > len("no usable CUDA GPU: ") + 5


def test_plans_render_one_module_and_refuse_integer_groups():
    """The lowering's choice: float elementwise steps are generated, integer ones are not."""
    with executor_support.emulated_executor() as name:
        graph = gf.Graph()
        with graph.as_default():
            a = gf.placeholder(gf.float32, [3, 4])
            i = gf.placeholder(gf.int32, [3, 4])
            f = gf.exp(a) * 2.0 + a
            n = i * 3 + i
        with gf.Session(graph=graph, executor=name) as sess:
            got_f, got_n = sess.run([f, n], {a: np.ones((3, 4), np.float32),
                                             i: np.ones((3, 4), np.int32)})
            (signature,) = set(sess._signatures.values())
            (runnable,) = signature.runnables.values()
            plan = runnable.plan
        np.testing.assert_allclose(got_f, np.exp(1.0) * 2 + 1, rtol=1e-6)
        np.testing.assert_array_equal(got_n, np.full((3, 4), 4))
        chosen = {s.type for _, s in generated_steps(plan)}
        assert chosen and all(t in ("FusedElementwise", "Exp", "Mul", "Add") for t in chosen)
