"""The op-definition pattern: one class per op with its inference, reference compute and gradient.

```
@register("MatMul")
class MatMul(Op):
    fresh_output = True
    attrs = {"transpose_a": False, "transpose_b": False}
    input_names = ("a", "b")
    def infer(self, a, b): ...        # static dtype/shape -> Spec; shape_rule(...) on mismatch
    def compute(self, a, b): ...      # NumPy reference: the definition of the op's meaning
    def gradient(self, node, dy): ... # graph ops for d(out)/d(inputs), one per input (None if none)
    @staticmethod
    def examples(s): ...              # strategy of Example (s = graphflow.testing.strategies)
```
An op without `examples` cannot be registered: the tests for every op are generated from them.
"""

from __future__ import annotations

import abc
from typing import NamedTuple

from graphflow.core.dtypes import DType
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape


class Spec(NamedTuple):
    """A static output description returned by `Op.infer`."""

    dtype: DType
    shape: TensorShape


def spec(dtype: DType, shape) -> Spec:
    return Spec(dtype, as_shape(shape))


class Example(NamedTuple):
    """One valid application of an op: NumPy input values and attribute values."""

    inputs: list
    attrs: dict = {}


class NoExamples:
    """Marks an op whose behaviour is tested by hand (stateful or random); says where and why."""

    def __init__(self, reason: str):
        self.reason = reason

    def __bool__(self):
        return False


class Op(abc.ABC):
    """Base of every op definition; an instance carries one node's attribute values."""

    type: str = ""
    attrs: dict = {}
    input_names: tuple = ()
    takes_context = False  # compute(ctx, *inputs) for ops that read session state
    stateful = False  # never folded, deduplicated or cached (variables, assigns, random)
    keyed_by_name = False  # its state (a variable, a random stream) is keyed by its node's name
    elementwise = False
    # An elementwise op's scalar expression, in C over x (and y) of element type T, declared
    # once: the build renders the fused evaluator's opcodes from it (ext/gen_elementwise.py),
    # and device code generators render the same text. None: not available to fused kernels.
    scalar: str | None = None
    scalar_cost = 1  # rough cost of one element, in simple arithmetic ops
    # Algebraic identities the compiler's simplify pass may apply, declared by the op:
    unit = None  # x op unit == x (0 for Add, 1 for Mul), for operand positions `unit_sides`
    unit_sides: tuple = ()
    involution = False  # op(op(x)) == x (Neg)
    forwards_input = False  # the result is input 0 itself (Identity, StopGradient)
    noop_when_shape_kept = False  # input 0, when the result has its shape and dtype (Reshape)
    # Inputs whose values compute never reads, only their shapes (BroadcastReduced's x, Shape's
    # input): constant folding computes the op once those shapes are static.
    shape_only_inputs: tuple = ()
    # A state update whose new value is `combine(variable, value)` (AssignSub: "Sub"): the
    # compiler may fuse the ops computing `value` into it (ops/fused_update.py).
    update_combine: str | None = None
    # True when results never share memory with the inputs (every elementwise op's are fresh);
    # otherwise the memory planner assumes the op may return a view of an input.
    fresh_output = False
    examples = None
    gradient_examples = None  # a narrower strategy for gradient checks (default: examples)
    gradient_wrt: tuple | None = None  # inputs the gradient check covers (None: every float one)

    def __init__(self, **attrs):
        defaults = type(self).attrs
        unknown = set(attrs) - set(defaults)
        if unknown:
            raise TypeError(f"{self.type} got unknown attributes {sorted(unknown)}; "
                            f"it takes {sorted(defaults)}")
        merged = dict(defaults)
        merged.update(attrs)
        self.attrs = merged

    def __getattr__(self, name):
        attrs = self.__dict__.get("attrs")
        if attrs is not None and name in attrs:
            return attrs[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @abc.abstractmethod
    def infer(self, *inputs) -> Spec | list[Spec]:
        """Static output dtypes and shapes; raise shape_rule/dtype_rule when inputs cannot work."""

    @abc.abstractmethod
    def compute(self, *inputs):
        """The NumPy reference: the definition of what the op means."""

    gradient = None  # gradient(self, node, *dys) -> one tensor (or None) per input
    # True for ops whose derivative is zero or undefined by design (floor, sign, comparisons):
    # `gradients` then passes nothing back instead of raising "no gradient defined".
    not_differentiable = False

    def bind(self, node) -> None:
        """Called once when the op becomes `node`: ops that keep state by name (variables,
        random streams: `keyed_by_name`) record the node's name as their `key` attribute, the
        only thing their computes know of the graph."""
        if self.keyed_by_name:
            self.attrs["key"] = node.name

    def cancels(self, inner, rank) -> bool:
        """True when this op applied to the result of op `inner` gives inner's input back
        (`rank`: the rank of inner's result, or None)."""
        return self.involution and inner.type == self.type

    def absorbs(self, inner) -> bool:
        """True when this op applied to the result of op `inner` equals it applied to inner's
        input (both single-input), so the inner op can be skipped."""
        return False

    def make_output(self, node, index: int, dtype: DType, shape: TensorShape) -> Tensor:
        return Tensor(node, index, dtype, shape)

    def __repr__(self):
        return f"{self.type}({', '.join(f'{k}={v!r}' for k, v in self.attrs.items())})"


_REGISTRY: dict[str, type[Op]] = {}


def register(name: str):
    """Class decorator adding an op definition to the registry under `name`."""

    def deco(cls: type[Op]) -> type[Op]:
        if name in _REGISTRY:
            raise ValueError(f"Op {name!r} is already registered by {_REGISTRY[name].__qualname__}")
        if cls.infer is Op.infer or cls.compute is Op.compute:
            raise TypeError(f"Op {name!r} must define infer and compute")
        if cls.examples is None:
            raise TypeError(
                f"Op {name!r} has no `examples`: every op needs a strategy of valid inputs so its "
                "tests can be generated (or NoExamples('why, and where it is tested'))."
            )
        cls.type = name
        _REGISTRY[name] = cls
        return cls

    return deco


def get_op(name: str) -> type[Op]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"No op named {name!r} is registered") from None


def registered_ops() -> dict[str, type[Op]]:
    return dict(_REGISTRY)


def graph_of(inputs) -> object:
    """The graph to build in: the inputs' graph, or the default graph when that is a
    control-flow function enclosing it (the inputs are then captured)."""
    default = get_default_graph()
    for t in inputs:
        if isinstance(t, Tensor):
            encloses = getattr(default, "encloses", None)
            return default if encloses is not None and encloses(t.graph) else t.graph
    return default


def apply_op(op: Op, inputs=(), name: str | None = None):
    """Add a node for `op` over tensor `inputs`; returns its single output, or the output tuple."""
    node = graph_of(inputs).create_node(op, list(inputs), name=name)
    if len(node.outputs) == 1:
        return node.outputs[0]
    if not node.outputs:
        return node
    return node.outputs
