"""Iterators: stateful ops whose streams live in each Session's executor state (TF1's rules)."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names

D = tf.data.Dataset
EXECUTORS = executor_names(available_only=True)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_the_tf1_loop_ends_with_out_of_range(executor):
    nxt = tf.data.make_one_shot_iterator(D.range(4).map(lambda x: x * x)).get_next()
    seen = []
    with tf.Session(executor=executor) as sess:
        while True:
            try:
                seen.append(int(sess.run(nxt)))
            except tf.errors.OutOfRangeError as err:
                message = str(err)
                break
        with pytest.raises(tf.errors.OutOfRangeError):  # and it stays at the end
            sess.run(nxt)
    assert seen == [0, 1, 4, 9]
    assert message.startswith("End of sequence")
    assert "IteratorGetNext" in message and "test_data_iterators.py" in message


@pytest.mark.parametrize("executor", EXECUTORS)
def test_an_initializable_iterator_is_restarted_with_fed_values(executor):
    x = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.make_initializable_iterator(D.from_tensor_slices(x).batch(2))
    nxt = it.get_next()
    assert nxt.shape == tf.TensorShape([None, 2]) and nxt.dtype is tf.float32
    with tf.Session(executor=executor) as sess:
        for epoch in range(2):
            data = np.arange(6, dtype=np.float32).reshape(3, 2) + 10 * epoch
            sess.run(it.initializer, feed_dict={x: data})
            batches = []
            while True:
                try:
                    batches.append(sess.run(nxt))
                except tf.errors.OutOfRangeError:
                    break
            np.testing.assert_array_equal(np.concatenate(batches), data)
            assert [len(b) for b in batches] == [2, 1]


def test_get_next_before_the_initializer_is_a_failed_precondition():
    it = tf.data.make_initializable_iterator(D.range(3))
    nxt = it.get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="GetNext\\(\\) failed because the iterator has not been "
                                 "initialized"):
            sess.run(nxt)


def test_each_get_next_call_builds_its_own_op_on_one_stream():
    it = tf.data.make_initializable_iterator(D.range(5))
    a, b = it.get_next(), it.get_next()
    assert a.op is not b.op and a.name == "IteratorGetNext:0" and b.name == "IteratorGetNext_1:0"
    with tf.Session() as sess:
        sess.run(it.initializer)
        assert [int(sess.run(a)), int(sess.run(b)), int(sess.run(a))] == [0, 1, 2]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_from_structure_switches_between_datasets(executor):
    train = D.from_tensor_slices(np.arange(4, dtype=np.float32)).batch(2)
    test = D.from_tensor_slices(np.float32([100, 101, 102])).batch(3)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    assert it.output_types is tf.float32 and it.output_shapes == tf.TensorShape([None])
    nxt = it.get_next()
    train_init, test_init = it.make_initializer(train), it.make_initializer(test)
    with tf.Session(executor=executor) as sess:
        sess.run(train_init)
        assert sess.run(nxt).tolist() == [0.0, 1.0]
        sess.run(test_init)
        assert sess.run(nxt).tolist() == [100.0, 101.0, 102.0]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(nxt)
        sess.run(train_init)
        assert sess.run(nxt).tolist() == [0.0, 1.0]


def test_make_initializer_checks_the_structure_with_tf1s_messages():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))
    with pytest.raises(TypeError, match="Expected output types .*int64 but got dataset with "
                                        "output types .*float32"):
        it.make_initializer(D.from_tensor_slices(np.zeros(3, np.float32)))
    with pytest.raises(TypeError, match="Expected output shapes compatible with"):
        it.make_initializer(D.from_tensor_slices(np.zeros((3, 2), np.int64)))
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        it.make_initializer(D.zip((D.range(3), D.range(3))))
    assert tf.data.Iterator.from_structure((tf.int64, tf.float32)).output_shapes == (
        tf.TensorShape(None), tf.TensorShape(None))


def test_an_iterator_without_an_initializer_says_so():
    handle = tf.placeholder(tf.string, [])
    it = tf.data.Iterator.from_string_handle(handle, tf.int64, [])
    with pytest.raises(ValueError, match="Iterator does not have an initializer"):
        it.initializer  # noqa: B018


def test_string_handles_select_the_iterator():
    train, test = D.range(3), D.range(100, 102)
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    nxt = it.get_next()
    train_it = tf.data.make_one_shot_iterator(train)
    test_it = tf.data.make_initializable_iterator(test)
    with tf.Session() as sess:
        th, vh = sess.run([train_it.string_handle(), test_it.string_handle()])
        assert isinstance(th, bytes)
        sess.run(test_it.initializer)
        got = [sess.run(nxt, {handle: h}) for h in (th, vh, th)]
    assert [int(v) for v in got] == [0, 100, 1]


def test_a_one_shot_iterator_cannot_read_a_placeholder():
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match=r"Cannot capture a placeholder \(name:Placeholder, "
                                         r"type:Placeholder\) by value"):
        tf.data.make_one_shot_iterator(D.from_tensor_slices(x))


def test_iterator_state_is_per_session():
    nxt = tf.data.make_one_shot_iterator(D.range(4)).get_next()
    first, second = tf.Session(), tf.Session()
    try:
        got = [first.run(nxt), first.run(nxt), second.run(nxt), first.run(nxt), second.run(nxt)]
    finally:
        first.close()
        second.close()
    assert [int(v) for v in got] == [0, 1, 0, 2, 1]


def test_a_fed_batch_size():
    size = tf.placeholder(tf.int64, [])
    it = tf.data.make_initializable_iterator(D.range(7).batch(size))
    nxt = it.get_next()
    assert nxt.shape == tf.TensorShape([None])
    with tf.Session() as sess:
        sess.run(it.initializer, {size: 3})
        assert sess.run(nxt).tolist() == [0, 1, 2]
        sess.run(it.initializer, {size: 5})
        assert sess.run(nxt).tolist() == [0, 1, 2, 3, 4]


def test_dataset_methods_and_compat_v1_names():
    import graphflow.compat.v1 as v1

    ds = v1.data.Dataset.range(3)
    assert v1.data.get_output_types(ds) is tf.int64
    assert v1.data.get_output_shapes(ds) == tf.TensorShape([])
    assert isinstance(ds.make_one_shot_iterator(), tf.data.Iterator)
    assert isinstance(ds.make_initializable_iterator().initializer, tf.Operation)
    with pytest.raises(RuntimeError, match="eager execution"):
        iter(ds)


def test_fed_components_of_unequal_lengths_fail_when_the_iterator_starts():
    x, y = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.int64, [None])
    it = tf.data.make_initializable_iterator(D.from_tensor_slices((x, y)))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"same size in the first dimension; got shapes \(3,\), \(2,\)"
                                 r"\n  while MakeIterator 'MakeIterator'"):
            sess.run(it.initializer, {x: np.zeros(3), y: np.zeros(2, np.int64)})


def test_a_fed_batch_size_of_zero_fails_when_the_iterator_starts():
    size = tf.placeholder(tf.int64, [])
    it = tf.data.make_initializable_iterator(D.range(3).batch(size))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Batch size must be greater than zero"):
        sess.run(it.initializer, {size: 0})


def test_a_graph_file_keeps_the_iterator_ops_but_not_the_pipeline():
    from graphflow.io.graph_json import graph_to_json, import_graph_json

    it = tf.data.make_initializable_iterator(D.range(3).batch(2))
    it.get_next()
    text = graph_to_json()
    graph = import_graph_json(text, tf.Graph())
    with tf.Session(graph=graph) as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="has no dataset"):
            sess.run(graph.get_operation_by_name("MakeIterator"))


def test_the_iterator_keeps_its_own_copy_of_fed_values():
    x = tf.placeholder(tf.float32, [None])
    it = tf.data.make_initializable_iterator(D.from_tensor_slices(x))
    nxt = it.get_next()
    data = np.float32([1, 2])
    with tf.Session() as sess:
        sess.run(it.initializer, {x: data})
        data[1] = 99.0  # the caller changes its array after initialising
        assert [float(sess.run(nxt)), float(sess.run(nxt))] == [1.0, 2.0]


def test_an_iterator_over_a_computed_tensor_survives_buffer_reuse():
    a = tf.placeholder(tf.float32, [None])
    doubled = a * 2.0
    it = tf.data.make_initializable_iterator(D.from_tensor_slices(doubled))
    nxt = it.get_next()
    after = tf.reduce_sum(tf.exp(a) + 1.0)  # its sum's input may take the product's buffer
    with tf.Session() as sess:
        sess.run([it.initializer, after], {a: np.float32([1, 2, 3])})
        sess.run(after, {a: np.float32([7, 7, 7])})
        assert [float(sess.run(nxt)) for _ in range(3)] == [2.0, 4.0, 6.0]
