"""model.summary() for a Sequential and a functional model with a shared layer, captured
line by line with print_fn, and the parameter counts behind it."""

import graphflow as tf

model = tf.keras.Sequential(name="mlp")
model.add(tf.keras.layers.Dense(32, activation="relu", input_shape=(20,)))
model.add(tf.keras.layers.Dropout(0.5))
model.add(tf.keras.layers.Dense(16, activation="relu"))
model.add(tf.keras.layers.Dense(3, activation="softmax"))
lines = []
model.summary(print_fn=lines.append)
for i, line in enumerate(lines):
    print(f"sequential {i:02d}: {line}")

left = tf.keras.Input(shape=(8,), name="left")
right = tf.keras.Input(shape=(8,), name="right")
shared = tf.keras.layers.Dense(4, name="shared")
merged = tf.keras.layers.add([shared(left), shared(right)])
scores = tf.keras.layers.Dense(1, activation="sigmoid", name="score")(merged)
siamese = tf.keras.Model([left, right], scores, name="siamese")
lines = []
siamese.summary(print_fn=lines.append)
for i, line in enumerate(lines):
    print(f"functional {i:02d}: {line}")
print("shared inbound nodes:", len(shared._inbound_nodes))
print("trainable weights:", " ".join(w.name for w in siamese.trainable_weights))
print("params:", model.count_params(), siamese.count_params())
