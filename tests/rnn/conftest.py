"""RNN tests run on every executor available here (reference, cpu, and the strict test
executor, whose opaque values prove nothing bypasses the executor contract)."""

import pytest

import graphflow as tf
from graphflow.executors import executor_names

EXECUTORS = executor_names(available_only=True)


@pytest.fixture(params=EXECUTORS)
def executor(request):
    return request.param


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
