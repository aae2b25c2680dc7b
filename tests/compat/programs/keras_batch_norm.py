"""BatchNormalization between Dense layers: its moving statistics after training, the
update ops Keras adds, and the different outputs of training and inference mode."""

import numpy as np

import graphflow as tf

rng = np.random.RandomState(5)
x = (rng.normal(size=(256, 6)) * [1, 2, 3, 1, 0.5, 4] + [0, 1, -2, 3, 0, 5]).astype(np.float32)
y = (x[:, 0] - 0.5 * x[:, 2] > 1).astype(np.float32).reshape(-1, 1)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(8, use_bias=False, input_shape=(6,), name="hidden"),
    tf.keras.layers.BatchNormalization(momentum=0.9, name="norm"),
    tf.keras.layers.Activation("relu"),
    tf.keras.layers.Dense(1, activation="sigmoid", name="out"),
])
dense = np.random.RandomState(0)
model.get_layer("hidden").set_weights([dense.uniform(-0.4, 0.4, (6, 8)).astype(np.float32)])
model.get_layer("out").set_weights([dense.uniform(-0.4, 0.4, (8, 1)).astype(np.float32),
                                    np.zeros(1, np.float32)])
norm = model.get_layer("norm")
print("norm weights:", " ".join(w.name for w in norm.weights))
print("trainable, non-trainable:", len(norm.trainable_weights), len(norm.non_trainable_weights))
model.compile(tf.keras.optimizers.RMSprop(0.01), "binary_crossentropy", metrics=["acc"])
history = model.fit(x, y, batch_size=64, epochs=4, shuffle=False, verbose=0)
print("losses:", np.round(history.history["loss"], 6))
mean, variance = norm.get_weights()[2:]
print("moving mean:", np.round(mean, 6))
print("moving variance:", np.round(variance, 6))
print("inference:", model.predict(x[:4]).ravel())
