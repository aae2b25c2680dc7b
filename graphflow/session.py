"""Session: holds variable values and runs compiled plans of the graph through an executor."""

from __future__ import annotations

import os

from graphflow import nest
from graphflow.core import node as core_node
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.debugging import NumericsChecker
from graphflow.errors import GraphError, InvalidArgumentError
from graphflow.executors import get_executor
from graphflow.executors.control_flow import explain_sub_plans
from graphflow.explain import Explanation
from graphflow.explain import explain as explain_plan
from graphflow.feeds import convert_feed
from graphflow.graph_growth import GrowthWatch
from graphflow.profiling import Tracer
from graphflow.run_signature import RunSignature, freeze

DEFAULT_EXECUTOR = os.environ.get("GRAPHFLOW_EXECUTOR", "cpu")


class Session:
    """`with Session() as sess: sess.run(fetches, feed_dict)`, as in TF1.

    A Session holds the variables' values and compiles each run signature (fetches, fed
    tensors and their shapes) once into a plan that its executor runs.

    Args:
        target: TF1's server address; graphflow runs in process, so it is unused.
        graph: The graph to run (default: the default graph).
        config: A `tf.ConfigProto`; accepted for TF1 scripts, it changes nothing.
        executor: The executor's name ("cpu", the default, "reference" or "cuda").
        disabled_passes: Compiler passes to skip, such as ("fuse",) (for debugging).
        check_numerics: Check every op's result for NaN and Inf, naming the first op that
            makes one (this turns fusion off).

    Examples:
        >>> a = tf.constant(2.0)
        >>> x = tf.placeholder(tf.float32, name="x")
        >>> with tf.Session() as sess:
        ...     print(sess.run(a * x, feed_dict={x: 3.0}))
        ...     print(sess.run({"a": a, "both": [a, a + 1.0]}))
        6.0
        {'a': 2.0, 'both': [2.0, 3.0]}
    """

    def __init__(self, target: str = "", graph=None, config=None, executor: str | None = None,
                 disabled_passes=(), check_numerics: bool = False):
        self.graph = graph if graph is not None else get_default_graph()
        self.executor = get_executor(executor or DEFAULT_EXECUTOR)
        self.state = self.executor.create_state(self.graph)
        self._observer = NumericsChecker(self.state) if check_numerics else None
        # Checking every op's result means every op must have one: no fusion in that mode (of
        # elementwise groups, nor of an update's value into the update).
        self.disabled_passes = tuple(disabled_passes) + (
            ("fuse", "fuse_matmul_updates", "fuse_updates") if check_numerics else ())
        self._signatures: dict = {}
        self._growth = GrowthWatch(self.graph)
        self._closed = False
        self._context = None

    # --- running --------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Evaluate `fetches` (a tensor, op, name, or nest of them) given `feed_dict`.

        The result mirrors `fetches`: arrays for tensors (NumPy scalars for 0-d), None for ops.

        Args:
            fetches: A Tensor, an Operation, a name ("y:0" or "train_op"), or a list, tuple or
                dict of them, nested as deep as you like.
            feed_dict: A dict from Tensors (usually placeholders) or their names to values.
            options: A `tf.RunOptions`; `trace=True` times every op into `run_metadata`.
            run_metadata: A `tf.RunMetadata` to fill when `options` asks for a trace.

        Returns:
            The values, in the structure of `fetches`. A placeholder the fetches need but that is
            not fed raises an InvalidArgumentError that names it.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None], name="x")
            >>> y = tf.reduce_sum(x * x)
            >>> with tf.Session() as sess:
            ...     print(sess.run(y, feed_dict={x: [1., 2.]}))
            ...     print(sess.run(["x:0", y], {"x:0": [3.]}))
            5.0
            [array([3.], dtype=float32), 9.0]
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        keys = tuple(feed_dict) if feed_dict else ()
        try:
            signature = self._signatures.get((fetches, keys))
        except TypeError:  # a list or dict of fetches: key it by a frozen copy
            signature = None
        if signature is None:
            signature = self._signature(fetches, keys)
        values = tuple(feed_dict.values()) if keys else ()  # in the order of `keys`
        if options is not None and getattr(options, "trace", False) and run_metadata is not None:
            tracer = Tracer(run_metadata, self.state)
            observer = self._observer
            return signature(values, tracer if observer is None else _both(observer, tracer))
        return signature(values, self._observer)

    @property
    def _compiled(self) -> int:
        """How many plans this session has compiled."""
        return sum(sig.compiled for sig in set(self._signatures.values()))

    def _new_signature(self, fetches, keys) -> RunSignature:
        leaves = [self._as_fetch(f) for f in nest.flatten(fetches)]
        feeds = [self._as_feed_key(k) for k in keys]
        seen: dict = {}
        for k, t in zip(keys, feeds):
            if t in seen:
                raise InvalidArgumentError(f"The feed_dict feeds {t.describe()} twice (as "
                                           f"{seen[t]!r} and {k!r}); feed each placeholder once.")
            seen[t] = k
        return RunSignature(self.executor, self.state, leaves, fetches, feeds,
                            self.disabled_passes)

    def _signature(self, fetches, keys) -> RunSignature:
        try:
            key = (freeze(fetches), keys)
            signature = self._signatures.get(key)
        except TypeError:  # an unhashable leaf (a set, say): let the fetch check name it
            self._new_signature(fetches, keys)
            raise
        if signature is None:
            signature = self._new_signature(fetches, keys)
            self._growth.observe(len(self._signatures) + 1)
            self._signatures[key] = signature
            try:
                self._signatures[(fetches, keys)] = signature
            except TypeError:
                pass
        return signature

    def make_callable(self, fetches, feed_list=None):
        """A function of the `feed_list` values that runs `fetches`, skipping per-call lookups.

        Args:
            fetches: What `run` takes as fetches.
            feed_list: The tensors (or names) to feed, in the order the function takes them.

        Returns:
            A function `f(*feed_values)` that returns what `run(fetches, feed_dict)` would.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None], name="x")
            >>> with tf.Session() as sess:
            ...     double = sess.make_callable(x * 2.0, [x])
            ...     print(double([1., 2.]))
            [2. 4.]
        """
        self._check_open()
        signature = self._new_signature(fetches, tuple(feed_list or ()))
        n = len(signature.feed_tensors)

        def call(*feed_values):
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            if len(feed_values) != n:
                raise TypeError(f"This callable takes {n} feed values, got {len(feed_values)}")
            return signature(feed_values, self._observer)

        return call

    @property
    def _runnables(self) -> dict:
        """Every compiled plan of this session, by (signature, feed shapes)."""
        return {(id(sig), shapes): r for sig in set(self._signatures.values())
                for shapes, r in sig.runnables.items()}

    def compiled_plan(self, fetches, feed_dict=None):
        """The Plan a `run(fetches, feed_dict)` executes (for inspection and tests).

        Args:
            fetches: What `run` takes as fetches.
            feed_dict: The feeds `run` would get (their shapes specialise the plan).

        Returns:
            The compiled `Plan`; its `steps` are what the executor runs.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None], name="x")
            >>> y = tf.exp(x * 2.0 + 1.0, name="y")
            >>> with tf.Session() as sess:
            ...     plan = sess.compiled_plan(y, {x: [1., 2.]})
            >>> print(len(plan.steps))
            1
        """
        keys = tuple(feed_dict) if feed_dict else ()
        signature = self._signature(fetches, keys)
        shapes = tuple(convert_feed(t, feed_dict[k]).shape
                       for t, k in zip(signature.feed_tensors, keys))
        return signature.plan(shapes)

    def explain(self, fetches, feed_dict=None, full: bool = False,
                print_fn=None) -> Explanation:
        """What `run(fetches, feed_dict)` executes: the steps, what was fused, the memory saved.

        Returns the report (a `str` that displays as itself, so a REPL shows it once); `full=True`
        (or the report's `.full`) is the compiler's view: every pass, step and slot. `print_fn`,
        if given, is also called with the text.

        Args:
            fetches: What `run` takes as fetches.
            feed_dict: The feeds `run` would get.
            full: Give the compiler's full view instead of the short report.
            print_fn: A function (such as `print`) to call with the report.

        Returns:
            The report, an `Explanation` (a str).

        Examples:
            >>> x = tf.placeholder(tf.float32, [None], name="x")
            >>> y = tf.exp(x * 2.0 + 1.0, name="y")
            >>> with tf.Session(executor="cpu") as sess:
            ...     print(sess.explain(y, {x: [1., 2.]}))  # doctest: +ELLIPSIS
            run(y:0) on the cpu executor, fed x float32[2]
              runs 1 step for the 5 of 6 graph nodes it needs:
                FusedElementwise
              fused 3 elementwise ops into 1 step, each one pass over memory:
                  1x Mul+Add+Exp                  y
            ...
        """
        plan = self.compiled_plan(fetches, feed_dict)
        sub_plans = explain_sub_plans(plan, self.executor.target())
        report = explain_plan(plan, self.executor.name, sub_plans, full=full)
        if print_fn is not None:
            print_fn(report)
        return report

    # --- fetches and feeds -------------------------------------------------------------------
    def _as_fetch(self, f):
        if f is None:
            raise TypeError("Fetch argument None has invalid type: expected a Tensor, an op, or "
                            "a name.")
        if isinstance(f, (Tensor, Operation)):
            if f.graph is not self.graph:
                raise GraphError(f"Fetch {f!r} belongs to a different graph than this Session's.")
            return f
        if isinstance(f, str):
            return self.graph.as_graph_element(f)
        raise TypeError(f"Fetch argument {f!r} has invalid type {type(f).__name__}: expected a "
                        "Tensor, an Operation, a name, or a list/tuple/dict of them.")

    def _as_feed_key(self, k) -> Tensor:
        if isinstance(k, str):
            k = self.graph.as_graph_element(k)
        if not isinstance(k, Tensor):
            raise TypeError(f"Feed key {k!r} must be a Tensor or a tensor name ('x:0').")
        if k.graph is not self.graph:
            raise GraphError(f"Feed key {k.describe()} belongs to a different graph.")
        return k

    # --- lifecycle ----------------------------------------------------------------------------
    def _check_open(self):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")

    def close(self) -> None:
        """Free the variables' values and compiled plans; using the session afterwards raises.

        Examples:
            >>> sess = tf.Session()
            >>> sess.close()
            >>> sess.run(tf.constant(1))
            Traceback (most recent call last):
            ...
            RuntimeError: Attempted to use a closed Session.
        """
        self._closed = True
        self._signatures.clear()
        self.state.clear()

    def as_default(self):
        """A context manager that makes this session (and its graph) the default inside it.

        Returns:
            A context manager whose value is the session; leaving it does not close the session.

        Examples:
            >>> sess = tf.Session()
            >>> with sess.as_default():
            ...     print(tf.get_default_session() is sess)
            True
            >>> sess.close()
        """
        return _DefaultSession(self)

    def __enter__(self):
        self._context = _DefaultSession(self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)
        self._context = None
        self.close()
        return False

    def __del__(self):
        self._closed = True


