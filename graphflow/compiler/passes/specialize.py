"""Shape specialisation: re-infer every node with the concrete shapes of this run's feeds."""

from __future__ import annotations

from graphflow.errors import InferenceError, InvalidArgumentError


def specialize_shapes(program) -> str:
    """Refine each value's static shape; returns how many values became fully known."""
    if all(v.shape.is_fully_defined() for n in program.nodes for v in n.outputs):
        return "all shapes already known"
    refined = 0
    for node in program.nodes:
        if not node.inputs:
            continue
        try:
            specs = node.op.infer(*node.inputs)
        except InferenceError as err:
            inputs = "\n".join(f"  input {i}: value of shape {v.shape} from {v.describe()}"
                               for i, v in enumerate(node.inputs))
            raise InvalidArgumentError(
                f"{node.describe()} cannot run with this run's feed shapes: {err}\n{inputs}"
            ) from None
        except (AttributeError, KeyError, TypeError):
            continue  # an infer that needs graph-only facts keeps its build-time shapes
        if hasattr(specs, "dtype"):
            specs = [specs]
        for value, spec in zip(node.outputs, specs):
            try:
                merged = value.shape.merge_with(spec.shape)
            except ValueError:
                continue
            if merged.is_fully_defined() and not value.shape.is_fully_defined():
                refined += 1
            value.shape = merged
    return f"{refined} values got fully known shapes"
