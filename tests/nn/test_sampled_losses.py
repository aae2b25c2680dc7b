"""nce_loss, sampled_softmax_loss, the candidate samplers and compute_accidental_hits: losses and
gradients equal TF1's for fixed sampled_values (numbers recorded from TF 2.21's tf.compat.v1 in
graph mode), the samplers' expected-count formulas, a skip-gram model that learns, and
embedding_lookup's gradient. The samplers' streams are NumPy's: TF1 draws other classes."""

import math

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = executor_names(available_only=True)
W = np.array([[1.764, 0.4, 0.979], [2.241, 1.868, -0.977], [0.95, -0.151, -0.103],
              [0.411, 0.144, 1.454], [0.761, 0.122, 0.444], [0.334, 1.494, -0.205],
              [0.313, -0.854, -2.553], [0.654, 0.864, -0.742], [2.27, -1.454, 0.046],
              [-0.187, 1.533, 1.469]])
B = np.array([0.155, 0.378, -0.888, -1.981, -0.348, 0.156, 1.23, 1.202, -0.387, -0.302])
X = np.array([[-1.049, -1.42, -1.706], [1.951, -0.51, -0.438], [-1.253, 0.777, -1.614],
              [-0.213, -0.895, 0.387]])
LABELS = {1: np.array([[1], [3], [5], [1]]), 2: np.array([[1, 2], [3, 3], [5, 0], [1, 9]])}
SAMPLED = np.array([3, 7, 1, 0])  # 3 and 1 are true classes of some rows: accidental hits
TRUE_EXPECTED = {1: np.array([[0.3], [0.2], [0.1], [0.3]]),
                 2: np.array([[0.3, 0.25], [0.2, 0.2], [0.1, 0.5], [0.3, 0.02]])}
SAMPLED_EXPECTED = np.array([0.2, 0.05, 0.3, 0.4])
TF1_LOSSES = {  # (loss, num_true, remove_accidental_hits): per-example losses
    ("nce_loss", 1, False):
        [5.730558441651755, 16.1028490909259, 7.365529234809582, 6.443304945107997],
    ("nce_loss", 1, True):
        [5.571019018009325, 15.539930781876334, 7.365529234809582, 6.115040928324703],
    ("sampled_softmax_loss", 1, False):
        [5.317431184677208, 6.474932775926762, 1.9080852350555633, 4.116876460878937],
    ("sampled_softmax_loss", 1, True):
        [5.312513775551528, 6.473389983868216, 1.9080852350555633, 4.100446897572241],
    ("nce_loss", 2, False):
        [5.54784899122805, 16.66576739997546, 10.51665196721057, 7.45024099546402],
    ("nce_loss", 2, True):
        [5.38830956758562, 16.1028490909259, 10.43050412780741, 7.121976978680726],
    ("sampled_softmax_loss", 2, False):
        [4.51930754712245, 6.47647319144401, 4.9900185109426, 2.7647497895210855],
    ("sampled_softmax_loss", 2, True):
        [4.5145124880638345, 6.474932775926762, 4.989628096111552, 2.75524368497597],
}
# d(sum of the losses) / d(weights, biases, inputs), num_true=2, remove_accidental_hits
TF1_GRADIENTS = {
    "nce_loss": (
        [[2.261865928726842, -1.5035346982169528, 0.4499056826036183],
         [1.283575109705675, 0.8568836547239099, -1.3053739300783964],
         [0.02832626302942257, 0.03834441706556725, 0.04606730669989981],
         [-0.4605513367657691, -0.38021519131957443, 0.13320429564298986], [0.0, 0.0, 0.0],
         [-0.5908883769208384, 0.3664168147386205, -0.761128364206092], [0.0, 0.0, 0.0],
         [-0.5271941568273606, -1.9675245698538557, -3.3312811794953197], [0.0, 0.0, 0.0],
         [-0.09481231743763287, -0.3983897845384104, 0.17226463309091042]],
        [1.2653798993512395, 1.2813546128898183, -0.0270031106095544, 0.42648617330800676, 0.0,
         0.4715789121475167, 0.0, 3.9146560167544218, 0.0, 0.44512825088090546],
        [[-0.08545486310054295, 0.20836133374657506, -0.2852838657660757],
         [4.553293856855697, 3.0916712468374428, -0.9542979454858213],
         [1.9856214979068167, 3.0005020766564083, -2.0358382300181415],
         [1.4342716091301464, 1.433862499861284, 1.537780681446204]],
    ),
    "sampled_softmax_loss": (
        [[0.8066782236120815, -0.4856027316242516, 0.7803861941642815],
         [1.4983319732830913, 0.9253809972599141, 0.408810092284139],
         [0.4983372040754055, 0.6745842038008348, 0.8104511631579044],
         [-1.951220821114624, 0.4859185230926557, 0.4441670280510368], [0.0, 0.0, 0.0],
         [0.4405851422273214, -0.27321201557113234, 0.5675214840821204], [0.0, 0.0, 0.0],
         [-1.3090261841135005, -1.395620354972345, -2.981694192698651], [0.0, 0.0, 0.0],
         [0.01631446203022462, 0.06855137801432411, -0.02964176904083065]],
        [-0.3492285315297205, -0.49423610516405797, -0.4750592984512922, -0.9719078059906207, 0.0,
         -0.35162421566426294, 0.0, 2.718649675251713, 0.0, -0.07659371845175877],
        [[-0.9251866322665511, -0.0162315879491941, -0.18298676901467326],
         [1.0899873798368402, 1.1388951750939935, -2.1285290074893917],
         [-0.4004125953262043, 0.03661773559374315, -1.0545491288567517],
         [-0.6638934103928031, -0.5842579789648701, 0.08514473833739461]],
    ),
}


