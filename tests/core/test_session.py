"""Session.run as TF1 users call it: fetch structures, feeds, pruning, copies and caching."""

import collections

import numpy as np
import pytest

import graphflow as tf


# --- fetches ----------------------------------------------------------------------------------
def test_run_a_tensor_an_op_and_a_name():
    x = tf.placeholder(tf.float32, name="x")
    y = tf.multiply(x, 2.0, name="y")
    v = tf.Variable([1.0, 2.0])
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        assert sess.run(init) is None
        assert sess.run(y, feed_dict={x: 3.0}) == 6.0
        assert sess.run("y:0", {"x:0": 4.0}) == 8.0
        assert sess.run(fetches=y, feed_dict={x: 1.0}) == 2.0
        assert sess.run("init") is None  # an operation's name runs the operation
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        assert isinstance(sess.run(v), np.ndarray)


def test_scalar_results_are_numpy_scalars():
    with tf.Session() as sess:
        f = sess.run(tf.constant(2.0))
        i = sess.run(tf.constant(3))
        b = sess.run(tf.constant(1.0) < tf.constant(2.0))
    assert type(f) is np.float32 and f == 2.0
    assert type(i) is np.int32 and i == 3
    assert type(b) is np.bool_ and b


def test_nested_fetches_mirror_their_structure():
    Pair = collections.namedtuple("Pair", "a b")
    a = tf.constant(1.0)
    b = tf.constant([2, 3])
    with tf.Session() as sess:
        got = sess.run([a, (b, a), {"a": a, "nested": [b]}, Pair(a, b)])
        params = sess.run({"w": a, "b": b})
    assert isinstance(got, list) and isinstance(got[1], tuple)
    assert got[0] == 1.0 and got[1][1] == 1.0
    np.testing.assert_array_equal(got[1][0], [2, 3])
    assert set(got[2]) == {"a", "nested"} and got[2]["a"] == 1.0
    np.testing.assert_array_equal(got[2]["nested"][0], [2, 3])
    assert isinstance(got[3], Pair) and got[3].a == 1.0
    np.testing.assert_array_equal(got[3].b, [2, 3])
    assert set(params) == {"w", "b"} and params["w"] == 1.0


def test_train_step_and_cost_in_one_run():
    w = tf.Variable(1.0)
    cost = w * 2.0
    step = w.assign_sub(0.25).op
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, c = sess.run([step, cost])
        assert c in (2.0, 1.5)  # like TF1, the read and the update in one run are unordered
        assert sess.run(w) == 0.75
        assert sess.run(cost) == 1.5


def test_dict_subclass_fetches_keep_their_type():
    a = tf.constant(1.0)
    with tf.Session() as sess:
        ordered = sess.run(collections.OrderedDict([("z", a), ("a", a)]))
        default = sess.run(collections.defaultdict(list, {"a": a}))
    assert type(ordered) is collections.OrderedDict and list(ordered) == ["z", "a"]
    assert type(default) is collections.defaultdict and default["a"] == 1.0
    assert default.default_factory is list


def test_fetching_a_tensor_twice():
    a = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        first, second = sess.run([a, a])
    np.testing.assert_array_equal(first, second)


# --- feeds and pruning ------------------------------------------------------------------------
def test_unneeded_feeds_are_allowed():
    x = tf.placeholder(tf.string)
    y = tf.placeholder(tf.int32)
    z = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        assert sess.run(x, feed_dict={x: "Test String", y: 123, z: 45.67}) == b"Test String"


def test_unneeded_placeholders_need_no_feed():
    x = tf.placeholder(tf.float32)
    unused = tf.placeholder(tf.float32, [None, 784])
    v = tf.Variable(5.0)  # never initialised, never needed
    out = x * 2.0
    _ = unused * v
    with tf.Session() as sess:
        assert sess.run(out, {x: 1.5}) == 3.0


