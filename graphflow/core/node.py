"""Operations (graph nodes) and the Tensors they produce.

Values never live here: a Session holds variable values and a run holds its buffers. A node only
records what it computes, from what, and where the user built it.
"""

from __future__ import annotations

from graphflow.core.dtypes import DType
from graphflow.core.shape import TensorShape, as_shape

# Sessions entered as context managers (or InteractiveSession) push themselves here so that
# `Tensor.eval()` and `Operation.run()` find them without core importing the session layer.
default_session_stack: list = []


def _default_session(session):
    if session is not None:
        return session
    if not default_session_stack:
        raise ValueError(
            "No default session is registered. Use `with graphflow.Session():` around the call, "
            "or pass session=sess explicitly."
        )
    return default_session_stack[-1]


class Operation:
    """A node of the graph: an op definition applied to input tensors (TF1's `tf.Operation`).

    Op functions make Operations through `Graph.create_node`; user code reads them (`t.op`,
    `graph.get_operations()`), it does not construct them.

    Args:
        graph: The graph it belongs to.
        name: Its unique name in the graph.
        op: The op definition (its type and attributes).
        inputs: The input Tensors.
        control_inputs: Operations that must run first.
        output_specs: The dtype and static shape of each output.
        site: Where the user's code built it (file:line), for errors.
        id_: Its index in the graph's build order.

    Examples:
        >>> y = tf.matmul(tf.ones([2, 3]), tf.ones([3, 4]), name="y")
        >>> op = y.op
        >>> print(op.name, op.type, [t.name for t in op.inputs], op.outputs[0] is y)
        y MatMul ['ones:0', 'ones_1:0'] True
    """

    __slots__ = ("graph", "name", "op", "inputs", "control_inputs", "outputs", "site", "id",
                 "device", "__weakref__")

    def __init__(self, graph, name: str, op, inputs, control_inputs, output_specs, site, id_):
        self.graph = graph
        self.name = name
        self.op = op
        self.inputs = tuple(inputs)
        self.control_inputs = tuple(control_inputs)
        self.site = site
        self.id = id_
        self.device = ""  # the `with graphflow.device(...)` string it was built under; unused yet
        op.bind(self)  # an op instance belongs to exactly one node; it may take its name
        self.outputs = tuple(
            op.make_output(self, i, spec.dtype, spec.shape) for i, spec in enumerate(output_specs)
        )
        for t in self.inputs:
            t._consumers.append(self)

    @property
    def type(self) -> str:
        """The op's type, such as "MatMul" or "Placeholder"."""
        return self.op.type

    @property
    def attrs(self) -> dict:
        """The op's attributes, such as a MatMul's `transpose_a` (a dict)."""
        return self.op.attrs

    def get_attr(self, name: str):
        """The attribute `name` of the op (TF1's `Operation.get_attr`).

        Args:
            name: The attribute's name.

        Returns:
            Its value; a KeyError for an attribute the op does not have.

        Examples:
            >>> y = tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), transpose_b=True)
            >>> print(y.op.get_attr("transpose_b"))
            True
        """
        return self.op.attrs[name]

    def values(self):
        """The op's output tensors (TF1's `Operation.values()`).

        Returns:
            A tuple of Tensors.

        Examples:
            >>> values, indices = tf.nn.top_k([3., 1., 2.], k=2)
            >>> print([t.name for t in values.op.values()])
            ['TopKV2:0', 'TopKV2:1']
        """
        return self.outputs

    def run(self, feed_dict=None, session=None):
        """Run this op in the default session (TF1's `Operation.run`).

        Args:
            feed_dict: Values for placeholders the op needs.
            session: The session (default: the default session).

        Examples:
            >>> v = tf.Variable(1.0)
            >>> with tf.Session() as sess:
            ...     v.initializer.run()
            ...     print(v.eval())
            1.0
        """
        _default_session(session).run(self, feed_dict=feed_dict)

    def describe(self) -> str:
        """`MatMul 'hidden/MatMul' (built at model.py:12)`: how errors name a node.

        Returns:
            The op's type, name and build site as one string.

        Examples:
            >>> y = tf.identity(tf.constant(1.0), name="y")
            >>> print(y.op.describe())  # doctest: +ELLIPSIS
            Identity 'y' (built at ...)
        """
        return f"{self.type} '{self.name}' (built at {self.site})"

    def __repr__(self):
        return f"<graphflow.Operation '{self.name}' type={self.type}>"


