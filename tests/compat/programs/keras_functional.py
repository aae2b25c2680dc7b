"""The functional API: two inputs, a Dense branch each, Concatenate, and a regression head,
trained with SGD on mean squared error."""

import numpy as np

import graphflow as tf

rng = np.random.RandomState(3)
a_data = rng.normal(size=(200, 4)).astype(np.float32)
b_data = rng.normal(size=(200, 3)).astype(np.float32)
target = (a_data[:, :1] * 0.5 - b_data[:, 1:2] + 0.1).astype(np.float32)

input_a = tf.keras.Input(shape=(4,), name="features")
input_b = tf.keras.Input(shape=(3,), name="extra")
branch_a = tf.keras.layers.Dense(8, activation="tanh", name="branch_a")(input_a)
branch_b = tf.keras.layers.Dense(4, activation="tanh", name="branch_b")(input_b)
merged = tf.keras.layers.Concatenate(name="merge")([branch_a, branch_b])
output = tf.keras.layers.Dense(1, name="value")(merged)
model = tf.keras.Model(inputs=[input_a, input_b], outputs=output)

weights = np.random.RandomState(0)
model.set_weights([weights.uniform(-0.5, 0.5, w.shape).astype(np.float32)
                   for w in model.get_weights()])
model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])

print("inputs:", " ".join(t.name.split(":")[0] for t in model.inputs))
print("merged shape:", merged.shape.as_list())
print("output shape:", model.output_shape)
print("layers:", " ".join(layer.name for layer in model.layers))
print("params:", model.count_params())
print("first predictions:", model.predict([a_data[:3], b_data[:3]]).ravel())
history = model.fit([a_data, b_data], target, epochs=6, batch_size=20, shuffle=False,
                    verbose=0)
print("losses:", history.history["loss"])
print("maes:", history.history["mean_absolute_error"] if "mean_absolute_error"
      in history.history else history.history["mae"])
print("evaluate:", model.evaluate({"features": a_data, "extra": b_data}, target, verbose=0))
