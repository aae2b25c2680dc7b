"""TF2-migration switches a TF1 script calls first. graphflow is graph-only TF1 already."""

from __future__ import annotations


def disable_v2_behavior() -> None:
    """Accepted: graphflow always behaves as TF1 (graphs, sessions, collections).

    Examples:
        >>> tf.disable_v2_behavior()
        >>> print(tf.executing_eagerly())
        False
    """


def disable_eager_execution() -> None:
    """Accepted: graphflow builds graphs only, so eager execution is always off.

    Examples:
        >>> tf.disable_eager_execution()
        >>> print(tf.executing_eagerly())
        False
    """


def disable_resource_variables() -> None:
    """Accepted: graphflow's variables behave as TF1's reference variables.

    Examples:
        >>> tf.disable_resource_variables()
        >>> print(isinstance(tf.Variable(1.0), tf.Tensor))
        True
    """


def disable_v2_tensorshape() -> None:
    """Accepted: TensorShape already indexes to ints or None.

    Examples:
        >>> tf.disable_v2_tensorshape()
        >>> print(tf.placeholder(tf.float32, [None, 3]).shape[1])
        3
    """


def disable_control_flow_v2() -> None:
    """Accepted: graphflow has one control-flow implementation.

    Examples:
        >>> tf.disable_control_flow_v2()
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.cond(tf.constant(True), lambda: 1, lambda: 2)))
        1
    """


def executing_eagerly() -> bool:
    """Always False: graphflow is graph-only.

    Returns:
        False.

    Examples:
        >>> print(tf.executing_eagerly())
        False
    """
    return False


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Eager execution does not exist in graphflow: build a graph and run it in a Session.

    Args:
        config: TF's eager config; unused.
        device_policy: Unused.
        execution_mode: Unused.

    Returns:
        Nothing: it always raises a RuntimeError that says what to do instead.

    Examples:
        >>> tf.enable_eager_execution()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        RuntimeError: graphflow is graph-only: tf.enable_eager_execution() is not available. ...
    """
    raise RuntimeError("graphflow is graph-only: tf.enable_eager_execution() is not available. "
                       "Build the graph and run it with tf.Session() (TF1 graph mode).")


def enable_v2_behavior() -> None:
    """TF2 behaviour (eager execution) does not exist in graphflow: it raises a RuntimeError.

    Examples:
        >>> tf.enable_v2_behavior()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        RuntimeError: graphflow is graph-only: tf.enable_v2_behavior() is not available. ...
    """
    raise RuntimeError("graphflow is graph-only: tf.enable_v2_behavior() is not available. "
                       "Build the graph and run it with tf.Session() (TF1 graph mode).")
