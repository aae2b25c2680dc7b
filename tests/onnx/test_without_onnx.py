"""graphflow works without the optional onnx package; export then says how to install it."""

import subprocess
import sys

import pytest

import graphflow as tf
import graphflow.onnx as gfonnx


def test_export_without_onnx_raises_an_import_error_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # what `import onnx` meets when absent
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with pytest.raises(ImportError, match=r"pip install graphflow\[onnx\]"):
        gfonnx.export(tf.get_default_graph(), [x], [x + 1.0], None)
    with pytest.raises(ImportError, match=r"pip install graphflow\[onnx\]"):
        gfonnx.supported_op_types()


def test_graphflow_and_graphflow_onnx_import_without_onnx():
    code = ("import sys; sys.modules['onnx'] = None; sys.modules['onnxruntime'] = None\n"
            "import graphflow, graphflow.onnx\n"
            "from graphflow.onnx import ExportError, UnsupportedOpError, export\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
