"""Control-flow tests run on every executor available here (reference, cpu, strict, ...)."""

import pytest

from graphflow.executors import executor_names

EXECUTORS = executor_names(available_only=True)


@pytest.fixture(params=EXECUTORS)
def executor(request):
    return request.param