def test_only_needed_ops_run():
    v = tf.Variable(0.0)
    inc = v.assign_add(1.0)
    other = tf.constant(1.0) * 3.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(other) == 3.0
        assert sess.run(v) == 0.0  # `inc` is in the graph but nothing fetched needs it
        sess.run(inc)
        assert sess.run(v) == 1.0


def test_feeds_are_converted_to_the_placeholder_dtype():
    f = tf.placeholder(tf.float32)
    d = tf.placeholder(tf.float64)
    i = tf.placeholder(tf.int64)
    with tf.Session() as sess:
        assert sess.run(f, {f: [1, 2]}).dtype == np.float32
        assert sess.run(f, {f: np.arange(3, dtype=np.float64)}).dtype == np.float32
        assert type(sess.run(f, {f: 1})) is np.float32
        assert sess.run(d, {d: [0.5]}).dtype == np.float64
        assert sess.run(i, {i: [1, 2]}).dtype == np.int64


def test_feed_a_hyperparameter_per_run():
    lr = tf.placeholder(tf.float32, name="learning_rate")
    w = tf.Variable(10.0)
    step = w.assign_sub(lr * 2.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(step, {lr: 1.0}) == 8.0
        assert sess.run(step, {lr: 0.5}) == 7.0


def test_feeding_a_non_placeholder_tensor_overrides_it():
    a = tf.constant(2.0)
    b = a * 3.0
    c = b + 1.0
    v = tf.Variable(100.0)  # never initialised: feeding it means it is never read
    with tf.Session() as sess:
        assert sess.run(c) == 7.0
        assert sess.run(c, {b: 10.0}) == 11.0
        assert sess.run(c, {a: 0.0}) == 1.0
        assert sess.run(v * 2.0, {v: 4.0}) == 8.0


def test_placeholder_with_default():
    p = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
    doubled = p * 2.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(doubled), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(doubled, {p: [5.0, 6.0, 7.0]}), [10, 12, 14])
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            sess.run(doubled, {p: [[1.0]]})


def test_keep_prob_style_default():
    keep = tf.placeholder_with_default(1.0, shape=[])
    with tf.Session() as sess:
        assert sess.run(keep) == 1.0
        assert sess.run(keep, {keep: 0.5}) == 0.5


# --- values are copies ------------------------------------------------------------------------
def test_fetched_variable_values_are_copies():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
        got[0] = 100.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])


def test_fed_arrays_are_not_aliased():
    x = tf.placeholder(tf.float32, [3])
    v = tf.Variable(np.zeros(3, np.float32))
    store = v.assign(x)
    fed = np.array([1.0, 2.0, 3.0], np.float32)
    with tf.Session() as sess:
        out = sess.run(x, {x: fed})
        out[0] = -1.0
        assert fed[0] == 1.0
        sess.run(store, {x: fed})
        fed[1] = 50.0  # changing the caller's array later does not reach the session
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])
    assert fed.flags.writeable


def test_fetched_constants_are_copies():
    c = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        got = sess.run(c)
        got[0] = 9.0
        np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])


# --- other ways to run ------------------------------------------------------------------------
def test_make_callable():
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    total = tf.reduce_sum(x * y)
    with tf.Session() as sess:
        fn = sess.make_callable([total, x], feed_list=[x, y])
        t, xs = fn([1.0, 2.0], [3.0, 4.0])
        assert t == 11.0
        np.testing.assert_array_equal(xs, [1.0, 2.0])
        assert sess.make_callable(total, [x, y])([1.0], [2.0]) == 2.0
        with pytest.raises(TypeError, match="takes 2 feed values"):
            fn([1.0])


def test_eval_and_run_in_the_default_session():
    v = tf.Variable(3.0)
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        v.initializer.run()
        assert v.eval() == 3.0
        assert (v * x).eval(feed_dict={x: 2.0}) == 6.0
        v.assign(4.0).op.run()
        assert v.eval(session=sess) == 4.0
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="No default session"):
        v.eval()


