"""Callbacks as course labs use them: EarlyStopping that restores the best weights,
ModelCheckpoint keeping the best model (then load_model), CSVLogger, LearningRateScheduler."""

import csv

import numpy as np

import graphflow as tf

rng = np.random.RandomState(7)
x = rng.normal(size=(160, 5)).astype(np.float32)
y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0], [3.0]]) + 0.3 * rng.normal(size=(160, 1)))
x_train, y_train = x[:120], y[:120].astype(np.float32)
x_val, y_val = x[120:], y[120:].astype(np.float32)


def build():
    model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(5,)),
                                 tf.keras.layers.Dense(1)])
    init = np.random.RandomState(0)
    model.set_weights([init.uniform(-0.3, 0.3, w.shape).astype(np.float32)
                       for w in model.get_weights()])
    return model


def schedule(epoch, lr):
    return 0.02 if epoch < 3 else 0.02 * 0.5 ** (epoch - 2)


rates = []
model = build()
model.compile(tf.keras.optimizers.SGD(0.02, momentum=0.9), "mse")
history = model.fit(
    x_train, y_train, validation_data=(x_val, y_val), epochs=30, batch_size=40, shuffle=False,
    verbose=0, callbacks=[
        tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                         restore_best_weights=True),
        tf.keras.callbacks.ModelCheckpoint("best.h5", monitor="val_loss", save_best_only=True),
        tf.keras.callbacks.CSVLogger("training.csv"),
        tf.keras.callbacks.LearningRateScheduler(schedule),
        tf.keras.callbacks.LambdaCallback(
            on_epoch_begin=lambda epoch, logs: rates.append(
                float(tf.keras.backend.get_value(model.optimizer.lr)))),
    ])
val_losses = history.history["val_loss"]
print("epochs run:", len(history.epoch))
print("history keys:", " ".join(sorted(history.history)))
print("val losses:", np.round(val_losses, 6))
print("learning rates:", np.round(rates, 5))
best = int(np.argmin(val_losses))
print("best epoch:", best)
restored = model.evaluate(x_val, y_val, verbose=0)
print("restored val loss:", round(restored, 6))
print("restored is best:", abs(restored - val_losses[best]) < 1e-5)

with open("training.csv") as f:
    rows = list(csv.reader(f))
print("csv header:", " ".join(rows[0]))
print("csv rows:", len(rows) - 1)
print("csv last epoch:", rows[-1][0])

best_model = tf.keras.models.load_model("best.h5")
print("checkpoint val loss:", round(best_model.evaluate(x_val, y_val, verbose=0), 6))
print("checkpoint optimizer:", type(best_model.optimizer).__name__)
