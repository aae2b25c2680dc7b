"""The TF1 surface: `graphflow.compat.v1`, the v2 switches, public names and their signatures."""

import inspect
import types

import numpy as np
import pytest

import graphflow
import graphflow as gf
import graphflow.compat.v1 as tf


def test_compat_v1_is_graphflow_surface():
    assert tf.placeholder is gf.placeholder and tf.nn.softmax is gf.nn.softmax
    assert gf.compat.v1 is tf and tf.compat.v1 is tf and tf.compat.v1.compat.v1 is tf
    from graphflow.compat.v1 import reduce_sum
    assert reduce_sum is gf.reduce_sum
    assert "placeholder" in dir(tf)


def test_v2_switches_are_no_ops_and_eager_is_refused():
    tf.disable_v2_behavior()
    tf.disable_eager_execution()
    tf.compat.v1.disable_v2_behavior()
    assert tf.executing_eagerly() is False
    with pytest.raises(RuntimeError, match="graph-only"):
        tf.enable_eager_execution()


def test_logging_names():
    tf.logging.set_verbosity(tf.logging.INFO)
    assert tf.logging.get_verbosity() == tf.logging.INFO
    tf.logging.info("step %d", 1)
    assert tf.logging.WARN < tf.logging.ERROR


def _public_functions():
    for module in (graphflow, graphflow.nn):
        for name in dir(module):
            value = getattr(module, name)
            if not name.startswith("_") and isinstance(value, types.FunctionType):
                yield module, name, value


@pytest.mark.parametrize("module,name,fn", list(_public_functions()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_public_function_names_its_export(module, name, fn):
    """A typo'd keyword must name the public function, so every export carries its name (or,
    for an alias such as floor_div, the name of another export that is the same function)."""
    assert "<locals>" not in fn.__qualname__, f"{name} is {fn.__qualname__}"
    assert fn.__name__ == name or getattr(module, fn.__name__, None) is fn, \
        f"{module.__name__}.{name} is called {fn.__name__}"


def test_typo_keyword_names_the_function():
    x = tf.constant(np.ones((2, 3), np.float32))
    msg = r"^reduce_sum\(\) got an unexpected keyword argument 'axsi'"
    with pytest.raises(TypeError, match=msg):
        tf.reduce_sum(x, axsi=1)
    with pytest.raises(TypeError, match=r"^sin\(\) got an unexpected keyword"):
        tf.sin(x, nmae="s")


def test_tf1_signatures_of_reductions_and_argmax():
    assert list(inspect.signature(tf.reduce_sum).parameters) == [
        "input_tensor", "axis", "keepdims", "name", "reduction_indices", "keep_dims"]
    assert list(inspect.signature(tf.argmax).parameters) == [
        "input", "axis", "name", "dimension", "output_type"]
    assert list(inspect.signature(tf.arg_max).parameters) == [
        "input", "dimension", "output_type", "name"]
    assert list(inspect.signature(tf.nn.softmax).parameters) == ["logits", "axis", "name", "dim"]
    assert list(inspect.signature(tf.nn.l2_normalize).parameters) == [
        "x", "axis", "epsilon", "name", "dim"]


def test_deprecated_aliases_compute_as_tf1():
    x_val = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], np.float32)
    x = tf.constant(x_val)
    outs = [tf.reduce_sum(x, reduction_indices=[1], keep_dims=True), tf.arg_max(x, 1),
            tf.arg_min(x, 0), tf.nn.softmax(x, dim=0), tf.nn.l2_normalize(x, dim=1)]
    with tf.Session() as sess:
        s, amax, amin, sm, l2 = sess.run(outs)
    np.testing.assert_allclose(s, [[8.0], [10.0]])
    assert amax.tolist() == [1, 0] and amax.dtype == np.int64 and amin.tolist() == [0, 1, 0]
    e = np.exp(x_val - x_val.max(0))
    np.testing.assert_allclose(sm, e / e.sum(0), rtol=1e-6)
    np.testing.assert_allclose(l2, x_val / np.linalg.norm(x_val, axis=1, keepdims=True),
                               rtol=1e-6)


def test_unknown_names_say_what_is_missing():
    with pytest.raises(AttributeError,
                       match=r"graphflow has no tf.TensorArray \(TensorArr.*docs/compat.md"):
        tf.TensorArray  # noqa: B018
    with pytest.raises(AttributeError, match=r"graphflow has no tf.nn.ctc_loss \("):
        tf.nn.ctc_loss  # noqa: B018
    with pytest.raises(AttributeError, match=r"did you mean tf.reduce_sum\?"):
        tf.reduce_smu  # noqa: B018
    with pytest.raises(AttributeError) as err:
        tf.sgn  # noqa: B018
    assert "did you mean" not in str(err.value)  # not close enough to suggest "sign"


def test_no_error_message_recommends_cond():
    x = tf.placeholder(tf.float32, [])
    with pytest.raises(TypeError) as err:
        bool(x)
    assert "cond" not in str(err.value) and "graphflow.where" in str(err.value)
    assert hasattr(gf, "where")


def test_config_messages_are_accepted():
    config = tf.ConfigProto(allow_soft_placement=True, gpu_options=tf.GPUOptions(
        allow_growth=True), intra_op_parallelism_threads=2)
    assert config.gpu_options.allow_growth and config.allow_soft_placement
    with pytest.raises(ValueError, match='no "alow_growth" field'):
        tf.GPUOptions(alow_growth=True)
    g = tf.Graph()
    with g.as_default(), tf.Session(config=config) as sess:
        assert tf.get_default_session() is sess
        assert sess.run(tf.constant(2.0) * 3.0) == 6.0


def test_device_is_recorded_on_ops():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
        with tf.device("/cpu:0"):
            b = a + 1.0
            with tf.device("/gpu:0"):
                c = b * 2.0
            d = c - 1.0
        with tf.device("/cpu:0"), tf.device(None):
            e = d + 1.0
    assert a.op.device == "" and b.op.device == "/cpu:0" and c.op.device == "/gpu:0"
    assert d.op.device == "/cpu:0" and e.op.device == ""
    with tf.Session(graph=g) as sess:
        assert sess.run(e) == 4.0
    with pytest.raises(TypeError, match="device string"):
        tf.device(lambda op: "/cpu:0")
