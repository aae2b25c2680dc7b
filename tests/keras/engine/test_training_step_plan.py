"""A Keras training step compiles to what the TF1 form of the same model does: parameter
updates are in-place `assign_sub`s fused with their arithmetic (FusedUpdate on cpu), because the
optimizers read their slots as assigned (TF1's form) and hand `var - step` to assign_sub."""

from collections import Counter

import numpy as np
import pytest

import graphflow as tf
from graphflow import keras
from graphflow.keras import backend


def _step_plan_types(optimizer) -> Counter:
    model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer, "categorical_crossentropy")
    x = np.ones((5, 3), np.float32)
    y = np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 0]]
    model.train_on_batch(x, y)
    fn = model._function("train")
    values = [x, y, np.ones(5, np.float32), True]
    plan = backend.get_session().compiled_plan(fn.fetches, dict(zip(fn.feeds, values)))
    return Counter(step.op.type for step in plan.steps)


@pytest.mark.parametrize("optimizer", [
    keras.optimizers.Adam(), keras.optimizers.RMSprop(), keras.optimizers.SGD(0.1, momentum=0.9),
    keras.optimizers.SGD(0.1)], ids=["adam", "rmsprop", "momentum", "sgd"])
def test_each_parameter_update_is_one_in_place_step(optimizer):
    types = _step_plan_types(optimizer)
    in_place = (types["FusedUpdate"] + types["MatMulUpdate"] + types["AssignSub"]
                + types["AssignAdd"] - 1)  # - iterations
    assert in_place == 4, types  # two kernels and two biases


def test_a_variable_made_after_the_session_is_initialised_on_the_next_use():
    first = tf.Variable(1.0)
    sess = backend.get_session()
    assert sess.run(first) == 1.0
    second = tf.Variable(2.0)
    assert backend.get_session().run(second) == 2.0
