"""The three reference models exported to ONNX: checked by onnx.checker, run in onnxruntime, and
compared with Session.run, including batch sizes the session never ran (a symbolic batch dim)."""

import numpy as np
import pytest

pytest.importorskip("onnx", reason="ONNX export needs onnx: pip install graphflow[onnx]")
pytest.importorskip("onnxruntime", reason="the exported models run in onnxruntime: "
                    "pip install graphflow[onnx]")

import graphflow as tf  # noqa: E402

OPSETS = [13, 17, 18]


def _names(model, field):
    return [v.name for v in getattr(model.graph, field)]


# --- the digits MLP (examples/digits_mlp.py, smaller) -------------------------------------------
def build_mlp(hidden=32):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 64], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with tf.name_scope("hidden"):
        w1 = tf.Variable((rng.randn(64, hidden) * np.sqrt(2 / 64)).astype(np.float32),
                         name="weights")
        b1 = tf.Variable(tf.zeros([hidden]), name="biases")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
    with tf.name_scope("output"):
        w2 = tf.Variable((rng.randn(hidden, 10) * np.sqrt(1 / hidden)).astype(np.float32),
                         name="weights")
        b2 = tf.Variable(tf.zeros([10]), name="biases")
        logits = tf.matmul(h, w2) + b2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.one_hot(labels, 10), logits=logits))
    step = tf.train.AdamOptimizer(0.01).minimize(loss)
    outputs = [logits, tf.nn.softmax(logits, name="probabilities"),
               tf.argmax(logits, 1, name="predictions")]
    return x, labels, step, outputs


def trained_mlp_session():
    from graphflow.datasets import load_digits

    X, y = load_digits()
    x, labels, step, outputs = build_mlp()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for i in range(15):
        sl = slice(32 * i, 32 * (i + 1))
        sess.run(step, {x: X[sl], labels: y[sl]})
    return sess, x, outputs, X


@pytest.mark.parametrize("opset", OPSETS)
def test_digits_mlp_trained_a_few_steps_matches_session_run(agrees, opset):
    pytest.importorskip("sklearn", reason="the digits data ships with scikit-learn")
    sess, x, outputs, X = trained_mlp_session()
    rng = np.random.RandomState(1)
    feeds = [(X[500:507],), (rng.rand(1, 64).astype(np.float32),),
             (rng.rand(45, 64).astype(np.float32),)]  # training only ever ran batches of 32
    model = agrees(sess, [x], outputs, feeds, opset=opset)
    # only what the outputs need: four frozen variables, no loss, gradients or Adam slots
    assert sorted(_names(model, "initializer")) == [
        "hidden/biases", "hidden/weights", "output/biases", "output/weights"]
    assert not any("gradients" in n.name or "Adam" in n.name or "labels" in n.input
                   for n in model.graph.node)
    assert _names(model, "input") == ["images"]
    assert _names(model, "output") == ["output/add", "probabilities", "predictions"]
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert (dims[0].dim_param, dims[1].dim_value) == ("images_dim0", 64)
    sess.close()


def test_digits_mlp_is_written_to_a_file_that_loads_back(agrees, tmp_path):
    pytest.importorskip("sklearn", reason="the digits data ships with scikit-learn")
    sess, x, outputs, X = trained_mlp_session()
    agrees(sess, [x], outputs, [(X[:9],)], path=tmp_path / "digits.onnx")
    assert (tmp_path / "digits.onnx").stat().st_size > 64 * 32 * 4  # the weights are in it


# --- LeNet-5 with tf.nn ops (graphflow/bench/lenet.py, batch left open) -------------------------
def build_lenet():
    from graphflow.bench.lenet import init_params

    params = init_params(np.random.default_rng(0))
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
    y = tf.placeholder(tf.float32, [None, 10], name="onehot")
    v = [tf.Variable(p) for p in params]
    a = x
    for w, b in ((v[0], v[1]), (v[2], v[3])):
        a = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(a, w, [1, 1, 1, 1], "VALID"), b))
        a = tf.nn.max_pool(a, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    a = tf.reshape(a, [-1, 256])
    a = tf.nn.relu(tf.matmul(a, v[4]) + v[5])
    a = tf.nn.relu(tf.matmul(a, v[6]) + v[7])
    logits = tf.matmul(a, v[8]) + v[9]
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    return x, y, step, [logits, tf.nn.softmax(logits)]


@pytest.mark.parametrize("opset", OPSETS)
def test_lenet_trained_a_few_steps_matches_session_run(agrees, opset):
    x, y, step, outputs = build_lenet()
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(step, {x: rng.rand(8, 28, 28, 1).astype(np.float32),
                            y: np.eye(10, dtype=np.float32)[rng.randint(0, 10, 8)]})
        feeds = [(rng.rand(n, 28, 28, 1).astype(np.float32),) for n in (5, 1)]
        model = agrees(sess, [x], outputs, feeds, opset=opset)
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Conv") == 2 and ops.count("MaxPool") == 2
    # kernels are stored as OIHW: (6, 1, 5, 5) and (16, 6, 5, 5)
    shapes = sorted(tuple(i.dims) for i in model.graph.initializer if len(i.dims) == 4)
    assert shapes == [(6, 1, 5, 5), (16, 6, 5, 5)]


# --- a tf.layers CNN: conv2d, batch norm (inference), pooling, flatten, dense, dropout -----------
def build_layers_cnn():
    x = tf.placeholder(tf.float32, (None, 13, 12, 3), name="images")
    h = tf.layers.conv2d(x, 8, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.batch_normalization(h, training=False)
    h = tf.layers.max_pooling2d(h, 2, 2, padding="same")                  # 7x6
    h = tf.layers.conv2d(h, 6, 3, strides=2, padding="same")               # 4x3, odd pad right
    h = tf.layers.average_pooling2d(h, 2, 1, padding="same")  # padding not counted
    h = tf.layers.flatten(h)
    h = tf.layers.dense(h, 16, activation=tf.nn.tanh)
    h = tf.layers.dropout(h, 0.5, training=False)
    logits = tf.layers.dense(h, 4)
    return x, [logits, tf.nn.log_softmax(logits), tf.nn.sigmoid(logits)]


@pytest.mark.parametrize("opset", OPSETS)
def test_tf_layers_cnn_with_batch_norm_in_inference_matches_session_run(agrees, opset):
    x, outputs = build_layers_cnn()
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        # statistics as a checkpoint would hold them, not the trivial initial 0/1
        for v in tf.global_variables():
            if "batch_normalization" in v.op.name:
                low = 0.5 if "variance" in v.op.name or "gamma" in v.op.name else -1.0
                value = rng.uniform(low, low + 1.5, v.shape.as_list()).astype(np.float32)
                sess.run(v.assign(value))
        feeds = [(rng.randn(n, 13, 12, 3).astype(np.float32),) for n in (3, 1, 10)]
        model = agrees(sess, [x], outputs, feeds, opset=opset)
    ops = [n.op_type for n in model.graph.node]
    assert {"Conv", "MaxPool", "AveragePool", "Sqrt", "Tanh"} <= set(ops)
    conv = next(n for n in model.graph.node if n.op_type == "Conv" and
                any(a.name == "strides" and list(a.ints) == [2, 2] for a in n.attribute))
    pads = next(list(a.ints) for a in conv.attribute if a.name == "pads")
    assert pads == [1, 0, 1, 1]  # TF's SAME on 7x6, 3x3 kernel, stride 2: the odd cell after
