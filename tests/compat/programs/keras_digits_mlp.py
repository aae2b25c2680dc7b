"""A first Keras model: a Sequential MLP on the 8x8 digits with compile, fit, evaluate and
predict, its weights drawn from NumPy so both frameworks start from the same numbers."""

import numpy as np

import graphflow as tf
from graphflow.datasets import load_digits

np.random.seed(0)  # fit shuffles the samples with NumPy's global generator
x, y = load_digits()
order = np.random.RandomState(1).permutation(len(x))  # mix the writers
x, y = x[order], y[order]
x_train, y_train, x_test, y_test = x[:1500], y[:1500], x[1500:], y[1500:]

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="relu", input_shape=(64,)),
    tf.keras.layers.Dense(10, activation="softmax"),
])
rng = np.random.RandomState(0)
model.set_weights([rng.uniform(-0.2, 0.2, w.shape).astype(np.float32)
                   for w in model.get_weights()])
model.compile(optimizer=tf.keras.optimizers.Adam(0.003),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])

print("layers:", " ".join(layer.name for layer in model.layers))
print("params:", model.count_params())
print("initial loss:", model.evaluate(x_test, y_test, verbose=0)[0])
history = model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
print("history keys:", " ".join(sorted(history.history)))
print("epoch losses:", np.round(history.history["loss"], 6))
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("test loss:", round(loss, 6))
print("test accuracy:", round(accuracy, 6))
print("accuracy above .9:", accuracy > 0.9)
probabilities = model.predict(x_test[:5])
print("predict shape:", probabilities.shape)
print("row sums:", np.round(probabilities.sum(axis=1), 5))
print("predicted:", probabilities.argmax(axis=1))
print("true:", y_test[:5])
