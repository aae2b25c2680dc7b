"""A graph (or a compiled Plan over it) as graphviz DOT text, deterministic byte for byte.

The text depends only on the graph's nodes, names, types, attributes and static shapes, never on
ids or dict order, so it can be compared with a stored snapshot and re-rendered reproducibly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphflow.core.graph import Graph, get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.errors import GraphError
from graphflow.viz import style
from graphflow.viz.collapse import collapsed_scopes, is_machinery
from graphflow.viz.control_flow import sub_graph_parts
from graphflow.viz.plan_view import PlanView


def to_dot(graph=None, fetches=None, collapse_scopes: bool | str | Iterable[str] = "auto",
           plan=None, show_shapes: bool = True, title: str | None = None,
           show_pruned: bool = False) -> str:
    """DOT text for `graph` (default: the default graph), or only the ancestors of `fetches`.

    `graph` may itself be a fetch (Tensor, Operation, name, name scope or a list of them). Name
    scopes become clusters. `collapse_scopes="auto"` folds gradients, optimizer updates and each
    variable's initializer into one box each, wherever they sit; False draws every node, True
    collapses every top-level scope, and scope names collapse those (see `graphflow.viz.collapse`).
    `plan` (a `graphflow.compiler.Plan`) draws the plan view: only what the run executes, with
    slot numbers on edges, step numbers on nodes and fused groups boxed; `show_pruned=True` adds
    the rest of the graph, greyed.
    """
    if graph is not None and not isinstance(graph, Graph):
        graph, fetches = None, graph if fetches is None else fetches
    view = PlanView(plan) if plan is not None else None
    if graph is None:
        graph = _graph_of(fetches, view)
    nodes = _selected_nodes(graph, fetches)
    if view is not None and not show_pruned:
        nodes = _what_runs(nodes, view)
    return _Writer(nodes, collapse_scopes, view, show_shapes, title).write()


# --- which nodes ------------------------------------------------------------------------------
def _flatten(fetches) -> list:
    if fetches is None:
        return []
    if isinstance(fetches, (Tensor, Operation, str)):
        return [fetches]
    if isinstance(fetches, Mapping):
        fetches = fetches.values()
    return [x for f in fetches for x in _flatten(f)]


def _graph_of(fetches, view: PlanView | None) -> Graph:
    for f in _flatten(fetches):
        if isinstance(f, (Tensor, Operation)):
            return f.graph
    if view is not None and view.graph is not None:
        return view.graph
    return get_default_graph()


def _selected_nodes(graph: Graph, fetches) -> list[Operation]:
    """All nodes, or the fetches' ancestors through data and control edges, in creation order."""
    from graphflow.compiler import prune

    items = [x for f in _flatten(fetches) for x in _elements(graph, f)]
    if not items:
        return graph.get_operations()
    tensors = [x for x in items if isinstance(x, Tensor)]
    targets = [x for x in items if isinstance(x, Operation)]
    ops, _ = prune(tensors, targets, [])
    return sorted(ops, key=lambda op: op.id)


def _elements(graph: Graph, fetch) -> list:
    """A fetch as graph elements: a name scope (`"train/gradients"`) stands for all its ops."""
    if not isinstance(fetch, str) or ":" in fetch:
        return [graph.as_graph_element(fetch)]
    try:
        return [graph.as_graph_element(fetch)]
    except GraphError:
        pass
    prefix = fetch.strip("/") + "/"
    inside = [op for op in graph.get_operations() if op.name.startswith(prefix)]
    if not inside:
        top = sorted({op.name.split("/")[0] for op in graph.get_operations() if "/" in op.name})
        raise GraphError(f"Cannot draw {fetch!r}: the graph has no tensor, operation or name "
                         f"scope of that name (its top-level scopes: {', '.join(top[:12])}"
                         f"{', ...' if len(top) > 12 else ''}).")
    return inside


def _what_runs(nodes: list[Operation], view: PlanView) -> list[Operation]:
    """The nodes a plan executes (alone, fused or merged) or is fed, and constants they read."""
    ran = [n for n in nodes if not view.is_pruned(n)]
    kept = set(ran)
    read = {t.op for n in ran for t in n.inputs}
    return [n for n in nodes if n in kept
            or (n in read and style.node_kind(n.type, n.name) == "constant")]


# --- writing ----------------------------------------------------------------------------------
def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as `\\n`."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r", "").replace("\n", "\\n") + '"'


