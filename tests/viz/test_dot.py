"""DOT text for graphs: exact snapshots, determinism, scopes, styles and the plan view."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import compile_plan
from graphflow.viz import to_dot
from graphflow.viz.dot import quote

SMALL = (Path(__file__).parent / "snapshots" / "small_graph.dot").read_text()


def small_graph():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(np.zeros((784, 10), np.float32), name="w")
        y = tf.nn.relu(tf.matmul(x, w))
    with tf.control_dependencies([y]):
        out = tf.identity(y, name="out")
    return x, w, y, out


def trained_graph():
    x, w, y, out = small_graph()
    loss = tf.reduce_mean(tf.square(out))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return x, loss, train


def node_line(text: str, name: str) -> str:
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith(quote(name) + " [")]
    return line


def test_small_graph_snapshot():
    small_graph()
    assert to_dot(collapse_scopes=False) == SMALL


def test_same_text_every_time_and_for_a_rebuilt_graph():
    small_graph()
    first = to_dot(tf.get_default_graph())
    assert to_dot() == first
    g = tf.Graph()
    with g.as_default():
        small_graph()
    assert to_dot(g) == first


def test_edges_carry_dtype_and_static_shape():
    small_graph()
    text = to_dot()
    assert '"x" -> "layer/MatMul" [label="float32[?,784]"];' in text
    assert "label=" not in to_dot(show_shapes=False).split('"x" -> "layer/MatMul"')[1]


def test_second_output_is_numbered():
    from graphflow.viz.dot import tensor_label

    t = SimpleNamespace(value_index=1, dtype=tf.int32, shape=tf.TensorShape([None]))
    assert tensor_label(t) == ":1 int32[?]"


def test_name_scopes_are_nested_clusters():
    small_graph()
    text = to_dot(collapse_scopes=False)
    assert 'subgraph "cluster_layer" {' in text
    assert text.index('subgraph "cluster_layer/w" {') > text.index('subgraph "cluster_layer" {')


def test_control_edges_are_dashed():
    small_graph()
    assert '"layer/Relu" -> "out" [style="dashed"' in to_dot()


def test_kinds_look_different():
    x, loss, train = trained_graph()
    text = to_dot(collapse_scopes=False)
    assert 'shape="ellipse"' in node_line(text, "x")
    assert 'shape="cylinder"' in node_line(text, "layer/w")
    assert 'shape="plaintext"' in node_line(text, "layer/w/initial_value")
    update = node_line(text, "GradientDescent/AssignSub")
    assert 'fillcolor="#f8bbbb"' in update and 'penwidth="2"' in update
    grad = [ln for ln in text.splitlines() if ln.strip().startswith('"gradients/')
            and "MatMul" in ln.split("[")[0] and "->" not in ln]
    assert grad and all('fillcolor="#ffe0b2"' in ln for ln in grad)
    assert 'fillcolor="#dcebfa"' in node_line(text, "layer/MatMul")
    # The update writes the variable: a bold ref edge from it.
    assert '"layer/w" -> "GradientDescent/AssignSub" [style="bold"' in text


def test_fetches_draw_only_ancestors():
    x, w, y, out = small_graph()
    text = to_dot(fetches=[y])
    assert '"layer/Relu"' in text and '"out"' not in text and "Assign" not in text
    assert to_dot(y) == text  # a fetch in the graph's place
    assert to_dot("layer/Relu:0") == text
    assert to_dot({"a": [y]}) == text


def test_collapse_named_scopes():
    x, loss, train = trained_graph()
    text = to_dot(collapse_scopes=["gradients", "GradientDescent"])
    assert '"gradients/" [label="gradients\\n(' in text
    assert 'shape="box3d", fillcolor="#ffe0b2"' in node_line(text, "gradients/")
    assert '"GradientDescent/" [label="GradientDescent\\n(' in text
    assert not any(ln.strip().startswith('"gradients/M') for ln in text.splitlines())
    assert '"gradients/" -> "GradientDescent/"' in text
    assert '"layer/w" -> "GradientDescent/" [style="bold"' in text
    # Scopes not named stay expanded.
    assert 'subgraph "cluster_layer" {' in text


def test_collapse_all_top_level_scopes_merges_parallel_edges():
    x, w, y, out = small_graph()
    tf.add(y, y, name="twice")
    text = to_dot(collapse_scopes=True)
    assert '"layer/" [label="layer\\n(5 nodes)"' in text
    assert '"x" -> "layer/" [label="float32[?,784]"];' in text
    assert '"layer/" -> "twice" [label="float32[?,10] (x2)"];' in text
    assert "cluster_layer" not in text


def test_collapsed_variable_scope_keeps_the_variable_look():
    small_graph()
    text = to_dot(collapse_scopes=["layer/w"])
    assert 'shape="cylinder"' in node_line(text, "layer/w/")


def test_names_are_quoted_and_escaped():
    tf.placeholder(tf.float32, [], name='odd"name')
    text = to_dot()
    assert '"odd\\"name" [label="odd\\"name\\nPlaceholder"' in text


def test_plan_view_slots_steps_and_pruning():
    x, loss, train = trained_graph()
    plan = compile_plan([loss], [], [x])
    text = to_dot(plan=plan, show_pruned=True)
    feed_edge = [ln for ln in text.splitlines() if ln.strip().startswith('"x" -> "layer/MatMul"')]
    assert feed_edge and 'label="%0' in feed_edge[0] and "float32[?,784]" in feed_edge[0]
    assert "#" in node_line(text, "layer/MatMul").split("label=")[1].split('"')[1]
    assert "fed" in node_line(text, "x")
    assert "fetch %" in text
    pruned = node_line(text, "GradientDescent/AssignSub")
    assert 'fillcolor="#f2f2f2"' in pruned and 'style="filled,dashed"' in pruned
    assert 'fillcolor="#f2f2f2"' not in node_line(text, "layer/MatMul")
    assert to_dot(plan=plan, show_pruned=True) == text


def test_plan_view_draws_only_what_the_run_executes():
    x, loss, train = trained_graph()
    plan = compile_plan([loss], [], [x])
    text = to_dot(plan=plan)
    drawn = {ln.split(" [")[0].strip().strip('"') for ln in text.splitlines()
             if ln.strip().startswith('"') and "->" not in ln}
    ran = {s.source.name for s in plan.steps if s.source is not None}
    ran |= {m if isinstance(m, str) else m.name for s in plan.steps for m in s.members}
    assert ran and ran <= drawn
    assert drawn - ran <= {"x"} | {op.name for op in x.graph.get_operations()
                                     if op.type == "Const"}  # and the constants they read
    assert "gradients" not in text and "GradientDescent" not in text and "#f2f2f2" not in text


def fake_plan(steps, x, y, slots):
    """A plan shaped like the compiler's (duck typed), independent of its constructor."""
    return SimpleNamespace(steps=steps, feeds=[x], feed_slots=[0], fetches=[y], fetch_slots=[2],
                           targets=[], num_slots=3, slot_values=slots)


