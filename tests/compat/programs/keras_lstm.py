"""Embedding + LSTM on synthetic token sequences: does the sequence hold token 7? Weights come
from NumPy, so both frameworks train the same model."""

import numpy as np

import graphflow as tf

rng = np.random.RandomState(0)
sequences = rng.randint(1, 10, size=(240, 12))
labels = (sequences == 7).any(axis=1).astype(np.float32)

model = tf.keras.Sequential()
model.add(tf.keras.layers.Embedding(input_dim=10, output_dim=6, input_length=12))
model.add(tf.keras.layers.LSTM(16))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
init = np.random.RandomState(1)
model.set_weights([init.uniform(-0.3, 0.3, w.shape).astype(np.float32)
                   for w in model.get_weights()])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])

print("weight shapes:", [w.shape for w in model.get_weights()])
print("lstm output:", model.layers[1].output_shape)
history = model.fit(sequences, labels, batch_size=24, epochs=5, shuffle=False, verbose=0)
print("losses:", np.round(history.history["loss"], 6))
print("accuracies:", np.round(history.history["acc"], 6))
print("probabilities:", np.round(model.predict(sequences[:4]).ravel(), 6))
