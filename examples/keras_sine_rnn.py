"""The course's SimpleRNN on a noisy sine, in Keras: predict x[t] from the 4 values before it.

x = sin(0.02 t) + 2 · rand(1000), t = 0..999; the first 800 values train, the last 200 test,
each padded with its last value repeated 4 times. A window of 4 consecutive values is one
sample of shape (1, 4) (one time step of 4 features, as the material has it) and the next value
its target. SimpleRNN(32, relu) -> Dense(8, relu) -> Dense(1) has 1,457 parameters; rmsprop on
the mean squared error, batch 16. The noise 2·rand is uniform on [0, 2) with variance 1/3, so
no model beats an MSE of about 1/3: the material reaches 0.34 on train and 0.46 on test after
100 epochs.
"""

import numpy as np

import graphflow as tf
from graphflow import keras
from graphflow.keras import layers

STEP = 4


def windows(values: np.ndarray, step: int = STEP):
    """(X [n, 1, step], y [n]) from a series padded with its last value `step` times."""
    padded = np.append(values, np.repeat(values[-1], step))
    X = np.array([padded[i:i + step] for i in range(len(padded) - step)])
    y = padded[step:]
    return X.reshape(-1, 1, step), y


def data(seed: int = 0, n: int = 1000, n_train: int = 800):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    x = np.sin(0.02 * t) + 2 * rng.rand(n)
    return windows(x[:n_train]), windows(x[n_train:])


def build_model():
    model = keras.Sequential([
        layers.SimpleRNN(32, input_shape=(1, STEP), activation="relu"),
        layers.Dense(8, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(loss="mean_squared_error", optimizer="rmsprop")
    return model


def train(epochs: int = 100, seed: int = 0, verbose: int = 2):
    """Returns (model, train MSE, test MSE); `seed` draws the data, the initial weights and
    fit's shuffling (NumPy's global generator, as Keras's)."""
    keras.backend.clear_session()
    tf.set_random_seed(seed)
    np.random.seed(seed)
    (train_x, train_y), (test_x, test_y) = data(seed)
    model = build_model()
    model.fit(train_x, train_y, epochs=epochs, batch_size=16, verbose=verbose)
    return model, model.evaluate(train_x, train_y, verbose=0), \
        model.evaluate(test_x, test_y, verbose=0)


if __name__ == "__main__":
    model, train_mse, test_mse = train()
    model.summary()
    print(f"train MSE {train_mse:.3f}, test MSE {test_mse:.3f} (noise floor {1 / 3:.3f})")
