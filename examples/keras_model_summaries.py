"""The course's `model.summary()` oracles (SEEDS 3.1 #15): five models, their parameter counts.

No data set is needed: the models are built, summarised, and each takes one training step on a
small synthetic batch to show it runs. The parameter arithmetic, layer by layer:

- CIFAR CNN on 32x32x3: Conv2D(32, 3x3) 896 -> 30x30 -> MaxPool 15x15 -> Conv2D(64, 3x3) 18,496
  -> 13x13 -> MaxPool 6x6 -> Conv2D(64, 3x3) 36,928 -> 4x4x64 -> Flatten 1024 -> Dense(64)
  65,600 -> Dense(10) 650: 122,570. (The material's code says Conv2D(64) first, but its summary
  shows 32; the summary is right.) The last layer gives logits, so the loss says from_logits.
- IMDB: Embedding(10000, 32, input_length=120) 320,000 -> LSTM(64) 4 gates x (64 x (32 + 64) +
  64) = 24,832 -> Dense(64) 4,160 -> Dense(1) 65: 349,057.
- The same with Bidirectional(LSTM(64)) 49,664, whose 128 outputs make Dense(64) 8,256: 377,985.
- Two BiLSTMs: Bidirectional(LSTM(64, return_sequences=True)) 49,664 -> Bidirectional(LSTM(64))
  on 128 features 98,816 -> Dense(64) 8,256 -> Dense(1) 65: 476,801.
- HappyModel on 64x64x3: ZeroPadding2D(3) 70x70 -> Conv2D(32, 7x7) 4,736 -> 64x64x32 ->
  BatchNormalization 128 (gamma and beta train; the moving mean and variance, 64 values, do
  not) -> relu -> MaxPool 32x32x32 -> Flatten 32,768 -> Dense(1, sigmoid) 32,769: 37,633.
"""

from __future__ import annotations

import numpy as np

import graphflow as tf
from graphflow import keras
from graphflow.keras import layers

IMDB_WORDS, IMDB_LENGTH = 10000, 120


def cifar_cnn():
    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10),
    ], name="cifar_cnn")
    model.compile(optimizer="adam", metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def imdb(*recurrent, name="imdb"):
    """Embedding -> the recurrent layers given -> Dense(64, relu) -> Dense(1, sigmoid)."""
    model = keras.Sequential([
        layers.Embedding(IMDB_WORDS, 32, input_length=IMDB_LENGTH),
        *recurrent,
        layers.Dense(64, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ], name=name)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def happy_model(input_shape=(64, 64, 3)):
    """The functional HappyModel, with the course's layer names."""
    x_input = keras.Input(input_shape)
    x = layers.ZeroPadding2D((3, 3))(x_input)
    x = layers.Conv2D(32, (7, 7), strides=(1, 1), name="conv0")(x)
    x = layers.BatchNormalization(axis=3, name="bn0")(x)
    x = layers.Activation("relu")(x)
    x = layers.MaxPooling2D((2, 2), name="max_pool")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(1, activation="sigmoid", name="fc")(x)
    model = keras.Model(inputs=x_input, outputs=x, name="HappyModel")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def builders():
    """name -> (a function making the compiled model, a function making a synthetic batch)."""
    def images(shape, classes):
        def batch(rng, n):
            y = rng.randint(0, classes, n)
            return rng.rand(n, *shape).astype(np.float32), y.astype(np.float32 if classes == 2
                                                                    else np.int64)
        return batch

    def reviews(rng, n):
        return rng.randint(1, IMDB_WORDS, (n, IMDB_LENGTH)), \
            rng.randint(0, 2, n).astype(np.float32)

    return {
        "cifar_cnn": (cifar_cnn, images((32, 32, 3), 10)),
        "imdb_lstm": (lambda: imdb(layers.LSTM(64), name="imdb_lstm"), reviews),
        "imdb_bilstm": (lambda: imdb(layers.Bidirectional(layers.LSTM(64)),
                                     name="imdb_bilstm"), reviews),
        "imdb_two_bilstms": (lambda: imdb(
            layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
            layers.Bidirectional(layers.LSTM(64)), name="imdb_two_bilstms"), reviews),
        "happy_model": (happy_model, images((64, 64, 3), 2)),
    }


def parse_counts(lines) -> dict:
    """{'total', 'trainable', 'non_trainable'} read back from the printed summary's footer."""
    keys = {"Total params:": "total", "Trainable params:": "trainable",
            "Non-trainable params:": "non_trainable"}
    counts = {}
    for line in lines:
        for prefix, key in keys.items():
            if line.startswith(prefix):
                counts[key] = int(line[len(prefix):].split()[0].replace(",", ""))
    return counts


def main(names=None, batch: int = 4, seed: int = 0, print_fn=print) -> dict:
    """Summarise each model and take one fit step on a synthetic batch.

    Returns name -> {'summary': the printed lines, 'counts': parse_counts of them,
    'layer_counts': each layer's count_params(), 'output_shapes', 'loss': the step's loss,
    'trainable_moved' / 'frozen_moved': whether the step changed each weight}."""
    rng = np.random.RandomState(seed)
    results = {}
    for name, (build, make_batch) in builders().items():
        if names is not None and name not in names:
            continue
        keras.backend.clear_session()
        tf.set_random_seed(seed)
        model = build()
        lines = []
        model.summary(print_fn=lines.append)
        for line in lines:
            print_fn(line)
        x, y = make_batch(rng, batch)
        get = keras.backend.batch_get_value
        trainable, frozen = model.trainable_weights, model.non_trainable_weights
        before = get(trainable + frozen)
        history = model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        moved = [not np.array_equal(b, a) for b, a in zip(before, get(trainable + frozen))]
        results[name] = {
            "summary": lines, "counts": parse_counts(lines),
            "layer_counts": [layer.count_params() for layer in model.layers],
            "output_shapes": [tuple(layer.output_shape) for layer in model.layers],
            "loss": history.history["loss"][0],
            "trainable_moved": moved[:len(trainable)], "frozen_moved": moved[len(trainable):],
        }
    return results


if __name__ == "__main__":
    for name, result in main().items():
        print(f"{name}: {result['counts']}, one step's loss {result['loss']:.4f}\n")
