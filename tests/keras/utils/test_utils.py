"""to_categorical and normalize (values from tf-keras 2.21), model drawings (DOT text as
tf-keras's model_to_dot writes it, drawn by graphviz's dot) and History plots."""

import sys

import numpy as np
import pytest

from graphflow.keras import layers
from graphflow.keras.callbacks import History
from graphflow.keras.engine.input_layer import Input
from graphflow.keras.engine.sequential import Sequential
from graphflow.keras.engine.training import Model
from graphflow.keras.utils import model_to_dot, normalize, plot_history, plot_model, to_categorical
from graphflow.viz.render import dot_available


def test_to_categorical():
    out = to_categorical([[1], [2], [0]])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    assert to_categorical([1, 2], 5).shape == (2, 5)
    assert to_categorical(np.zeros((2, 3), int), 4, dtype="int32").shape == (2, 3, 4)
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\).*from 0 to 3"):
        to_categorical([0, 3], 3)
    with pytest.raises(ValueError, match="must be integers.*1.5"):
        to_categorical([1.5, 0])


def test_normalize():
    np.testing.assert_allclose(normalize(np.array([[3.0, 4.0], [0, 0]])), [[0.6, 0.8], [0, 0]])
    np.testing.assert_allclose(normalize(np.array([[3.0, 4.0]]), axis=0, order=1), [[1, 1]])


def sequential():
    return Sequential([layers.Dense(3, activation="relu", input_shape=(4,)),
                       layers.Dense(1, activation="sigmoid")])


def test_model_to_dot_sequential_as_tf_keras():
    text = model_to_dot(sequential(), show_shapes=True).to_string()
    assert text == (
        "digraph G {\nrankdir=TB;\nconcentrate=true;\ndpi=96;\nnode [shape=record];\n"
        'layer_0 [label="{dense_input|InputLayer}|{input:|output:}|{{[(None, 4)]}|'
        '{[(None, 4)]}}"];\n'
        'layer_1 [label="{dense|Dense}|{input:|output:}|{{(None, 4)}|{(None, 3)}}"];\n'
        'layer_2 [label="{dense_1|Dense}|{input:|output:}|{{(None, 3)}|{(None, 1)}}"];\n'
        "layer_0 -> layer_1;\nlayer_1 -> layer_2;\n}\n")
    plain = model_to_dot(sequential(), rankdir="LR", dpi=50).to_string()
    assert 'label="dense_2|Dense"' in plain and "rankdir=LR;" in plain and "dpi=50;" in plain


def test_model_to_dot_functional_edges():
    inputs = Input((4,))
    a, b = layers.Dense(2)(inputs), layers.Dense(2)(inputs)
    model = Model(inputs, layers.Add()([a, b]))
    text = model_to_dot(model, show_shapes=True, show_layer_names=False).to_string()
    assert '[label="{Add}|{input:|output:}|{{[(None, 2), (None, 2)]}|{(None, 2)}}"];' in text
    edges = sorted(line for line in text.splitlines() if "->" in line)
    assert edges == ["layer_0 -> layer_1;", "layer_0 -> layer_2;", "layer_1 -> layer_3;",
                     "layer_2 -> layer_3;"]
    with pytest.raises(ValueError, match="rankdir must be"):
        model_to_dot(model, rankdir="UP")


def test_model_to_dot_needs_a_built_model():
    with pytest.raises(ValueError, match="is not built"):
        model_to_dot(Sequential([layers.Dense(2)]))


@pytest.mark.skipif(not dot_available(), reason="graphviz's `dot` program is not installed")
def test_plot_model_writes_pictures(tmp_path):
    model = sequential()
    result = plot_model(model, to_file=str(tmp_path / "m.png"), show_shapes=True)
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result is not None
    plot_model(model, to_file=str(tmp_path / "m.svg"))
    assert "<svg" in (tmp_path / "m.svg").read_text()
    assert model_to_dot(model).create(format="svg").lstrip().startswith(b"<?xml")
    plot_model(model, to_file=str(tmp_path / "m.dot"))
    assert (tmp_path / "m.dot").read_text().startswith("digraph G {")
    with pytest.raises(ValueError, match="cannot tell the picture format"):
        plot_model(model, to_file=str(tmp_path / "m.xyz"))


def history():
    h = History()
    h.on_train_begin()
    for epoch, (loss, acc) in enumerate([(0.9, 0.5), (0.6, 0.7), (0.4, 0.8)]):
        h.on_epoch_end(epoch, {"loss": loss, "accuracy": acc, "val_loss": loss + 0.1,
                               "val_accuracy": acc - 0.1})
    return h


def test_plot_history(tmp_path):
    pytest.importorskip("matplotlib", reason="plot_history needs matplotlib "
                                             "(pip install graphflow[plot])")
    figure = plot_history(history(), to_file=str(tmp_path / "h.png"))
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    assert [ax.get_title() for ax in figure.axes] == ["loss", "accuracy"]
    loss_axes = figure.axes[0]
    assert [line.get_label() for line in loss_axes.lines] == ["train", "validation"]
    np.testing.assert_allclose(loss_axes.lines[1].get_ydata(), [1.0, 0.7, 0.5])
    np.testing.assert_array_equal(loss_axes.lines[0].get_xdata(), [1, 2, 3])
    one = plot_history(history().history, metrics="accuracy", to_file=str(tmp_path / "a.svg"))
    assert [ax.get_title() for ax in one.axes] == ["accuracy"]
    with pytest.raises(KeyError, match="no values logged for \\['mae'\\]"):
        plot_history(history(), metrics=["mae"], to_file=str(tmp_path / "x.png"))


def test_plot_history_without_matplotlib_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"pip install graphflow\[plot\]"):
        plot_history(history())


def test_model_to_dot_expands_nested_models():
    inner = Sequential([layers.Dense(2, input_shape=(4,)), layers.Dense(3)], name="inner")
    inputs = Input((4,))
    model = Model(inputs, layers.Dense(1)(inner(inputs)))
    flat = model_to_dot(model).to_string()
    assert 'label="inner|Sequential"' in flat and "cluster" not in flat
    text = model_to_dot(model, expand_nested=True).to_string()
    lines = text.splitlines()
    start, end = lines.index("subgraph cluster_1 {"), lines.index("}")
    assert lines[start + 1] == 'label="inner";'
    assert lines[start + 2:end] == ['layer_2 [label="dense_input|InputLayer"];',
                                    'layer_3 [label="dense|Dense"];',
                                    'layer_4 [label="dense_1|Dense"];',
                                    "layer_2 -> layer_3;", "layer_3 -> layer_4;"]
    # the outer input enters the nested model's input; its last layer feeds the outer Dense
    assert lines[end + 2:-1] == ["layer_0 -> layer_2;", "layer_4 -> layer_5;"]
