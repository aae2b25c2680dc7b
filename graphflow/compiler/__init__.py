"""The compiler: from a graph and a run signature to a flat Plan an executor can lower."""

from graphflow.compiler.compile import PASS_NAMES, build_program, compile_plan, prune, toposort
from graphflow.compiler.plan import Plan, Step

__all__ = ["PASS_NAMES", "Plan", "Step", "build_program", "compile_plan", "prune", "toposort"]