def test_session_as_default():
    c = tf.constant(5.0)
    sess = tf.Session()
    with sess.as_default():
        assert c.eval() == 5.0
    assert sess.run(c) == 5.0  # still open after leaving as_default()
    sess.close()


def test_interactive_session():
    sess = tf.InteractiveSession()
    try:
        a = tf.constant(2.0)
        assert tf.get_default_session() is sess
        assert (a * 3.0).eval() == 6.0
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_closed_session_raises():
    c = tf.constant(1.0)
    with tf.Session() as sess:
        pass
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)
    other = tf.Session()
    other.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        other.run(c)


def test_state_lives_in_the_session():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(v.initializer)
        s2.run(v.initializer)
        s1.run(inc)
        s1.run(inc)
        assert s1.run(v) == 3.0
        assert s2.run(v) == 1.0


# --- compiled plans are cached ----------------------------------------------------------------
def test_same_signature_compiles_once():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.reduce_sum(x * 2.0)
    with tf.Session() as sess:
        for i in range(5):
            assert sess.run(y, {x: np.full((3, 2), i, np.float32)}) == 12.0 * i
        assert len(sess._runnables) == 1
        sess.run(y, {x: np.ones((4, 2))})  # a new feed shape is a new signature
        assert len(sess._runnables) == 2
        sess.run([y, x], {x: np.ones((4, 2))})  # so are new fetches
        assert len(sess._runnables) == 3
        sess.run(y, {x: np.ones((4, 2))})
        assert len(sess._runnables) == 3


def test_compiled_plan_is_pruned():
    x = tf.placeholder(tf.float32)
    a = x + 1.0
    _ = tf.constant(5.0) * 3.0  # not needed by `a`
    with tf.Session() as sess:
        plan = sess.compiled_plan(a, {x: 1.0})
    types = [step.type for step in plan.steps]
    assert "Mul" not in types and "Add" in types and "Placeholder" not in types


def test_a_fetch_of_a_set_names_the_fetch():
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.Session() as sess, pytest.raises(TypeError, match="invalid type set"):
        sess.run({a, b})


def test_the_same_placeholder_fed_twice_raises():
    x = tf.placeholder(tf.float32, [2], name="twice")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="twice"):
        sess.run(x * 2.0, {x: [1.0, 2.0], "twice:0": [3.0, 4.0]})


@pytest.mark.parametrize("value", [np.array([1 + 2j, 3j]), np.array(["2020-01-01"] * 2,
                                                                        dtype="datetime64[D]"),
                                   np.array([1.0, None], dtype=object), [[1.0], [2.0, 3.0]]])
def test_feeds_that_cannot_convert_meaningfully_raise_naming_the_placeholder(value):
    x = tf.placeholder(tf.float32, None, name="target")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="target"):
        sess.run(x * 2.0, {x: value})


def test_a_plan_too_large_to_allocate_names_the_op_and_the_bytes():
    x = tf.placeholder(tf.float32, [1])
    huge = tf.zeros([1 << 20, 1 << 20], name="huge") + x
    with tf.Session(executor="cpu") as sess, pytest.raises(
            tf.errors.ResourceExhaustedError) as info:
        sess.run(tf.reduce_sum(huge), {x: [1.0]})
    text = str(info.value)
    assert "4,398,046,511,104 bytes" in text and "test_session.py" in text


def test_runs_that_keep_adding_ops_warn_once():
    x = tf.placeholder(tf.float32, [3])
    with tf.Session() as sess:
        with pytest.warns(tf.errors.GraphGrowthWarning, match="training loop") as record:
            for i in range(25):
                sess.run(tf.reduce_mean(x * float(i)), {x: [1.0, 2.0, 3.0]})
    assert len([w for w in record if w.category is tf.errors.GraphGrowthWarning]) == 1