def format_attrs(attrs: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={quote(v)}" for k, v in attrs.items())


def tensor_label(t: Tensor, value=None) -> str:
    """`float32[?,784]`, prefixed `:1 ` for a node's second output and so on.

    `value` (anything with `dtype` and `shape`) overrides the static type, e.g. a plan's value.
    """
    prefix = f":{t.value_index} " if t.value_index else ""
    typed = value if value is not None else t
    return f"{prefix}{typed.dtype.name}{typed.shape.bracketed()}"


def scope_of(name: str) -> str:
    return name.rpartition("/")[0]


def _constant_text(node: Operation) -> str | None:
    value = node.attrs.get("value")
    size = getattr(value, "size", None)
    if size == 1 and getattr(value, "dtype", None) is not None and value.dtype.kind in "biuf":
        return f"{value.item():.6g}"
    return None


class _Scope:
    """A cluster: the nodes and boxes drawn directly inside it, and its child scopes."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[str] = []  # DOT node statements
        self.fused: list[tuple[str, list[str]]] = []  # (label, node statements)
        self.children: dict[str, _Scope] = {}

    def child(self, path: str) -> _Scope:
        scope = self
        parts = path.split("/") if path else []
        for i in range(len(parts)):
            full = "/".join(parts[: i + 1])
            scope = scope.children.setdefault(full, _Scope(full))
        return scope


class _Writer:
    def __init__(self, nodes: list[Operation], collapse, view: PlanView | None,
                 show_shapes: bool, title: str | None):
        self.nodes = nodes
        self.drawn = set(nodes)
        self.by_name = {n.name: n for n in nodes}
        self.view = view
        self.show_shapes = show_shapes
        self.title = title
        self.collapsed = collapsed_scopes(nodes, collapse, plan_view=view is not None)
        self.machinery = {s + "/" for s in self.collapsed if is_machinery(s)}
        self.absorbed = self._absorbed_constants()

    def _scope_box(self, node: Operation) -> str | None:
        for scope in self.collapsed:
            if node.name == scope or node.name.startswith(scope + "/"):
                return scope
        return None

    def _absorbed_constants(self) -> dict[Operation, str]:
        """Constants read only inside one collapsed box (a variable's initial value) join it."""
        if not self.collapsed:
            return {}
        readers: dict[Operation, set] = {}
        for node in self.nodes:
            for t in node.inputs:
                readers.setdefault(t.op, set()).add(self._scope_box(node))
        return {n: next(iter(readers[n])) for n in self.nodes
                if style.node_kind(n.type, n.name) == "constant" and self._scope_box(n) is None
                and len(readers.get(n, ())) == 1 and None not in readers[n]}

    def box_of(self, node: Operation) -> str | None:
        """The collapsed scope `node` is drawn in (the outermost one), or None."""
        return self.absorbed.get(node) or self._scope_box(node)

    def node_id(self, node: Operation) -> str:
        box = self.box_of(node)
        return box + "/" if box is not None else node.name  # op names never end with "/"

    # --- nodes ----------------------------------------------------------------------------
    def node_statement(self, node: Operation) -> str:
        base = node.name.rpartition("/")[2]
        kind = style.node_kind(node.type, node.name)
        if kind == "constant":
            value = _constant_text(node)
            label = base if value is None else f"{base}\n{value}"
        else:
            label = base if base == node.type else f"{base}\n{node.type}"
        attrs = dict(style.NODE_STYLES[kind])
        if self.view is not None:
            label, extra = self.view.decorate_node(node, label)
            attrs.update(extra)
        attrs = {"label": label, **attrs, "tooltip": f"{node.type} '{node.name}'"}
        return f"{quote(node.name)} [{format_attrs(attrs)}];"

    def box_statement(self, scope: str, members: list[Operation]) -> str:
        own = self.by_name.get(scope)
        base = scope.rpartition("/")[2]
        label = f"{base}\n({len(members)} nodes)"
        tooltip = f"name scope '{scope}' ({len(members)} nodes, collapsed)"
        if own is not None and style.node_kind(own.type, own.name) != "op":
            attrs = dict(style.NODE_STYLES[style.node_kind(own.type, own.name)])
            if style.node_kind(own.type, own.name) == "variable":  # its initializer and slots
                label = base
                tooltip = f"variable '{scope}' with its initializer and slots ({len(members)} " \
                          "nodes, collapsed)"
        else:
            key = ("gradient_scope" if style.is_gradient_name(scope + "/") else
                   "optimizer_scope" if is_machinery(scope) else "scope")
            attrs = dict(style.NODE_STYLES[key])
        if self.view is not None and all(self.view.is_pruned(m) for m in members):
            attrs.update(style.NODE_STYLES["pruned"])
        attrs = {"label": label, **attrs, "tooltip": tooltip}
        return f"{quote(scope + '/')} [{format_attrs(attrs)}];"

    def build_scopes(self) -> _Scope:
        root = _Scope("")
        boxes: dict[str, list[Operation]] = {}
        fused_of = self.view.fused_groups(self.drawn) if self.view is not None else {}
        grouped: dict[str, list[Operation]] = {}
        for node in self.nodes:
            box = self.box_of(node)
            if box is not None:
                boxes.setdefault(box, []).append(node)
            elif node in fused_of:
                grouped.setdefault(fused_of[node], []).append(node)
            else:
                root.child(scope_of(node.name)).items.append(self.node_statement(node))
        for box, members in boxes.items():
            root.child(scope_of(box)).items.append(self.box_statement(box, members))
        for label, members in grouped.items():
            common = _common_scope([scope_of(m.name) for m in members])
            root.child(common).fused.append((label, [self.node_statement(m) for m in members]))
        return root

    # --- edges ----------------------------------------------------------------------------
    def edges(self) -> list[str]:
        merged: dict[tuple[str, str, str], list[str]] = {}
        pruned: dict[tuple[str, str, str], bool] = {}

        def add(src: Operation, dst: Operation, kind: str, label: str) -> None:
            a, b = self.node_id(src), self.node_id(dst)
            if a == b:
                return
            key = (a, b, kind)
            merged.setdefault(key, []).append(label)
            dim = self.view is not None and (self.view.is_pruned(src) or self.view.is_pruned(dst))
            pruned[key] = pruned.get(key, True) and dim

        for node in self.nodes:
            for t in node.inputs:
                if t.op in self.drawn:
                    add(t.op, node, "data", self.edge_label(t, node))
            var = node.attrs.get("variable") if node.type in style.UPDATE_TYPES else None
            var_op = getattr(var, "op", None)
            if var_op in self.drawn and var not in node.inputs:
                add(var_op, node, "ref", "")
            for c in node.control_inputs:
                if c in self.drawn:
                    add(c, node, "control", "")
        lines = []
        for (a, b, kind), labels in merged.items():
            if kind == "data" and (a, b, "ref") in merged:
                continue  # the update's bold edge already says it reads the variable
            attrs = dict(style.EDGE_STYLES[kind])
            label = _merge_labels(labels)
            if kind == "data" and b in self.machinery and a not in self.machinery:
                # Gradients and optimizers read many forward values: thin, unlabelled lines
                # keep the model readable.
                attrs, label = dict(style.EDGE_STYLES["into_box"]), ""
            if label:
                attrs = {"label": label, **attrs}
            if pruned[(a, b, kind)]:
                attrs.update(style.EDGE_STYLES["pruned"])
            if kind == "ref":
                attrs["tooltip"] = "reads or writes this variable"
            lines.append(f"{quote(a)} -> {quote(b)}" + (f" [{format_attrs(attrs)}]" if attrs
                                                         else "") + ";")
        return lines

    def edge_label(self, t: Tensor, consumer: Operation) -> str:
        parts = []
        slot_shown = False
        if self.view is not None and not self.view.is_pruned(consumer):
            slot = self.view.slot_label(t)
            if slot is not None:
                parts.append(slot)
                slot_shown = True
        if self.show_shapes:  # the plan's shape when it specialised one for this run
            value = self.view.specialised.get(t) if slot_shown else None
            parts.append(tensor_label(t, value))
        return " ".join(parts)

    # --- the whole text -------------------------------------------------------------------
    def write(self) -> str:
        graph_attrs = dict(style.GRAPH_ATTRS)
        if self.title:
            graph_attrs.update({"label": self.title, "labelloc": "t", "fontname": "Helvetica"})
        out = ["digraph graphflow {", f"  graph [{format_attrs(graph_attrs)}];",
               f"  node [{format_attrs(style.NODE_DEFAULTS)}];",
               f"  edge [{format_attrs(style.EDGE_DEFAULTS)}];"]
        self._write_scope(self.build_scopes(), out, "  ")
        plain = _Writer([], False, None, self.show_shapes, None)
        unboxed = [n for n in self.nodes if self.box_of(n) is None]
        clusters, cf_edges = sub_graph_parts(unboxed, plain.node_statement, plain.edge_label,
                                             self.node_id)
        out += clusters
        out += ["  " + line for line in self.edges() + cf_edges]
        out.append("}")
        return "\n".join(out) + "\n"

    def _write_scope(self, scope: _Scope, out: list[str], pad: str) -> None:
        out += [pad + item for item in scope.items]
        for label, members in sorted(scope.fused):
            out.append(f"{pad}subgraph {quote('cluster_fused:' + label)} {{")
            attrs = {"label": label, **style.FUSED_CLUSTER_ATTRS}
            out.append(f"{pad}  graph [{format_attrs(attrs)}];")
            out += [pad + "  " + m for m in members]
            out.append(pad + "}")
        for name in sorted(scope.children):
            child = scope.children[name]
            out.append(f"{pad}subgraph {quote('cluster_' + name)} {{")
            label = name.rpartition("/")[2]
            out.append(f"{pad}  graph [{format_attrs({'label': label, **style.CLUSTER_ATTRS})}];")
            self._write_scope(child, out, pad + "  ")
            out.append(pad + "}")


def _common_scope(scopes: list[str]) -> str:
    parts = [s.split("/") if s else [] for s in scopes]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if any(p != level[0] for p in level):
            break
        common.append(level[0])
    return "/".join(common)


def _merge_labels(labels: list[str]) -> str:
    """One edge for several tensors between two collapsed boxes: `float32[10] (x3)`."""
    distinct = list(dict.fromkeys(labels))
    if len(labels) == 1 or len(distinct) == 1:
        return distinct[0] + (f" (x{len(labels)})" if len(labels) > 1 and distinct[0] else "")
    return f"{len(labels)} tensors"
