"""A griffe extension for the API pages (mkdocs.yml loads it): what static reading misses.

1. Factory-made functions. `exp = _unary_fn(Exp, ...)` is a plain assignment to griffe's
   static reader, so `tf.exp` would have no entry; this takes such a module attribute's runtime
   function (its signature and docstring) when the function carries that name in that module.
   A `def` whose docstring is set at import (a family's template) gets the runtime docstring.
2. Differences from TF1. Each entry that graphflow/compat/differences.py explains gets a
   "Difference from TF1" section, so the reason sits with the name and is written once.
"""

from __future__ import annotations

import importlib
import inspect

import griffe


def _parameters(fn) -> griffe.Parameters:
    params = []
    for p in inspect.signature(fn).parameters.values():
        default = None if p.default is inspect.Parameter.empty else repr(p.default)
        params.append(griffe.Parameter(p.name, kind=griffe.ParameterKind(p.kind.description),
                                       default=default))
    return griffe.Parameters(*params)


def _function(fn, attribute, agent) -> griffe.Function:
    func = griffe.Function(attribute.name, lineno=attribute.lineno,
                           endlineno=attribute.endlineno, parameters=_parameters(fn))
    doc = inspect.getdoc(fn)
    if doc:
        func.docstring = griffe.Docstring(doc, lineno=attribute.lineno, parent=func,
                                          parser=agent.docstring_parser,
                                          parser_options=agent.docstring_options)
    return func


def _runtime_docstring(func, fn, agent) -> None:
    """A `def` whose docstring is set after it (one template for a family, as tf.logging's
    levels): the runtime docstring, when it differs from what the source shows."""
    doc = inspect.getdoc(fn)
    if doc and (func.docstring is None or func.docstring.value != doc):
        func.docstring = griffe.Docstring(doc, lineno=func.lineno, parent=func,
                                          parser=agent.docstring_parser,
                                          parser_options=agent.docstring_options)


class RuntimeDocs(griffe.Extension):
    """See the module docstring."""

    def on_module_members(self, *, node, mod, agent, **kwargs) -> None:
        if not mod.path.startswith("graphflow") or not isinstance(agent, griffe.Visitor):
            return
        try:
            runtime = importlib.import_module(mod.path)
        except Exception:  # noqa: BLE001 - a module that does not import keeps its static view
            return
        for name, member in list(mod.members.items()):
            if member.is_alias:
                continue
            value = getattr(runtime, name, None)
            if not (inspect.isfunction(value) and value.__module__ == mod.path
                    and value.__name__ == name):
                continue
            if member.is_attribute:
                mod.set_member(name, _function(value, member, agent))
            elif member.is_function:
                _runtime_docstring(member, value, agent)

    def on_package(self, *, pkg, loader, **kwargs) -> None:
        if pkg.name != "graphflow":
            return
        import graphflow
        from graphflow.compat.differences import BEHAVIOUR, MODULES, SIGNATURES, resolve

        for full in sorted({*SIGNATURES, *BEHAVIOUR}):
            parts = full.split(".")[1:]
            key, name = (parts[0], parts[1]) if len(parts) == 2 else ("tf", parts[0])
            if key != "tf" and key not in MODULES:
                continue
            obj = resolve(graphflow, key, name)
            module = getattr(obj, "__module__", "") or ""
            if not module.startswith("graphflow."):
                continue
            try:
                target = pkg[f"{module[len('graphflow.'):]}.{obj.__qualname__}"]
            except (KeyError, griffe.AliasResolutionError):
                continue
            if target.docstring is None:
                continue
            reasons = "; ".join(r for r in (SIGNATURES.get(full), BEHAVIOUR.get(full)) if r)
            note = f"Difference from TF1 (`{full}`):\n    {reasons}."
            if note not in target.docstring.value:
                target.docstring.value = target.docstring.value + "\n\n" + note
