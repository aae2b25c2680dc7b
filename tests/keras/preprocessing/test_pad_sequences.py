"""`keras.preprocessing.sequence.pad_sequences` gives what tf-keras 2.21 gives (recorded)."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.keras.preprocessing.sequence import pad_sequences

SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], []]


def test_defaults_pad_in_front_to_the_longest():
    out = pad_sequences(SEQS)
    assert out.dtype == np.int32
    assert out.tolist() == [[0, 0, 1, 2, 3], [0, 0, 0, 4, 5], [6, 7, 8, 9, 10], [0, 0, 0, 0, 0]]


def test_maxlen_cuts_the_front_by_default():
    assert pad_sequences(SEQS, maxlen=3).tolist() == [[1, 2, 3], [0, 4, 5], [8, 9, 10],
                                                      [0, 0, 0]]


def test_post_padding_and_truncating_with_a_value():
    out = pad_sequences(SEQS, maxlen=4, padding="post", truncating="post", value=-1)
    assert out.tolist() == [[1, 2, 3, -1], [4, 5, -1, -1], [6, 7, 8, 9], [-1, -1, -1, -1]]


def test_vector_steps_dtypes_and_empty_input():
    assert pad_sequences([[[1, 2], [3, 4]], [[5, 6]]]).tolist() == [[[1, 2], [3, 4]],
                                                                    [[0, 0], [5, 6]]]
    assert pad_sequences(SEQS, maxlen=4, dtype="float32", value=0.5).dtype == np.float32
    assert pad_sequences([], maxlen=3).shape == (0, 3)
    assert pad_sequences([np.array([1.5, 2.5])], maxlen=3).tolist() == [[0, 1, 2]]  # int32


@pytest.mark.parametrize("kwargs,message", [
    ({"padding": "middle"}, 'Padding type "middle" not understood'),
    ({"truncating": "x"}, 'Truncating type "x" not understood'),
])
def test_bad_sides_raise_keras_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pad_sequences(SEQS, **kwargs)


def test_not_iterable_and_ragged_steps_raise():
    with pytest.raises(ValueError, match="must be iterable"):
        pad_sequences(5)
    with pytest.raises(ValueError, match="different from expected shape"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])


def test_reachable_as_tf_keras():
    assert tf.keras.preprocessing.sequence.pad_sequences is pad_sequences
