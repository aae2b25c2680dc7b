"""Shared test set-up: hypothesis profiles and a fresh default graph per test."""

import os

# Every lowered plan is verified and fresh-declared kernels are checked for aliasing (before
# graphflow is imported by any test module).
os.environ.setdefault("GRAPHFLOW_DEBUG_CHECKS", "1")

import importlib.util  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# The strict test executor (opaque device values) registers itself as "strict", so every test
# parametrised over executor_names() runs on it as well; tests import it as `strict_executor`.
_spec = importlib.util.spec_from_file_location(
    "strict_executor", pathlib.Path(__file__).parent / "executors" / "strict_executor.py")
strict_executor = importlib.util.module_from_spec(_spec)
sys.modules["strict_executor"] = strict_executor
_spec.loader.exec_module(strict_executor)

settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def fresh_graph():
    import graphflow as gf

    gf.reset_default_graph()
    yield
    gf.reset_default_graph()


# Test files that run no graph on the default executor (the docs site, lint, the import layers,
# the install, recorded TF1 signatures, NVRTC compiles of generated CUDA): marked
# `executor_free`, so the second pass of scripts/test.sh (GRAPHFLOW_EXECUTOR=reference) skips
# what would only repeat the first.
EXECUTOR_FREE = ("docs/test_docs_build.py", "test_lint.py", "test_imports.py", "test_install.py",
                 "compat/test_signatures.py", "cuda/test_nvrtc.py", "cuda/test_codegen.py")


def pytest_collection_modifyitems(config, items):
    root = pathlib.Path(__file__).parent
    for item in items:
        relative = pathlib.Path(str(item.fspath)).relative_to(root).as_posix()
        if relative in EXECUTOR_FREE:
            item.add_marker(pytest.mark.executor_free)

