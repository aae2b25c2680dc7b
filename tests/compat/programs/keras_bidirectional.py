"""A Bidirectional GRU tagger over float sequences: return_sequences, TimeDistributed Dense,
and the forward/backward weights Bidirectional holds."""

import numpy as np

import graphflow as tf

rng = np.random.RandomState(2)
x = rng.normal(size=(64, 10, 3)).astype(np.float32)
y = np.cumsum(x[:, :, :1], axis=1) > 0  # per step: is the running sum positive?

inputs = tf.keras.Input(shape=(10, 3))
states = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(5, return_sequences=True),
                                       merge_mode="concat")(inputs)
outputs = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1, activation="sigmoid"))(states)
model = tf.keras.Model(inputs, outputs)
init = np.random.RandomState(4)
model.set_weights([init.uniform(-0.4, 0.4, w.shape).astype(np.float32)
                   for w in model.get_weights()])

print("states shape:", states.shape.as_list())
print("weight shapes:", [w.shape for w in model.get_weights()])
print("params:", model.count_params())
model.compile(tf.keras.optimizers.Adam(0.02), "binary_crossentropy")
losses = [model.train_on_batch(x[i:i + 16], y[i:i + 16].astype(np.float32))
          for epoch in range(3) for i in range(0, 64, 16)]
print("batch losses:", np.round(losses, 6))
print("first sequence:", np.round(model.predict(x[:1]).ravel(), 6))
