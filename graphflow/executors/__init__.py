"""Executors, found by name: `Session(executor="reference")`."""

from graphflow.executors import cpu, reference  # noqa: F401 - registers the executors
from graphflow.executors.base import (
    Executor,
    Runnable,
    executor_names,
    executor_status,
    get_executor,
    register_executor,
    unregister_executor,
)
from graphflow.executors.cuda import executor as _cuda  # noqa: F401 - registers "cuda"
from graphflow.executors.kernels import Kernel, KernelTable
from graphflow.executors.state import HostState, SessionState

__all__ = ["Executor", "HostState", "Kernel", "KernelTable", "Runnable", "SessionState",
           "executor_names", "executor_status", "get_executor", "register_executor",
           "unregister_executor"]