class _DefaultSession:
    def __init__(self, session: Session):
        self.session = session
        self._graph_ctx = session.graph.as_default()

    def __enter__(self):
        core_node.default_session_stack.append(self.session)
        self._graph_ctx.__enter__()
        return self.session

    def __exit__(self, *exc):
        self._graph_ctx.__exit__(*exc)
        core_node.default_session_stack.remove(self.session)
        return False


class InteractiveSession(Session):
    """A Session that makes itself the default at once (for notebooks and shells).

    Args:
        target: TF1's server address; unused.
        graph: The graph to run (default: the default graph).
        config: A `tf.ConfigProto`; it changes nothing.
        executor: The executor's name ("cpu", the default, "reference" or "cuda").
        disabled_passes: Compiler passes to skip.
        check_numerics: Check every op's result for NaN and Inf.

    Examples:
        >>> sess = tf.InteractiveSession()
        >>> print(tf.constant([1, 2]).eval())
        [1 2]
        >>> sess.close()
    """

    def __init__(self, target: str = "", graph=None, config=None, executor: str | None = None,
                 disabled_passes=(), check_numerics: bool = False):
        super().__init__(target, graph, config, executor, disabled_passes, check_numerics)
        core_node.default_session_stack.append(self)

    def close(self) -> None:
        """Close the session and stop it being the default.

        Examples:
            >>> sess = tf.InteractiveSession()
            >>> sess.close()
            >>> print(tf.get_default_session())
            None
        """
        if self in core_node.default_session_stack:
            core_node.default_session_stack.remove(self)
        super().close()


def get_default_session():
    """The innermost session made the default (by `with`, `as_default` or InteractiveSession).

    Returns:
        A Session, or None outside any.

    Examples:
        >>> print(tf.get_default_session())
        None
        >>> with tf.Session() as sess:
        ...     print(tf.get_default_session() is sess)
        True
    """
    return core_node.default_session_stack[-1] if core_node.default_session_stack else None


def _both(first, second):
    def observe(*args):
        first(*args)
        second(*args)

    return observe
