"""SEEDS #13, IRIS in Keras: Dense(8, relu) -> Dense(3, softmax), adam, 100 epochs, batch 16,
validation_split .2 on the 120 training rows (96 train / 24 validate); the material reaches a
test accuracy of .93, the acceptance bar is .9.

The recipe's result depends on the initial weights (over 12 seeds some runs leave a ReLU unit
dead and stop at .67), in tf-keras as here. So the initial weights are Keras's default
(Glorot-uniform kernels, zero biases) drawn by NumPy from a fixed seed, and the shuffles use
np.random as Keras does: tf-keras 2.21 (graph mode, legacy Adam) given the same weights and seed
printed the numbers below, and graphflow's run follows it (over seeds 0-11 the two agree on the
test accuracy for 10 seeds and end within 2.5% in loss).
"""

import numpy as np
import pytest

from graphflow import keras
from graphflow.keras import layers as L
from graphflow.keras.callbacks import LambdaCallback

datasets = pytest.importorskip("sklearn.datasets")
model_selection = pytest.importorskip("sklearn.model_selection")

# tf_keras, seed 0: test accuracy, loss of epochs 1, 10 and 100, val_loss of epoch 1.
TF_ACCURACY = 0.9666666388511658
TF_LOSS = {0: 3.3719024658203125, 9: 1.762728989124298, 99: 0.3641166587670644}
TF_VAL_LOSS_1 = 2.442523241043091


def _glorot(rs, n_in, n_out):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rs.uniform(-limit, limit, (n_in, n_out)).astype(np.float32)


def test_iris_keras_reaches_the_material_accuracy():
    iris = datasets.load_iris()  # shipped inside scikit-learn: no download
    x = iris.data.astype(np.float32)
    y = keras.utils.to_categorical(iris.target, 3)
    x_train, x_test, y_train, y_test = model_selection.train_test_split(
        x, y, test_size=0.2, random_state=42, stratify=iris.target)
    model = keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)),
                              L.Dense(3, activation="softmax")])
    rs = np.random.RandomState(0)
    model.set_weights([_glorot(rs, 4, 8), np.zeros(8, "f"), _glorot(rs, 8, 3), np.zeros(3, "f")])
    np.random.seed(0)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    samples = []
    record = LambdaCallback(on_train_begin=lambda logs: samples.append(record.params["samples"]))
    history = model.fit(x_train, y_train, epochs=100, batch_size=16, validation_split=0.2,
                        verbose=0, callbacks=[record])
    assert len(x_train) == 120 and samples == [96]  # 96 train, 24 validate
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    losses = history.history["loss"]
    assert len(losses) == 100
    assert losses[0] == pytest.approx(TF_LOSS[0], rel=1e-5)
    assert history.history["val_loss"][0] == pytest.approx(TF_VAL_LOSS_1, rel=1e-5)
    assert losses[9] == pytest.approx(TF_LOSS[9], rel=1e-2)  # float32 rounding grows
    assert losses[99] == pytest.approx(TF_LOSS[99], rel=0.05)  # 600 Adam steps of drift
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert model.metrics_names == ["loss", "accuracy"]
    assert accuracy >= 0.9 and accuracy == pytest.approx(TF_ACCURACY, abs=0.034)
    predicted = model.predict(x_test).argmax(axis=1)
    assert accuracy == pytest.approx((predicted == y_test.argmax(axis=1)).mean())
