"""Helpers for the ONNX export tests: export, check, run in onnxruntime, compare with Session.run.

onnx and onnxruntime are imported inside the fixtures, so this file loads without them; each
test module skips itself (with the reason) when they are missing.
"""

import numpy as np
import pytest

RTOL, ATOL = 1e-4, 1e-5


@pytest.fixture
def exported():
    """`exported(source, inputs, outputs, opset, path)`: export, pass `onnx.checker` with
    full_check, load into onnxruntime; returns (model, run) where run(*arrays) -> outputs."""
    import onnx
    import onnxruntime as ort

    import graphflow.onnx as gfonnx

    def export(source, inputs, outputs, opset=17, path=None):
        result = gfonnx.export(source, inputs, outputs, path, opset=opset)
        if path is None:
            model = result
        else:
            assert result == str(path)
            model = onnx.load(result)
        onnx.checker.check_model(model, full_check=True)
        assert [o.version for o in model.opset_import] == [opset]
        session = ort.InferenceSession(model.SerializeToString(),
                                       providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]

        def run(*arrays):
            return session.run(None, dict(zip(names, arrays, strict=True)))

        return model, run

    return export


@pytest.fixture
def agrees(exported):
    """Export once, then assert that onnxruntime and `sess.run` agree on each tuple of inputs
    (same shapes, dtypes, and values within float32 tolerance); returns the model."""

    def compare(sess, inputs, outputs, feed_sets, opset=17, path=None):
        model, run = exported(sess, inputs, outputs, opset, path)
        for feeds in feed_sets:
            got = run(*feeds)
            want = sess.run(list(outputs), dict(zip(inputs, feeds, strict=True)))
            for t, g, w in zip(outputs, got, want, strict=True):
                w = np.asarray(w)
                assert g.shape == w.shape, t.name
                assert g.dtype == w.dtype, t.name
                np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=t.name)
        return model

    return compare
