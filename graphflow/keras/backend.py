"""Keras's backend on graphflow: one Session per graph, the learning phase, value get/set,
`K.eval` and `K.function` (run in that session), and backend_math's tensor functions.

As in TF1's Keras, models run in a session the backend owns (`get_session()`); variables made
since the last call are initialised on the next one, so layers can be built at any time. The
learning phase is a boolean placeholder with default False that `fit` feeds True.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.graph import get_default_graph
from graphflow.keras import backend_math
from graphflow.keras.backend_math import *  # noqa: F403  (K.mean, K.square, K.dot, ...)

__all__ = ["batch_get_value", "batch_set_value", "clear_session", "epsilon", "floatx",
           "get_session", "get_value", "graph_state", "image_data_format", "int_shape",
           "learning_phase", "learning_phase_placeholder", "set_learning_phase", "set_session",
           "set_value", "eval", "function", *backend_math.__all__]


def floatx() -> str:
    """Keras's default float type; graphflow's Keras computes in float32."""
    return "float32"


def epsilon() -> float:
    """The fuzz factor Keras adds against division by zero (1e-7)."""
    return 1e-7


def image_data_format() -> str:
    """Images are NHWC (`channels_last`), TF1's layout."""
    return "channels_last"


def int_shape(x):
    """The static shape of `x` as a tuple, None for unknown dimensions (None if rank unknown)."""
    return tuple(x.shape.as_list()) if x.shape.rank is not None else None


def graph_state(graph=None) -> dict:
    """Keras's bookkeeping for `graph` (its session, learning phase, layer names, call history),
    kept on the graph itself so that it goes when the graph goes (a module-level map keyed by
    graph would keep every graph alive through the session and tensors it holds)."""
    graph = graph if graph is not None else get_default_graph()
    return graph.attached("keras", dict)


def get_session():
    """The Keras session of the default graph, with every variable made so far initialised."""
    from graphflow.session import Session
    from graphflow.variables import global_variables, local_variables, variables_initializer

    graph = get_default_graph()
    state = graph_state(graph)
    sess = state.get("session")
    if sess is None or sess._closed:
        sess = state["session"] = Session(graph=graph)
        state["initialised"], state["checked_at"] = set(), None
    if state.get("checked_at") == len(graph):  # no node since the last look: no new variable
        return sess
    done = state["initialised"]
    with graph.as_default():
        new = [v for v in global_variables() + local_variables() if id(v) not in done]
        if new:
            # make_callable, not run: these one-off runs follow the model's construction and
            # are not the user's loop growing the graph (run would count them as such).
            sess.make_callable(variables_initializer(new))()
            done.update(id(v) for v in new)
    state["checked_at"] = len(graph)
    return sess


def set_session(session) -> None:
    """Use `session` (its variables taken as initialised) for Keras on its graph."""
    from graphflow.variables import global_variables, local_variables

    state = graph_state(session.graph)
    state["session"] = session
    with session.graph.as_default():
        state["initialised"] = {id(v) for v in global_variables() + local_variables()}
    state["checked_at"] = len(session.graph)


def clear_session() -> None:
    """Forget the default graph's Keras session and start a fresh default graph."""
    from graphflow.core.graph import reset_default_graph

    sess = graph_state().pop("session", None)
    if sess is not None:
        sess.close()
    reset_default_graph()


def set_learning_phase(value) -> None:
    """Fix the learning phase of the layers built from now on (0: test, 1: train), as Keras's
    `set_learning_phase` does; `fit` then feeds nothing that changes it."""
    if value not in (0, 1, True, False):
        raise ValueError(f"Expected learning phase to be 0 or 1, got {value!r}.")
    graph_state()["fixed_phase"] = bool(value)


def learning_phase():
    """The default graph's training flag: a bool scalar, False unless fed (or the value given
    to `set_learning_phase`)."""
    state = graph_state()
    if "fixed_phase" in state:
        return state["fixed_phase"]
    return learning_phase_placeholder()


def learning_phase_placeholder():
    """The bool placeholder (default False) that `fit` feeds True."""
    from graphflow.ops.state import placeholder_with_default

    graph = get_default_graph()
    state = graph_state(graph)
    phase = state.get("learning_phase")
    if phase is None:
        with graph.as_default(), graph.name_scope(None):
            phase = state["learning_phase"] = placeholder_with_default(
                False, shape=(), name="keras_learning_phase")
    return phase


def batch_get_value(tensors) -> list:
    """The values of `tensors` (variables usually) as NumPy arrays."""
    return list(get_session().run(list(tensors))) if tensors else []


def get_value(x):
    return batch_get_value([x])[0]


def batch_set_value(pairs) -> None:
    """Assign each `(variable, array)` pair in the Keras session (shapes must match), in one
    run whose callable is kept per set of variables."""
    from graphflow.assign_ops import assign
    from graphflow.ops.state import placeholder

    pairs = [(var, np.asarray(value)) for var, value in pairs]
    if not pairs:
        return
    for var, value in pairs:
        if tuple(var.shape.as_list()) != value.shape:
            raise ValueError(f"Cannot assign to variable {var.name} of shape "
                             f"{tuple(var.shape.as_list())} a value of shape {value.shape}.")
    sess = get_session()
    graph = sess.graph
    state = graph_state(graph)
    assigners = state.setdefault("assigners", {})
    for var, _ in pairs:
        if id(var) not in assigners:
            with graph.as_default(), graph.name_scope(None):
                feed = placeholder(var.dtype, var.shape)
                assigners[id(var)] = (feed, assign(var, feed))
    key = (sess, tuple(id(var) for var, _ in pairs))
    callables = state.setdefault("set_callables", {})
    call = callables.get(key)
    if call is None:
        entries = [assigners[id(var)] for var, _ in pairs]
        call = callables[key] = sess.make_callable([op for _, op in entries],
                                                   [feed for feed, _ in entries])
    call(*[value.astype(var.dtype.as_numpy_dtype) for var, value in pairs])


def set_value(x, value) -> None:
    batch_set_value([(x, value)])


def eval(x):  # noqa: A001
    """The value of `x` (a variable or tensor) in the Keras session."""
    return get_value(x)


class _Function:
    """`K.function(inputs, outputs)`: call it with one array per input for the outputs' values
    (a Keras learning-phase tensor among the inputs takes 0/1)."""

    def __init__(self, inputs, outputs, updates=None, name=None):
        from graphflow.ops.state import group

        self.inputs = list(inputs)
        self.outputs = outputs
        self.name = name
        self._list = isinstance(outputs, (list, tuple))
        self._fetches = list(outputs) if self._list else [outputs]
        self._updates = [group(*updates)] if updates else []

    def __call__(self, values):
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if len(values) != len(self.inputs):
            raise ValueError(f"K.function{' ' + self.name if self.name else ''} takes "
                             f"{len(self.inputs)} input value(s), got {len(values)}")
        feed = {t: (bool(v) if t.dtype.is_bool else v) for t, v in zip(self.inputs, values)}
        got = get_session().run(self._fetches + self._updates, feed_dict=feed)
        got = got[:len(self._fetches)]
        return got if self._list else got[0]


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A callable running `outputs` from values fed to `inputs` in the Keras session."""
    del kwargs
    return _Function(inputs, outputs, updates=updates, name=name)
