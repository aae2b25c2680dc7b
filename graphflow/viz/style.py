"""How each kind of node and edge looks, in one table, so pictures and docs agree.

A node's *kind* is decided from its type and name alone (never from run-time state), so the same
graph always draws the same way:

| kind          | which nodes                                        | drawn as           |
|---------------|----------------------------------------------------|--------------------|
| `placeholder` | `Placeholder`, `PlaceholderWithDefault`            | yellow ellipse     |
| `variable`    | `VariableV2`                                       | green cylinder     |
| `constant`    | `Const`                                            | small plain text   |
| `update`      | `Assign`, `AssignAdd`, `AssignSub`, `ReadVariable` | red bold box       |
| `gradient`    | any other node inside a `gradients` scope          | orange rounded box |
| `op`          | everything else                                    | blue rounded box   |
"""

from __future__ import annotations

import re

PLACEHOLDER_TYPES = frozenset({"Placeholder", "PlaceholderWithDefault"})
VARIABLE_TYPES = frozenset({"VariableV2"})
CONSTANT_TYPES = frozenset({"Const"})
UPDATE_TYPES = frozenset({"Assign", "AssignAdd", "AssignSub", "ReadVariable"})

GRAPH_ATTRS = {"rankdir": "TB", "compound": "true", "newrank": "true", "nodesep": "0.25",
               "ranksep": "0.35"}
NODE_DEFAULTS = {"fontname": "Helvetica", "fontsize": "10", "style": "filled", "penwidth": "1"}
EDGE_DEFAULTS = {"fontname": "Helvetica", "fontsize": "8", "color": "#555555",
                 "fontcolor": "#333333", "arrowsize": "0.6"}

NODE_STYLES: dict[str, dict[str, str]] = {
    "placeholder": {"shape": "ellipse", "fillcolor": "#fff3b0", "color": "#b59f00"},
    "variable": {"shape": "cylinder", "fillcolor": "#c8e6c9", "color": "#2e7d32"},
    "constant": {"shape": "plaintext", "style": "", "fontsize": "8", "fontcolor": "#666666"},
    "update": {"shape": "box", "style": "filled,bold", "fillcolor": "#f8bbbb", "color": "#c0392b",
               "penwidth": "2"},
    "gradient": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffe0b2",
                 "color": "#e67e22"},
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dcebfa", "color": "#2c6fbb"},
    # A collapsed name scope: one box standing for all its nodes (as TensorBoard draws it).
    "scope": {"shape": "box3d", "fillcolor": "#eeeeee", "color": "#777777"},
    "gradient_scope": {"shape": "box3d", "fillcolor": "#ffe0b2", "color": "#e67e22"},
    "optimizer_scope": {"shape": "box3d", "fillcolor": "#f8bbbb", "color": "#c0392b"},
    # Plan view: a node of the graph the plan does not run.
    "pruned": {"fillcolor": "#f2f2f2", "color": "#c8c8c8", "fontcolor": "#a0a0a0",
               "style": "filled,dashed"},
}

EDGE_STYLES: dict[str, dict[str, str]] = {
    "data": {},
    "control": {"style": "dashed", "color": "#999999", "arrowhead": "odot"},
    # From a variable to the op that reads or writes it through its `variable` attribute.
    "ref": {"style": "bold", "color": "#c0392b", "arrowhead": "diamond"},
    "pruned": {"color": "#cccccc", "fontcolor": "#bbbbbb"},
    # Into a collapsed gradient or optimizer box: the forward values it reads, drawn faintly.
    "into_box": {"color": "#c8c8c8", "arrowsize": "0.4"},
    # Control flow: an outer tensor fed to a sub-graph's placeholder, a sub-graph's result.
    "capture": {"style": "dotted", "color": "#16a085", "arrowhead": "empty"},
    "result": {"style": "dotted", "color": "#16a085", "arrowhead": "normal"},
}

CLUSTER_ATTRS = {"style": "rounded", "color": "#bbbbbb", "fontname": "Helvetica", "fontsize": "9",
                 "fontcolor": "#555555"}
# A control-flow node's sub-graph (If branch, While cond or body), drawn beside the node.
SUB_GRAPH_ATTRS = {"style": "dashed,rounded", "color": "#16a085", "fontname": "Helvetica",
                   "fontsize": "9", "fontcolor": "#16a085"}
FUSED_CLUSTER_ATTRS = {"style": "filled,bold", "color": "#8e44ad", "fillcolor": "#f3e5f5",
                       "fontname": "Helvetica", "fontsize": "9", "fontcolor": "#8e44ad"}


def node_kind(op_type: str, name: str) -> str:
    """The style key for a node of type `op_type` named `name` (see the module's table)."""
    if op_type in PLACEHOLDER_TYPES:
        return "placeholder"
    if op_type in VARIABLE_TYPES:
        return "variable"
    if op_type in UPDATE_TYPES:
        return "update"
    if op_type in CONSTANT_TYPES:
        return "constant"
    if is_gradient_name(name):
        return "gradient"
    return "op"


GRADIENT_SCOPE = re.compile(r"gradients(_\d+)?$")


def is_gradient_name(name: str) -> bool:
    """A name inside `gradients/`, `gradients_1/`, ... wherever that scope sits (`train/gradients/
    ...`): the scopes `graphflow.gradients` builds under."""
    return any(GRADIENT_SCOPE.match(part) for part in name.split("/")[:-1])