def old_step(node, inputs, outputs):
    """A step of the duck-typed form the plan view also reads: a node and its slots."""
    return SimpleNamespace(node=node, inputs=inputs, outputs=outputs)


def test_plan_view_boxes_fused_groups():
    x, w, y, out = small_graph()
    matmul, relu = x.graph.get_operation_by_name("layer/MatMul"), y.op
    value = lambda t, buffer=None: SimpleNamespace(tensor=t, buffer=buffer)  # noqa: E731
    fused = SimpleNamespace(name="fused/layer/Relu", type="FusedElementwise", source=None,
                            members=(matmul, relu), outputs=[value(y)])
    read = SimpleNamespace(name="layer/w", type="VariableV2", source=w.op, members=(),
                           outputs=[value(w)])
    plan = fake_plan([old_step(read, (), (1,)), old_step(fused, (0, 1), (2,))], x, y,
                     {0: value(x), 1: value(w), 2: value(y, buffer=0)})
    text = to_dot(fetches=[y], plan=plan)
    label = "FusedElementwise fused/layer/Relu (step 1)"
    cluster = text.split(f'subgraph "cluster_fused:{label}" {{')[1].split("}")[0]
    assert quote(matmul.name) in cluster and quote(relu.name) in cluster
    assert 'color="#8e44ad"' in cluster
    assert 'fillcolor="#f2f2f2"' not in node_line(text, "layer/Relu")
    assert "#1 fetch %2@b0" in node_line(text, "layer/Relu")
    assert '"layer/w" -> "layer/MatMul" [label="%1 float32[784,10]"];' in text
    assert '"layer/MatMul" -> "layer/Relu" [label="float32[?,10]"];' in text  # never a slot


def test_plan_view_members_named_in_attrs_and_old_style_steps():
    x, w, y, out = small_graph()
    fused = SimpleNamespace(name="f", type="FusedElementwise", outputs=(),
                            attrs={"members": ["layer/MatMul", "layer/Relu"]})
    plan = fake_plan([old_step(w.op, (), (1,)), old_step(fused, (0, 1), (2,))], x, y,
                     {0: x, 1: w, 2: y})
    text = to_dot(fetches=[y], plan=plan)
    assert 'subgraph "cluster_fused:FusedElementwise f (step 1)" {' in text
    assert "#0" in node_line(text, "layer/w")


@pytest.mark.parametrize("collapse", [["gradients"], True])
def test_big_example_graph_is_deterministic(collapse):
    from graphflow.compiler import prune  # noqa: F401 - to_dot(fetches=...) relies on it

    x, loss, train = trained_graph()
    assert to_dot(train, collapse_scopes=collapse) == to_dot(train, collapse_scopes=collapse)
