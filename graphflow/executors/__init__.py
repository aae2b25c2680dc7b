"""Executors, found by name: `Session(executor="reference")`."""

from graphflow.executors import cpu, reference  # noqa: F401 - registers the executors
from graphflow.executors.base import (
    Executor,
    Runnable,
    executor_names,
    executor_status,
    get_executor,
    register_executor,
)
from graphflow.executors.state import SessionState

__all__ = ["Executor", "Runnable", "SessionState", "executor_names", "executor_status",
           "get_executor", "register_executor"]
