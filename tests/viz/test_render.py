"""Pictures drawn by the real graphviz `dot` (installed by scripts/setup.sh)."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import graphflow as tf
from graphflow.viz import GraphvizNotFoundError, dot_available, render, to_dot, to_svg
from graphflow.viz.render import run_dot

needs_dot = pytest.mark.skipif(
    not dot_available(), reason="graphviz's `dot` is not installed (apt-get install graphviz)")


def model():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable(np.zeros((784, 10), np.float32), name="w")
        logits = tf.matmul(x, w)
    loss = tf.reduce_mean(tf.square(logits))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss)


@needs_dot
def test_svg_is_xml_with_an_svg_root(tmp_path):
    model()
    path = render(tf.get_default_graph(), tmp_path / "model.svg")
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")
    assert "layer/MatMul" in path.read_text()  # node tooltips/titles name the ops


@needs_dot
def test_png_starts_with_the_png_signature(tmp_path):
    train = model()
    path = render(train, tmp_path / "model.png", collapse_scopes=["gradients"])
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_dot
def test_pdf_and_dot_text(tmp_path):
    model()
    assert render(None, tmp_path / "m.pdf").read_bytes()[:5] == b"%PDF-"
    assert render(None, tmp_path / "m.dot").read_text() == to_dot()


@needs_dot
def test_dot_text_renders_too_and_plan_view_draws():
    from graphflow.compiler import compile_plan

    train = model()
    x = tf.get_default_graph().get_tensor_by_name("x:0")
    loss = tf.get_default_graph().get_tensor_by_name("Mean:0")
    assert "<svg" in to_svg(to_dot(train))
    assert "<svg" in to_svg(plan=compile_plan([loss], [], [x]))


@needs_dot
def test_graph_displays_itself_in_jupyter():
    model()
    svg = tf.get_default_graph()._repr_svg_()
    assert svg is not None and "<svg" in svg
    assert tf.Graph()._repr_svg_() is None  # nothing to draw


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match="picture format"):
        render("digraph g {}", tmp_path / "model.bmpx")


def test_missing_dot_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHFLOW_DOT", "graphflow-no-such-dot-binary")
    model()
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz"):
        render(None, tmp_path / "model.svg")
    assert tf.get_default_graph()._repr_svg_() is None  # the notebook falls back to text
    assert render(None, tmp_path / "model.dot").exists()  # DOT text needs no binary


@needs_dot
def test_dot_failure_is_reported(tmp_path):
    with pytest.raises(RuntimeError, match="failed"):
        run_dot("digraph { this is not dot", "svg")
