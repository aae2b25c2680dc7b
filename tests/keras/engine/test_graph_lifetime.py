"""A Keras model's graph, session and weights are freed with the graph (the backend keeps its
bookkeeping on the graph, not in module-level maps)."""

import gc
import weakref

import numpy as np

import graphflow as tf
from graphflow import keras


def _fit_once() -> weakref.ref:
    tf.reset_default_graph()
    graph = tf.get_default_graph()
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,), activation="relu"),
                              keras.layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(np.ones((8, 3), np.float32), np.ones((8, 1), np.float32), epochs=1, verbose=0)
    return weakref.ref(graph)


def test_a_fitted_model_is_freed_with_its_graph():
    ref = _fit_once()
    tf.reset_default_graph()
    gc.collect()
    assert ref() is None
