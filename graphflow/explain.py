"""`Session.explain`: what a run executes, in a few lines for users, or the compiler's full view.

The report is returned, never printed: an `Explanation` is the text itself (a `str`) whose repr is
that text, so a REPL or notebook shows it once, and `print(sess.explain(...))` works in a script.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from graphflow.core.node import Operation, Tensor
from graphflow.profiling import shorten

FUSED = "FusedElementwise"
WIDTH = 96  # of the short report's wrapped lines
SHOWN_GROUPS = 6  # kinds of fused group listed before "... and N more kinds"


class Explanation(str):
    """The report as text; `.full` is the compiler's view (every pass, step and slot)."""

    full: Explanation
    plan: object

    def __new__(cls, text: str, full: str | None = None, plan=None):
        self = super().__new__(cls, text)
        self.full = self if full is None or full == text else cls(full, None, plan)
        self.plan = plan
        return self

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython
        printer.text(str(self))


def explain(plan, executor: str, sub_plans: list[str], full: bool = False) -> Explanation:
    """The report for `plan`, compiled for `executor`; `sub_plans` are the control-flow lines."""
    whole = full_view(plan, executor, sub_plans)
    if full:
        return Explanation(whole, plan=plan)
    return Explanation(short_view(plan, executor, bool(sub_plans)), whole, plan)


def full_view(plan, executor: str, sub_plans: list[str]) -> str:
    lines = [f"compiled for executor '{executor}'"]
    width = max((len(name) for name, _ in plan.report), default=0)
    lines += [f"  {name:<{width}} {what}" for name, what in plan.report]
    mem = plan.memory
    if mem:
        lines.append(f"memory: naive {mem['naive_bytes']} bytes, planned "
                     f"{mem['planned_bytes']} bytes in {mem['buffers']} buffers, peak live "
                     f"{mem['peak_bytes']} bytes, {mem['in_place']} in-place")
    lines.append(str(plan))
    if sub_plans:
        lines += ["control flow (sub-plans on static shapes):", *sub_plans]
    return "\n".join(lines)


def short_view(plan, executor: str, has_sub_plans: bool = False) -> str:
    report = dict(plan.report)
    lines = [f"run({_names(plan.fetches + plan.targets)}) on the {executor} executor"
             + (f", fed {_fed(plan)}" if plan.feeds else "")]
    kept = re.match(r"kept (\d+) of (\d+)", report.get("prune", ""))
    needed = f" for the {kept[1]} of {kept[2]} graph nodes it needs" if kept else ""
    lines.append(f"  runs {_plural(len(plan.steps), 'step')}{needed}:")
    lines += textwrap.wrap(_step_types(plan.steps), WIDTH, initial_indent="    ",
                           subsequent_indent="    ")
    lines += _fused(plan)
    cleanup = _cleanup(report)
    if cleanup:
        lines += textwrap.wrap(f"before that: {cleanup}", WIDTH, initial_indent="  ",
                               subsequent_indent="    ")
    lines += _memory(plan.memory, report.get("updates", ""))
    if has_sub_plans:
        lines.append("  control flow: each branch and loop body is compiled on its own "
                     "(see .full)")
    lines.append("  every pass and step: .full, or sess.explain(..., full=True)")
    return "\n".join(lines)


def _names(items) -> str:
    names = [getattr(x, "name", str(x)) for x in items]
    return ", ".join(names[:4]) + (f", ... ({len(names)} in all)" if len(names) > 4 else "")


def _fed(plan) -> str:
    shown = [f"{t.name.removesuffix(':0')} {_typed(plan.slot_values.get(s, t))}"
             for t, s in zip(plan.feeds, plan.feed_slots)]
    return ", ".join(shown[:4]) + (", ..." if len(shown) > 4 else "")


def _typed(value) -> str:
    return f"{value.dtype.name}{value.shape.bracketed()}"


def _step_types(steps) -> str:
    counts = Counter(step.type for step in steps)
    return ", ".join(f"{t} x{n}" if n > 1 else t for t, n in counts.most_common())


def _member_type(member, graph) -> str:
    if isinstance(member, Operation):
        return member.type
    try:
        return graph.get_operation_by_name(member).type
    except (AttributeError, ValueError, KeyError):
        return str(member).rpartition("/")[2]


def _graph_of(plan):
    for step in plan.steps:
        if isinstance(step.source, Operation):
            return step.source.graph
    for t in plan.fetches + plan.feeds:
        if isinstance(t, Tensor):
            return t.graph
    return None


def _fused(plan) -> list[str]:
    """One line per kind of fused group (its op types in order), most frequent first."""
    groups = [step for step in plan.steps if step.type == FUSED]
    if not groups:
        return []
    graph = _graph_of(plan)
    kinds: dict[str, list[str]] = {}
    for step in groups:
        kind = "+".join(_member_type(m, graph) for m in step.members) or step.name
        kinds.setdefault(kind, []).append(step.name.removeprefix("fused/"))
    ops = sum(len(step.members) for step in groups)
    lines = [f"  fused {_plural(ops, 'elementwise op')} into {_plural(len(groups), 'step')}, "
             "each one pass over memory:"]
    ordered = sorted(kinds.items(), key=lambda kv: -len(kv[1]))
    for kind, names in ordered[:SHOWN_GROUPS]:
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        kind = shorten(kind, 40)
        where = shorten(names[0], WIDTH - 12 - max(len(kind), 28) - len(more)) + more
        lines.append(f"    {len(names):>3}x {kind:<28} {where}")
    if len(ordered) > SHOWN_GROUPS:
        lines.append(f"    ... and {len(ordered) - SHOWN_GROUPS} more kinds")
    return lines


def _count(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    return int(found[1]) if found else 0


def _cleanup(report: dict) -> str:
    """Constant folding, duplicate merging and simplification, in words, when they did anything."""
    parts = []
    folded = _count(report.get("fold", ""), r"folded (\d+)")
    merged = _count(report.get("cse", ""), r"merged (\d+)")
    rewrites = _count(report.get("simplify", ""), r"(\d+) rewrites")
    if folded:
        parts.append(f"computed {_plural(folded, 'constant node')} at compile time")
    if merged:
        parts.append(f"merged {_plural(merged, 'duplicate node')}")
    if rewrites:
        parts.append(f"simplified {_plural(rewrites, 'node')}")
    return ", ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _memory(mem: dict, updates: str) -> list[str]:
    if not mem:
        return []
    naive, planned = mem["naive_bytes"], mem["planned_bytes"]
    instead = (f" instead of {_bytes(naive)} ({1 - planned / naive:.0%} less)"
               if naive and planned < naive else "")
    parts = [f"memory: {_bytes(planned)} for intermediate values{instead}, in "
             f"{_plural(mem['buffers'], 'buffer')} reused across steps"]
    if mem.get("in_place"):
        parts.append(f"{_plural(mem['in_place'], 'result')} written over an input that dies "
                     "there")
    if re.match(r"[1-9]\d* of", updates):
        parts.append(updates.replace("state updates", "variable updates"))
    return textwrap.wrap("; ".join(parts), WIDTH, initial_indent="  ",
                         subsequent_indent="          ")


def _bytes(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"
