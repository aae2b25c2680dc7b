"""A custom Layer with add_weight, build and get_config; to_categorical targets with
categorical cross-entropy; and a hand-written loop of train_on_batch / test_on_batch."""

import numpy as np

import graphflow as tf


class Scaled(tf.keras.layers.Layer):
    """x @ kernel * scale + bias, with a learned scalar scale."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(int(input_shape[-1]), self.units),
                                      initializer="zeros", trainable=True)
        self.scale = self.add_weight("scale", shape=(), initializer="ones")
        self.bias = self.add_weight("bias", shape=(self.units,), initializer="zeros")
        super().build(input_shape)

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) * self.scale + self.bias

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


rng = np.random.RandomState(9)
x = rng.normal(size=(120, 4)).astype(np.float32)
classes = np.argmax(x[:, :3] + 0.2 * rng.normal(size=(120, 3)), axis=1)
onehot = tf.keras.utils.to_categorical(classes, num_classes=3)
print("onehot:", onehot.shape, onehot.dtype)
print("first rows:", onehot[:2])

layer = Scaled(3, name="scaled")
model = tf.keras.Sequential([tf.keras.layers.Dense(6, activation="tanh", input_shape=(4,)),
                             layer, tf.keras.layers.Activation("softmax")])
init = np.random.RandomState(0)
model.layers[0].set_weights([init.uniform(-0.5, 0.5, (4, 6)).astype(np.float32),
                             np.zeros(6, np.float32)])
print("custom weights:", " ".join(w.name for w in layer.weights))
print("config:", sorted(layer.get_config().items()))
model.compile(tf.keras.optimizers.SGD(0.3), "categorical_crossentropy", metrics=["acc"])
print("metrics names:", model.metrics_names)
for epoch in range(4):
    for i in range(0, 120, 30):
        loss, accuracy = model.train_on_batch(x[i:i + 30], onehot[i:i + 30])
    print(f"epoch {epoch}: loss {loss:.6f} acc {accuracy:.4f}")
print("test on batch:", np.round(model.test_on_batch(x, onehot), 6))
print("scale:", round(float(layer.get_weights()[1]), 6))
copy = Scaled.from_config(layer.get_config())
print("from_config:", copy.name, copy.units)

K = tf.keras.backend


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


def close_enough(y_true, y_pred):
    return K.mean(K.cast(K.abs(y_pred - y_true) < 0.25, "float32"))


regressor = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu", input_shape=(4,)),
                                 tf.keras.layers.Dense(1)])
regressor.set_weights([init.uniform(-0.5, 0.5, w.shape).astype(np.float32)
                       for w in regressor.get_weights()])
regressor.compile(tf.keras.optimizers.SGD(0.05), loss=rmse, metrics=[close_enough])
fitted = regressor.fit(x, x[:, :1] * 2 - x[:, 3:], batch_size=40, epochs=4, shuffle=False,
                       verbose=0)
print("custom loss keys:", sorted(fitted.history))
print("rmse:", np.round(fitted.history["loss"], 6))
print("close enough:", np.round(fitted.history["close_enough"], 6))
hidden = K.function([regressor.input], [regressor.layers[0].output])
print("hidden of first row:", np.round(hidden([x[:1]])[0], 6))
