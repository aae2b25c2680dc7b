"""Transformations against TF1's results (recorded from tensorflow's compat.v1 in graph mode)."""

import numpy as np
import pytest

import graphflow as tf

D = tf.data.Dataset


def _lists(values):
    return [np.asarray(v).tolist() for v in values]


def test_batch_keeps_the_remainder_unless_dropped(elements):
    ds = D.from_tensor_slices(np.arange(10).reshape(5, 2))
    assert ds.batch(2).output_shapes == tf.TensorShape([None, 2])
    assert ds.batch(2, drop_remainder=True).output_shapes == tf.TensorShape([2, 2])
    assert _lists(elements(ds.batch(2))) == [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9]]]
    assert _lists(elements(ds.batch(2, drop_remainder=True))) == [[[0, 1], [2, 3]],
                                                                  [[4, 5], [6, 7]]]
    assert D.range(3).batch(2).batch(2).output_shapes == tf.TensorShape([None, None])


def test_batch_then_repeat(elements):
    assert _lists(elements(D.range(4).batch(3).repeat(2))) == [[0, 1, 2], [3], [0, 1, 2], [3]]


def test_a_batch_size_of_zero_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Batch size must be greater than"):
        D.range(3).batch(0)


def test_batching_elements_of_different_shapes_fails_at_run_time():
    ds = D.from_generator(lambda: iter([[1], [2, 2]]), tf.int64, [None]).batch(2)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Cannot batch tensors with different shapes"):
        sess.run(nxt)


def test_padded_batch_pads_to_the_longest(elements):
    ds = D.from_generator(lambda: iter([[1], [2, 2], [3, 3, 3]]), tf.int64, [None])
    pb = ds.padded_batch(2, padded_shapes=[None])
    assert pb.output_shapes == tf.TensorShape([None, None])
    assert _lists(elements(pb)) == [[[1, 0], [2, 2]], [[3, 3, 3]]]
    fixed = ds.padded_batch(3, padded_shapes=[4], padding_values=np.int64(-1))
    assert fixed.output_shapes == tf.TensorShape([None, 4])
    assert _lists(elements(fixed)) == [[[1, -1, -1, -1], [2, 2, -1, -1], [3, 3, 3, -1]]]


def test_repeat_take_skip(elements):
    assert elements(D.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert elements(D.range(10).skip(3).take(4)) == [3, 4, 5, 6]
    assert elements(D.range(3).take(-1)) == [0, 1, 2]
    assert elements(D.range(3).skip(-1)) == []
    assert elements(D.range(2).repeat().take(5)) == [0, 1, 0, 1, 0]
    assert elements(D.range(0).repeat()) == []  # an empty pass ends an endless repeat


def test_shard(elements):
    assert elements(D.range(10).shard(3, 1)) == [1, 4, 7]


def test_zip_pairs_to_the_shortest(elements):
    z = D.zip((D.range(3), D.range(10, 20)))
    assert z.output_types == (tf.int64, tf.int64)
    assert [tuple(map(int, e)) for e in elements(z)] == [(0, 10), (1, 11), (2, 12)]
    d = D.zip({"a": D.range(3), "b": D.range(2)})
    assert d.output_shapes == {"a": tf.TensorShape([]), "b": tf.TensorShape([])}
    assert [(int(e["a"]), int(e["b"])) for e in elements(d)] == [(0, 0), (1, 1)]


def test_zip_nests_the_elements_of_tuple_datasets(elements):
    inner = D.zip((D.range(2), D.range(5, 7)))
    z = D.zip((inner, D.range(100, 102)))
    assert z.output_types == ((tf.int64, tf.int64), tf.int64)
    (a, b), c = elements(z)[1]
    assert (int(a), int(b), int(c)) == (1, 6, 101)


def test_concatenate(elements):
    assert elements(D.range(3).concatenate(D.range(10, 12))) == [0, 1, 2, 10, 11]
    mixed = D.from_tensors(np.zeros(2)).concatenate(D.from_tensors(np.zeros(3)))
    assert mixed.output_shapes == tf.TensorShape([None])
    with pytest.raises(TypeError, match="different types"):
        D.range(3).concatenate(D.from_tensor_slices(np.zeros(3, np.float32)))


def test_cache_replays_the_first_pass(elements):
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)

    ds = D.from_generator(gen, tf.int64, []).cache().repeat(3)
    assert elements(ds) == [0, 1, 2] * 3
    assert len(calls) == 1


