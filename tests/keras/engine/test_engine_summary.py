"""`model.summary()` against the text tf-keras 2.21 prints for the same models (recorded from
tf_keras in graph mode: the lines below are its output, including trailing spaces)."""

from graphflow import keras
from graphflow.keras import layers as L

# keras.Sequential([Dense(8, relu, input_shape=(4,)), Dense(3, softmax)]).summary()
SEQUENTIAL = [
    'Model: "sequential"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' dense (Dense)               (None, 8)                 40        ',
    '                                                                 ',
    ' dense_1 (Dense)             (None, 3)                 27        ',
    '                                                                 ',
    '=================================================================',
    'Total params: 67 (268.00 Byte)',
    'Trainable params: 67 (268.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
]

# Two inputs (input_1, aux), Concatenate, two outputs: the four-column table with wrapping.
# Stored without trailing spaces (each line's full length is in FUNCTIONAL_WIDTHS).
FUNCTIONAL = [
    'Model: "model"',
    '_' * 98,
    ' Layer (type)                Output Shape                 Param #   Connected to',
    '=' * 98,
    ' input_1 (InputLayer)        [(None, 4)]                  0         []',
    '',
    " dense_2 (Dense)             (None, 8)                    40        ['input_1[0][0]']",
    '',
    ' aux (InputLayer)            [(None, 2)]                  0         []',
    '',
    " concatenate (Concatenate)   (None, 10)                   0         ['dense_2[0][0]',",
    "                                                                     'aux[0][0]']",
    '',
    " out (Dense)                 (None, 3)                    33        ['concatenate[0][0]']",
    '',
    " dense_3 (Dense)             (None, 1)                    9         ['dense_2[0][0]']",
    '',
    '=' * 98,
    'Total params: 82 (328.00 Byte)',
    'Trainable params: 82 (328.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_' * 98,
]
FUNCTIONAL_WIDTHS = [14] + [98] * 17 + [30, 34, 35, 98]

# SEEDS #15 HappyModel: 37,633 parameters, 64 of them non-trainable (BatchNormalization's).
HAPPY = [
    'Model: "HappyModel"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' input_2 (InputLayer)        [(None, 64, 64, 3)]       0         ',
    '                                                                 ',
    ' zero_padding2d (ZeroPaddin  (None, 70, 70, 3)         0         ',
    ' g2D)                                                            ',
    '                                                                 ',
    ' conv0 (Conv2D)              (None, 64, 64, 32)        4736      ',
    '                                                                 ',
    ' bn0 (BatchNormalization)    (None, 64, 64, 32)        128       ',
    '                                                                 ',
    ' activation (Activation)     (None, 64, 64, 32)        0         ',
    '                                                                 ',
    ' max_pool (MaxPooling2D)     (None, 32, 32, 32)        0         ',
    '                                                                 ',
    ' flatten (Flatten)           (None, 32768)             0         ',
    '                                                                 ',
    ' fc (Dense)                  (None, 1)                 32769     ',
    '                                                                 ',
    '=================================================================',
    'Total params: 37633 (147.00 KB)',
    'Trainable params: 37569 (146.75 KB)',
    'Non-trainable params: 64 (256.00 Byte)',
    '_________________________________________________________________',
]


def _lines(model, **kwargs):
    out = []
    model.summary(print_fn=out.append, **kwargs)
    return out


def test_sequential_summary_is_tf_keras_text():
    model = keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)),
                              L.Dense(3, activation="softmax")])
    assert _lines(model) == SEQUENTIAL


def test_functional_summary_has_connections_as_tf_keras():
    a = keras.Input(shape=(4,))
    b = keras.Input(shape=(2,), name="aux")
    h = L.Dense(8, activation="relu", name="dense_2")(a)
    c = L.Concatenate()([h, b])
    o1 = L.Dense(3, activation="softmax", name="out")(c)
    o2 = L.Dense(1, name="dense_3")(h)
    lines = _lines(keras.Model([a, b], [o1, o2]))
    assert [line.rstrip() for line in lines] == FUNCTIONAL
    assert [len(line) for line in lines] == FUNCTIONAL_WIDTHS


def test_happy_model_summary_oracle():
    keras.Input((1,))  # tf-keras's recording made one Input before: the next is input_2
    x = keras.Input((64, 64, 3))
    y = L.ZeroPadding2D((3, 3))(x)
    y = L.Conv2D(32, (7, 7), strides=(1, 1), name="conv0")(y)
    y = L.BatchNormalization(axis=3, name="bn0")(y)
    y = L.Activation("relu")(y)
    y = L.MaxPooling2D((2, 2), name="max_pool")(y)
    y = L.Flatten()(y)
    y = L.Dense(1, activation="sigmoid", name="fc")(y)
    model = keras.Model(inputs=x, outputs=y, name="HappyModel")
    assert model.count_params() == 37633
    assert _lines(model) == HAPPY


def test_line_length_and_positions_wrap_cells_as_tf_keras():
    model = keras.Sequential([L.Dense(2, input_shape=(3,))])
    assert _lines(model, line_length=40, positions=[.5, .8, 1.]) == [
        'Model: "sequential"', "_" * 40, " Layer (type)       Output Sh   Param # ",
        "                    ape                 ", "=" * 40,
        " dense (Dense)      (None, 2)   8       ", " " * 40, "=" * 40,
        "Total params: 8 (32.00 Byte)", "Trainable params: 8 (32.00 Byte)",
        "Non-trainable params: 0 (0.00 Byte)", "_" * 40]


def test_unbuilt_model_summary_says_so():
    import pytest

    model = keras.Sequential([L.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()


def _chain_text(model):
    lines = _lines(model)
    table = [line for line in lines if not line.startswith(("Model:", "Total", "Trainable",
                                                            "Non-trainable"))]
    assert {len(line) for line in table} == {65}
    return [line.rstrip() for line in lines]


def test_seeds_15_cifar_cnn_summary():
    from .tf_keras_summaries import CIFAR

    model = keras.Sequential([
        L.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)), L.MaxPooling2D((2, 2)),
        L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
        L.Conv2D(64, (3, 3), activation="relu"), L.Flatten(), L.Dense(64, activation="relu"),
        L.Dense(10)])
    assert model.count_params() == 122570
    assert _chain_text(model) == CIFAR


def _imdb(*recurrent):
    return keras.Sequential([L.Embedding(10000, 32, input_length=120), *recurrent,
                             L.Dense(64, activation="relu"), L.Dense(1, activation="sigmoid")])


def test_seeds_15_imdb_lstm_summaries():
    from .tf_keras_summaries import BILSTM, BILSTM2, LSTM

    assert _chain_text(_imdb(L.LSTM(64))) == LSTM  # 349,057 parameters
    keras.backend.clear_session()
    assert _chain_text(_imdb(L.Bidirectional(L.LSTM(64)))) == BILSTM  # 377,985
    keras.backend.clear_session()
    two = _imdb(L.Bidirectional(L.LSTM(64, return_sequences=True)),
                L.Bidirectional(L.LSTM(64)))
    assert two.count_params() == 476801
    assert _chain_text(two) == BILSTM2
