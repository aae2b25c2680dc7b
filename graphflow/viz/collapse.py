"""Which name scopes a picture draws as one box each.

A scope given by name matches wherever it sits, as in TensorBoard: `"gradients"` collapses
`gradients`, `train/gradients` and `gradients_1` (the name TF1 gives a second `tf.gradients`
call); `"train/Adam"` matches that path or any path ending in it. A name that matches no scope of
the drawn nodes is a warning, never silence.

`"auto"` (the default) draws what a newcomer wants to see: the model expanded, and the machinery
TF1 adds around it folded away. Gradient scopes, optimizer scopes (named after a graphflow
optimizer: `Adam`, `GradientDescent`, ...) and each variable's own scope (its initializer, its
`Assign`, the optimizer's slot variables named after it) become one box each, wherever they sit.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Iterable
from functools import cache

from graphflow.core.site import user_site
from graphflow.viz import style

GRADIENT_SCOPE = style.GRADIENT_SCOPE
_NUMBERED = re.compile(r"(.+)_\d+$")


@cache
def optimizer_scope_names() -> frozenset[str]:
    """The default names of graphflow's optimizers: the scopes their updates are built under."""
    from graphflow.train import Optimizer

    names, todo = set(), [Optimizer]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        default = inspect.signature(cls.__init__).parameters.get("name")
        if default is not None and isinstance(default.default, str):
            names.add(default.default)
    return frozenset(names)


def scopes_of(nodes) -> set[str]:
    """Every name scope that holds at least one of `nodes` (`a/b/c` gives `a` and `a/b`)."""
    scopes: set[str] = set()
    for node in nodes:
        parts = node.name.split("/")[:-1]
        scopes.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return scopes


def _base(component: str) -> str:
    """`Adam_1` -> `Adam`: TF1 numbers a scope name that is taken."""
    numbered = _NUMBERED.match(component)
    return numbered.group(1) if numbered else component


def matches(scope: str, pattern: str) -> bool:
    """True when `scope` is `pattern`, ends with `/pattern`, or is such a path numbered `_N`."""
    parts, want = scope.split("/"), pattern.split("/")
    if len(want) > len(parts):
        return False
    tail = parts[len(parts) - len(want):]
    return tail[:-1] == want[:-1] and want[-1] in (tail[-1], _base(tail[-1]))


def is_machinery(scope: str) -> bool:
    """A gradient or optimizer scope: what training adds around a model."""
    last = scope.rpartition("/")[2]
    return bool(GRADIENT_SCOPE.match(last)) or _base(last) in optimizer_scope_names()


def auto_scopes(nodes, scopes: set[str]) -> set[str]:
    """The gradient, optimizer and variable scopes among `scopes` (see the module docstring)."""
    chosen = {s for s in scopes if is_machinery(s)}
    chosen |= {n.name for n in nodes if n.name in scopes
               and style.node_kind(n.type, n.name) == "variable"}
    return chosen


def collapsed_scopes(nodes, collapse: bool | str | Iterable[str] | None,
                     plan_view: bool = False) -> list[str]:
    """The scopes to collapse, outermost first; warns about each name that matches none.

    `collapse`: `"auto"`, True (every top-level scope), False/None (none), a scope name or a
    list of them. In a plan view `"auto"` collapses nothing: only the run's steps are drawn.
    """
    scopes = scopes_of(nodes)
    if collapse is True:
        chosen = {s for s in scopes if "/" not in s}
    elif collapse is None or collapse is False:
        chosen = set()
    elif collapse == "auto":
        chosen = set() if plan_view else auto_scopes(nodes, scopes)
    else:
        chosen = set()
        for pattern in [collapse] if isinstance(collapse, str) else list(collapse):
            pattern = str(pattern).strip("/")
            found = {s for s in scopes if matches(s, pattern)}
            if not found:
                site = user_site()
                warnings.warn_explicit(_unmatched_message(pattern, scopes), UserWarning,
                                       site.filename, site.lineno)
            chosen |= found
    return sorted(chosen, key=lambda s: (s.count("/"), s))


def _unmatched_message(pattern: str, scopes: set[str]) -> str:
    top = sorted({s.split("/")[0] for s in scopes})
    shown = ", ".join(top[:12]) + (", ..." if len(top) > 12 else "")
    return (f"collapse_scopes: no name scope matches {pattern!r}, so nothing was collapsed for "
            f"it; the top-level scopes here are: {shown or '(none)'}")
