"""Values that come from the graph itself: constants, frozen variables, and pass-throughs."""

from __future__ import annotations

import numpy as np

from graphflow.onnx.table import converts


@converts("Const")
def const(b, node, ins):
    value = np.asarray(node.get_attr("value"), dtype=node.get_attr("dtype").np)
    return [b.initializer(value, name=b.outputs(node)[0])]


@converts("VariableV2")
def variable(b, node, ins):
    """The variable's value in the session, frozen into an initializer under its own name."""
    return [b.initializer(b.variables[node], name=b.outputs(node)[0])]


@converts("ReadVariable", "Identity", "StopGradient", "PlaceholderWithDefault")
def identity(b, node, ins):
    """A read, or a value passed on unchanged (a PlaceholderWithDefault not fed: its default)."""
    return [b.add("Identity", [ins[0]], b.outputs(node)[0])]
