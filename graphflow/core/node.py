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
    """A node of the graph: an op definition applied to input tensors (TF1's `tf.Operation`)."""

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
        return self.op.type

    @property
    def attrs(self) -> dict:
        return self.op.attrs

    def get_attr(self, name: str):
        return self.op.attrs[name]

    def values(self):
        return self.outputs

    def run(self, feed_dict=None, session=None):
        """Run this op in the default session (TF1's `Operation.run`)."""
        _default_session(session).run(self, feed_dict=feed_dict)

    def describe(self) -> str:
        """`MatMul 'hidden/MatMul' (built at model.py:12)`: how errors name a node."""
        return f"{self.type} '{self.name}' (built at {self.site})"

    def __repr__(self):
        return f"<graphflow.Operation '{self.name}' type={self.type}>"


class Tensor:
    """One output of an Operation, with a static dtype and a possibly partial shape."""

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
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        return self.op.graph

    @property
    def node(self) -> Operation:
        return self.op

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Refine the static shape; ValueError when the new shape contradicts the known one."""
        try:
            self._shape = self._shape.merge_with(as_shape(shape))
        except ValueError:
            raise ValueError(
                f"Cannot set the shape of '{self.name}' to {as_shape(shape)}: it is already "
                f"known to be {self._shape} (built at {self.op.site})"
            ) from None

    def consumers(self) -> list[Operation]:
        return list(self._consumers)

    def describe(self) -> str:
        """`'Placeholder:0' float32[?,784] (created at train.py:5)`."""
        typed = f"{self.dtype.name}{self._shape.bracketed()}"
        return f"'{self.name}' {typed} (created at {self.op.site})"

    def eval(self, feed_dict=None, session=None):
        """Evaluate in the default session (TF1's `Tensor.eval`)."""
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