class Tensor:
    """One output of an Operation, with a static dtype and a possibly partial shape.

    Tensors are symbolic: they hold no value; `Session.run` (or `t.eval()`) computes one.
    Python's operators build ops (`a + b`, `a @ b`, `x[1:, 0]`).

    Args:
        op: The Operation that makes it.
        value_index: Which of the op's outputs it is.
        dtype: Its element type.
        shape: Its static shape (dims may be None).

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 2], name="x")
        >>> y = (x * 2.0)[:, 0]
        >>> print(x.name, x.dtype, x.shape, y.shape)
        x:0 float32 (?, 2) (?,)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y, {x: [[1., 2.], [3., 4.]]}))
        [2. 6.]
    """

    __slots__ = ("op", "value_index", "dtype", "_shape", "_consumers", "__weakref__")

    # Make NumPy defer to our reflected operators (`np.float32(2) * t`).
    __array_priority__ = 100

    def __init__(self, op: Operation, value_index: int, dtype: DType, shape: TensorShape):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self._shape = as_shape(shape)
        self._consumers: list[Operation] = []

    @property
    def name(self) -> str:
        """The tensor's name in the graph, "op_name:index"."""
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        """The Graph it belongs to."""
        return self.op.graph

    @property
    def node(self) -> Operation:
        """The Operation that makes it (the same as `op`)."""
        return self.op

    @property
    def shape(self) -> TensorShape:
        """The static shape, a TensorShape (dims unknown while building are None)."""
        return self._shape

    def get_shape(self) -> TensorShape:
        """The static shape (TF1's older spelling of `shape`).

        Returns:
            A TensorShape.

        Examples:
            >>> print(tf.zeros([2, 3]).get_shape())
            (2, 3)
        """
        return self._shape

    def set_shape(self, shape) -> None:
        """Refine the static shape; ValueError when the new shape contradicts the known one.

        Args:
            shape: A list (with None for unknown dims) or a TensorShape.

        Examples:
            >>> x = tf.placeholder(tf.float32)
            >>> x.set_shape([None, 3])
            >>> print(x.shape)
            (?, 3)
        """
        try:
            self._shape = self._shape.merge_with(as_shape(shape))
        except ValueError:
            raise ValueError(
                f"Cannot set the shape of '{self.name}' to {as_shape(shape)}: it is already "
                f"known to be {self._shape} (built at {self.op.site})"
            ) from None

    def consumers(self) -> list[Operation]:
        """The Operations that take this tensor as an input.

        Returns:
            A new list of Operations, in build order.

        Examples:
            >>> x = tf.constant(1.0, name="x")
            >>> y = tf.identity(x, name="y")
            >>> print([op.name for op in x.consumers()])
            ['y']
        """
        return list(self._consumers)

    def describe(self) -> str:
        """`'Placeholder:0' float32[?,784] (created at train.py:5)`: how errors name a tensor.

        Returns:
            The tensor's name, dtype, shape and build site as one string.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None, 784])
            >>> print(x.describe())  # doctest: +ELLIPSIS
            'Placeholder:0' float32[?,784] (created at ...)
        """
        typed = f"{self.dtype.name}{self._shape.bracketed()}"
        return f"'{self.name}' {typed} (created at {self.op.site})"

    def eval(self, feed_dict=None, session=None):
        """Evaluate in the default session (TF1's `Tensor.eval`).

        Args:
            feed_dict: Values for placeholders it needs.
            session: The session (default: the default session).

        Returns:
            The value, as `session.run(self)` gives it.

        Examples:
            >>> x = tf.placeholder(tf.float32)
            >>> with tf.Session():
            ...     print((x + 1.0).eval({x: 2.0}))
            3.0
        """
        return _default_session(session).run(self, feed_dict=feed_dict)

    def __repr__(self):
        return f'<graphflow.Tensor "{self.name}" shape={self._shape} dtype={self.dtype.name}>'

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self.dtype.name})'

    def __bool__(self):
        raise TypeError(
            f"Using the graph tensor {self.describe()} as a Python bool is not allowed: its value "
            "exists only when a Session runs it. Use graphflow.where, or run it first."
        )

    def __iter__(self):
        raise TypeError(
            f"Tensor {self.describe()} is not iterable while building the graph; "
            "use graphflow.unstack(t) to split it along an axis."
        )

    def __len__(self):
        raise TypeError(f"len() of graph tensor {self.describe()} is not defined; use t.shape[0].")

    # Tensors are hashable by identity so they can key feed dicts; == stays identity, as in TF1.
    __hash__ = object.__hash__
