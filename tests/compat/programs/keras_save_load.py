"""Saving and loading: model.save / load_model (architecture, weights, optimizer) and
save_weights / load_weights into a freshly built model; predictions survive both."""

import numpy as np

import graphflow as tf

rng = np.random.RandomState(11)
x = rng.uniform(-1, 1, size=(90, 3)).astype(np.float32)
y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)


def build():
    return tf.keras.Sequential([
        tf.keras.layers.Dense(12, activation="relu", input_shape=(3,), name="hidden"),
        tf.keras.layers.Dense(2, activation="softmax", name="probs"),
    ])


model = build()
init = np.random.RandomState(0)
model.set_weights([init.uniform(-0.5, 0.5, w.shape).astype(np.float32)
                   for w in model.get_weights()])
model.compile(tf.keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy", ["acc"])
model.fit(x, y, batch_size=30, epochs=3, shuffle=False, verbose=0)
before = model.predict(x[:3])
print("predictions:", np.round(before, 6))

model.save("model.h5")
loaded = tf.keras.models.load_model("model.h5")
print("loaded layers:", " ".join(layer.name for layer in loaded.layers))
print("loaded config units:", [layer.get_config()["units"] for layer in loaded.layers])
print("loaded predictions equal:", np.allclose(loaded.predict(x[:3]), before, atol=1e-6))
print("loaded loss:", getattr(loaded.loss, "__name__", loaded.loss))
more = loaded.fit(x, y, batch_size=30, epochs=1, shuffle=False, verbose=0)
model.fit(x, y, batch_size=30, epochs=1, shuffle=False, verbose=0)
print("resumed loss:", np.round(more.history["loss"], 6))
print("resumed like the original:", np.allclose(loaded.get_weights()[0],
                                                model.get_weights()[0], atol=1e-5))

model.save_weights("weights.h5")
fresh = build()
fresh.load_weights("weights.h5")
print("weights round trip:", all(np.array_equal(a, b) for a, b in
                                 zip(fresh.get_weights(), model.get_weights())))
print("fresh predictions:", np.round(fresh.predict(x[:2]), 6))

config = model.get_config()
clone = tf.keras.Sequential.from_config(config)
print("from_config layers:", " ".join(type(layer).__name__ for layer in clone.layers))
print("json round trip:", tf.keras.models.model_from_json(model.to_json()).count_params())
