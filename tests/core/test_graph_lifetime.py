"""A graph is freed once nothing of the user's refers to it: the per-graph state of variable
scopes and layer names lives on the graph (Graph.attached), not in module-level maps whose values
would keep every graph of a test run alive through the variables they hold."""

import gc
import weakref

import numpy as np

import graphflow as tf


def _train_once() -> weakref.ref:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        with tf.variable_scope("model"):
            w = tf.get_variable("w", [3, 4])
            hidden = tf.layers.dense(tf.matmul(x, w), 2, activation=tf.nn.relu)
        loss = tf.reduce_mean(tf.square(hidden))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: np.ones((2, 3), np.float32)})
    return weakref.ref(graph)


def test_a_graph_with_scoped_variables_and_layers_is_freed():
    ref = _train_once()
    gc.collect()
    assert ref() is None, [type(r).__name__ for r in gc.get_referrers(ref())]


def test_attached_state_belongs_to_its_graph():
    first, second = tf.Graph(), tf.Graph()
    first.attached("test", dict)["n"] = 1
    assert second.attached("test", dict) == {}
    assert first.attached("test", list) == {"n": 1}  # made once; the factory is not called again
