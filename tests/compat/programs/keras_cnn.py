"""A small convnet on the 8x8 digits: Conv2D, MaxPooling2D, Flatten, Dropout and Dense, its
summary, and one epoch of training."""

import numpy as np

import graphflow as tf
from graphflow.datasets import load_digits

np.random.seed(0)  # the order fit shuffles the samples in
tf.random.set_seed(4)  # the dropout masks
x, y = load_digits()
order = np.random.RandomState(1).permutation(len(x))
images = x[order].reshape(-1, 8, 8, 1)
labels = tf.keras.utils.to_categorical(y[order], 10)
x_train, y_train, x_test, y_test = images[:1500], labels[:1500], images[1500:], labels[1500:]

model = tf.keras.models.Sequential()
model.add(tf.keras.layers.Conv2D(16, (3, 3), activation="relu", padding="same",
                                 input_shape=(8, 8, 1)))
model.add(tf.keras.layers.MaxPooling2D(pool_size=(2, 2)))
model.add(tf.keras.layers.Conv2D(32, (3, 3), activation="relu"))
model.add(tf.keras.layers.Flatten())
model.add(tf.keras.layers.Dropout(0.25))
model.add(tf.keras.layers.Dense(10, activation="softmax"))
model.summary()

rng = np.random.RandomState(0)
model.set_weights([rng.uniform(-0.15, 0.15, w.shape).astype(np.float32)
                   for w in model.get_weights()])
model.compile(loss="categorical_crossentropy", optimizer=tf.keras.optimizers.Adam(0.01),
              metrics=["acc"])
print("output shapes:", " ".join(str(layer.output_shape) for layer in model.layers))
print("initial test loss:", model.evaluate(x_test, y_test, verbose=0))
history = model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
print("history keys:", sorted(history.history))
print("epochs:", history.epoch)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("test accuracy:", round(accuracy, 3))
print("predicted classes:", model.predict(x_test[:2]).shape)