def test_prefetch_passes_elements_through(elements):
    assert elements(D.range(5).prefetch(2)) == [0, 1, 2, 3, 4]
    assert elements(D.range(3).prefetch(tf.data.experimental.AUTOTUNE)) == [0, 1, 2]


def test_apply(elements):
    assert elements(D.range(4).apply(lambda ds: ds.skip(2))) == [2, 3]


def test_shuffle_is_a_seeded_permutation(elements):
    first = elements(D.range(10).shuffle(4, seed=1))
    assert sorted(first) == list(range(10)) and first != list(range(10))
    assert elements(D.range(10).shuffle(4, seed=1)) == first  # seeded: repeats across sessions
    assert elements(D.range(10).shuffle(1, seed=1)) == list(range(10))  # a buffer of 1


def test_shuffle_draws_only_from_its_buffer(elements):
    """With a buffer of 3, the k-th element handed out is among the first k + 3 of upstream."""
    for seed in range(5):
        got = elements(D.range(20).shuffle(3, seed=seed))
        assert sorted(got) == list(range(20))
        assert all(v < k + 3 for k, v in enumerate(got))


def test_shuffle_follows_the_graph_seed(elements):
    tf.set_random_seed(7)
    a = elements(D.range(10).shuffle(10))
    tf.reset_default_graph()
    tf.set_random_seed(7)
    assert elements(D.range(10).shuffle(10)) == a


def test_reshuffle_each_iteration(elements):
    again = elements(D.range(8).shuffle(8, seed=3).repeat(2))
    assert sorted(again[:8]) == sorted(again[8:]) == list(range(8))
    assert again[:8] != again[8:]
    same = elements(D.range(8).shuffle(8, seed=3, reshuffle_each_iteration=False).repeat(2))
    assert same[:8] == same[8:]
    unseeded = elements(D.range(8).shuffle(8, reshuffle_each_iteration=False).repeat(2))
    assert unseeded[:8] == unseeded[8:]


def test_reinitialising_a_seeded_shuffle_repeats_its_order():
    it = tf.data.make_initializable_iterator(D.range(6).shuffle(6, seed=3).repeat(2))
    nxt = it.get_next()
    with tf.Session() as sess:
        runs = []
        for _ in range(2):
            sess.run(it.initializer)
            runs.append([int(sess.run(nxt)) for _ in range(12)])
    assert runs[0] == runs[1]


def test_cache_with_a_filename_is_refused():
    with pytest.raises(ValueError, match="in memory only"):
        D.range(3).cache("/tmp/x")


def test_experimental_transformations(elements):
    exp = tf.data.experimental
    rows = D.from_tensor_slices(np.arange(6).reshape(3, 2)).batch(2).apply(exp.unbatch())
    assert rows.output_shapes == tf.TensorShape([2])
    assert _lists(elements(rows)) == [[0, 1], [2, 3], [4, 5]]
    assert _lists(elements(D.range(5).apply(exp.map_and_batch(lambda x: x * 2, 2)))) == [
        [0, 2], [4, 6], [8]]
    again = elements(D.range(4).apply(exp.shuffle_and_repeat(4, count=2, seed=5)))
    assert sorted(again[:4]) == sorted(again[4:]) == [0, 1, 2, 3]


def test_two_shuffles_under_a_graph_seed_differ_and_repeat(elements):
    def orders():
        tf.set_random_seed(3)
        return elements(D.range(10).shuffle(10)), elements(D.range(10).shuffle(10))

    first = orders()
    assert first[0] != first[1]
    tf.reset_default_graph()
    assert orders() == first
