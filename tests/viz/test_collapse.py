"""Which scopes a picture collapses: names match wherever the scope sits, "auto" folds training."""

import warnings

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphError
from graphflow.viz import to_dot
from graphflow.viz.collapse import matches, optimizer_scope_names


def statements(text: str) -> tuple[list[str], list[str]]:
    """The node statements and the edge statements of DOT text, by the name they start with."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith('"')]
    nodes = [ln.split(" [")[0].strip('"') for ln in lines if "->" not in ln.split(" [")[0]]
    return nodes, [ln for ln in lines if "->" in ln.split(" [")[0]]


def mlp_with_adam(scope: str | None = "train"):
    """The issue's example: a 3-layer MLP trained with Adam, training under a name scope."""
    x = tf.placeholder(tf.float32, [None, 64], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    h = tf.layers.dense(x, 32, activation=tf.nn.relu, name="dense1")
    h = tf.layers.dense(h, 16, activation=tf.nn.relu, name="dense2")
    logits = tf.layers.dense(h, 10, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    if scope is None:
        return loss, tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.name_scope(scope):
        return loss, tf.train.AdamOptimizer(0.01).minimize(loss)


@pytest.mark.parametrize("scope, pattern, expected", [
    ("gradients", "gradients", True),
    ("train/gradients", "gradients", True),
    ("gradients_1", "gradients", True),
    ("a/train/gradients_12", "train/gradients", True),
    ("train/Adam", "train/Adam", True),
    ("my_gradients", "gradients", False),
    ("gradients/dense1", "gradients", False),  # the pattern names the scope's last part
    ("other/Adam", "train/Adam", False),
])
def test_a_scope_name_matches_wherever_the_scope_sits(scope, pattern, expected):
    assert matches(scope, pattern) is expected


def test_optimizer_scope_names_come_from_the_optimizers():
    names = optimizer_scope_names()
    assert {"GradientDescent", "Momentum", "Adam", "RMSProp", "Adagrad"} <= names


def test_named_scopes_collapse_under_an_outer_name_scope():
    mlp_with_adam("train")
    text = to_dot(collapse_scopes=["gradients", "Adam"])
    nodes, _ = statements(text)
    assert "train/gradients/" in nodes and "train/Adam/" in nodes
    assert not any(n.startswith("train/gradients/") and n != "train/gradients/" for n in nodes)
    assert not any(n.startswith("train/Adam/") and n != "train/Adam/" for n in nodes)
    assert "dense1/MatMul" in nodes  # the model stays expanded


def test_a_second_gradients_call_is_matched_too():
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.reduce_sum(x * x)
    tf.gradients(y, [x])
    tf.gradients(y, [x])
    nodes, _ = statements(to_dot(collapse_scopes=["gradients"]))
    assert {"gradients/", "gradients_1/"} <= set(nodes)


def test_an_unmatched_scope_is_a_warning_at_the_callers_line():
    mlp_with_adam("train")
    with pytest.warns(UserWarning, match="no name scope matches 'nosuchscope'") as record:
        text = to_dot(collapse_scopes=["nosuchscope", "gradients"])
    assert record[0].filename == __file__
    assert "dense1" in str(record[0].message)  # it lists the scopes there are
    assert '"train/gradients/"' in text


def test_matched_scopes_do_not_warn():
    mlp_with_adam("train")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_dot(collapse_scopes=["gradients", "train/Adam"])


@pytest.mark.parametrize("scope", [None, "train"])
def test_auto_folds_gradients_optimizer_and_initializers_wherever_they_sit(scope):
    loss, _ = mlp_with_adam(scope)
    graph = tf.get_default_graph()
    assert len(graph.get_operations()) > 250
    text = to_dot()
    assert text == to_dot(collapse_scopes="auto")  # "auto" is the default
    nodes, edges = statements(text)
    prefix = f"{scope}/" if scope else ""
    assert {prefix + "gradients/", prefix + "Adam/"} <= set(nodes)
    # Each variable is one cylinder: its initializer and Adam's slots are folded into it.
    kernel = [ln for ln in text.splitlines() if ln.strip().startswith('"dense1/kernel/" [')]
    assert kernel and 'shape="cylinder"' in kernel[0] and 'label="kernel"' in kernel[0]
    assert not any("Initializer" in n or n.endswith("/Adam_1") for n in nodes)
    for op in ("dense1/MatMul", "dense1/BiasAdd", "dense1/Relu", "logits/MatMul", "loss"):
        assert op in nodes
    # Readable at a glance: a few dozen boxes and lines instead of hundreds.
    assert len(nodes) <= 30 and len(edges) <= 50, (len(nodes), len(edges))


def test_auto_draws_reads_into_training_faintly_and_updates_boldly():
    mlp_with_adam("train")
    _, edges = statements(to_dot())
    into = [e for e in edges if e.startswith('"dense1/Relu" -> "train/gradients/"')]
    assert into and "label=" not in into[0] and 'color="#c8c8c8"' in into[0]
    update = [e for e in edges if e.startswith('"dense1/kernel/" -> "train/Adam/"')]
    assert len(update) == 1 and 'style="bold"' in update[0]  # no second, plain read edge
    assert '"train/gradients/" -> "train/Adam/" [label="' in "\n".join(edges)


def test_a_constant_read_only_inside_a_box_joins_it():
    v = tf.Variable(np.float32(0.9), name="beta")  # its initial value: a top-level constant
    tf.identity(v, name="read")
    nodes, _ = statements(to_dot())
    assert "beta/" in nodes and not any(n.startswith("beta/initial") for n in nodes)
    assert not any(n.startswith("Const") for n in nodes)


def test_false_draws_every_node():
    mlp_with_adam("train")
    nodes, _ = statements(to_dot(collapse_scopes=False))
    assert len(nodes) == len(tf.get_default_graph().get_operations())


def test_a_scope_can_be_drawn_by_name():
    mlp_with_adam("train")
    nodes, _ = statements(to_dot("dense2", collapse_scopes=False))
    assert "dense2/Relu" in nodes and "dense1/MatMul" in nodes  # and what it depends on
    assert not any(n.startswith("logits/") or n.startswith("train/") for n in nodes)


def test_drawing_an_unknown_name_says_what_there_is():
    mlp_with_adam("train")
    with pytest.raises(GraphError, match="no tensor, operation or name scope.*dense1"):
        to_dot("nosuch")
    with pytest.raises(GraphError):
        to_dot("nosuch:0")


def test_a_loop_capturing_a_folded_variable_points_at_its_box():
    v = tf.Variable([1.0, 2.0], name="v")
    tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * v), [0, tf.zeros([2])])
    nodes, edges = statements(to_dot())
    assert "v/" in nodes and "v" not in nodes
    assert any(e.startswith('"v/" -> "while/capture"') for e in edges)
    sources = {e.split(" -> ")[0].strip('"') for e in edges}
    assert sources <= set(nodes)  # every edge starts at a drawn node, never a phantom one
