"""The compiler: from a graph and a run signature to a flat Plan an executor can lower."""

from graphflow.compiler.compile import compile_plan, prune, toposort
from graphflow.compiler.plan import Plan, Step

__all__ = ["Plan", "Step", "compile_plan", "prune", "toposort"]