def _loss(fn, num_true, remove, w, b, x):
    values = (SAMPLED, TRUE_EXPECTED[num_true], SAMPLED_EXPECTED)
    return getattr(tf.nn, fn)(w, b, LABELS[num_true], x, num_sampled=4, num_classes=10,
                              num_true=num_true, sampled_values=values,
                              remove_accidental_hits=remove)


def _placeholders():
    return (tf.placeholder(tf.float64, [10, 3]), tf.placeholder(tf.float64, [10]),
            tf.placeholder(tf.float64, [None, 3]))


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("case", sorted(TF1_LOSSES), ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_losses_equal_tf1_for_fixed_samples(case, executor):
    w, b, x = _placeholders()
    loss = _loss(*case, w, b, x)
    with tf.Session(executor=executor) as sess:
        got = sess.run(loss, {w: W, b: B, x: X})
    np.testing.assert_allclose(got, TF1_LOSSES[case], rtol=1e-13)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("fn", sorted(TF1_GRADIENTS))
def test_gradients_equal_tf1(fn, executor):
    """TF1 gives IndexedSlices for weights and biases; graphflow gives the same values dense."""
    w, b, x = _placeholders()
    grads = tf.gradients(tf.reduce_sum(_loss(fn, 2, True, w, b, x)), [w, b, x])
    with tf.Session(executor=executor) as sess:
        got = sess.run(grads, {w: W, b: B, x: X})
    for g, want in zip(got, TF1_GRADIENTS[fn]):
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("fn", ["nce_loss", "sampled_softmax_loss"])
@pytest.mark.parametrize("remove", [False, True])
def test_gradients_by_finite_differences(fn, remove):
    for num_true in (1, 2):
        err = check_gradients(lambda w, b, x: _loss(fn, num_true, remove, w, b, x), [W, B, X],
                              executor="cpu")
        assert err < 1e-7, (fn, num_true, remove, err)


def test_the_default_sampler_gives_a_loss_and_gradients_in_float32():
    """No sampled_values: a unique log-uniform sampler per call; float32 throughout."""
    tf.set_random_seed(3)
    w = tf.Variable(W.astype(np.float32))
    b = tf.Variable(B.astype(np.float32))
    x = tf.placeholder(tf.float32, [None, 3])
    labels = tf.placeholder(tf.int32, [None, 1])  # TF1 casts labels to int64 itself
    nce = tf.nn.nce_loss(w, b, labels, x, num_sampled=3, num_classes=10)
    ssm = tf.nn.sampled_softmax_loss(w, b, labels, x, num_sampled=3, num_classes=10, seed=1)
    assert nce.shape.as_list() == ssm.shape.as_list() == [None]  # TF1's static shapes
    grads = tf.gradients(tf.reduce_sum(nce) + tf.reduce_sum(ssm), [w, b, x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run([nce, ssm, *grads], {x: X.astype(np.float32), labels: LABELS[1]})
    assert [o.dtype for o in out] == [np.float32] * 5
    assert out[0].shape == out[1].shape == (4,) and np.all(out[0] > 0) and np.all(out[1] > 0)
    assert np.all(np.isfinite(out[2])) and np.abs(out[2][[1, 3, 5]]).min() > 0  # true rows


def test_skip_gram_training_lowers_both_losses():
    """word2vec on a tiny corpus: embeddings and NCE / sampled-softmax weights learn."""
    words = ("the cat sat on the mat the dog sat on the log the cat saw the dog " * 8).split()
    vocab = sorted(set(words))
    ids = [vocab.index(w) for w in words]
    pairs = [(ids[i], ids[i + d]) for i in range(1, len(ids) - 1) for d in (-1, 1)]
    centre = np.array([p[0] for p in pairs], np.int32)
    context = np.array([[p[1]] for p in pairs], np.int64)
    tf.set_random_seed(11)
    n, dim = len(vocab), 6
    emb = tf.Variable(tf.random_uniform([n, dim], -1.0, 1.0))
    out_w = tf.Variable(tf.truncated_normal([n, dim], stddev=0.4))
    out_b = tf.Variable(tf.zeros([n]))
    inputs = tf.placeholder(tf.int32, [None])
    labels = tf.placeholder(tf.int64, [None, 1])
    embed = tf.nn.embedding_lookup(emb, inputs)
    losses = {fn: tf.reduce_mean(getattr(tf.nn, fn)(out_w, out_b, labels, embed, 4, n))
              for fn in ("nce_loss", "sampled_softmax_loss")}
    total = losses["nce_loss"] + losses["sampled_softmax_loss"]
    train = tf.train.GradientDescentOptimizer(0.3).minimize(total)
    feed = {inputs: centre, labels: context}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = np.mean([sess.run(list(losses.values()), feed) for _ in range(20)], axis=0)
        for _ in range(150):
            sess.run(train, feed)
        after = np.mean([sess.run(list(losses.values()), feed) for _ in range(20)], axis=0)
    assert np.all(after < 0.6 * before), (before, after)


# --- samplers -------------------------------------------------------------------------------
TRUE2 = np.array([[1, 2], [3, 3], [5, 0], [1, 9]], np.int64)


def _log_uniform_p(k, range_max):
    return (np.log(k + 2.0) - np.log(k + 1.0)) / np.log(range_max + 1.0)


def test_non_unique_expected_counts_equal_tf1():
    """Without `unique` the counts are P(k) * num_sampled: TF1's numbers for these classes."""
    s, t, e = tf.nn.log_uniform_candidate_sampler(TRUE2, 2, 5, False, 10, seed=3)
    assert [v.shape.as_list() for v in (s, t, e)] == [[5], [4, 2], [5]]
    assert [v.dtype for v in (s, t, e)] == [tf.int64, tf.float32, tf.float32]
    with tf.Session() as sess:
        sampled, true_count, sampled_count = sess.run([s, t, e])
    np.testing.assert_allclose(true_count, [[0.8454604, 0.5998637], [0.46529043, 0.46529043],
                                            [0.32142913, 1.4453242], [0.8454604, 0.19873716]],
                               rtol=1e-6)
    np.testing.assert_allclose(sampled_count, _log_uniform_p(sampled, 10) * 5, rtol=1e-6)


@pytest.mark.parametrize("sampler", ["log_uniform_candidate_sampler",
                                     "uniform_candidate_sampler"])
def test_unique_samples_and_tf1s_expected_count_formula(sampler):
    """unique: distinct classes; every count is -expm1(T log1p(-P(k))) for one T >= num_sampled
    (the number of draws it took), the same T for the true and the sampled classes."""
    s, t, e = getattr(tf.nn, sampler)(TRUE2, 2, 6, True, 10, seed=7)
    with tf.Session() as sess:
        for _ in range(5):
            sampled, true_count, sampled_count = sess.run([s, t, e])
            assert len(set(sampled.tolist())) == 6 and sampled.min() >= 0 and sampled.max() < 10
            p = _log_uniform_p(TRUE2, 10) if sampler.startswith("log") else np.full((4, 2), .1)
            ps = _log_uniform_p(sampled, 10) if sampler.startswith("log") else np.full(6, .1)
            if np.allclose(true_count, p * 6, rtol=1e-6):  # no repeats: T = 6, TF1's shortcut
                np.testing.assert_allclose(sampled_count, ps * 6, rtol=1e-6)
                continue
            tries = np.log1p(-true_count.astype(np.float64)) / np.log1p(-p)
            assert np.ptp(tries) < 1e-3 * tries.max() and round(tries[0, 0]) > 6
            T = round(tries[0, 0])
            np.testing.assert_allclose(sampled_count, -np.expm1(T * np.log1p(-ps)), rtol=1e-5)


def test_samplers_follow_the_seed_rules():
    """Seeded: each run draws anew, a new Session repeats the sequence (graphflow.ops.random)."""
    s = tf.nn.uniform_candidate_sampler(TRUE2, 2, 4, True, 1000, seed=5)[0]
    with tf.Session() as sess:
        first = [sess.run(s).tolist() for _ in range(3)]
    with tf.Session() as sess:
        again = [sess.run(s).tolist() for _ in range(3)]
    assert first == again and first[0] != first[1]


def test_the_learned_unigram_sampler_counts_the_true_classes_per_session():
    """Counts start at 1 for every class and grow by the true classes of each run (TF1's
    UnigramSampler): the expected counts follow, and a new Session starts afresh."""
    labels = tf.placeholder(tf.int64, [None, 1])
    s, t, e = tf.random.learned_unigram_candidate_sampler(labels, 1, 3, False, 4, seed=2)
    assert tf.nn.learned_unigram_candidate_sampler is tf.random.learned_unigram_candidate_sampler
    feed = {labels: [[2], [2], [2], [0]]}
    with tf.Session() as sess:
        first = sess.run([t, e], feed)
        second = sess.run([s, t, e], feed)
        drawn = np.concatenate([sess.run(s, feed) for _ in range(300)])
    np.testing.assert_allclose(first[0].ravel(), [0.75, 0.75, 0.75, 0.75])  # 1/4 * 3 draws
    np.testing.assert_allclose(first[1], [0.75] * 3)
    weights = np.array([2.0, 1.0, 4.0, 1.0])  # after run 1: class 2 seen 3 times, class 0 once
    np.testing.assert_allclose(second[1].ravel(), 3 * weights[[2, 2, 2, 0]] / 8, rtol=1e-6)
    np.testing.assert_allclose(second[2], 3 * weights[second[0]] / 8, rtol=1e-6)
    assert np.all((drawn >= 0) & (drawn < 4))
    assert np.mean(drawn == 2) > 0.65 and np.mean(drawn == 0) > 0.15  # towards 3/4 and 1/4
    with tf.Session() as sess:  # a new session: counts at 1 again
        np.testing.assert_allclose(sess.run(t, feed).ravel(), [0.75] * 4)
    with tf.Session() as sess, pytest.raises(ValueError, match=r"\[0, range_max=4\)"):
        sess.run(s, {labels: [[7]]})


@pytest.mark.parametrize("executor", EXECUTORS)
def test_the_all_sampler_equals_tf1(executor):
    s, t, e = tf.random.all_candidate_sampler(TRUE2[:2], 2, 5, True)
    assert [v.shape.as_list() for v in (s, t, e)] == [[5], [2, 2], [5]]
    with tf.Session(executor=executor) as sess:
        sampled, true_count, sampled_count = sess.run([s, t, e])
    np.testing.assert_array_equal(sampled, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(true_count, np.ones((2, 2), np.float32))
    np.testing.assert_array_equal(sampled_count, np.ones(5, np.float32))


def test_log_uniform_draws_have_zipfs_frequencies():
    s = tf.random.log_uniform_candidate_sampler(TRUE2, 2, 20000, False, 50, seed=1)[0]
    with tf.Session() as sess:
        draws = sess.run(s)
    freq = np.bincount(draws, minlength=50) / draws.size
    p = _log_uniform_p(np.arange(50), 50)
    assert np.abs(freq - p).max() < 4 * np.sqrt(p.max() / draws.size)
    assert math.isclose(p.sum(), 1.0)


def test_sampler_argument_errors_name_the_problem():
    with pytest.raises(TypeError, match="int64"):
        tf.nn.uniform_candidate_sampler(tf.constant(TRUE2.astype(np.int32)), 2, 4, True, 10)
    with pytest.raises(ValueError, match="num_true columns, expected: 3 was: 2"):
        tf.nn.uniform_candidate_sampler(TRUE2, 3, 4, True, 10)
    with pytest.raises(ValueError, match="range is too small"):
        tf.nn.log_uniform_candidate_sampler(TRUE2, 2, 12, True, 10)
    with pytest.raises(AttributeError, match="no tf.nn.fixed_unigram_candidate_sampler"):
        tf.nn.fixed_unigram_candidate_sampler  # noqa: B018


@pytest.mark.parametrize("executor", EXECUTORS)
def test_accidental_hits_equal_tf1(executor):
    """Class 3 is sampled twice (positions 0 and 4): only the last position counts, as in TF1."""
    hits = tf.nn.compute_accidental_hits(TRUE2, np.array([3, 7, 1, 0, 3, 9]), num_true=2)
    assert [h.dtype for h in hits] == [tf.int32, tf.int64, tf.float32]
    with tf.Session(executor=executor) as sess:
        indices, ids, weights = sess.run(hits)
    np.testing.assert_array_equal(indices, [0, 1, 1, 2, 3, 3])
    np.testing.assert_array_equal(ids, [2, 4, 4, 3, 2, 5])
    np.testing.assert_array_equal(weights, np.full(6, -np.finfo(np.float32).max, np.float32))


def test_embedding_lookup_gradient_is_a_dense_scatter_add():
    """TF1's gradient is IndexedSlices; graphflow's dense gradient has the same values, and a
    repeated id accumulates."""
    ids = np.array([[2, 0], [2, 4]])

    def lookup(params):
        return tf.nn.embedding_lookup(params, ids) * np.arange(1.0, 4.0)

    table = np.random.default_rng(0).normal(size=(5, 3))
    assert check_gradients(lookup, [table]) < 1e-9
    assert check_gradients(lookup, [table], executor="cpu") < 1e-9
    p = tf.placeholder(tf.float64, [5, 3])
    (g,) = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(p, ids)), [p])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {p: table})[:, 0], [1, 0, 2, 0, 1])


def test_sampled_loss_argument_errors():
    w, b, x = _placeholders()
    values = (SAMPLED, TRUE_EXPECTED[1], SAMPLED_EXPECTED)
    loss = tf.nn.nce_loss([w], b, LABELS[1], x, 4, 10, sampled_values=values)  # a list of one
    assert loss.shape.as_list() == [4]
    with pytest.raises(ValueError, match=r"nce_loss called at .*one weights table, got a list "
                                         r"of 2 shards"):
        tf.nn.nce_loss([w, w], b, LABELS[1], x, 4, 10, sampled_values=values)
    with pytest.raises(ValueError, match="sampled_values holds 4 candidates but num_sampled "
                                         "is 3"):
        tf.nn.sampled_softmax_loss(w, b, LABELS[1], x, 3, 10, sampled_values=values)
    with pytest.raises(ValueError, match="partition_strategy must be 'mod' or 'div'"):
        tf.nn.nce_loss(w, b, LABELS[1], x, 4, 10, sampled_values=values,
                       partition_strategy="modulo")
