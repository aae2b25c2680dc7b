"""TF2-migration switches a TF1 script calls first. graphflow is graph-only TF1 already."""

from __future__ import annotations


def disable_v2_behavior() -> None:
    """Accepted: graphflow always behaves as TF1 (graphs, sessions, collections)."""


def disable_eager_execution() -> None:
    """Accepted: graphflow builds graphs only, so eager execution is always off."""


def disable_resource_variables() -> None:
    """Accepted: graphflow's variables behave as TF1's reference variables."""


def disable_v2_tensorshape() -> None:
    """Accepted: TensorShape already indexes to ints or None."""


def disable_control_flow_v2() -> None:
    """Accepted: graphflow has one control-flow implementation."""


def executing_eagerly() -> bool:
    """Always False: graphflow is graph-only."""
    return False


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Eager execution does not exist in graphflow: build a graph and run it in a Session."""
    raise RuntimeError("graphflow is graph-only: tf.enable_eager_execution() is not available. "
                       "Build the graph and run it with tf.Session() (TF1 graph mode).")


def enable_v2_behavior() -> None:
    """TF2 behaviour (eager execution) does not exist in graphflow."""
    raise RuntimeError("graphflow is graph-only: tf.enable_v2_behavior() is not available. "
                       "Build the graph and run it with tf.Session() (TF1 graph mode).")
